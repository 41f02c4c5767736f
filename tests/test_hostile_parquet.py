"""A Parquet file whose text is not UTF-8 costs the rows that hold it, never the process.

pyarrow reads such bytes unchecked and polars' string kernels segfault on them (session 13's
one-off crash in `clean_comments`; reproduced in session 14 by the corruption fuzzing of
test_hostile: one byte of "Kön" overwritten, b"K\\xc3\\xb6n" -> b"K\\xc3\\xb6\\x9e"). The files
here are real Parquet files with the same kind of byte overwritten in place.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

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
