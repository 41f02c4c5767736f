"""Time the corrupt-Parquet check on 1,000,000 real comments with 1 and 1,000 bad values:
session 14's row-by-row search (copied here) against cxtext's bisection, in one process.

    PYTHONPATH=$PWD python scripts/bench_corrupt.py [--rows 1000000]

Comments: ../shared's Swedish Trustpilot reviews where present, else the demo corpus, repeated.
A bad value is its comment followed by a lone continuation byte (b"\\x9e", the byte of the
hostile test's corruption). Both paths must reject the same rows; the script says so.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from cxtext.io import corrupt, read
from cxtext.io.corrupt import drop_corrupt_rows

ROOT = Path(__file__).resolve().parents[1]
REVIEWS = ROOT.parent / "shared" / "data" / "reviews" / "sv_trustpilot_reviews.csv"
DEMO = ROOT / "corpora" / "demo_feedback.csv"


def old_drop_corrupt_rows(table: pa.Table):
    """Session 14's drop_corrupt_rows: a failing column validated one row slice at a time."""
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
    return column.take([index]) if pa.types.is_nested(column.type) else column.slice(index, 1)


def _problem(column) -> str | None:
    try:
        column.validate(full=True)
    except pa.ArrowInvalid as error:
        return str(error)
    return None


def comments() -> tuple[list[str], str]:
    if REVIEWS.exists():
        frame = pl.read_csv(REVIEWS, infer_schema=False)
        name = next(c for c in ("text", "review", "comment") if c in frame.columns)
        return frame.get_column(name).drop_nulls().to_list(), str(REVIEWS.name)
    return pl.read_csv(DEMO, infer_schema=False).get_column("comment").to_list(), DEMO.name


def corrupt_text(texts: list[str], bad_rows: set[int]) -> pa.Array:
    """The texts as a string array whose `bad_rows` end in b"\\x9e" (pyarrow does not check)."""
    raw = [t.encode() for t in texts]
    for row in bad_rows:
        raw[row] += b"\x9e"
    binary = pa.array(raw, pa.binary())
    return pa.Array.from_buffers(pa.string(), len(raw), binary.buffers())


def parquet_table(path: Path, rows: int, bad: int, texts: list[str]) -> tuple[pa.Table, int]:
    """Write `rows` comments with `bad` corrupt ones to `path`; read it as the reader does."""
    bad_rows = set(random.Random(bad).sample(range(rows), bad))
    column = corrupt_text([texts[i % len(texts)] for i in range(rows)], bad_rows)
    table = pa.table({"id": [f"r{i}" for i in range(rows)], "kommentar": column})
    pq.write_table(table, path)
    return pq.ParquetFile(pa.BufferReader(path.read_bytes())).read(), path.stat().st_size


def timed(run: Callable, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    texts, source = comments()
    print(f"{args.rows:,} rows of {len(texts):,} distinct comments ({source})")
    with tempfile.TemporaryDirectory() as folder:
        for bad in (1, 1000):
            path = Path(folder) / f"bad{bad}.parquet"
            table, size = parquet_table(path, args.rows, bad, texts)
            old_s, old = timed(lambda t=table: old_drop_corrupt_rows(t), 1)
            new_s, new = timed(lambda t=table: drop_corrupt_rows(t), 3)
            same = old[1] == new[1] and old[2] == new[2] and len(new[2]) == bad
            print(
                f"{bad:>5} bad of {args.rows:,} ({size / 1e6:.0f} MB, {table.column(1).num_chunks}"
                f" chunks): old {old_s:.3f} s, new {new_s:.4f} s, old/new {old_s / new_s:.1f};"
                f" same rows rejected: {same}"
            )
            whole = {how: read_input_s(path, how) for how in (old_drop_corrupt_rows, None)}
            print(
                f"      read_input, the whole read: old {whole[old_drop_corrupt_rows]:.3f} s, new "
                f"{whole[None]:.3f} s, old/new {whole[old_drop_corrupt_rows] / whole[None]:.1f}"
            )
        dictionary_case(args.rows, texts)


def read_input_s(path: Path, check: Callable | None) -> float:
    """Seconds `read_input` takes with session 14's check (or cxtext's where None); the Parquet
    reader imports the check from `cxtext.io.corrupt` when it runs, so that is where it is set."""
    corrupt.drop_corrupt_rows = check or drop_corrupt_rows
    try:
        return timed(lambda: read.read_input(path), 1)[0]
    finally:
        corrupt.drop_corrupt_rows = drop_corrupt_rows


def dictionary_case(rows: int, texts: list[str]) -> None:
    """A dictionary column whose one bad entry 1 row in 1,000 points at: old rejects every row."""
    entries = corrupt_text(texts[:1000], {0})
    indices = pa.array(np.arange(rows, dtype=np.int32) % 1000)
    table = pa.table({"kommentar": pa.DictionaryArray.from_arrays(indices, entries)})
    old_s, old = timed(lambda: old_drop_corrupt_rows(table), 1)
    new_s, new = timed(lambda: drop_corrupt_rows(table), 3)
    print(
        f"dictionary, 1 bad entry of 1,000 ({rows // 1000:,} rows point at it): old rejects "
        f"{len(old[2]):,} rows in {old_s:.3f} s, new {len(new[2]):,} in {new_s:.4f} s"
    )


if __name__ == "__main__":
    main()
