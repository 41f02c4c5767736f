"""The SQL the README gives for the DuckDB store runs on a store that two real weekly runs
filled, and answers what it says: the latest run's fixes, their owner and customers, and each
one's share against the run before; comments per theme and month."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import polars as pl

import cxtext
from cxtext.outputs.store import write_store
from tests.support import run_cli
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


def test_a_quiet_week_is_a_row_and_the_queries_skip_it(weeks: Weeks, tmp_path: Path) -> None:  # noqa: F811
    """A scheduled --store run on a header-only weekly file (a quiet week, exit 0) adds its
    row to `runs` with 0 comments, so a dashboard shows the week (each week: the same file
    name twice is two rows); the README's fixes query
    still answers with the last weeks that had comments, as changes.csv compares them."""
    path, state = tmp_path / "cx.duckdb", tmp_path / "state"
    write_store(weeks.first, path)
    write_store(weeks.second, path)
    shutil.copytree(weeks.out2.parent / "state", state)
    source = tmp_path / "w3.csv"
    source.write_text("id,date,score,segment,channel,comment\n", encoding="utf-8")
    for _ in range(2):  # two quiet weeks, one file name: two rows, as the history has two
        quiet = cxtext.analyze(source, out=tmp_path / "o3", state=state, store=path)
        assert quiet.run["quiet"]
    with duckdb.connect(str(path), read_only=True) as store:
        runs = answer(store, "SELECT * FROM runs ORDER BY stored_at")
        fixes = answer(store, readme_queries()[0])
        stored = answer(store, "SELECT run_id, count(*) AS n FROM comments GROUP BY run_id")
    assert runs.height == 4
    for last in runs.tail(2).iter_rows(named=True):
        assert (last["rows_read"], last["rows_written"], last["themes"]) == (0, 0, 0)
        assert json.loads(last["run_json"])["quiet"] is True
        assert last["run_id"] not in stored.get_column("run_id").to_list()
    top = weeks.second.themes.filter(pl.col("rank") <= 5).sort("rank")
    assert fixes.get_column("label").to_list() == top.get_column("label").to_list()
    assert fixes.get_column("share_pct_last_run").drop_nulls().len() > 0


def test_quiet_first_runs_are_a_row_each_and_export_writes_theirs(tmp_path: Path) -> None:
    """On an empty --state every quiet first run had `state_run` 1, so the second replaced the
    first's row; and `cxtext export QUIET_RUN --to duckdb` refused the folder (exit 2) that
    --store had recorded. Now each is its own row, and the export writes the same row."""
    path, state = tmp_path / "cx.duckdb", tmp_path / "state"
    source = tmp_path / "uge1.csv"
    source.write_text("id,dato,score,kommentar\n", encoding="utf-8")
    outs = [tmp_path / "o1", tmp_path / "o2"]
    runs = [cxtext.analyze(source, out=out, state=state, store=path).run for out in outs]
    assert [run["state_run"] for run in runs] == [1, 2]
    query = "SELECT run_id, rows_read, themes, run_json FROM runs ORDER BY stored_at"
    with duckdb.connect(str(path), read_only=True) as store:
        stored = answer(store, query)
    assert stored.height == 2 and stored.get_column("run_id").n_unique() == 2
    exported = tmp_path / "export.duckdb"
    done = run_cli("export", str(outs[1]), "--to", "duckdb", "-o", str(exported))
    assert (done.returncode, done.stderr) == (0, "")
    with duckdb.connect(str(exported), read_only=True) as store:
        again = answer(store, query)
    assert again.rows() == stored.tail(1).rows()
    assert run_cli("export", str(outs[1]), "--to", "duckdb", "-o", str(path)).returncode == 0
    with duckdb.connect(str(path), read_only=True) as store:
        assert answer(store, query).height == 2  # the same run again replaces its row
    done = run_cli("export", str(outs[1]), "--to", "xlsx")
    assert done.returncode == 2 and "holds a quiet run" in done.stderr
