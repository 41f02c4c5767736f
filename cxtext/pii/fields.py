"""Identifiers outside the comment cells: column names, cells of JSON text, rejected rows' raw
lines and messages that quote cell values.

- Column names: a CSV without a header row makes its first answers the names ("0101901234",
  "jens@example.dk"), and a header may be a question holding an e-mail address. Names reach
  every output's header, run.json and the `Columns:` line, so a name that holds PII is renamed
  to its redacted text ("[ID]", "Skriv til [EMAIL]"), made unique with "_2", "_3"; a column
  option that named the column follows the rename.
- Records: a raw line of a rejected row, or a warning quoting cell values, is cells joined by
  separators. Besides `find_pii` over the whole, a bare number standing as a field of its own
  (";101901234;", "'101901234'", ": 101901234,") is read as a spreadsheet number cell is
  (`numeric.py`): the 9-digit CPR without its zero is an ID there as in a cell. A number that a
  word stands beside ("ordre 512881238") is no field and is read as text.
- JSON text: a nested JSON value kept as text in a cell (a JSON array, an object with varying
  keys) is read leaf by leaf, each leaf as a cell of its own, and each key as text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import get_args

from cxtext.config import ColumnOptions
from cxtext.io.columns import ROLES, ResolvedColumns
from cxtext.io.contract import ROW_COLUMN
from cxtext.io.read import RawInput
from cxtext.pii.detect import Kind, PiiMatch, find_pii
from cxtext.pii.numeric import stripped_identifier

# A bare number between field separators, quotes or JSON punctuation (spaces aside).
FIELD_NUMBER = re.compile(
    r"(?:^|(?<=[;,\t|\"'\[{(:=]))[ ]*(\d{8,17})(?:\.0+)?[ ]*(?=$|[;,\t|\"'\]})])"
)
RAW_CHARS = 500  # a rejected row's raw line in rejects.csv, cut after redaction
DELIMITERS = (",", ";", "\t", "|")  # of a raw line, the first most frequent one


def fields_before(line: str, count: int) -> str:
    """A raw line cut before its field number `count` (0-based), split at its most frequent
    delimiter with quotes ignored: a quoted delimiter only cuts it sooner. "…" marks a cut."""
    delimiter = max(DELIMITERS, key=line.count)
    fields = line.split(delimiter)
    if len(fields) <= count:
        return line
    return delimiter.join([*fields[:count], "…"])


def placeholder(kind: str) -> str:
    """The placeholder of one kind of PII: "[ID]"."""
    return f"[{kind.upper()}]"


def replaced(text: str, matches: list[PiiMatch]) -> tuple[str, list[Kind]]:
    """`text` with `matches` replaced by their placeholders, and the kinds found (in `Kind`
    order, each once)."""
    if not matches:
        return text, []
    parts, position = [], 0
    for match in matches:
        parts += [text[position : match.start], placeholder(match.kind)]
        position = match.end
    parts.append(text[position:])
    return "".join(parts), _ordered(match.kind for match in matches)


def _ordered(kinds: Iterable[Kind]) -> list[Kind]:
    found = set(kinds)
    return [kind for kind in get_args(Kind) if kind in found]


def redact_fields(text: str) -> tuple[str, list[Kind]]:
    """A record's text redacted: PII by `find_pii`, then bare numbers standing as fields read
    as spreadsheet numbers. Returns the text and the kinds found."""
    redacted, kinds = replaced(text, find_pii(text))

    def number(match: re.Match) -> str:
        found = stripped_identifier(match.group(1))
        if found is None:
            return match.group(0)
        kinds.append(found[0])
        return match.group(0).replace(match.group(1), placeholder(found[0]))

    redacted = FIELD_NUMBER.sub(number, redacted)
    return redacted, _ordered(kinds)


def redact_json(text: str, leaf: Callable[[object], object]) -> str | None:
    """JSON text with `leaf` applied to every value that is no array or object and
    `redact_fields` to every key; None when `text` is no JSON array or object. Text that
    nests too deep to walk is read as a record."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, list | dict):
        return None
    try:
        walked = _walk(value, leaf)
    except RecursionError:
        return redact_fields(text)[0]
    return text if walked == value else json.dumps(walked, ensure_ascii=False)


def _walk(value: object, leaf: Callable[[object], object]) -> object:
    if isinstance(value, dict):
        return {redact_fields(str(key))[0]: _walk(item, leaf) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item, leaf) for item in value]
    return leaf(value)


def redacted_names(names: list[str]) -> dict[str, str]:
    """Column name -> its redacted form, for the names that hold PII; each new name unique."""
    taken, renames = set(names), {}
    for name in names:
        new = redact_fields(name)[0] if name != ROW_COLUMN else name
        if new == name:
            continue
        candidate, number = new, 2
        while candidate in taken:
            candidate, number = f"{new}_{number}", number + 1
        taken.add(candidate)
        renames[name] = candidate
    return renames


def redact_input(raw: RawInput, options: ColumnOptions) -> tuple[RawInput, ColumnOptions]:
    """The input with its column names redacted, and the column options following them."""
    renames = redacted_names(raw.frame.columns)
    if not renames:
        return raw, options

    def moved(name: str | None) -> str | None:
        return renames.get(name, name) if name is not None else None

    text = options.text
    text = moved(text) if text is None or isinstance(text, str) else tuple(map(moved, text))
    options = replace(options, text=text, **{r: moved(getattr(options, r)) for r in ROLES[1:]})
    questions = {renames.get(name, name): label for name, label in raw.questions.items()}
    return replace(raw, frame=raw.frame.rename(renames), questions=questions), options


def redact_warnings(columns: ResolvedColumns) -> ResolvedColumns:
    """The column warnings with the cell values they quote redacted as record fields."""
    return replace(columns, warnings=tuple(redact_fields(w)[0] for w in columns.warnings))
