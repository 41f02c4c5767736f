"""The terminal summary printed at the end of `cxtext analyze`: the top fixes first, with the
owner, phase and Kano class named as report.html names them (in the run's label language).

With a Danish, Swedish or Norwegian label language the fix list's own words are the report's
too ("1. Ventetid · Ejer: Kundeservice · Få hjælp · Basiskrav · 9 kommentarer, 89 % negative,
effekt −0,6"): "owner Kundeservice · 9 comments" put English between Danish names. The lines
about the run (rows read, languages, files) stay English, as the log of the job that ran."""

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
from cxtext.outputs.report.words import ENGLISH, Words
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
        console.print(f"[bold]{escape(_heading(names))}[/]: nothing (no theme to fix)")
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
    names = run.get("name_columns") or []
    if names:  # people's names leave only as pseudonyms: say which columns
        parts.append("names as pseudonyms " + ", ".join(f"'{name}'" for name in names))
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
    words = _nordic(names)
    lines = [f"[bold]{escape(_heading(names))}[/]"]
    for row in _top_fixes(themes):
        impact = "" if row.get("impact") is None else f", {_word(words, 'impact')} "
        impact += _impact(row, words) if impact else ""
        owner, phase, kano = _names(row, names)
        owner = words.text("owner", name=owner) if words else f"owner {owner}"
        named = " · ".join(escape(name) for name in (owner, phase, kano))
        lines.append(
            f"{row['rank']}. [bold]{escape(row['label'])}[/] · {named} · "
            f"{_size(row, words)}, {_negative(row, words)}{impact}"
        )
        lines.append(f'   "{escape(_quote(row, quotes))}"')
    return lines


def _names(row: dict, names: Names) -> tuple[str, str, str]:
    """The owning team's, the phase's and the Kano class's names (the class without its
    explanation: 'Basic', not 'Basic (must-be)')."""
    kano = names.kano_class(row.get("kano")).split(" (")[0]
    return names.silo(row.get("silo")), names.phase(row.get("phase")), kano


def _nordic(names: Names) -> Words | None:
    """The report's words where the names are Danish, Swedish or Norwegian; None for English,
    whose terminal wording ("owner X", "9 comments") predates them and stays."""
    return None if names.words.lang == ENGLISH else names.words


def _heading(names: Names) -> str:
    words = _nordic(names)
    return words["fix_heading"] if words else "Fix these first"


def _word(words: Words | None, key: str) -> str:
    """A report word ("effekt"), or its key, which is the English terminal's word."""
    return words[key] if words else key


def _size(row: dict, words: Words | None = None) -> str:
    """'9 comments', or '9 comments from 6 respondents' where some wrote more than one."""
    size, respondents = row["size"], row.get("respondents")
    count = words.count if words else counted
    if respondents is None or respondents == size:
        return count(size, "comment")
    joined = words["from_respondents"] if words else "from"
    return f"{count(size, 'comment')} {joined} {count(respondents, 'respondent')}"


def _negative(row: dict, words: Words | None = None) -> str:
    """'89% negative', and ' (66% praise)' after a mixed theme's: it ranks on its
    complaints, though most of its comments praise."""
    pct = words.pct if words else "{:.0%}".format
    praise = f" ({pct(row['positive_share'])} {_word(words, 'praise')})" if is_mixed(row) else ""
    return f"{pct(row['negative_share'])} {_word(words, 'negative')}{praise}"


def _impact(row: dict, words: Words | None = None) -> str:
    """'-1.6' NPS points, '-0.03' on a mean score (one decimal showed it as '-0.0');
    '−1,6' in a Nordic language."""
    digits = impact_digits(row.get("impact_metric"))
    return words.signed(row["impact"], digits) if words else f"{row['impact']:+.{digits}f}"


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
    words = _nordic(names)
    table = Table(title=escape(_heading(names)), title_justify="left", show_lines=True)
    for header in _table_headers(words):
        table.add_column(header, overflow="fold")
    for row in _top_fixes(themes):
        impact = _impact(row, words) if row.get("impact") is not None else ""
        pct = words.pct if words else "{:.0%}".format
        praise = f" ({pct(row['positive_share'])} {_word(words, 'praise')})"
        table.add_row(
            str(row["rank"]),
            escape(row["label"]),
            *(escape(name) for name in _names(row, names)),
            str(row["size"]),
            pct(row["negative_share"]) + (praise if is_mixed(row) else ""),
            impact,
            escape(_quote(row, quotes)),
        )
    return table


def _table_headers(words: Words | None) -> list[str]:
    """The table's column names: the report's in a Nordic language, else today's English."""
    if words is None:
        return "# theme owner phase kano comments negative impact".split() + ["customer says"]
    keys = "col_theme filter_owner filter_phase col_kano col_comments col_negative col_impact"
    return ["#", *(words[key].lower() for key in keys.split()), words["col_says"].lower()]
