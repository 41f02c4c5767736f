"""`cxtext themes ...`: an analyst's theme decisions (rename, merge, promote) on a finished run."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from cxtext.cli_support import RunFolder, console, guard, warning_line
from cxtext.wording import counted

if TYPE_CHECKING:
    import polars as pl

    from cxtext.outputs.report.names import Names
    from cxtext.themes.curation import Curation

themes_app = typer.Typer(
    no_args_is_help=True,
    help="Curate a run's themes: list, rename, merge, promote into the taxonomy. Decisions go to "
    "one file (--curation) that later runs apply.",
)
CurationFile = Annotated[
    Path | None,
    typer.Option(
        help="Theme decisions file to update (default: the one the run read: its --curation, "
        "or STATE/curation.toml of a --state run, else curation.toml); pass it to `cxtext "
        "analyze --curation`.",
        metavar="PATH",
        show_default=False,
    ),
]
ThemeId = Annotated[str, typer.Argument(help="Theme id, as in themes.csv.", metavar="THEME_ID")]


@themes_app.command("rename")
def themes_rename(
    run_dir: RunFolder,
    theme_id: ThemeId,
    name: Annotated[str, typer.Argument(help="The theme's new name.", metavar="NAME")],
    curation: CurationFile = None,
) -> None:
    """Show a theme under a new name in this and every later run."""
    from cxtext.curate import decisions_file, rename_theme

    decisions = guard(lambda: decisions_file(run_dir, curation))

    decided = guard(lambda: rename_theme(run_dir, decisions, theme_id, name))
    stored = decided.names.get(theme_id, name)  # as kept: one line, PII redacted
    console.print(f"{theme_id} is now named '{stored}' in {decisions}")


@themes_app.command("merge")
def themes_merge(
    run_dir: RunFolder,
    theme_id: ThemeId,
    into: Annotated[
        str, typer.Argument(help="Theme id that takes its comments.", metavar="INTO_ID")
    ],
    curation: CurationFile = None,
) -> None:
    """Merge a theme into another: its comments belong to INTO_ID from now on."""
    from cxtext.curate import decisions_file, merge_themes

    decisions = guard(lambda: decisions_file(run_dir, curation))

    guard(lambda: merge_themes(run_dir, decisions, theme_id, into))
    console.print(f"{theme_id} is merged into {into} in {decisions}")


@themes_app.command("promote")
def themes_promote(
    run_dir: RunFolder,
    theme_id: ThemeId,
    taxonomy: Annotated[
        Path,
        typer.Option(
            help="Company taxonomy file to add the theme to (see `cxtext init`).", metavar="PATH"
        ),
    ],
    curation: CurationFile = None,
    group: Annotated[
        str | None,
        typer.Option(
            help="Taxonomy group for the theme (default: the group it sits in).",
            metavar="GROUP",
            show_default=False,
        ),
    ] = None,
    new_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="Id in the taxonomy (default: from its name).",
            metavar="ID",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Add a discovered theme to the taxonomy, its most central comments as examples."""
    from cxtext.curate import decisions_file, promote_theme

    decisions = guard(lambda: decisions_file(run_dir, curation))

    library_id, untranslated = guard(
        lambda: promote_theme(run_dir, decisions, taxonomy, theme_id, group, new_id)
    )
    console.print(
        f"{theme_id} is library theme '{library_id}' in {taxonomy}; decisions in {decisions}"
    )
    if untranslated:
        warning_line(untranslated)


@themes_app.command("list")
def themes_list(run_dir: RunFolder, curation: CurationFile = None) -> None:
    """List the run's themes by rank: id, name, group, source, size, owner, and the decisions
    in the decisions file that the next run applies to them."""
    import json

    from cxtext.curate import decisions_file, run_theme_ids
    from cxtext.outputs.report.names import run_names
    from cxtext.themes.curation import load_curation

    themes = guard(lambda: run_theme_ids(run_dir))
    path = guard(lambda: decisions_file(run_dir, curation))
    decisions = guard(lambda: load_curation(path))
    names = run_names(json.loads((run_dir / "run.json").read_text(encoding="utf-8")))
    for line in theme_lines(themes.sort("rank", "theme_id", nulls_last=True), decisions, names):
        console.print(escape(line), overflow="fold", highlight=False)
    console.print(escape(f"{counted(themes.height, 'theme')}; decisions in {path}"))


def theme_lines(themes: pl.DataFrame, decisions: Curation, names: Names | None = None) -> list[str]:
    """One line per theme, readable at any width and easy to grep for an id. The owner is
    named as the taxonomy names it in the run's label language ("Finance"), its id beside it
    ("finance"), as `analyze` and the report name it."""
    lines = []
    for row in themes.iter_rows(named=True):
        theme_id = row["theme_id"]
        rank = "-" if row["rank"] is None else row["rank"]  # praise is not ranked
        silo = row["silo"]
        owner = f"{names.silo(silo)} ({silo})" if names is not None and silo else silo or "-"
        line = (
            f"{rank:>3}. {theme_id}  '{row['label']}'  group '{row['parent_label'] or '-'}' · "
            f"{row['source']} · {counted(row['size'], 'comment')} · owner {owner}"
        )
        if decisions.names.get(theme_id) == row["label"]:  # a run has applied it already
            line += " · named in the decisions file"
        elif theme_id in decisions.names:
            line += f" · to be named '{decisions.names[theme_id]}'"
        if theme_id in decisions.merges:
            line += f" · to be merged into {decisions.final_id(theme_id)}"
        elif theme_id in decisions.promotions:
            line += f" · promoted as {decisions.promotions[theme_id]}"
        lines.append(line)
    return lines
