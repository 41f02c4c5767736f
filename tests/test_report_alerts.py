"""Spike alerts at the top of report.html: a problem's rise is a warning; a praise theme's rise
is good news, shown after the problems and not as one of them."""

from __future__ import annotations

import re
from dataclasses import replace

import polars as pl

from cxtext.outputs.report.render import render_report
from tests.support import DemoRun


def test_a_praise_theme_rising_reads_as_good_news_after_the_problems(demo_run: DemoRun) -> None:
    """On 2,856 reviews "Rising: General praise" stood second among seven orange warnings
    above the fix list of a page titled "What customers need us to fix"."""
    themes = demo_run.result.themes
    praise = themes.filter(pl.col("praise")).row(0, named=True)
    fix = themes.filter(pl.col("rank") == 1).row(0, named=True)
    alerts = [
        _alert(praise["theme_id"], praise["label"], 28),  # as trends wrote it: praise first
        _alert(fix["theme_id"], fix["label"], 10),
    ]
    result = replace(demo_run.result, documents={**demo_run.result.documents, "alerts": alerts})
    page = render_report(result)
    shown = re.findall(r'<p class="alert( good)?"><strong>([^<]+):</strong> ([^<]+?) is', page)
    assert shown == [
        ("", "Rising", fix["label"]),
        (" good", "More praise", praise["label"]),
    ]


def _alert(theme_id: str, label: str, comments: int) -> dict:
    return {
        "theme_id": theme_id,
        "label": label,
        "period": "2026-11-23",
        "share": 0.12,
        "baseline_mean_share": 0.07,
        "comments": comments,
        "rule": "share > max of last 6 full periods and ≥ 1.5× their mean, ≥ 5 comments",
    }
