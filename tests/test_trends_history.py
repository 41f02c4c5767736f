"""Trends of scheduled runs cover the state's history: weekly demo files run one after another
on one --state give trends.csv rows for every week so far, each comment counted once, and spike
alerts checked in full weeks only (a partial week is marked, never alerts, never a baseline)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from scipy.stats import binom

from cxtext.config import AlertOptions
from cxtext.curate import merge_themes
from cxtext.io.load import load_run
from cxtext.outputs.report.charts import trends_figure
from cxtext.outputs.report.words import report_words
from cxtext.state.dated import dated_records, with_history
from cxtext.themes.curation import CURATION_FILE
from cxtext.trends import dated_comments, theme_trends
from tests.support import DEMO_CORPUS, DemoRun, analyze_demo

# Full Monday-Sunday weeks of the demo corpus, then the first three days of the fourth.
WEEKS = [
    ("2026-01-05", "2026-01-11"),
    ("2026-01-12", "2026-01-18"),
    ("2026-01-19", "2026-01-25"),
    ("2026-01-26", "2026-01-28"),
]
STARTS = [date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19), date(2026, 1, 26)]
EXTRA = 12  # comments of the rising theme added to weeks 3 and 4 (more than doubling it)


@dataclass(frozen=True)
class Runs:
    outs: list[Path]
    state: Path
    base: Path
    rising: str  # the theme that more than doubles in week 3 (and again in partial week 4)


def demo_rows() -> list[dict[str, str]]:
    with DEMO_CORPUS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def week_rows(week: int) -> list[dict[str, str]]:
    first, last = WEEKS[week]
    return [row for row in demo_rows() if first <= row["date"] <= last]


def trends(out: Path) -> pl.DataFrame:
    return pl.read_csv(out / "trends.csv", try_parse_dates=True)


def alerts(out: Path) -> list[dict]:
    return json.loads((out / "alerts.json").read_text("utf-8"))


def sent_again(rows: list[dict[str, str]], ids: list[str], day: str, tag: str) -> list[dict]:
    """Demo comments of `ids` written again by other customers (new ids) on `day`."""
    by_id = {row["id"]: row for row in rows}
    return [by_id[ids[n % len(ids)]] | {"id": f"{tag}-{n:02d}", "date": day} for n in range(EXTRA)]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    base = tmp_path_factory.mktemp("trend_weeks")
    state, outs = base / "state", [base / f"out{n}" for n in range(len(WEEKS))]
    for week in (0, 1):
        analyze_demo(write_rows(base / f"week{week}.csv", week_rows(week)), outs[week], state=state)
    shutil.copytree(state, base / "state_after_week1_2")
    both = trends(outs[1]).filter(~pl.col("partial"))
    counts = both.group_by("theme_id").agg(pl.len().alias("weeks"), pl.col("comments").sum())
    rising = counts.filter(pl.col("weeks") == 2).sort("comments", "theme_id", descending=True)
    theme = rising.item(0, "theme_id")
    comments = pl.concat([pl.read_parquet(out / "comments.parquet") for out in outs[:2]])
    ids = comments.filter(pl.col("theme_id") == theme).get_column("id").to_list()
    rows = demo_rows()
    week3 = [*week_rows(2), *sent_again(rows, ids, "2026-01-25", "x3")]
    analyze_demo(write_rows(base / "week2.csv", week3), outs[2], state=state)
    week4 = [*week_rows(3), *sent_again(rows, ids, "2026-01-27", "x4")]
    analyze_demo(write_rows(base / "week3.csv", week4), outs[3], state=state)
    return Runs(outs, state, base, theme)


def themed_dated(out: Path) -> int:
    comments = pl.read_parquet(out / "comments.parquet")
    return comments.filter(~pl.col("no_content") & (pl.col("theme_id") != "-1")).height


def test_the_second_run_has_both_weeks_each_comment_once(runs: Runs) -> None:
    first, second = trends(runs.outs[0]), trends(runs.outs[1])
    assert first.get_column("period").unique().to_list() == STARTS[:1]
    assert sorted(second.get_column("period").unique().to_list()) == STARTS[:2]
    # week 1 as run 1 counted it, week 2 as run 2 themed its own comments
    week1 = second.filter(pl.col("period") == STARTS[0])
    assert week1.get_column("comments").sum() == first.get_column("comments").sum()
    assert week1.get_column("comments").sum() == themed_dated(runs.outs[0])
    week2 = second.filter(pl.col("period") == STARTS[1])
    assert week2.get_column("comments").sum() == themed_dated(runs.outs[1])
    assert (week2.get_column("period_comments") == dated_content(runs.outs[1])).all()
    # the file of week 2 starts on a Tuesday: the state's days (from week 1) still cover it
    assert not second.get_column("partial").any()
    assert "text" not in second.columns and "id" not in second.columns


def dated_content(out: Path) -> int:
    return pl.read_parquet(out / "comments.parquet").filter(~pl.col("no_content")).height


def test_a_share_is_of_every_comment_of_the_week_unthemed_ones_too(runs: Runs) -> None:
    # A first run themes every comment; a weekly run leaves those that resemble no theme
    # unthemed. Counted out of the week's total, those put every theme's share up from week 1 to
    # week 2 with no comment more, and the spike rule fired on it (8 alerts on a third week of
    # shuffled Swedish reviews). The total is every dated comment, as themes.csv's share is.
    table = trends(runs.outs[1])
    for out, start in zip(runs.outs[:2], STARTS[:2], strict=True):
        week = table.filter(pl.col("period") == start)
        assert week.get_column("period_comments").unique().to_list() == [dated_content(out)]
        themes = pl.read_csv(out / "themes.csv").filter(pl.col("theme_id") != "-1")
        size = dict(themes.select("theme_id", "size").iter_rows())
        share = dict(themes.select("theme_id", "share").iter_rows())
        for theme_id, count, week_share in week.select("theme_id", "comments", "share").iter_rows():
            if theme_id not in size:  # a theme of another week: there, none of this week's
                assert (count, week_share) == (0, 0.0)
                continue
            assert size[theme_id] == count and abs(share[theme_id] - week_share) < 1e-3
        # every theme has a row in every week with comments, 0 where it had none
        assert week.get_column("theme_id").n_unique() == week.height
        assert set(week.get_column("theme_id")) == set(table.get_column("theme_id"))
    assert themed_dated(runs.outs[1]) < dated_content(runs.outs[1])  # week 2 has unthemed ones


def rule_holds(rows: pl.DataFrame, start: date, options: AlertOptions) -> bool:
    """The documented spike rule for one theme's trend rows, checked by hand."""
    now = rows.filter(pl.col("period") == start)
    before = rows.filter((pl.col("period") < start) & ~pl.col("partial") & (pl.col("comments") > 0))
    before = before.sort("period").tail(options.baseline_periods)
    if now.is_empty() or before.height < 2:
        return False
    share, shares = now.item(0, "share"), before.get_column("share")
    count, total = now.item(0, "comments"), now.item(0, "period_comments")
    return (
        count >= options.min_alert_comments
        and share > shares.max()
        and share >= options.spike_factor * shares.mean()
        and binom.sf(count - 1, total, shares.mean()) <= options.max_chance
    )


def test_a_theme_that_doubles_alerts_in_the_full_week_only(runs: Runs) -> None:
    options = AlertOptions()
    assert alerts(runs.outs[1]) == []  # week 2 had one week before it: no baseline yet
    table = trends(runs.outs[2])
    assert not table.get_column("partial").any()
    fired = alerts(runs.outs[2])
    assert runs.rising in {alert["theme_id"] for alert in fired}
    assert {alert["period"] for alert in fired} == {STARTS[2].isoformat()}
    by_theme = table.partition_by("theme_id", as_dict=True)
    expected = {t for (t,), rows in by_theme.items() if rule_holds(rows, STARTS[2], options)}
    assert {alert["theme_id"] for alert in fired} == expected
    counts = table.filter(pl.col("theme_id") == runs.rising).sort("period")
    assert counts.item(2, "comments") >= 2 * counts.head(2).get_column("comments").max()


def test_a_rise_that_chance_explains_does_not_alert(runs: Runs) -> None:
    # week 3 with 6 more comments of the theme that doubled with 12: its share passes the share
    # rule, but in a week of 28 comments that many come by chance (500 shuffled Swedish reviews
    # a week fired 3-4 such alerts every week)
    state = runs.base / "state_chance"
    shutil.copytree(runs.base / "state_after_week1_2", state)
    comments = pl.concat([pl.read_parquet(out / "comments.parquet") for out in runs.outs[:2]])
    ids = comments.filter(pl.col("theme_id") == runs.rising).get_column("id").to_list()
    few = sent_again(demo_rows(), ids, "2026-01-25", "c3")[:6]
    out = runs.base / "out_chance"
    analyze_demo(write_rows(runs.base / "week2_few.csv", [*week_rows(2), *few]), out, state=state)
    rows = trends(out).filter(pl.col("theme_id") == runs.rising)
    options = AlertOptions()
    assert rule_holds(rows, STARTS[2], replace(options, max_chance=1.0))
    assert not rule_holds(rows, STARTS[2], options)
    assert runs.rising not in {alert["theme_id"] for alert in alerts(out)}
    # the 12 more of the shared fixture are no chance: that week alerts, with its chance
    fired = {alert["theme_id"]: alert for alert in alerts(runs.outs[2])}
    assert fired[runs.rising]["chance"] <= options.max_chance


def test_a_partial_last_week_is_marked_and_does_not_alert(runs: Runs) -> None:
    table = trends(runs.outs[3])
    partial = table.filter(pl.col("partial")).get_column("period").unique().to_list()
    assert partial == [STARTS[3]]  # Monday to Wednesday of a week
    assert sorted(table.get_column("period").unique().to_list()) == STARTS
    rising = table.filter(pl.col("theme_id") == runs.rising)
    # the rule would fire on its share if the week counted (weeks 1-3 as the baseline) ...
    assert rule_holds(rising.with_columns(partial=pl.lit(False)), STARTS[3], AlertOptions())
    assert alerts(runs.outs[3]) == []  # ... but a partial week never alerts
    # week 3 was checked on the run that completed it, not again
    assert {a["period"] for a in alerts(runs.outs[2])} == {STARTS[2].isoformat()}
    # the report's chart draws the partial week as an open marker, and says why on hover
    run = load_run(runs.outs[3])
    figure = trends_figure(run.tables["trends"], run.themes, report_words("en"))
    for trace in figure["data"]:
        assert trace["marker"]["symbol"] == ["circle"] * 3 + ["circle-open"]
        assert "partial" in trace["customdata"][3][1] and trace["customdata"][2][1] == ""


def test_a_file_that_starts_on_a_thursday_leaves_its_first_week_partial(
    demo_run: DemoRun,
) -> None:
    comments = demo_run.result.comments
    from_thursday = comments.filter(pl.col("date").str.to_date() >= date(2026, 1, 8))
    table = theme_trends(from_thursday, "date")
    weeks = table.select("period", "partial").unique().sort("period")
    assert weeks.get_column("partial").to_list()[0] is True
    assert weeks.item(0, "period") == STARTS[0]
    whole = theme_trends(comments, "date").select("period", "partial").unique().sort("period")
    assert whole.get_column("partial").to_list()[0] is False


def test_comments_sent_again_without_ids_count_once(demo_run: DemoRun) -> None:
    keep = ("id", "text")
    dated = dated_comments(demo_run.result.comments, "date", keep)
    records = dated_records(dated, by_id=False)
    once = with_history(None, records, str)
    twice = with_history(once, records, str)
    assert twice.equals(once) and once.height == dated.height
    # the same texts on another day are other customers' comments
    later = dated_records(dated.with_columns(pl.col("date") + pl.duration(days=7)), by_id=False)
    assert with_history(once, later, str).height == 2 * dated.height


def test_ids_count_once_per_day_so_row_numbers_of_two_files_never_collide(
    demo_run: DemoRun,
) -> None:
    # an empty id cell becomes the row number: row 5 of next week's file is someone else
    dated = dated_comments(demo_run.result.comments, "date", ("id", "text"))
    once = with_history(None, dated_records(dated, by_id=True), str)
    assert with_history(once, dated_records(dated, by_id=True), str).equals(once)
    later = dated.with_columns(pl.col("date") + pl.duration(days=7))
    assert with_history(once, dated_records(later, by_id=True), str).height == 2 * dated.height


def test_merged_themes_are_reported_under_the_theme_they_joined(runs: Runs) -> None:
    state = runs.base / "state_merged"
    shutil.copytree(runs.base / "state_after_week1_2", state)
    week1 = trends(runs.outs[1]).filter(pl.col("period") == STARTS[0])
    in_run = pl.read_csv(runs.outs[1] / "themes.csv").get_column("theme_id")  # mergeable there
    week1 = week1.filter(pl.col("theme_id").is_in(in_run.to_list()))
    sizes = dict(week1.select("theme_id", "comments").iter_rows())
    into = max(sizes, key=lambda t: (sizes[t], t))
    merged = min((t for t in sizes if t != into), key=lambda t: (-sizes[t], t))
    merge_themes(runs.outs[1], state / CURATION_FILE, merged, into)
    out = runs.base / "out_merged"
    analyze_demo(write_rows(runs.base / "week2_again.csv", week_rows(2)), out, state=state)
    table = trends(out)
    assert merged not in table.get_column("theme_id").to_list()
    first = table.filter((pl.col("period") == STARTS[0]) & (pl.col("theme_id") == into))
    assert first.item(0, "comments") == sizes[into] + sizes[merged]
    # changes.csv compares with the last run under the ids curation made: the merged theme did
    # not vanish, and the theme it joined had both themes' comments last week
    last = pl.read_csv(runs.outs[1] / "themes.csv").filter(pl.col("theme_id").is_in([into, merged]))
    changes = pl.read_csv(out / "changes.csv")
    assert merged not in changes.get_column("theme_id").to_list()
    joined = changes.filter(pl.col("theme_id") == into)
    assert joined.item(0, "previous_comments") == last.get_column("size").sum()
    assert joined.item(0, "status") != "new"


def test_a_state_from_before_dated_comments_still_runs(runs: Runs) -> None:
    state = runs.base / "state_old"
    shutil.copytree(runs.base / "state_after_week1_2", state)
    (state / "dated_comments.parquet").unlink()
    history = json.loads((state / "history.json").read_text("utf-8"))
    old = [{key: value for key, value in run.items() if key != "dates"} for run in history]
    (state / "history.json").write_text(json.dumps(old))
    out = runs.base / "out_old"
    result = analyze_demo(write_rows(runs.base / "week2_old.csv", week_rows(2)), out, state=state)
    assert any("start from this run" in warning for warning in result.run["warnings"])
    assert json.loads((out / "run.json").read_text("utf-8"))["warnings"] == result.run["warnings"]
    assert trends(out).get_column("period").unique().to_list() == STARTS[2:3]
    assert (state / "dated_comments.parquet").is_file()  # the next run has this week's past


def test_a_theme_back_after_a_quiet_week_is_returned_not_new(runs: Runs) -> None:
    # a weekly file without a theme's comments, then one with them: that theme is not new
    state = runs.base / "state_quiet"
    shutil.copytree(runs.base / "state_after_week1_2", state)
    seen = pl.read_parquet(runs.outs[0] / "comments.parquet").select("id", "theme_id")
    last = pl.read_csv(runs.outs[1] / "themes.csv").get_column("theme_id").to_list()
    sizes = seen.filter(pl.col("theme_id").is_in(last)).group_by("theme_id").len()
    quiet = sizes.sort("len", "theme_id", descending=True).item(0, "theme_id")
    quiet_ids = set(seen.filter(pl.col("theme_id") == quiet).get_column("id").to_list())
    rows = week_rows(0)
    without = [row for row in rows if row["id"] not in quiet_ids]
    analyze_demo(write_rows(runs.base / "quiet.csv", without), runs.base / "out_quiet", state=state)
    out = runs.base / "out_back"
    analyze_demo(write_rows(runs.base / "back.csv", rows), out, state=state)
    before = pl.read_csv(runs.base / "out_quiet" / "changes.csv")
    assert before.filter(pl.col("theme_id") == quiet).item(0, "status") == "vanished"
    changes = pl.read_csv(out / "changes.csv")
    assert changes.filter(pl.col("theme_id") == quiet).item(0, "status") == "returned"
    assert "new" not in changes.get_column("status").to_list()  # every theme was seen before


def test_a_refit_run_raises_no_alerts_and_says_why(runs: Runs) -> None:
    # the week that alerts in a weekly run (the shared fixture's week 3), run with --refit
    state = runs.base / "state_refit"
    shutil.copytree(runs.base / "state_after_week1_2", state)
    out = runs.base / "out_refit"
    result = analyze_demo(runs.base / "week2.csv", out, state=state, refit=True)
    assert alerts(runs.outs[2]) and alerts(out) == []
    assert any(warning.startswith("--refit fitted") for warning in result.run["warnings"])
    assert STARTS[2] in trends(out).get_column("period").to_list()
    # a refit on a week of comments the state has not seen says it fitted on that week alone
    alone = "--refit fitted the themes on this file alone"
    assert any(warning.startswith(alone) for warning in result.run["warnings"])


def test_a_week_exported_again_with_other_bytes_is_said(runs: Runs, tmp_path: Path) -> None:
    """Week 2 exported again with Windows line endings: a new file hash, so no 'same export'
    warning, and every theme was silently 'stable' in changes.csv. Trends count it once."""
    state = tmp_path / "state"
    shutil.copytree(runs.base / "state_after_week1_2", state)
    again = runs.base / "week1.csv"
    crlf = tmp_path / "week1_again.csv"
    crlf.write_bytes(again.read_bytes().replace(b"\n", b"\r\n"))
    out = tmp_path / "out"
    analyze_demo(crlf, out, state=state)
    run = json.loads((out / "run.json").read_text("utf-8"))
    said = [w for w in run["warnings"] if "were in earlier runs on this --state" in w]
    assert len(said) == 1 and re.fullmatch(
        r"(\d+) of \1 dated comments in this file were in earlier runs on this --state \(an "
        r"export sent again, or one that repeats earlier rows\): trends count each once",
        said[0],
    )
    assert trends(out).equals(trends(runs.outs[1]))
    for earlier in runs.outs:  # new weeks are not said to repeat
        warnings = json.loads((earlier / "run.json").read_text("utf-8"))["warnings"]
        assert not any("were in earlier runs" in w for w in warnings)
