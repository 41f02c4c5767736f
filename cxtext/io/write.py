"""File primitives for every output: spreadsheet-safe CSV and deterministic JSON."""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path
from typing import BinaryIO

import polars as pl

from cxtext.io.spreadsheet import neutralise_formulas

JSON_TEXT_COLUMNS = (
    "keywords",
    "languages",
    "channels",
)  # JSON text in frames and CSV, objects in JSON
LIST_SEPARATOR = " | "


def write_csv(frame: pl.DataFrame, path: Path | BinaryIO, bom: bool = True) -> None:
    """UTF-8 with BOM (so Excel shows æøåäö), lists joined, formula-like cells and headers
    made inert. `path` may be an open binary stream (stdout, without the BOM)."""
    flat = frame.with_columns(
        pl.col(name).list.join(LIST_SEPARATOR)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.List)
    )
    flat = neutralise_formulas(flat)
    with path.open("wb") if isinstance(path, Path) else nullcontext(path) as handle:
        if bom:
            handle.write(b"\xef\xbb\xbf")
        flat.write_csv(handle)


def write_json(data: object, path: Path) -> None:
    """Pretty, UTF-8, deterministic key order as given."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", "utf-8")
