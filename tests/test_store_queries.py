"""The SQL the README gives for the DuckDB store runs on a store that two real weekly runs
filled, and answers what it says: the latest run's fixes, their owner and customers, and each
one's share against the run before; comments per theme and month."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import polars as pl

from cxtext.outputs.store import write_store
from tests.test_evidence_weekly import Weeks, weeks  # noqa: F401  (the two weekly runs)

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_queries() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## DuckDB store", 1)[1].split("\n## ")[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


def answer(store: duckdb.DuckDBPyConnection, query: str) -> pl.DataFrame:
    cursor = store.execute(query)
    names = [column[0] for column in cursor.description]
    return pl.DataFrame(cursor.fetchall(), schema=names, orient="row")


def test_the_readme_queries_answer_the_cx_leads_questions(weeks: Weeks, tmp_path: Path) -> None:  # noqa: F811
    fixes_query, months_query = readme_queries()
    path = tmp_path / "cx.duckdb"
    write_store(weeks.first, path)
    write_store(weeks.second, path)
    with duckdb.connect(str(path), read_only=True) as store:
        fixes, months = answer(store, fixes_query), answer(store, months_query)
    latest, earlier = weeks.second.themes, weeks.first.themes
    top = latest.filter(pl.col("rank") <= 5).sort("rank")
    assert fixes.get_column("label").to_list() == top.get_column("label").to_list()
    assert fixes.get_column("owner").to_list() == top.get_column("silo").to_list()
    assert fixes.get_column("customers").to_list() == top.get_column("respondents").to_list()
    before = dict(earlier.select("theme_id", "share").iter_rows())
    expected = [
        None if before.get(t) is None else round(100 * before[t], 1)
        for t in top.get_column("theme_id")
    ]
    assert fixes.get_column("share_pct_last_run").to_list() == expected
    assert any(share is not None for share in expected), "the weeks share themes"
    themed = pl.concat([weeks.first.comments, weeks.second.comments], how="diagonal_relaxed")
    assert months.get_column("comments").sum() == themed.filter(pl.col("theme_id") != "-1").height
