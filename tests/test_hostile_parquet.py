"""A Parquet file whose text is not UTF-8 costs the rows that hold it, never the process.

pyarrow reads such bytes unchecked and polars' string kernels segfault on them (session 13's
one-off crash in `clean_comments`; reproduced in session 14 by the corruption fuzzing of
test_hostile: one byte of "Kön" overwritten, b"K\\xc3\\xb6n" -> b"K\\xc3\\xb6\\x9e"). The files
here are real Parquet files with the same kind of byte overwritten in place.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cxtext.config import ColumnOptions
from cxtext.io.corrupt import drop_corrupt_rows
from cxtext.io.read import read_input
from tests.support import DEMO_CORPUS, run_cli
from tests.test_hostile import read_and_clean

GOOD = "Kön".encode()  # b"K\xc3\xb6n"
# Same-length overwrites of b"K\xc3\xb6n": each makes the value invalid UTF-8.
CORRUPT = {
    "lone continuation byte (the fuzzed crash)": b"K\xc3\xb6\x9e",
    "lead byte without its continuation": b"K\xc3nn",
    "bytes never in UTF-8": b"K\xff\xfen",
    "an encoded surrogate": b"\xed\xa0\x80n",
    "an overlong slash": b"K\xc0\xafn",
}


def corrupt_parquet(table: pa.Table, bad: bytes) -> bytes:
    """The table as Parquet with its one b"Kön" overwritten by `bad` (plain pages, no
    dictionary, statistics or compression, so the value's bytes are in the file once)."""
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="none", use_dictionary=False, write_statistics=False)
    data = buffer.getvalue()
    assert data.count(GOOD) == 1
    return data.replace(GOOD, bad)


def comments_table(texts: list[str]) -> pa.Table:
    ids = [str(number) for number in range(1, len(texts) + 1)]
    return pa.table({"id": ids, "kommentar": texts, "tags": [["app", i] for i in ids]})


@pytest.mark.parametrize("bad", list(CORRUPT.values()), ids=list(CORRUPT))
def test_text_that_is_not_utf8_is_a_reject_row(tmp_path: Path, bad: bytes) -> None:
    path = tmp_path / "corrupt.parquet"
    path.write_bytes(corrupt_parquet(comments_table(["Appen crasher", "Kön", "Fint"]), bad))
    raw, comments, rejects = read_and_clean(path)  # a crash here kills the test run
    assert comments.get_column("text").to_list() == ["Appen crasher", "Fint"]
    assert comments.get_column("id").to_list() == ["1", "3"]
    assert rejects.get_column("row").to_list() == [2]
    reason = rejects.get_column("reason").item()
    assert reason.startswith("text that is not UTF-8 in column 'kommentar'"), reason


def test_corrupt_text_in_a_list_column_is_a_reject_too(tmp_path: Path) -> None:
    """Nested text is turned into JSON through Python, where bad bytes would panic polars."""
    table = pa.table({"kommentar": ["Appen crasher", "Fint"], "tags": [["Kön"], ["x"]]})
    path = tmp_path / "nested.parquet"
    path.write_bytes(corrupt_parquet(table, CORRUPT["lone continuation byte (the fuzzed crash)"]))
    raw = read_input(path)
    assert raw.rejects.get_column("row").to_list() == [1]
    assert "column 'tags'" in raw.rejects.get_column("reason").item()
    assert raw.frame.get_column("kommentar").to_list() == ["Fint"]
    assert raw.frame.get_column("_row").to_list() == [2]


def test_cli_runs_a_corrupt_parquet_and_rejects_the_row(tmp_path: Path) -> None:
    real = pl.read_csv(DEMO_CORPUS, infer_schema=False).get_column("comment").head(20).to_list()
    source = tmp_path / "export.parquet"
    table = comments_table([*real[:10], "Kön", *real[10:]])
    source.write_bytes(corrupt_parquet(table, CORRUPT["lone continuation byte (the fuzzed crash)"]))
    out = tmp_path / "out"
    done = run_cli("analyze", str(source), "--out", str(out), "-q", timeout=300)
    assert done.returncode == 0, done.stderr  # exit 0: done, with the bad row in rejects.csv
    assert "Traceback" not in done.stdout + done.stderr
    rejects = pl.read_csv(out / "rejects.csv", infer_schema=False)
    assert rejects.get_column("row").to_list() == ["11"]
    assert "not UTF-8" in rejects.get_column("reason").item()
    assert pl.read_parquet(out / "comments.parquet").height == 20


def not_utf8(values: list[bytes]) -> pa.Array:
    """A string array holding these bytes as they are (pyarrow does not check them)."""
    return pa.Array.from_buffers(pa.string(), len(values), pa.array(values, pa.binary()).buffers())


def test_a_bad_dictionary_entry_rejects_only_the_rows_pointing_at_it(tmp_path: Path) -> None:
    """pyarrow keeps a dictionary column's dictionary; each row's slice holds all of it."""
    real = pl.read_csv(DEMO_CORPUS, infer_schema=False).get_column("comment").head(8).to_list()
    entries = not_utf8([text.encode() for text in real[:7]] + [b"K\xc3\xb6\x9e"])
    indices = pa.array([0, 1, 7, 2, 3, 4, 5, 7, 6, 0], pa.int32())  # rows 3 and 8: the bad one
    source = tmp_path / "dictionary.parquet"
    ids = [f"r{n}" for n in range(1, 11)]
    table = pa.table({"id": ids, "kommentar": pa.DictionaryArray.from_arrays(indices, entries)})
    pq.write_table(table, source)
    assert pa.types.is_dictionary(pq.read_schema(source).field("kommentar").type)
    out = tmp_path / "out"
    done = run_cli("analyze", str(source), "--out", str(out), "-q", timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["rows_read"] == run["rows_written"] + run["rows_rejected"] == 10
    rejects = pl.read_csv(out / "rejects.csv", infer_schema=False)
    assert rejects.get_column("row").to_list() == ["3", "8"]
    reasons = set(rejects.get_column("reason").to_list())
    assert reasons == {"text that is not UTF-8 in column 'kommentar' (a corrupt file?)"}
    written = pl.read_parquet(out / "comments.parquet")
    assert written.height == 8
    assert sorted(written.get_column("id").to_list()) == sorted(set(ids) - {"r3", "r8"})


def survey_table(**changed: pa.Array) -> pa.Table:
    """Three rows with every column cxtext reads; row 2 of `changed` columns is the bad one."""
    columns = {
        "id": pa.array(["r1", "r2", "r3"]),
        "kommentar": pa.array(["Appen crasher igen", "Fakturaen er forkert", "Fint svar"]),
        "dato": pa.array(["2026-01-05", "2026-01-06", "2026-01-07"]),
        "score": pa.array(["3", "8", "9"]),
        "segment": pa.array(["privat", "erhverv", "privat"]),
    }
    return pa.table({**columns, **changed})


OPTIONS = ColumnOptions(text="kommentar", id="id", date="dato", score="score", segment="segment")
US_PER_DAY = 86_400_000_000
BAD_METADATA = {  # column -> (row 2 bad, the reason)
    "id": (not_utf8([b"r1", b"r\x9e", b"r3"]), "text that is not UTF-8"),
    "dato": (not_utf8([b"2026-01-05", b"2026-01-0\xff", b"2026-01-07"]), "text that is not UTF-8"),
    "score": (not_utf8([b"3", b"\xc08", b"9"]), "text that is not UTF-8"),
    "segment": (not_utf8([b"privat", b"erhverv\xed\xa0\x80", b"privat"]), "text that is not UTF-8"),
    # polars panics making such a date text: past chrono's year 262,142
    "dato timestamp": (
        pa.array([20_000 * US_PER_DAY, 2**63 - 1, 20_002 * US_PER_DAY], pa.timestamp("us")),
        "a date out of range",
    ),
    "dato date": (
        pa.array([20_000, 2**31 - 1, 20_002], pa.int32()).cast(pa.date32()),
        "a date out of range",
    ),
    # a nested value becomes JSON through Python, whose datetime ends at year 9999
    "segment list": (
        pa.array(
            [[20_000 * US_PER_DAY], [2_932_900 * US_PER_DAY], None], pa.list_(pa.timestamp("us"))
        ),
        "a date out of range",
    ),
}


@pytest.mark.parametrize("case", list(BAD_METADATA))
def test_a_bad_value_in_a_metadata_column_is_a_reject_row(tmp_path: Path, case: str) -> None:
    values, reason = BAD_METADATA[case]
    name = case.split()[0]
    path = tmp_path / "metadata.parquet"
    pq.write_table(survey_table(**{name: values}), path)
    raw, comments, rejects = read_and_clean(path, OPTIONS)  # a crash here kills the test run
    assert comments.get_column("id").to_list() == ["r1", "r3"]
    assert rejects.get_column("row").to_list() == [2]
    assert rejects.get_column("reason").item() == f"{reason} in column '{name}' (a corrupt file?)"
    assert raw.rows_read == 3


def test_types_polars_cannot_make_text_are_read_as_text(tmp_path: Path) -> None:
    """polars panics on a decimal256 and cannot cast a duration to text."""
    path = tmp_path / "types.parquet"
    score = pa.array([Decimal("3.5"), Decimal("8"), None], pa.decimal256(40, 1))
    waited = pa.array([1500, None, 90_000], pa.duration("ms"))
    pq.write_table(survey_table(score=score, dato=waited), path)
    raw, comments, rejects = read_and_clean(path, OPTIONS)
    assert raw.frame.get_column("score").to_list() == ["3.5", "8.0", None]
    assert raw.frame.get_column("dato").to_list() == ["PT1.5S", None, "PT1M30S"]
    assert comments.height == 3
    assert rejects.height == 0


def test_the_search_finds_exactly_the_bad_rows_of_a_long_column() -> None:
    """Blocks of text read from the errors, and bisection (a list column): first, last, next
    to each other and at a block's edges."""
    rows = 40_000
    bad = [0, 1, 2, 16_383, 16_384, 20_000, 32_767, 32_768, rows - 1]
    texts = [f"kommentar {n}".encode() for n in range(rows)]
    for n in bad:
        texts[n] += b"\xc3"
    text = not_utf8(texts)
    table = pa.table(
        {
            "kommentar": pa.chunked_array([text.slice(0, 25_000), text.slice(25_000)]),
            "tags": pa.ListArray.from_arrays(pa.array(range(rows + 1), pa.int32()), text),
        }
    )
    kept, numbers, rejects = drop_corrupt_rows(table)
    assert [row for row, _, _ in rejects] == [n + 1 for n in bad]
    both = "text that is not UTF-8 in column 'kommentar'; text that is not UTF-8 in column 'tags'"
    assert {reason for _, reason, _ in rejects} == {both + " (a corrupt file?)"}
    assert numbers == [n + 1 for n in range(rows) if n not in bad]
    assert kept.num_rows == len(numbers)
    kept.validate(full=True)
