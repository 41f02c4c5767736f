"""Rows of an Arrow table that polars must never see: text columns whose bytes are not UTF-8.

pyarrow reads a Parquet string column without checking its bytes (apache/arrow#29635), and
`pl.from_arrow` takes them unchecked; polars' string kernels assume valid UTF-8, and on a lone
byte such as b"\\x9e" `str.normalize` (the cleaner's first step) and `str.to_lowercase`
segfault and `str.strip_chars` can panic. A corrupt export costs only the rows holding such a
value.
"""

from __future__ import annotations

import pyarrow as pa


def drop_corrupt_rows(table: pa.Table) -> tuple[pa.Table, list[int], list[tuple[int, str, str]]]:
    """The table without its corrupt rows, the row numbers (from 1) of the rows kept, and a
    reject (row, reason, raw) for each row dropped. A column that fails as a whole while no
    single row does raises `ValueError` (the reader makes it one clear error)."""
    numbers = list(range(1, table.num_rows + 1))
    corrupt: dict[int, list[str]] = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        problem = _problem(column)
        if problem is None:
            continue
        rows = [number for number in numbers if _problem(_row(column, number - 1))]
        if not rows:
            raise ValueError(f"column '{name}': {problem}")
        what = "text that is not UTF-8" if "UTF8" in problem else "a value that is not valid"
        for number in rows:
            corrupt.setdefault(number, []).append(f"{what} in column '{name}'")
    if not corrupt:
        return table, numbers, []
    keep = pa.array([number not in corrupt for number in numbers])
    rejects = [
        (n, "; ".join(found) + " (a corrupt file?)", "") for n, found in sorted(corrupt.items())
    ]
    return table.filter(keep), [n for n in numbers if n not in corrupt], rejects


def _row(column: pa.ChunkedArray, index: int) -> pa.ChunkedArray:
    """One row as an array of its own: a slice of a flat column; a nested column's slice
    still holds every row's values (so validates them all), its `take` holds only its own."""
    return column.take([index]) if pa.types.is_nested(column.type) else column.slice(index, 1)


def _problem(column: pa.ChunkedArray) -> str | None:
    """What full validation finds wrong with the values (invalid UTF-8 in practice), or None."""
    try:
        column.validate(full=True)
    except pa.ArrowInvalid as error:
        return str(error)
    return None
