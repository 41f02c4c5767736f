"""journey_metrics.csv, the metric source for journey-mapping tools: one dated numeric value
per row.

One row per phase × theme × period and metric, plus phase totals (level `phase`, no theme):
`volume` (comments), `negative_percent` (% negative, 0-100) and, where the input has scores,
`nps` (NPS points, 0-10 scales), `csat` (% of 4-5 answers, 1-5 scales) or `mean_score` (any
other scale). Every share is a percentage, and `unit` names each value's unit (`METRIC_UNITS`):
`negative_share` was a fraction (0.25) beside `csat` in percent (25.0). `date`
is the first day of the period (week or month, as in trends.csv); without a date column every
value is dated the day of the export (period `run`). Theme rows end with the theme's group
(`parent_id`, `parent_label`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from cxtext.dates import parse_dates, period_kind, period_start
from cxtext.io.contract import OUTLIER_THEME
from cxtext.io.load import input_column, input_score_scale
from cxtext.outputs.facts import score_aggregate, score_metric
from cxtext.outputs.report.names import run_names
from cxtext.scores import score_values

if TYPE_CHECKING:
    from cxtext.result import Result

METRIC_COLUMNS = [
    "date",
    "metric",
    "value",
    "unit",
    "level",
    "phase",
    "phase_label",
    "theme_id",
    "theme_label",
    "silo",
    "period",
    "period_kind",
    "comments",
    "parent_id",
    "parent_label",
]
PARENT_COLUMNS = ("parent_id", "parent_label")  # theme groups; absent in runs before them
METRIC_UNITS = {
    "volume": "comments",
    "negative_percent": "percent",
    "nps": "nps_points",
    "csat": "percent",
    "mean_score": "score",
}


def journey_metrics(result: Result, today: date | None = None) -> pl.DataFrame:
    """Volume, negative share and score metrics per phase × theme × period, long format."""
    content = result.comments.filter(~pl.col("no_content") & (pl.col("theme_id") != OUTLIER_THEME))
    names = run_names(result.run)
    themes = (
        result.themes.with_columns(
            pl.lit(None, pl.String).alias(c) for c in PARENT_COLUMNS if c not in result.themes
        )
        .select("theme_id", pl.col("label").alias("theme_label"), "phase", "silo", *PARENT_COLUMNS)
        .filter(pl.col("theme_id") != OUTLIER_THEME)
    )
    frame, kind = _with_periods(result, content, today or date.today())
    frame = frame.select("theme_id", "period", *_value_columns(result)).join(
        themes, on="theme_id", how="inner"
    )
    aggregates = _aggregates(score_metric(result))
    per_theme = frame.group_by(
        "phase", "silo", "theme_id", "theme_label", *PARENT_COLUMNS, "period"
    ).agg(*aggregates)
    per_phase = frame.group_by("phase", "period").agg(*aggregates)
    long = pl.concat(
        [
            _long(per_theme.with_columns(pl.lit("theme").alias("level"))),
            _long(
                per_phase.with_columns(
                    pl.lit("phase").alias("level"),
                    pl.lit(None, pl.String).alias("silo"),
                    pl.lit(None, pl.String).alias("theme_id"),
                    pl.lit(None, pl.String).alias("theme_label"),
                    *[pl.lit(None, pl.String).alias(c) for c in PARENT_COLUMNS],
                )
            ),
        ],
        how="diagonal_relaxed",
    )
    phases = long.get_column("phase").drop_nulls().unique().to_list()
    phase_label = pl.col("phase").replace_strict(
        {p: names.phase(p) for p in phases}, default=None, return_dtype=pl.String
    )
    return (
        long.filter(pl.col("value").is_not_null() & pl.col("value").is_finite())
        .with_columns(
            pl.col("period").dt.strftime("%Y-%m-%d").alias("date"),
            phase_label.alias("phase_label"),
            pl.lit(kind).alias("period_kind"),
            (pl.col("period").dt.strftime("%Y-%m-%d") if kind != "run" else pl.lit("run")).alias(
                "period_label"
            ),
        )
        .drop("period")
        .rename({"period_label": "period"})
        .select(METRIC_COLUMNS)
        .sort("date", "level", "phase", "theme_id", "metric", nulls_last=False)
    )


def write_journey_metrics(result: Result, path: Path) -> Path:
    """Write journey_metrics.csv (UTF-8 with BOM, formula-like cells made inert)."""
    from cxtext.io.write import write_csv

    write_csv(journey_metrics(result), path)
    return path


def _with_periods(result: Result, content: pl.DataFrame, today: date) -> tuple[pl.DataFrame, str]:
    column = input_column(result, "date")
    if column is None:
        return content.with_columns(pl.lit(today).alias("period")), "run"
    dated = content.with_columns(parse_dates(pl.col(column)).alias("_date")).filter(
        pl.col("_date").is_not_null()
    )
    trends = result.tables.get("trends")
    if trends is not None and not trends.is_empty() and "period_kind" in trends.columns:
        kind = trends.get_column("period_kind")[0]
    else:
        kind = period_kind(dated.get_column("_date"))
    return dated.with_columns(period_start(pl.col("_date"), kind).alias("period")), kind


def _value_columns(result: Result) -> list[pl.Expr]:
    sentiment = (
        pl.col("sentiment") if "sentiment" in result.comments.columns else pl.lit(None, pl.String)
    )
    column, scale = input_column(result, "score"), input_score_scale(result)
    score = score_values(pl.col(column), scale) if column and scale else pl.lit(None, pl.Float64)
    return [sentiment.alias("_sentiment"), score.alias("_score")]


def _aggregates(score_kind: str | None) -> list[pl.Expr]:
    score = pl.col("_score")
    scored = score.is_not_null().sum().cast(pl.Int64)
    values = [
        pl.len().alias("volume"),
        (100 * (pl.col("_sentiment") == "neg").mean()).round(1).alias("negative_percent"),
        scored.alias("_scored"),
    ]
    if score_kind is not None:
        values.append(score_aggregate(score_kind, score).alias(score_kind))
    return values


def _long(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per metric; `comments` is how many comments (or scores) stand behind it."""
    metrics = [m for m in METRIC_UNITS if m in frame]
    keys = [c for c in frame.columns if c not in metrics and c != "_scored"]
    rows = []
    for metric in metrics:
        counted = "_scored" if metric in ("nps", "csat", "mean_score") else "volume"
        rows.append(
            frame.select(
                *keys,
                pl.lit(metric).alias("metric"),
                pl.col(metric).cast(pl.Float64).alias("value"),
                pl.lit(METRIC_UNITS[metric]).alias("unit"),
                pl.col(counted).cast(pl.Int64).alias("comments"),
            )
        )
    return pl.concat(rows)
