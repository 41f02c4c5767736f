"""Alerts after a --refit: the refit week raises none (tests/test_trends_history.py), and the
weeks after it take no baseline from before it, since those weeks were themed under other
theme boundaries; run.json says so while it holds alerts back."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl

from cxtext.config import AlertOptions
from cxtext.trends import REFIT_BASELINE
from tests.support import analyze_demo
from tests.test_trends_history import (
    demo_rows,
    rule_holds,
    sent_again,
    trends,
    week_rows,
    write_rows,
)

WEEK4 = date(2026, 1, 26)


def full_week4() -> list[dict[str, str]]:
    return [row for row in demo_rows() if "2026-01-26" <= row["date"] <= "2026-02-01"]


def test_the_week_after_a_refit_has_no_baseline_from_before_it(tmp_path: Path) -> None:
    state = tmp_path / "state"
    outs = [tmp_path / f"out{n}" for n in range(4)]
    for week in (0, 1):
        analyze_demo(
            write_rows(tmp_path / f"w{week}.csv", week_rows(week)), outs[week], state=state
        )
    analyze_demo(write_rows(tmp_path / "w2.csv", week_rows(2)), outs[2], state=state, refit=True)
    history = json.loads((state / "history.json").read_text("utf-8"))
    assert history[-1]["refit"] and "refit" not in history[0]
    # week 4 with twice 12 more comments of the theme with most comments in weeks 1 and 2
    both = trends(outs[1]).group_by("theme_id").agg(pl.col("comments").sum(), pl.len())
    rising = both.filter(pl.col("len") == 2).sort("comments", "theme_id", descending=True)
    theme = rising.item(0, "theme_id")
    comments = pl.concat([pl.read_parquet(out / "comments.parquet") for out in outs[:2]])
    ids = comments.filter(pl.col("theme_id") == theme).get_column("id").to_list()
    extra = [
        *sent_again(demo_rows(), ids, "2026-01-29", "r4"),
        *sent_again(demo_rows(), ids, "2026-01-30", "s4"),
    ]
    result = analyze_demo(
        write_rows(tmp_path / "w3.csv", [*full_week4(), *extra]), outs[3], state=state
    )
    table = trends(outs[3])
    rows = table.filter(pl.col("theme_id") == theme)
    # the rule fires on weeks 1-3 as the baseline, and on nothing since the refit's week
    assert rule_holds(rows, WEEK4, AlertOptions())
    assert json.loads((outs[3] / "alerts.json").read_text("utf-8")) == []
    warning = REFIT_BASELINE.format(start="2026-01-19")
    assert warning in result.run["warnings"]
