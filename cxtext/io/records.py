"""Parquet, JSON lines and JSON arrays: records to one text frame.

Rows are numbered from 1 in `ROW_COLUMN` (a JSON line or array element that is not a usable
object is a reject under its number); nested values become `key.field` columns or JSON text.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import polars as pl

from cxtext.errors import InputError
from cxtext.io.contract import ROW_COLUMN, rejects_frame
from cxtext.io.layout import unique_names

if TYPE_CHECKING:
    import pyarrow as pa

# A lone surrogate ("\ud800") is the one value JSON parses that cannot be written as UTF-8.
# Decoded input text holds none, so only a `\ud800`-`\udfff` escape makes one: records are
# checked (serialised once) only where the text holds such an escape.
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]|[\ud800-\udfff]")


class Rejected(NamedTuple):
    """A JSON line or array element that is not a usable record: why, and its text."""

    reason: str
    raw: str


def read_parquet(data: bytes, path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A Parquet file's rows; a row pyarrow reads but polars would crash on is a reject."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from cxtext.io.corrupt import drop_corrupt_rows  # imports pyarrow: only for Parquet input

    try:  # pyarrow, not polars: a corrupt file must be an error, not a panic in native code
        # ParquetFile on a buffer, not read_table on a file object: processes that only ran
        # read_table(BytesIO) aborted at exit ("terminate called ..."), 74 of 150 under load;
        # with ParquetFile(BufferReader) 0 of 150 (apache/arrow#34314)
        table = pq.ParquetFile(pa.BufferReader(data)).read()
        # Metadata is not data, and polars panics on metadata that is not UTF-8.
        table = table.cast(pa.schema([_readable(field) for field in table.schema]))
        while any(pa.types.is_struct(field.type) for field in table.schema):
            table = table.flatten()  # a struct column becomes `name.field` columns
        table = table.rename_columns(unique_names(table.column_names))
        table, numbers, reject_rows = drop_corrupt_rows(table)  # polars would crash on them
        frame = pl.from_arrow(table.replace_schema_metadata(None))
    except Exception as error:  # ArrowInvalid, OSError, ...
        raise InputError(f"cannot read {path} as Parquet: {error}") from None
    frame.columns = unique_names(frame.columns)  # `_row` and `_row_input` may both be there
    frame = frame.insert_column(0, pl.Series(ROW_COLUMN, numbers, pl.UInt32))
    return _nested_as_text(frame), rejects_frame(reject_rows)


def _readable(field: pa.Field) -> pa.Field:
    """The field without metadata, and a decimal256 (precision over 38) as text: polars
    panics on it."""
    import pyarrow as pa

    field = field.remove_metadata()
    return field.with_type(pa.string()) if pa.types.is_decimal256(field.type) else field


def _nested_as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """List and binary columns as text (JSON, UTF-8), as the JSONL reader gives them;
    durations as ISO 8601 text ("PT1.5S"): polars cannot cast them to text."""
    return frame.with_columns(
        pl.Series(name, [_json_text(v, name) for v in frame.get_column(name).to_list()], pl.String)
        for name, dtype in frame.schema.items()
        if dtype.is_nested() or dtype == pl.Binary
    ).with_columns(
        pl.col(name).dt.to_string() for name, dtype in frame.schema.items() if dtype == pl.Duration
    )


def read_jsonl(text: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """JSON lines: one row per non-blank line; a line that is not a usable object is a reject."""
    numbered: list[tuple[int, dict | Rejected]] = []
    # only "\n" ends a JSON line; splitlines() would also split at U+2028 inside a string
    for row_number, line in enumerate((ln for ln in text.split("\n") if ln.strip()), start=1):
        try:
            record = json.loads(line)
            if SURROGATE_ESCAPE.search(line):
                json.dumps(record, ensure_ascii=False).encode()  # a lone "\ud800" is not text
        except json.JSONDecodeError as error:
            numbered.append((row_number, Rejected(f"invalid JSON: {error.msg}", line)))
            continue
        except (ValueError, RecursionError) as error:  # 5000-digit numbers, deep nesting, ...
            numbered.append((row_number, Rejected(f"unusable JSON: {error}"[:200], line)))
            continue
        if not isinstance(record, dict):
            record = Rejected("JSON line is not an object", line)
        numbered.append((row_number, record))
    return _records_frame(numbered)


def read_json(text: str, path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A JSON export: an array with one row per element (checked as a JSON line is, not
    written back to JSON text), or JSON lines saved as .json."""
    if not text.lstrip().startswith("["):
        return read_jsonl(text)
    try:
        elements = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"cannot read {path} as JSON: {error.msg} (line {error.lineno})") from None
    except (ValueError, RecursionError) as error:  # 5000-digit numbers, deep nesting, ...
        raise InputError(f"cannot read {path} as JSON: {error}"[:300]) from None
    check = SURROGATE_ESCAPE.search(text) is not None
    numbered: list[tuple[int, dict | Rejected]] = []
    for row_number, element in enumerate(elements, start=1):  # a loop: see `_records_frame`
        numbered.append((row_number, _element_record(element, check)))
    del elements  # held in `numbered` alone, which `_records_frame` empties as it goes
    return _records_frame(numbered)


def _element_record(element: object, check: bool) -> dict | Rejected:
    """An array element as a record, or why it is not one, with the reasons a JSON line gets;
    only a rejected element is written as JSON text (a lone surrogate as its escape)."""
    if check:
        text = json.dumps(element, ensure_ascii=False)
        try:
            text.encode()  # a lone "\ud800" is not text
        except ValueError as error:
            raw = text.encode(errors="backslashreplace").decode()
            return Rejected(f"unusable JSON: {error}"[:200], raw)
    if not isinstance(element, dict):
        return Rejected("JSON line is not an object", json.dumps(element, ensure_ascii=False))
    return element


def _records_frame(
    numbered: list[tuple[int, dict | Rejected]],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Numbered records as one text frame (one column per key, in first-seen order), and the
    rejected ones as rejects. Empties `numbered`: each parsed record is freed once copied.

    Records pass through loops, not generators: every frame on the stack while json works
    takes a level from how deep a record may nest before it meets Python's recursion limit
    (~990 levels), and no record read before may now be rejected or crash for it."""
    records, reject_rows = [], []
    numbered.reverse()
    while numbered:
        row_number, record = numbered.pop()
        if isinstance(record, Rejected):
            reject_rows.append((row_number, record.reason, record.raw))
            continue
        record = {(f"{k}_input" if k == ROW_COLUMN else k): v for k, v in record.items()}
        records.append({ROW_COLUMN: row_number, **{str(k): v for k, v in record.items()}})
    with contextlib.suppress(RecursionError):  # objects ~990 deep: kept whole, rejected below
        records = _object_fields(records)
    names = list(dict.fromkeys(name for record in records for name in record))
    schema = {name: (pl.UInt32 if name == ROW_COLUMN else pl.String) for name in names}
    rows = []
    for record in records:
        try:
            rows.append({name: _json_text(record.get(name), name) for name in names})
        except RecursionError:  # json parsed it, but it nests too deep to write as text
            reject_rows.append((record[ROW_COLUMN], "unusable JSON: nested too deep", ""))
    reject_rows.sort(key=lambda row: row[0])
    return pl.DataFrame(rows, schema=schema), rejects_frame(reject_rows)


def _object_fields(records: list[dict]) -> list[dict]:
    """A key that holds a JSON object in every record that has it becomes one column per field,
    `key.field` (nested objects likewise), as Parquet struct columns are read; a key that is an
    object in some records and text or a number in others stays one column (objects as JSON)."""
    names = dict.fromkeys(name for record in records for name in record)
    objects = {
        name
        for name in names
        if all(isinstance(r.get(name), dict) for r in records if r.get(name) is not None)
        and any(r.get(name) for r in records)
    }
    if not objects:
        return records
    flat = []
    for record in records:
        fields: dict = {}
        for key, value in record.items():
            if key in objects:
                fields.update((f"{key}.{name}", v) for name, v in (value or {}).items())
            else:
                fields[key] = value
        flat.append(fields)
    return _object_fields(flat)


def _json_text(value: object, name: str) -> object:
    if name == ROW_COLUMN or value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)
