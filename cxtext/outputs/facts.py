"""Run facts: the headline numbers of a run, built once for the report and the journey export.

The score metric has one name everywhere (journey.json, journey_metrics.csv, the report):
`nps` (points, 0-10 scales), `csat` (% of 4-5 answers, 1-5 scales) or `mean_score` (any other
scale); the report words it in its language (`score_<metric>` in models/report/words.toml).
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from cxtext.dates import parse_dates
from cxtext.io.contract import OUTLIER_THEME
from cxtext.io.load import input_column, input_score_scale
from cxtext.result import Result
from cxtext.scores import score_values

SCORE_METRICS = {"nps": "nps", "rating": "csat", "other": "mean_score"}  # scale → metric
THEME_JSON_CELLS = ("channels", "languages", "keywords")  # themes.csv cells holding JSON


def theme_cells(row: dict) -> dict[str, Any]:
    """A theme row's JSON cells decoded (`THEME_JSON_CELLS`, {} when empty) and its impact
    interval as `impact_low` and `impact_high` (None without one), for the report's card and
    the journey export alike."""
    low, high = json.loads(row["impact_ci"]) if row.get("impact_ci") else (None, None)
    cells = {name: json.loads(row.get(name) or "{}") for name in THEME_JSON_CELLS}
    return cells | {"impact_low": low, "impact_high": high}


def score_metric(result: Result) -> str | None:
    """The run's score metric, None when the input has no scores."""
    scale = input_score_scale(result)
    if scale is None:
        return None
    column = input_column(result, "score")
    if result.comments.select(score_values(pl.col(column), scale)).to_series().is_null().all():
        return None
    return SCORE_METRICS.get(scale, "mean_score")


def score_aggregate(metric: str, score: pl.Expr) -> pl.Expr:
    """The metric over the scores in a group (NPS and CSAT to 0.1 point, a mean to 0.001)."""
    scored = score.is_not_null().sum().cast(pl.Int64)
    if metric == "nps":
        promoters, detractors = (score >= 9).sum(), (score <= 6).sum()
        return (100 * (promoters.cast(pl.Int64) - detractors.cast(pl.Int64)) / scored).round(1)
    if metric == "csat":
        return (100 * (score >= 4).sum() / scored).round(1)
    return score.mean().round(3)


def run_facts(result: Result) -> dict[str, Any]:
    """Comments, themes, languages, period, negativity and the score metric of one run."""
    comments, run = result.comments, result.run
    content = comments.filter(~pl.col("no_content"))
    facts: dict[str, Any] = {
        "input": str(run.get("input", "")).replace("\\", "/").rsplit("/", 1)[-1],
        "input_sha256": run.get("input_sha256"),
        "rows_read": run.get("rows_read", comments.height),
        "rejected": run.get("rows_rejected", result.rejects.height),
        "comments": comments.height,
        "content_comments": content.height,
        "unthemed_comments": int((content.get_column("theme_id") == OUTLIER_THEME).sum()),
        "themes": result.themes.filter(pl.col("theme_id") != OUTLIER_THEME).height,
        "languages": content.get_column("lang").n_unique() if content.height else 0,
        "version": run.get("cxtext_version", ""),
        "model": run.get("model") or run.get("embedder"),
        "taxonomy_sha256": run.get("taxonomy_sha256"),
        "negative_share": None,
        "follow_up": None,
        "first_date": None,
        "last_date": None,
        "score_metric": score_metric(result),
        "score_value": None,
    }
    if "sentiment" in content.columns and content.height:
        facts["negative_share"] = float((content.get_column("sentiment") == "neg").mean())
    if "follow_up" in comments.columns:  # customers, not answers: one may give two reasons
        who = "respondent" if "respondent" in comments.columns else "id"
        needs = comments.filter(pl.col("follow_up").is_not_null())
        facts["follow_up"] = needs.get_column(who).n_unique()
    date = input_column(result, "date")
    if date:
        dates = content.select(parse_dates(pl.col(date))).to_series().drop_nulls()
        if len(dates):
            facts["first_date"], facts["last_date"] = str(dates.min()), str(dates.max())
    if facts["score_metric"] is not None:
        scale = input_score_scale(result)
        score = score_values(pl.col(input_column(result, "score")), scale)
        facts["score_value"] = comments.select(score_aggregate(facts["score_metric"], score)).item()
    return facts
