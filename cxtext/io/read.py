"""Readers for survey exports: CSV (`,` `;` tab, UTF-8 / BOM / cp1252), XLSX, Parquet, JSON(L)
(the record formats in `cxtext.io.records`); the file type is told by its suffix.

Every reader returns every data row, numbered from 1 in `ROW_COLUMN`, plus the rows it could not
parse as rejects, so that rows read = rows kept + rows rejected.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

import polars as pl

from cxtext.errors import InputError, NoDataRows
from cxtext.io.contract import ROW_COLUMN, empty_rejects, rejects_frame
from cxtext.io.layout import (
    HEAD_ROWS,
    Layout,
    csv_title_rows,
    find_layout,
    headerless,
    join_ticked_options,
    unique_names,
    without_empty_unnamed,
)
from cxtext.io.records import read_json, read_jsonl, read_parquet

SUPPORTED = {".csv", ".txt", ".tsv", ".xlsx", ".parquet", ".jsonl", ".ndjson", ".json"}
DELIMITERS = (",", ";", "\t", "|")
SINGLE_COLUMN = "\x1f"  # the unit separator, in no text: each line (or quoted cell) is one field
# A delimiter leaves no line of a table whole; where it leaves more than this share whole, or
# any while fewer than this share split like the first line, it is punctuation in comments.
MAX_WHOLE_LINES = 0.2
MIN_CONSISTENT = 0.5
# Bytes no text file holds (NUL and the C0 controls other than tab, newlines and form feed);
# a file whose first 4 KiB are more than 5% these is binary. A few NUL bytes in a cell only
# cost that row (a reject naming its line).
BINARY_BYTES = (*range(0x00, 0x09), *range(0x0E, 0x20))
BINARY_SHARE = 0.05
EMPTY_CONTENT = {b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE}
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
    if data.strip() in EMPTY_CONTENT:  # nothing, or only a byte order mark
        raise InputError(f"input file is empty: {path}")
    layout = None
    if suffix == ".xlsx":
        frame, rejects, layout = _read_xlsx(data, path)
    elif suffix == ".parquet":
        frame, rejects = read_parquet(data, path)
    elif suffix in {".jsonl", ".ndjson"}:
        frame, rejects = read_jsonl(decode_text(data, path))
    elif suffix == ".json":
        frame, rejects = read_json(decode_text(data, path), path)
    else:
        frame, rejects, layout = _read_csv(decode_text(data, path))
    frame = frame.rename(_literal_names(frame.columns))
    if ROW_COLUMN not in frame.columns:
        frame = frame.with_row_index(ROW_COLUMN, offset=1).with_columns(
            pl.col(ROW_COLUMN).cast(pl.UInt32)
        )
    raw = RawInput(
        frame=frame,
        rejects=rejects,
        rows_read=frame.height + rejects.height,
        file_hash=hashlib.sha256(data).hexdigest(),
        file_format=suffix.lstrip("."),
        source=str(path),
        layout=layout.shape if layout else None,
        questions=layout.questions if layout else {},
    )
    if frame.height == 0 and rejects.height == 0:  # rows that are all rejects are still read
        raise NoDataRows(f"input file has no data rows: {path}", raw)
    return raw


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
    """The delimiter that splits the first lines into the most, and most consistent, fields;
    `SINGLE_COLUMN` where none splits the first line, or where the one that does is a comma
    inside comments: a list of comments, one per line, under a one-word header or none, whose
    commas (read as delimiters) split the comments into rejected rows or a "header" of comment
    pieces. A delimiter splits every record of a table; in a list of comments it leaves many
    lines whole (62% of Swedish Trustpilot reviews, 27% of 1,100-character CFPB complaints hold
    no comma) and splits the others into as many pieces as they happen to hold commas."""
    sample = text[:65536].splitlines()[:50]
    best, best_score = SINGLE_COLUMN, -1.0
    for delimiter in DELIMITERS:
        counts = [
            len(row)
            for row in csv.reader(sample, delimiter=delimiter)
            if any(cell.strip() for cell in row)
        ]
        if not counts or counts[0] < 2:
            continue
        consistent = sum(count == counts[0] for count in counts) / len(counts)
        whole = sum(count == 1 for count in counts) / len(counts)  # lines it leaves unsplit
        if whole > MAX_WHOLE_LINES or (whole and consistent < MIN_CONSISTENT):
            continue  # commas in text, not between columns
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
    if layout.shape is None and headerless(cells):  # saved without a header: keep row 1
        layout = Layout([""] * len(cells[0]), 0)  # columns named `column_N`
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
            raw = delimiter.join(fields)  # cut after redaction (cxtext.pii)
            reason = f"row has {len(fields)} fields, header has {len(header)}"
            reject_rows.append((row_number, reason, raw))
            continue
        if any("\x00" in value for value in fields):
            raw = delimiter.join(fields).replace("\x00", "")
            reject_rows.append((row_number, f"NUL byte in the row (line {line})", raw))
            continue
        rows.append([row_number, *fields])
    names = [ROW_COLUMN, *unique_names(header)]
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in names]
    frame = pl.DataFrame(
        {name: list(values) for name, values in zip(names, columns, strict=True)},
        schema={name: (pl.UInt32 if name == ROW_COLUMN else pl.String) for name in names},
    )
    frame = join_ticked_options(without_empty_unnamed(frame, header), layout)
    return frame, rejects_frame(reject_rows), layout


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
        tables = [found for found in map(_sheet_rows, book.worksheets) if _is_table(*found)]
        # the largest table, the first of equals: a complaint system's summary sheet in
        # front of the cases ("Rapport | Klager Q1 2026", "Antal | 256") is a small table too
        rows, layout = max(tables, key=lambda found: _answers(*found), default=(None, None))
        if rows is None:  # no sheet holds a table: the first sheet, as it is
            rows, layout = _sheet_rows(book.worksheets[0])
    except Exception as error:  # openpyxl raises many types for broken files
        raise InputError(f"cannot read {path} as XLSX: {error}") from None
    if layout is None:
        raise InputError(f"input file has no data rows: {path}")
    header = unique_names(layout.header)
    body = [row for row in rows[layout.data_start :] if any(value is not None for value in row)]
    columns = {
        name: _column_text([row[i] if i < len(row) else None for row in body])
        for i, name in enumerate(header)
    }
    frame = pl.DataFrame(columns, schema={n: pl.String for n in header})
    frame = join_ticked_options(without_empty_unnamed(frame, layout.header), layout)
    return frame, empty_rejects(), layout


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
    answers = _answers(rows, layout)
    columns = sum(1 for name in layout.header if name)
    return answers > 0 and (columns >= 2 or answers >= HEAD_ROWS)


def _answers(rows: list[list], layout: Layout) -> int:
    """Rows under the sheet's header that hold a value."""
    return sum(1 for row in rows[layout.data_start :] if any(v is not None for v in row))


def _column_text(values: list) -> list[str | None]:
    """A sheet column's cells as text; a column of dates (every date-time cell at midnight,
    as Excel stores a date) without the "T00:00:00" that told nothing."""
    stamps = [value for value in values if isinstance(value, datetime)]
    if stamps and all(stamp.time() == time() for stamp in stamps):
        values = [value.date() if isinstance(value, datetime) else value for value in values]
    return [_cell_text(value) for value in values]


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
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


def read_source(source: str | Path | pl.DataFrame) -> RawInput:
    """A file read by `read_input`, or a polars frame taken as it is (rows numbered from 1)."""
    if isinstance(source, pl.DataFrame):
        renamed = source.rename({ROW_COLUMN: f"{ROW_COLUMN}_input"} if ROW_COLUMN in source else {})
        frame = renamed.with_row_index(ROW_COLUMN, offset=1)
        digest = hashlib.sha256(source.write_csv().encode()).hexdigest()
        return RawInput(frame, empty_rejects(), source.height, digest, "frame", "<frame>")
    return read_input(source)
