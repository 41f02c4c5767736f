"""A scheduled run on a quiet week: a weekly file whose every comment is blank is not an error
with --state (exit 0, one warning line, empty outputs, the period kept in the state's history
with 0 comments), and trends after it show that week, and a week no file covered (partial
then), as a gap with no share, never a line drawn across it. Without --state the run still
exits 2."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from cxtext.io.load import load_run
from cxtext.outputs.report.charts import trends_figure
from cxtext.outputs.report.words import report_words
from tests.support import run_cli
from tests.test_trends_history import trends, week_rows, write_rows

QUIET_WEEK = date(2026, 1, 12)
STATE_FILES = ("themes.json", "themes.safetensors", "assignments.parquet", "dated_comments.parquet")
OPTIONS = ("--id-col", "id", "--date-col", "date", "--score-col", "score", "-q")


@dataclass(frozen=True)
class QuietRuns:
    base: Path
    state: Path
    first: Path  # week 1's outputs
    quiet: Path  # week 2's: every comment blank
    after: Path  # week 3's
    skipped: Path  # week 3 on the state of week 1, no run for week 2 at all
    quiet_stderr: str


def analyze(source: Path, out: Path, state: Path):
    return run_cli("analyze", str(source), "--out", str(out), "--state", str(state), *OPTIONS)


def blank_week(path: Path) -> Path:
    """Week 2 of the demo as a quiet week's export: its rows and dates, every comment blank."""
    return write_rows(path, [row | {"comment": " "} for row in week_rows(1)])


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> QuietRuns:
    base = tmp_path_factory.mktemp("quiet_week")
    state, skipped_state = base / "state", base / "state_skipped"
    first, quiet, after, skipped = (base / name for name in ("w1", "w2", "w3", "w3_skipped"))
    assert analyze(write_rows(base / "w1.csv", week_rows(0)), first, state).returncode == 0
    shutil.copytree(state, skipped_state)
    shutil.copytree(state, base / "state_after_w1")
    done = analyze(blank_week(base / "w2.csv"), quiet, state)
    assert done.returncode == 0, done.stderr
    week3 = write_rows(base / "w3.csv", week_rows(2))
    assert analyze(week3, after, state).returncode == 0
    assert analyze(week3, skipped, skipped_state).returncode == 0
    return QuietRuns(base, state, first, quiet, after, skipped, done.stderr)


def test_a_quiet_week_exits_0_with_one_warning_and_empty_outputs(runs: QuietRuns) -> None:
    assert runs.quiet_stderr.count("\n") == 1
    assert runs.quiet_stderr.startswith("cxtext: warning: no usable comments in this file")
    run = json.loads((runs.quiet / "run.json").read_text("utf-8"))
    read = len(week_rows(1))
    assert (run["rows_read"], run["rows_written"], run["rows_rejected"]) == (read, 0, read)
    assert run["quiet"] and "error" not in run and len(run["warnings"]) == 1
    rejects = pl.read_csv(runs.quiet / "rejects.csv")
    assert rejects.height == read and set(rejects.get_column("reason")) == {"empty comment"}
    for name in ("comments.csv", "themes.csv"):
        assert pl.read_csv(runs.quiet / name).height == 0
    done = run_cli("report", str(runs.quiet))
    assert (done.returncode, done.stderr) == (
        2,
        f"cxtext: error: {runs.quiet} holds a quiet run (no usable comments); see its run.json\n",
    )


def test_a_quiet_week_is_kept_in_the_history_and_changes_nothing_else(
    runs: QuietRuns, tmp_path: Path
) -> None:
    # the quiet run again, on the state as week 1 left it: only history.json changes
    state = tmp_path / "state"
    shutil.copytree(runs.base / "state_after_w1", state)
    assert analyze(runs.base / "w2.csv", tmp_path / "out", state).returncode == 0
    for name in STATE_FILES:
        assert (state / name).read_bytes() == (runs.base / "state_after_w1" / name).read_bytes()
    history = json.loads((state / "history.json").read_text("utf-8"))
    assert history[-1] == {
        "input_sha256": json.loads((runs.quiet / "run.json").read_text("utf-8"))["input_sha256"],
        "rows": 0,
        "quiet": True,
        "dates": ["2026-01-13", "2026-01-18"],  # the file starts on a Tuesday
    }


def test_the_quiet_week_is_a_gap_in_trends_and_the_chart(runs: QuietRuns) -> None:
    table = trends(runs.after)
    assert sorted(table.get_column("period").unique()) == [
        date(2026, 1, 5),
        QUIET_WEEK,
        date(2026, 1, 19),
    ]
    quiet = table.filter(pl.col("period") == QUIET_WEEK)
    themes = table.get_column("theme_id").unique().sort()
    assert quiet.get_column("theme_id").sort().to_list() == themes.to_list()
    assert quiet.get_column("comments").unique().to_list() == [0]
    assert quiet.get_column("period_comments").unique().to_list() == [0]
    assert quiet.get_column("share").null_count() == quiet.height
    assert not quiet.get_column("partial").any()  # the quiet run's dates cover the week
    figure = trends_figure(table, load_run(runs.after).themes, report_words("en"))
    assert figure is not None and figure["data"]
    for trace in figure["data"]:
        by_week = dict(zip(trace["x"], trace["y"], strict=True))
        assert by_week[QUIET_WEEK.isoformat()] is None  # plotly breaks the line there
        assert by_week["2026-01-05"] is not None and by_week["2026-01-19"] is not None


def test_a_week_no_run_covered_is_a_gap_too(runs: QuietRuns) -> None:
    table = trends(runs.skipped)
    skipped = table.filter(pl.col("period") == QUIET_WEEK)
    assert skipped.height > 0 and skipped.get_column("share").null_count() == skipped.height
    # the same counts as with the quiet run recorded: week 2 adds no comment either way; but
    # no file's dates reach into it, so its 0 is not known: partial, as a week half read is
    assert table.drop("partial").equals(trends(runs.after).drop("partial"))
    assert skipped.get_column("partial").all()
    assert not table.filter(pl.col("period") != QUIET_WEEK).get_column("partial").any()


def test_changes_after_a_quiet_week_compare_with_the_last_week_with_comments(
    runs: QuietRuns,
) -> None:
    changes = pl.read_csv(runs.after / "changes.csv")
    first = pl.read_csv(runs.first / "themes.csv")
    before = dict(changes.select("theme_id", "previous_comments").iter_rows())
    for theme_id, size in first.select("theme_id", "size").iter_rows():
        assert before[theme_id] == size
    assert changes.get_column("status").to_list().count("new") < changes.height
    # and with no quiet run in between, the same comparison
    assert changes.equals(pl.read_csv(runs.skipped / "changes.csv"))


def test_a_quiet_file_without_state_still_fails(runs: QuietRuns, tmp_path: Path) -> None:
    done = run_cli("analyze", str(runs.base / "w2.csv"), "--out", str(tmp_path / "out"), "-q")
    assert done.returncode == 2
    assert done.stderr.startswith("cxtext: error: no usable rows")


def test_a_header_without_rows_is_a_quiet_week_too(runs: QuietRuns, tmp_path: Path) -> None:
    state = tmp_path / "state"
    shutil.copytree(runs.base / "state_after_w1", state)
    source = tmp_path / "w2.csv"
    source.write_text("id,date,score,segment,channel,comment\n", encoding="utf-8")
    done = analyze(source, tmp_path / "out", state)
    assert done.returncode == 0
    assert done.stderr == (
        "cxtext: warning: no usable comments in this file (input file has no data rows: "
        f"{source}): recorded as a quiet period with 0 comments in the --state history, "
        "the themes left as they were\n"
    )
    history = json.loads((state / "history.json").read_text("utf-8"))
    assert history[-1]["quiet"] and history[-1]["rows"] == 0 and "dates" not in history[-1]
    done = run_cli("analyze", str(source), "--out", str(tmp_path / "plain"), "-q")
    assert done.returncode == 2 and "has no data rows" in done.stderr
