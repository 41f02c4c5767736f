"""Read the roadmap (`--initiatives`): one planned initiative per row of its text column.

Any format `read_input` reads; the pipeline redacts the texts as it redacts comments.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from cxtext.errors import InputError
from cxtext.io.columns import find_text_column
from cxtext.io.contract import ROW_COLUMN
from cxtext.io.read import read_input


def read_initiatives(path: Path) -> list[str]:
    """The initiatives as written (not yet redacted), stripped, empty rows left out."""
    if not Path(path).exists():
        raise InputError(f"--initiatives file not found: {path}")
    if Path(path).is_dir():
        raise InputError(f"--initiatives {path} is a folder, not a file")
    try:  # errors said of the roadmap, not of the input file
        raw = read_input(path)
    except InputError as error:
        message = str(error)
        if message.startswith("input file"):
            raise InputError(message.replace("input file", "--initiatives file", 1)) from None
        raise InputError(f"--initiatives {path}: {message}") from None
    try:
        column = find_text_column(raw.frame)
    except InputError:  # its advice, --text-col, names the input's column
        names = ", ".join(name for name in raw.frame.columns if name != ROW_COLUMN)
        raise InputError(f"--initiatives {path} has no column of text (columns: {names})") from None
    values = raw.frame.get_column(column).cast(pl.String).drop_nulls().str.strip_chars()
    return [value for value in values.to_list() if value]
