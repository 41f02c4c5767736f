"""Readers for survey exports: CSV (`,` `;` tab, UTF-8 / BOM / cp1252), XLSX, Parquet, JSON(L).

Every reader returns every data row, numbered from 1 in `ROW_COLUMN`, plus the rows it could not
parse as rejects, so that rows read = rows kept + rows rejected.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from cxtext.errors import InputError
from cxtext.io.contract import ROW_COLUMN, empty_rejects
from cxtext.io.layout import HEAD_ROWS, Layout, csv_title_rows, find_layout

if TYPE_CHECKING:
    import pyarrow as pa

SUPPORTED = {".csv", ".txt", ".tsv", ".xlsx", ".parquet", ".jsonl", ".ndjson", ".json"}
DELIMITERS = (",", ";", "\t", "|")
# Bytes no text file holds (NUL and the C0 controls other than tab, newlines and form feed);
# a file whose first 4 KiB are more than 5% these is binary. A few NUL bytes in a cell only
# cost that row (a reject naming its line).
BINARY_BYTES = (*range(0x00, 0x09), *range(0x0E, 0x20))
BINARY_SHARE = 0.05
# Excel's first line "sep=;" names the delimiter (Excel reads it and does not show it)
SEPARATOR_HINT = re.compile(r"(?i)sep=([,;\t|])\r?\n")


@dataclass(frozen=True)
class RawInput:
    """The rows of one input file before any stage has touched them."""

    frame: pl.DataFrame
    rejects: pl.DataFrame
    rows_read: int
    file_hash: str
    file_format: str
    source: str
    layout: str | None = None  # 'qualtrics', 'surveymonkey', 'title rows' (cxtext.io.layout)
    questions: dict[str, str] = field(default_factory=dict)  # column -> question text


def read_input(path: str | Path) -> RawInput:
    """Read a survey export; an unreadable file raises `InputError` with one clear line."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"input file not found: {path}")
    if path.is_dir():
        raise InputError(f"input is a folder, not a file: {path}")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(
            f"unsupported file type '{suffix or path.name}': use CSV, XLSX, Parquet or JSON"
        )
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"input file is empty: {path}")
    layout = None
    if suffix == ".xlsx":
        frame, rejects, layout = _read_xlsx(data, path)
    elif suffix == ".parquet":
        frame, rejects = _read_parquet(data, path)
    elif suffix in {".jsonl", ".ndjson"}:
        frame, rejects = _read_jsonl(decode_text(data, path))
    elif suffix == ".json":
        frame, rejects = _read_json(decode_text(data, path), path)
    else:
        frame, rejects, layout = _read_csv(decode_text(data, path))
    if frame.width == 0 or (frame.height == 0 and rejects.height == 0):
        raise InputError(f"input file has no data rows: {path}")
    frame = frame.rename(_literal_names(frame.columns))
    if ROW_COLUMN not in frame.columns:
        frame = frame.with_row_index(ROW_COLUMN, offset=1).with_columns(
            pl.col(ROW_COLUMN).cast(pl.UInt32)
        )
    return RawInput(
        frame=frame,
        rejects=rejects,
        rows_read=frame.height + rejects.height,
        file_hash=hashlib.sha256(data).hexdigest(),
        file_format=suffix.lstrip("."),
        source=str(path),
        layout=layout.shape if layout else None,
        questions=layout.questions if layout else {},
    )


def decode_text(data: bytes, path: Path) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one when the zero
    bytes say which half of each character is empty), or cp1252 as Nordic Excel writes it."""
    encoding = _utf16_encoding(data)
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            name = "UTF-16" if encoding == "utf-16" else f"UTF-16 without a BOM ({encoding[-2:]})"
            raise InputError(f"cannot decode {path} as {name}: {error.reason}") from None
    sample = data[:4096]
    controls = sum(sample.count(bytes([b])) for b in BINARY_BYTES)
    if controls > BINARY_SHARE * len(sample):
        raise InputError(
            f"input looks like a binary file, not text ({controls} control bytes in the first "
            f"{len(sample)}): {path}"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise InputError(
            f"cannot decode {path}: not UTF-8 or cp1252 (byte {error.start}); save it as UTF-8"
        ) from None


def _utf16_encoding(data: bytes) -> str | None:
    """'utf-16' for a BOM; 'utf-16-le' / 'utf-16-be' when most characters are ASCII-range
    with their zero byte always on the same side (Excel's "Unicode text" saved by other
    tools); None for everything else."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[: 4096 - 4096 % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0) / (len(sample) / 2), sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.3 and even < 0.02:
        return "utf-16-le"
    if even > 0.3 and odd < 0.02:
        return "utf-16-be"
    return None


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most, and most consistent, fields."""
    sample = text[:65536].splitlines()[:50]
    best, best_score = ",", -1.0
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        if not counts or counts[0] < 2:
            continue
        consistent = sum(count == counts[0] for count in counts) / len(counts)
        score = consistent * 100 + counts[0]
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(text: str) -> tuple[pl.DataFrame, pl.DataFrame, Layout]:
    hint = SEPARATOR_HINT.match(text)
    delimiter = hint.group(1) if hint else sniff_delimiter(text)
    # the csv module's default 128 KiB field limit would split a long comment into many rows
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    records = _records(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if hint:
        next(records, None)
    head = list(itertools.islice(records, HEAD_ROWS))
    if not head or isinstance(head[0][1], csv.Error):
        raise InputError(f"cannot read the CSV header: {head[0][1] if head else 'no rows'}")
    cells = [row if isinstance(row, list) else [] for _, row in head]
    layout = find_layout(cells, title_rows=csv_title_rows(cells)) or Layout(head[0][1], 1)
    header = layout.header
    rows, reject_rows = [], []
    row_number = 0
    for line, fields in itertools.chain(head[layout.data_start :], records):
        if isinstance(fields, csv.Error):
            row_number += 1
            reject_rows.append((row_number, f"unparseable CSV row: {fields}", ""))
            continue
        if not fields or all(not value.strip() for value in fields):
            if fields:
                row_number += 1
                reject_rows.append((row_number, "empty row", ""))
            continue
        row_number += 1
        if len(fields) != len(header):
            raw = delimiter.join(fields)[:500]
            reason = f"row has {len(fields)} fields, header has {len(header)}"
            reject_rows.append((row_number, reason, raw))
            continue
        if any("\x00" in value for value in fields):
            raw = delimiter.join(fields).replace("\x00", "")[:500]
            reject_rows.append((row_number, f"NUL byte in the row (line {line})", raw))
            continue
        rows.append([row_number, *fields])
    names = [ROW_COLUMN, *_unique_names(header)]
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in names]
    frame = pl.DataFrame(
        {name: list(values) for name, values in zip(names, columns, strict=True)},
        schema={name: (pl.UInt32 if name == ROW_COLUMN else pl.String) for name in names},
    )
    return frame, _rejects(reject_rows), layout


def _records(reader) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """The reader's rows with the file line each starts on; a row it cannot parse is given
    as its error instead."""
    while True:
        line = reader.line_num + 1
        try:
            yield line, next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield line, error


def _read_xlsx(data: bytes, path: Path) -> tuple[pl.DataFrame, pl.DataFrame, Layout | None]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = (_sheet_rows(sheet) for sheet in book.worksheets)
        rows, layout = next((found for found in sheets if _is_table(*found)), (None, None))
        if rows is None:  # no sheet holds a table: the first sheet, as it is
            rows, layout = _sheet_rows(book.worksheets[0])
    except Exception as error:  # openpyxl raises many types for broken files
        raise InputError(f"cannot read {path} as XLSX: {error}") from None
    if layout is None:
        raise InputError(f"input file has no data rows: {path}")
    header = _unique_names(layout.header)
    body = [row for row in rows[layout.data_start :] if any(value is not None for value in row)]
    columns = {
        name: [_cell_text(row[i]) if i < len(row) else None for row in body]
        for i, name in enumerate(header)
    }
    return pl.DataFrame(columns, schema={n: pl.String for n in header}), empty_rejects(), layout


def _sheet_rows(sheet) -> tuple[list[list], Layout | None]:
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    head = [[_cell_text(v) or "" for v in row] for row in rows[:HEAD_ROWS]]
    return rows, find_layout(head, title_rows=True)


def _is_table(rows: list[list], layout: Layout | None) -> bool:
    """Rows under a header of two or more columns, or more rows than a note holds: a sheet of
    notes or titles ("Eksport fra kundeportal", "Lavet 30.11.2026") in front of the answers is
    not the table to read, a long one-column list of comments is."""
    if layout is None:
        return False
    answers = sum(1 for row in rows[layout.data_start :] if any(v is not None for v in row))
    columns = sum(1 for name in layout.header if name)
    return answers > 0 and (columns >= 2 or answers >= HEAD_ROWS)


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _read_parquet(data: bytes, path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
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
        table = table.rename_columns(_unique_names(table.column_names))
        table, numbers, reject_rows = drop_corrupt_rows(table)  # polars would crash on them
        frame = pl.from_arrow(table.replace_schema_metadata(None))
    except Exception as error:  # ArrowInvalid, OSError, ...
        raise InputError(f"cannot read {path} as Parquet: {error}") from None
    frame.columns = _unique_names(frame.columns)  # `_row` and `_row_input` may both be there
    frame = frame.insert_column(0, pl.Series(ROW_COLUMN, numbers, pl.UInt32))
    return _nested_as_text(frame), _rejects(reject_rows)


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


def _read_jsonl(text: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    records, reject_rows = [], []
    # only "\n" ends a JSON line; splitlines() would also split at U+2028 inside a string
    for row_number, line in enumerate((ln for ln in text.split("\n") if ln.strip()), start=1):
        try:
            record = json.loads(line)
            json.dumps(record, ensure_ascii=False).encode()  # a lone "\ud800" is not text
        except json.JSONDecodeError as error:
            reject_rows.append((row_number, f"invalid JSON: {error.msg}", line[:500]))
            continue
        except (ValueError, RecursionError) as error:  # 5000-digit numbers, deep nesting, ...
            reject_rows.append((row_number, f"unusable JSON: {error}"[:200], line[:500]))
            continue
        if not isinstance(record, dict):
            reject_rows.append((row_number, "JSON line is not an object", line[:500]))
            continue
        record = {(f"{k}_input" if k == ROW_COLUMN else k): v for k, v in record.items()}
        records.append({ROW_COLUMN: row_number, **{str(k): v for k, v in record.items()}})
    records = _object_fields(records)
    names = list(dict.fromkeys(name for record in records for name in record))
    schema = {name: (pl.UInt32 if name == ROW_COLUMN else pl.String) for name in names}
    rows = [{name: _json_text(record.get(name), name) for name in names} for record in records]
    return pl.DataFrame(rows, schema=schema), _rejects(reject_rows)


def _read_json(text: str, path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A JSON export: an array with one row per element (read as JSON lines are), or JSON
    lines saved as .json."""
    if not text.lstrip().startswith("["):
        return _read_jsonl(text)
    try:
        elements = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"cannot read {path} as JSON: {error.msg} (line {error.lineno})") from None
    except (ValueError, RecursionError) as error:  # 5000-digit numbers, deep nesting, ...
        raise InputError(f"cannot read {path} as JSON: {error}"[:300]) from None
    return _read_jsonl("\n".join(json.dumps(e, ensure_ascii=False) for e in elements))


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


def _literal_names(columns: list[str]) -> dict[str, str]:
    """Renames for headers polars would read as patterns, not names: `*` (every column) and
    `^...$` (a regex). A `_` is appended until the name is free."""
    renames = {}
    for name in columns:
        if name == "*" or (name.startswith("^") and name.endswith("$")):
            new = f"{name}_"
            while new in columns or new in renames.values():
                new += "_"
            renames[name] = new
    return renames


def _unique_names(header: list[str]) -> list[str]:
    """Blank headers become `column_N`; repeated headers get the first free `_2`, `_3` suffix."""
    taken = {name for name in header if name}
    names: list[str] = []
    for index, name in enumerate(header, start=1):
        name = name or f"column_{index}"
        if name == ROW_COLUMN:
            name = f"{name}_input"
        if name in names:
            suffix = 2
            while f"{name}_{suffix}" in taken or f"{name}_{suffix}" in names:
                suffix += 1
            name = f"{name}_{suffix}"
        names.append(name)
    return names


def _rejects(rows: list[tuple[int, str, str]]) -> pl.DataFrame:
    if not rows:
        return empty_rejects()
    row, reason, raw = zip(*rows, strict=True)
    return pl.DataFrame(
        {"row": list(row), "reason": list(reason), "raw": list(raw)},
        schema=empty_rejects().schema,
    )


def read_source(source: str | Path | pl.DataFrame) -> RawInput:
    """A file read by `read_input`, or a polars frame taken as it is (rows numbered from 1)."""
    if isinstance(source, pl.DataFrame):
        renamed = source.rename({ROW_COLUMN: f"{ROW_COLUMN}_input"} if ROW_COLUMN in source else {})
        frame = renamed.with_row_index(ROW_COLUMN, offset=1)
        digest = hashlib.sha256(source.write_csv().encode()).hexdigest()
        return RawInput(frame, empty_rejects(), source.height, digest, "frame", "<frame>")
    return read_input(source)
