"""The terminal summary printed at the end of `cxtext analyze`: the top fixes first, with the
owner, phase and Kano class named as report.html names them (in the run's label language)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cxtext.io.columns import ROLES
from cxtext.io.roles import describe_scale
from cxtext.outputs.report.names import Names, run_names
from cxtext.outputs.report.view import report_quotes
from cxtext.priority.formula import is_mixed
from cxtext.scores import impact_digits
from cxtext.wording import counted, shorten

if TYPE_CHECKING:
    from cxtext.result import Result

TOP_FIXES = 5
TABLE_WIDTH = 120  # narrower terminals (and logs, which rich reads as 80) get one fix per line


def print_summary(result: Result, out: Path, console: Console) -> None:
    """The columns used, any warnings about them, the 5 things to fix first with owner and
    evidence, then the row accounting."""
    console.print(escape(columns_line(result.run)), overflow="fold")
    for warning in result.run.get("warnings", []):
        console.print(f"[yellow]warning:[/] {escape(warning)}", overflow="fold")
    if result.run.get("label_language_note"):
        console.print(escape(result.run["label_language_note"]), overflow="fold")
    names = run_names(result.run)
    if not _top_fixes(result.themes):
        console.print("[bold]Fix these first[/]: nothing (no theme to fix)")
    elif console.width >= TABLE_WIDTH:
        console.print(top_fixes_table(result.themes, fix_quotes(result), names))
    else:
        for line in top_fixes_lines(result.themes, fix_quotes(result), names):
            console.print(line, overflow="fold")
    run = result.run
    questions = len(run["columns"].get("questions") or []) if run.get("columns") else 0
    answers = (
        f" ({counted(run['answers_read'], 'answer')} to {counted(questions, 'question')})"
        if questions
        else ""
    )
    rows = counted(run["rows_read"], "row")
    console.print(
        f"[bold]{rows}[/] read{answers}, {run['rows_written']} written, "
        f"{run['rows_rejected']} rejected, {run['rows_no_content']} without content; "
        f"{counted(result.themes.height, 'theme')}"
    )
    langs = result.comments.get_column("lang").value_counts(sort=True)
    mix = ", ".join(f"{row['lang']} {row['count']}" for row in langs.iter_rows(named=True))
    console.print(f"Languages: {mix or '-'}")
    files = ", ".join(sorted(p.name for p in Path(out).iterdir() if p.is_file()))
    console.print(f"Results in {out}/: {files}")


def columns_line(
    run: dict, roles: tuple[str, ...] = ROLES, advice: str = "choose others with --<role>-col NAME"
) -> str:
    """One line naming the input column used for each of `roles` and how to choose another
    (`cxtext langid` reads the text column only)."""
    columns = run.get("columns") or {}
    parts = []
    for role in roles:
        name = columns.get(role)
        shown = f"{role} '{name}'" if name else f"{role} -"
        if role == "text" and columns.get("questions"):
            shown = "text " + " + ".join(f"'{q}'" for q in columns["questions"])
        if role == "score" and name and columns.get("score_scale"):
            shown += f" ({describe_scale(columns['score_scale'])})"
        if role == "respondent" and name and run.get("respondents") is not None:
            shown += f" ({counted(run['respondents'], 'respondent')}{placeholder_note(run)})"
        parts.append(shown)
    return f"Columns: {', '.join(parts)}; {advice}"


SHOWN_PLACEHOLDERS = 4  # placeholder keys named on the Columns line


def placeholder_note(run: dict) -> str:
    """'; 95 rows keyed '0', 'ukendt', '-' or 'N/A' are each their own': anonymous cases
    are not one customer, and the count says how many rows the key did not join."""
    placeholders = run.get("respondent_placeholders") or {}
    if not placeholders:
        return ""
    quoted = [f"'{value}'" for value in placeholders][:SHOWN_PLACEHOLDERS]
    if len(placeholders) > SHOWN_PLACEHOLDERS:  # the most common, then how many more
        quoted.append(f"{len(placeholders) - SHOWN_PLACEHOLDERS} more")
    values = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    rows = sum(placeholders.values())
    own = "is its own" if rows == 1 else "are each their own"
    return f"; {counted(rows, 'row')} keyed {values} {own}"


def fix_quotes(result: Result) -> dict[str, str]:
    """Theme id -> the first quote of its card in report.html: a complaint close to the theme
    (a theme's first example may be praise, or about something else: "Unhelpful staff" was
    quoted by "Det jag fick stämde inte överens med det jag såg på bilden.")."""
    quotes = report_quotes(result)  # the report's rule, not a second one
    return {theme: found[0]["text"] for theme, found in quotes.items() if found}


def top_fixes_lines(
    themes: pl.DataFrame, quotes: Mapping[str, str] | None = None, names: Names | None = None
) -> list[str]:
    """The same fixes as the table, one per line plus a quote (`quotes`, else the theme's
    first example): readable at any width. `names`: the run's (default: the default
    taxonomy's English names)."""
    names = names or run_names({})
    lines = ["[bold]Fix these first[/]"]
    for row in _top_fixes(themes):
        impact = f", impact {_impact(row)}" if row.get("impact") is not None else ""
        owner, phase, kano = (escape(name) for name in _names(row, names))
        lines.append(
            f"{row['rank']}. [bold]{escape(row['label'])}[/] · owner {owner} · "
            f"{phase} · {kano} · {_size(row)}, "
            f"{row['negative_share']:.0%} negative{_praise_note(row)}{impact}"
        )
        lines.append(f'   "{escape(_quote(row, quotes))}"')
    return lines


def _names(row: dict, names: Names) -> tuple[str, str, str]:
    """The owning team's, the phase's and the Kano class's names (the class without its
    explanation: 'Basic', not 'Basic (must-be)')."""
    kano = names.kano_class(row.get("kano")).split(" (")[0]
    return names.silo(row.get("silo")), names.phase(row.get("phase")), kano


def _size(row: dict) -> str:
    """'9 comments', or '9 comments from 6 respondents' where some wrote more than one."""
    size, respondents = row["size"], row.get("respondents")
    if respondents is None or respondents == size:
        return counted(size, "comment")
    return f"{counted(size, 'comment')} from {counted(respondents, 'respondent')}"


def _praise_note(row: dict) -> str:
    """' (66% praise)' after a mixed theme's negative share: it ranks on its complaints,
    though most of its comments praise; '' for any other theme."""
    return f" ({row['positive_share']:.0%} praise)" if is_mixed(row) else ""


def _impact(row: dict) -> str:
    """'-1.6' NPS points, '-0.03' on a mean score (one decimal showed it as '-0.0')."""
    return f"{row['impact']:+.{impact_digits(row.get('impact_metric'))}f}"


def _top_fixes(themes: pl.DataFrame) -> list[dict]:
    ranked = themes.filter(pl.col("rank").is_not_null()).sort("rank").head(TOP_FIXES)
    return list(ranked.iter_rows(named=True))


def _quote(row: dict, quotes: Mapping[str, str] | None) -> str:
    quote = (quotes or {}).get(row["theme_id"]) or (row["examples"] or [""])[0]
    return shorten(quote, 89)


def top_fixes_table(
    themes: pl.DataFrame, quotes: Mapping[str, str] | None = None, names: Names | None = None
) -> Table:
    """Rank, theme, owner, phase, Kano, size, negative share, impact and one quote."""
    names = names or run_names({})
    table = Table(title="Fix these first", title_justify="left", show_lines=True)
    for name in (
        "#",
        "theme",
        "owner",
        "phase",
        "kano",
        "comments",
        "negative",
        "impact",
        "customer says",
    ):
        table.add_column(name, overflow="fold")
    for row in _top_fixes(themes):
        impact = _impact(row) if row.get("impact") is not None else ""
        table.add_row(
            str(row["rank"]),
            escape(row["label"]),
            *(escape(name) for name in _names(row, names)),
            str(row["size"]),
            f"{row['negative_share']:.0%}{_praise_note(row)}",
            impact,
            escape(_quote(row, quotes)),
        )
    return table
