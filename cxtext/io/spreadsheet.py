"""Keep comments from running as formulas when a CSV or XLSX export is opened in a spreadsheet."""

from __future__ import annotations

import re

import polars as pl

# A cell is a formula in Excel/Sheets/LibreOffice when it starts with = + @, a tab or CR, or with -
# followed by anything but a plain number ("-", "-12" and "-3.5" stay as they are).
FORMULA_START = r"^(?:[=+@\t\r]|-(?:[^\d\s.]|[\d.]+[^\d.]))"


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix formula-like text cells (and header names) with an apostrophe so spreadsheets
    show them as text."""
    renames = {name: f"'{name}" for name in frame.columns if re.match(FORMULA_START, name)}
    frame = frame.rename(renames)
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_START))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )
