"""`cxtext themes ...`: an analyst's theme decisions (rename, merge, promote) on a finished run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cxtext.cli_support import RunFolder, console, guard

themes_app = typer.Typer(
    no_args_is_help=True,
    help="Curate a run's themes: rename, merge, promote into the taxonomy. Decisions go to "
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
    from cxtext.themes.promote import decisions_file, rename_theme

    decisions = guard(lambda: decisions_file(run_dir, curation))

    guard(lambda: rename_theme(run_dir, decisions, theme_id, name))
    console.print(f"{theme_id} is now named '{name}' in {decisions}")


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
    from cxtext.themes.promote import decisions_file, merge_themes

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
    from cxtext.themes.promote import decisions_file, promote_theme

    decisions = guard(lambda: decisions_file(run_dir, curation))

    library_id = guard(lambda: promote_theme(run_dir, decisions, taxonomy, theme_id, group, new_id))
    console.print(
        f"{theme_id} is library theme '{library_id}' in {taxonomy}; decisions in {decisions}"
    )
