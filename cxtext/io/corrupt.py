"""Rows of an Arrow table that polars must never see: values that are not valid (text whose
bytes are not UTF-8, in practice) and dates outside the range polars can hold.

pyarrow reads a Parquet string column without checking its bytes (apache/arrow#29635), and
`pl.from_arrow` takes them unchecked; polars' string kernels assume valid UTF-8, and on a lone
byte such as b"\\x9e" `str.normalize` (the cleaner's first step) and `str.to_lowercase`
segfault and `str.strip_chars` can panic. A date or timestamp past year 262,142 (chrono's
range) reads too, and polars panics when it makes it text. A corrupt export costs only the
rows holding such a value.

A column that fails validation is searched, not checked row by row (1.5 s for a million
comments): text 16,384 values at a time, each error naming the next bad value; other types by
bisection. A dictionary column is searched in its dictionary: the rows rejected are those whose
index points at a bad entry, and the entry is made null in the rows kept.
"""

from __future__ import annotations

import re
from itertools import pairwise

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

BLOCK = 16_384  # text values searched at a time
FEW_ROWS = 1_000  # rows dropped by slicing around them; more are filtered out
NAMED = re.compile(r"Invalid UTF8 sequence at string index (\d+)$")
# chrono's dates (polars' Date and Datetime) run from -262143-01-01 to 262142-12-31, day
# -96,465,292 to 95,026,236 from 1970; a day less each side leaves room for a time zone.
FIRST_DAY, LAST_DAY = -96_465_291, 95_026_235
# Python's datetime (nested values become JSON through it): 0001-01-01 to 9999-12-31.
PYTHON_DAYS = (-719_162 + 1, 2_932_896 - 1)
LISTS = (pa.types.is_list, pa.types.is_large_list, pa.types.is_fixed_size_list, pa.types.is_map)
UNITS_PER_DAY = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400 * 10**9}


def drop_corrupt_rows(table: pa.Table) -> tuple[pa.Table, list[int], list[tuple[int, str, str]]]:
    """The table without its corrupt rows, the row numbers (from 1) of the rows kept, and a
    reject (row, reason, raw) for each row dropped. A column that fails as a whole while no
    single row does raises `ValueError` (the reader makes it one clear error)."""
    corrupt: dict[int, list[str]] = {}
    columns = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        if (problem := _problem(column)) is not None:
            try:
                column, rows = _invalid_rows(column, problem)
            except ValueError as error:
                raise ValueError(f"column '{name}': {error}") from None
            what = "text that is not UTF-8" if "UTF8" in problem else "a value that is not valid"
            for row in rows:
                corrupt.setdefault(row + 1, []).append(f"{what} in column '{name}'")
        for row in _out_of_range(column):
            corrupt.setdefault(row + 1, []).append(f"a date out of range in column '{name}'")
        columns.append(column)
    if not corrupt:
        return table, list(range(1, table.num_rows + 1)), []
    dropped = sorted(corrupt)
    keep = np.ones(table.num_rows, dtype=bool)
    keep[np.array(dropped) - 1] = False
    kept = pa.Table.from_arrays(columns, schema=table.schema)
    # a filter copies (0.16 s for a million comments); slices share, but a nested column's
    # slices keep every row's values, the dropped ones too
    if len(dropped) > FEW_ROWS or any(pa.types.is_nested(kind) for kind in table.schema.types):
        kept = kept.filter(pa.array(keep))
    else:  # the parts between them
        edges = [0, *dropped, table.num_rows + 1]
        kept = pa.concat_tables([kept.slice(a, b - a - 1) for a, b in pairwise(edges)])
    rejects = [(n, "; ".join(corrupt[n]) + " (a corrupt file?)", "") for n in dropped]
    return kept, (np.flatnonzero(keep) + 1).tolist(), rejects


def _invalid_rows(column: pa.ChunkedArray, problem: str) -> tuple[pa.ChunkedArray, list[int]]:
    """The column with its bad dictionary entries made null, and the rows (from 0) holding a
    value that fails validation (`problem`: what the whole column's validation said)."""
    chunks, rows, start = [], [], 0
    for chunk in column.chunks:
        known = problem if column.num_chunks == 1 else None
        if pa.types.is_dictionary(chunk.type) and (entries := _failing(chunk.dictionary)):
            chunk, pointing = _without_entries(chunk, entries)
            rows += (start + pointing).tolist()
            known = None
        rows += [start + row for row in _failing(chunk, problem=known)]  # after entries: none
        chunks.append(chunk)
        start += len(chunk)
    return pa.chunked_array(chunks, column.type), rows


def _without_entries(chunk: pa.DictionaryArray, entries: list[int]) -> tuple[pa.Array, np.ndarray]:
    """The chunk with those dictionary entries made null, and the rows that pointed at them."""
    bad = np.zeros(len(chunk.dictionary), dtype=bool)
    bad[entries] = True
    points = pc.is_in(chunk.indices, value_set=pa.array(entries, chunk.indices.type))
    null = pa.scalar(None, chunk.dictionary.type)
    dictionary = pc.if_else(pa.array(bad), null, chunk.dictionary)
    rows = np.flatnonzero(points.fill_null(False).to_numpy(zero_copy_only=False))
    return pa.DictionaryArray.from_arrays(chunk.indices, dictionary), rows


def _failing(array: pa.Array, offset: int = 0, problem: str | None = None) -> list[int]:
    """Positions (plus `offset`) of the values that fail full validation (pass `problem` where
    the array is known to fail): text read from the errors, block by block, other values by
    bisection. A part that fails while none of its values does raises `ValueError`."""
    if problem is None and (len(array) == 0 or (problem := _problem(array)) is None):
        return []
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return _bisect(array, offset, problem)
    if len(array) > BLOCK:  # each failing check reads all the offsets after the value again
        starts = range(0, len(array), BLOCK)
        found = [n for s in starts for n in _failing(array.slice(s, BLOCK), offset + s)]
    else:
        found = _scan(array, offset, problem)
    if not found:
        raise ValueError(problem)
    return found


def _scan(array: pa.Array, offset: int, problem: str | None) -> list[int]:
    """The text values that fail, as the errors name them: Arrow checks a string array's
    values in order and names the first that fails, so the ones before it are valid."""
    found: list[int] = []
    while problem is not None:
        named = NAMED.search(problem)
        index = int(named[1]) if named else -1
        if not 0 <= index < len(array) or _problem(array.slice(index, 1)) is None:
            return found + _bisect(array, offset, problem)  # not named: search it
        found.append(offset + index)
        array, offset = array.slice(index + 1), offset + index + 1
        problem = _problem(array) if len(array) else None
    return found


def _bisect(array: pa.Array, offset: int, problem: str) -> list[int]:
    """The failing values of each half, and of its halves where those fail: k bad values in
    n cost about 2k·log2(n/k) validations of ever smaller parts."""
    if len(array) == 1:
        return [offset]
    half = len(array) // 2
    found = _failing(_part(array, 0, half), offset)
    found += _failing(_part(array, half, len(array)), offset + half)
    if not found:
        raise ValueError(problem)
    return found


def _part(array: pa.Array, start: int, stop: int) -> pa.Array:
    """Rows start..stop as an array of their own: a slice of a flat array; a nested array's
    slice still holds every row's values (so validates them all), its `take` holds only its own."""
    if pa.types.is_nested(array.type):
        return array.take(pa.array(np.arange(start, stop)))
    return array.slice(start, stop - start)


def _out_of_range(column: pa.ChunkedArray) -> list[int]:
    """The rows (from 0) holding a date or timestamp polars cannot hold, or, inside a list or
    struct (made JSON text through Python), one Python's datetime cannot (years 1-9999)."""
    masks = [_outside(chunk, FIRST_DAY, LAST_DAY) for chunk in column.chunks]
    return np.flatnonzero(np.concatenate([np.zeros(0, bool), *masks])).tolist()


def _outside(array: pa.Array, first: int, last: int) -> np.ndarray:
    """A mask of the values holding a date outside days `first`..`last` from 1970."""
    kind, mask = array.type, np.zeros(len(array), bool)
    if not _holds_dates(kind):
        return mask
    if pa.types.is_struct(kind):
        fields = [_outside(array.field(i), *PYTHON_DAYS) for i in range(kind.num_fields)]
        return np.logical_or.reduce([mask, *fields])
    if any(is_list(kind) for is_list in LISTS):
        present = array.is_valid()  # a null list's values are in neither list_flatten nor rows
        lists = array.filter(present)
        if pa.types.is_map(kind):  # list_flatten takes no maps
            lists = lists.cast(pa.list_(pa.struct([kind.key_field, kind.item_field])))
        inner = _outside(pc.list_flatten(lists), *PYTHON_DAYS)
        rows = np.flatnonzero(present.to_numpy(zero_copy_only=False))
        mask[rows[pc.list_parent_indices(lists).to_numpy()[inner]]] = True
        return mask
    if pa.types.is_date32(kind):
        per_day, values = 1, array.cast(pa.int32())
    elif pa.types.is_date64(kind):
        per_day, values = UNITS_PER_DAY["ms"], array.cast(pa.int64())
    elif pa.types.is_timestamp(kind) and kind.unit in UNITS_PER_DAY:
        per_day, values = UNITS_PER_DAY[kind.unit], array.cast(pa.int64())
    else:
        return mask
    low, high = max(first * per_day, -(2**63)), min((last + 1) * per_day - 1, 2**63 - 1)
    outside = pc.or_(pc.less(values, low), pc.greater(values, high))
    return outside.fill_null(False).to_numpy(zero_copy_only=False)


def _holds_dates(kind: pa.DataType) -> bool:
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        return True
    return any(_holds_dates(kind.field(i).type) for i in range(kind.num_fields))


def _problem(column: pa.Array | pa.ChunkedArray) -> str | None:
    """What full validation finds wrong with the values (invalid UTF-8 in practice), or None."""
    try:
        column.validate(full=True)
    except pa.ArrowInvalid as error:
        return str(error)
    return None
