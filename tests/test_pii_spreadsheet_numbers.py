"""Identifiers a spreadsheet stored as numbers (a CPR number without its leading zero, a Swedish
mobile without its trunk 0 or "+") are read in the form they lost, in every input format, and
reach no output; a comment's own bare number is read as written."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from cxtext.pii import Pseudonyms, redact_columns
from cxtext.pii.audit import leaks, output_texts
from cxtext.pii.numeric import stripped_identifier
from tests.support import DEMO_CORPUS, run_cli
from tests.test_pseudonyms import KEY, expected_pseudonym

# CPR numbers born on day 1-9 as Excel keeps them, and one born on the 12th (ten digits).
STRIPPED_CPR = {"0101901234": 101901234, "0512881238": 512881238, "0211700000": 211700000}
WHOLE_CPR = {"1203851237": 1203851237}


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("101901234", ("id", "0101901234")),  # CPR 01.01.90, zero lost
        ("1203851237", ("id", "1203851237")),  # CPR as it was
        ("701234567", ("phone", "0701234567")),  # Swedish mobile, trunk 0 lost
        ("46701234567", ("phone", "+46701234567")),  # the same with the country code
        ("4791234567", ("phone", "+4791234567")),  # Norwegian mobile, "+" lost
        ("123456789", None),  # a customer number: 0123456789 is no date (month 23)
        ("991234567", None),  # 0991234567: day 09, month 91
        ("4612", None),
    ],
)
def test_a_number_is_read_in_the_form_a_spreadsheet_stripped(
    digits: str, expected: tuple[str, str] | None
) -> None:
    assert stripped_identifier(digits) == expected


def test_number_columns_of_any_type_are_read_but_free_text_is_read_as_written() -> None:
    frame = pl.DataFrame(
        {
            "kunde": [101901234.0, None, 1203851237.0, 1299.5],  # Parquet float64, one empty
            "tlf": [701234567, 46701234567, 20304050, 7],
            "kunde_tekst": ["101901234", "101901234.0", "x", "kunde 101901234"],
            "kommentar": ["101901234", "ok", "fint", "godt"],
        }
    )
    redacted = redact_columns(
        frame, pseudonyms=Pseudonyms(None, "numbered"), free_text=["kommentar"]
    )
    assert redacted.get_column("kunde").to_list() == ["ID-1", None, "ID-2", "1299.5"]
    assert redacted.get_column("tlf").to_list() == ["PHONE-1", "PHONE-2", "PHONE-3", "7"]
    # text cells that are a bare number are the same customer as the number cell
    assert redacted.get_column("kunde_tekst").to_list() == ["ID-1", "ID-1", "x", "kunde 101901234"]
    assert redacted.get_column("kommentar").to_list() == ["101901234", "ok", "fint", "godt"]
    placeholders = redact_columns(frame.select("kunde"))  # rejects: no pseudonyms
    assert placeholders.get_column("kunde").to_list() == ["[ID]", None, "[ID]", "1299.5"]


def demo_comments(rows: int) -> list[str]:
    with DEMO_CORPUS.open(encoding="utf-8", newline="") as handle:
        return [r["comment"] for r in list(csv.DictReader(handle))[:rows]]


def test_excel_and_parquet_number_ids_reach_no_output(tmp_path: Path) -> None:
    """The same customers as numbers in Excel and as float64 in Parquet get the pseudonym their
    CPR number written out gets, and no output of either run holds the digits."""
    numbers = {**STRIPPED_CPR, **WHOLE_CPR}
    comments = demo_comments(24)
    ids = [list(numbers.values())[i % len(numbers)] for i in range(len(comments))]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["kunde", "mobil", "kommentar"])
    for number, comment in zip(ids, comments, strict=True):
        sheet.append([number, 701234567, comment])
    workbook.save(tmp_path / "survey.xlsx")
    parquet = pl.DataFrame({"kunde": [float(n) for n in ids], "kommentar": comments})
    empty = pl.when(pl.int_range(pl.len()) == 3).then(None).otherwise(pl.col("kunde"))
    parquet = parquet.with_columns(empty.alias("kunde"))  # one empty cell: still float64
    assert parquet.schema["kunde"] == pl.Float64
    parquet.write_parquet(tmp_path / "survey.parquet")
    env = {**os.environ, "CXTEXT_PSEUDONYM_KEY": KEY}
    for name in ("survey.xlsx", "survey.parquet"):
        out = tmp_path / name.replace(".", "_")
        done = run_cli(
            "analyze", str(tmp_path / name), "--out", str(out), "--id-col", "kunde", env=env
        )
        assert done.returncode == 0, done.stderr
        comments_out = pl.read_csv(out / "comments.csv", infer_schema=False)
        expected = {expected_pseudonym(KEY, cpr) for cpr in numbers}
        ids_out = set(comments_out.get_column("id"))  # `kunde` is `id`, not passed through
        row_numbers = {value for value in ids_out if value.isdigit()}  # the empty id cell
        assert ids_out - row_numbers == expected and len(row_numbers) <= 1
        texts = output_texts([out])
        digits = [str(n) for n in ids] + ["701234567"]
        assert {d: files for d in digits if (files := leaks(d, texts))} == {}
