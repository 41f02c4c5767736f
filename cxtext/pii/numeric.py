"""Identifiers a spreadsheet stored as numbers: the digits are there, the layout is gone.

Excel turns "010190-1234" into 101901234 (the leading zero of every CPR number born on day 1-9),
"0701234567" into 701234567 and "+46701234567" into 46701234567; a Parquet column of CPR
numbers may be float64 once one cell is empty. Read as text, none of these is the identifier's
shape, so the numbers went out as they came in. A numeric cell is therefore read in each form it
may have lost, in this order, and the first that is one identifier and nothing else decides:

- the digits as they are;
- with the one leading zero back, for 9 and 10 digits (CPR and personnummer of 10, fødselsnummer
  of 11 digits, a Swedish trunk-0 number of 10);
- with the "+" back, when the digits start with 45, 46 or 47 and hold that country's national
  length after it (Denmark and Norway 8, Sweden 7-9).

Shape and checksum still decide each form (`find_pii`): a 9-digit customer number is an ID only
when the zero makes a real CPR date, or a personnummer date with its Luhn digit. Only whole
integral values are read; an amount like 1299.5 is never an identifier.
"""

from __future__ import annotations

import re

import polars as pl

from cxtext.pii.detect import Kind, find_pii

# Country code -> national lengths of its numbers, for a "+" a spreadsheet dropped.
NATIONAL_LENGTHS = {"45": (8,), "46": (7, 8, 9), "47": (8,)}
# A cell that is one number as a spreadsheet writes it: "101901234", "1203851237.0".
BARE_NUMBER = re.compile(r"\s*(\d{8,17})(?:\.0+)?\s*")
MAX_EXACT_FLOAT = 2**53  # above this a float64 no longer holds every integer exactly


def numeric_digits(column: pl.Series) -> pl.Series:
    """The column's whole, non-negative values as digit strings; null for anything else
    (fractions, negatives, nulls, NaN)."""
    if column.dtype.is_integer():
        return pl.Series(column.name, column, dtype=pl.Int128).cast(pl.String).fill_null("")
    whole = (column == column.round(0)) & (column >= 0) & (column < MAX_EXACT_FLOAT)
    digits = column.cast(pl.Int64, strict=False).cast(pl.String)
    return pl.select(pl.when(whole).then(digits).otherwise(pl.lit(""))).to_series()


def stripped_identifier(digits: str, context: str = "") -> tuple[Kind, str] | None:
    """The kind and written form of the identifier a number stands for, or None; `context`
    (the column's name) as in `find_pii`."""
    if not digits.isdigit() or digits.startswith("0"):
        return None
    for form in _forms(digits):
        matches = find_pii(form, context)
        if len(matches) == 1 and (matches[0].start, matches[0].end) == (0, len(form)):
            return matches[0].kind, form
    return None


def _forms(digits: str) -> list[str]:
    """The number as stored, then with the leading zero or the "+" a spreadsheet drops."""
    forms = [digits]
    if len(digits) in (9, 10):
        forms.append("0" + digits)
    for code, lengths in NATIONAL_LENGTHS.items():
        if digits.startswith(code) and len(digits) - len(code) in lengths:
            forms.append("+" + digits)
    return forms
