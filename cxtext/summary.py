"""The terminal summary printed at the end of `cxtext analyze`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from cxtext.api import Result

TOP_THEMES = 10


def print_summary(result: Result, out: Path, console: Console) -> None:
    """Rows accounted for, the language mix, the largest themes and where the files are."""
    run = result.run
    console.print(
        f"[bold]{run['rows_read']}[/] rows read, {run['rows_written']} written, "
        f"{run['rows_rejected']} rejected, {run['rows_no_content']} without content"
    )
    langs = result.comments.get_column("lang").value_counts(sort=True)
    mix = ", ".join(f"{row['lang']} {row['count']}" for row in langs.iter_rows(named=True))
    console.print(f"Languages: {mix}")
    table = Table(title=f"{result.themes.height} themes (largest first)", title_justify="left")
    for name in ("theme", "label", "size", "languages", "keywords"):
        table.add_column(name, overflow="fold")
    for row in result.themes.head(TOP_THEMES).iter_rows(named=True):
        keywords = json.loads(row["keywords"])
        first = next(iter(keywords.values()), [])
        table.add_row(
            row["theme_id"],
            row["label"],
            str(row["size"]),
            " ".join(json.loads(row["languages"])),
            ", ".join(first[:4]),
        )
    console.print(table)
    console.print(f"Results: {out}/ (comments.csv, themes.csv, run.json, rejects.csv)")
