"""Read every file of a run folder, or an export, back as text, to check that no PII is left.

Text files (CSV, JSON, HTML) are read as they are; Parquet, DuckDB and XLSX are read as data,
cell by cell, so an identifier cannot hide in a compressed page or a shared-strings table.
Used by `scripts/eval_pii.py` and the tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import polars as pl

TEXT_SUFFIXES = {".csv", ".json", ".html", ".txt"}


def output_texts(paths: Iterable[Path]) -> dict[str, str]:
    """Every file under `paths` (files or folders) as one text each, keyed by path."""
    texts = {}
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            texts[str(file)] = file_text(file)
    return texts


def file_text(path: Path) -> str:
    """One file's content as text: its cells, one per line, for data formats."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return path.read_text("utf-8", errors="replace")
    if suffix == ".parquet":
        return _frame_text(pl.read_parquet(path))
    if suffix == ".duckdb":
        return _duckdb_text(path)
    if suffix == ".xlsx":
        return _xlsx_text(path)
    return path.read_bytes().decode("utf-8", errors="replace")


def leaks(value: str, texts: dict[str, str]) -> list[str]:
    """The files whose text holds `value`, written as it was or with its digits alone."""
    digits = re.sub(r"\D", "", value)
    whole = re.compile(rf"(?<!\d){digits}(?!\d)") if len(digits) >= 8 else None
    return [
        name
        for name, text in texts.items()
        if value in text or (whole is not None and whole.search(_digits_only(text)))
    ]


def _digits_only(text: str) -> str:
    """Digit runs joined across single separators ("12 34 56 78" -> "12345678")."""
    return re.sub(r"(?<=\d)[ \u00a0\-\u2013](?=\d)", "", text)


def _frame_text(frame: pl.DataFrame) -> str:
    lines = [" ".join(frame.columns)]
    for name in frame.columns:  # lists and structs too: str() of each value
        lines.extend(str(v) for v in frame.get_column(name).to_list() if v is not None)
    return "\n".join(lines)


def _duckdb_text(path: Path) -> str:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as connection:
        tables = [row[0] for row in connection.execute("SHOW TABLES").fetchall()]
        return "\n".join(
            _frame_text(connection.sql(f'SELECT * FROM "{table}"').pl()) for table in tables
        )


def _xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
