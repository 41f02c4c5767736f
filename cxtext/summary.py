"""The terminal summary printed at the end of `cxtext analyze`: the top fixes first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from cxtext.api import Result

TOP_FIXES = 5


def print_summary(result: Result, out: Path, console: Console) -> None:
    """The 5 things to fix first with owner and evidence, then the row accounting."""
    console.print(top_fixes_table(result.themes))
    run = result.run
    console.print(
        f"[bold]{run['rows_read']}[/] rows read, {run['rows_written']} written, "
        f"{run['rows_rejected']} rejected, {run['rows_no_content']} without content; "
        f"{result.themes.height} themes"
    )
    langs = result.comments.get_column("lang").value_counts(sort=True)
    mix = ", ".join(f"{row['lang']} {row['count']}" for row in langs.iter_rows(named=True))
    console.print(f"Languages: {mix}")
    files = ", ".join(sorted(p.name for p in Path(out).iterdir() if p.is_file()))
    console.print(f"Results in {out}/: {files}")


def top_fixes_table(themes: pl.DataFrame) -> Table:
    """Rank, theme, owner, phase, Kano, size, negative share, impact and one quote."""
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
    ranked = themes.filter(pl.col("rank").is_not_null()).sort("rank").head(TOP_FIXES)
    for row in ranked.iter_rows(named=True):
        impact = "" if row.get("impact") is None else f"{row['impact']:+.1f}"
        quote = (row["examples"] or [""])[0]
        table.add_row(
            str(row["rank"]),
            row["label"],
            row["silo"],
            row["phase"],
            row["kano"],
            str(row["size"]),
            f"{row['negative_share']:.0%}",
            impact,
            quote if len(quote) < 90 else quote[:87] + "…",
        )
    return table
