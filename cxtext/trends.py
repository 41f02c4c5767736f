"""Trends, spike alerts and run-to-run changes for scheduled runs.

Spike rule (documented for alert consumers): for each theme, its share of the period's
content comments in the latest period is compared with the previous `baseline_periods`
periods. An alert fires when the latest share is above every baseline share, at least
`spike_factor` × their mean, and the theme has at least `min_alert_comments` comments then
(`cxtext.config.AlertOptions`: 6 periods, 1.5×, 5 comments by default).
"""

from __future__ import annotations

import polars as pl

from cxtext.config import AlertOptions
from cxtext.dates import parse_dates, period_kind, period_start
from cxtext.io.contract import OUTLIER_THEME


def theme_trends(
    comments: pl.DataFrame, date_column: str, period: str = AlertOptions.period
) -> pl.DataFrame:
    """Per theme and period (week or month): comments, share of the period, negative share."""
    dated = (
        comments.filter(~pl.col("no_content") & (pl.col("theme_id") != OUTLIER_THEME))
        .with_columns(parse_dates(pl.col(date_column)).alias("_date"))
        .filter(pl.col("_date").is_not_null())
    )
    if dated.is_empty():
        return pl.DataFrame(schema=TREND_SCHEMA)
    if period == "auto":
        period = period_kind(dated.get_column("_date"))
    dated = dated.with_columns(period_start(pl.col("_date"), period).alias("period"))
    totals = dated.group_by("period").agg(pl.len().alias("period_comments"))
    negative = (
        (pl.col("sentiment") == "neg").mean() if "sentiment" in dated.columns else pl.lit(None)
    )
    return (
        dated.group_by("period", "theme_id")
        .agg(pl.len().alias("comments"), negative.cast(pl.Float64).round(3).alias("negative_share"))
        .join(totals, on="period")
        .with_columns(
            (pl.col("comments") / pl.col("period_comments")).round(4).alias("share"),
            pl.lit(period).alias("period_kind"),
        )
        .select(list(TREND_SCHEMA))
        .sort("theme_id", "period")
    )


TREND_SCHEMA = {
    "period": pl.Date,
    "period_kind": pl.String,
    "theme_id": pl.String,
    "comments": pl.UInt32,
    "period_comments": pl.UInt32,
    "share": pl.Float64,
    "negative_share": pl.Float64,
}


def spike_alerts(
    trends: pl.DataFrame, labels: dict[str, str], options: AlertOptions | None = None
) -> list[dict]:
    """Themes whose share in the latest period rose beyond their recent range."""
    options = options or AlertOptions()
    if trends.is_empty():
        return []
    latest = trends.get_column("period").max()
    alerts = []
    for theme_id, rows in trends.sort("period").group_by("theme_id", maintain_order=True):
        rows = rows.sort("period")
        current = rows.filter(pl.col("period") == latest)
        baseline = rows.filter(pl.col("period") < latest).tail(options.baseline_periods)
        if current.is_empty() or baseline.height < 2:
            continue
        share, count = current.item(0, "share"), current.item(0, "comments")
        mean = baseline.get_column("share").mean()
        if (
            count >= options.min_alert_comments
            and share > baseline.get_column("share").max()
            and share >= options.spike_factor * mean
        ):
            theme = theme_id[0]
            alerts.append(
                {
                    "theme_id": theme,
                    "label": labels.get(theme, theme),
                    "period": latest.isoformat(),
                    "share": share,
                    "baseline_mean_share": round(mean, 4),
                    "comments": count,
                    "rule": f"share > max of last {options.baseline_periods} periods and ≥ "
                    f"{options.spike_factor}× their mean, ≥ {options.min_alert_comments} "
                    "comments",
                }
            )
    return alerts


def theme_changes(
    themes: pl.DataFrame,
    previous: dict[str, dict] | None,
    growth: float = AlertOptions.growth,
    min_comments: int = AlertOptions.min_alert_comments,
) -> pl.DataFrame:
    """New, grown, shrunk, stable and vanished themes against the previous run.

    Grown and shrunk compare shares, and need `min_comments` on the larger side: in a run of
    3 comments one comment is a third of the run, which says nothing of a theme that had 21.
    """
    previous = previous or {}
    current = {
        r["theme_id"]: r for r in themes.select("theme_id", "label", "size", "share").to_dicts()
    }
    rows = []
    for theme_id in sorted(set(current) | set(previous)):
        now, before = current.get(theme_id), previous.get(theme_id)
        share, before_share = (now or {}).get("share", 0.0), (before or {}).get("share", 0.0)
        if before is None:
            status = "new"
        elif now is None:
            status = "vanished"
        elif share > before_share * (1 + growth) and now["size"] >= min_comments:
            status = "grown"
        elif share < before_share * (1 - growth) and before["size"] >= min_comments:
            status = "shrunk"
        else:
            status = "stable"
        rows.append(
            {
                "theme_id": theme_id,
                "label": (now or before or {}).get("label"),
                "status": status,
                "previous_comments": (before or {}).get("size", 0),
                "comments": (now or {}).get("size", 0),
                "previous_share": before_share,
                "share": share,
            }
        )
    return pl.DataFrame(rows, schema=CHANGE_SCHEMA)


CHANGE_SCHEMA = {
    "theme_id": pl.String,
    "label": pl.String,
    "status": pl.String,
    "previous_comments": pl.Int64,
    "comments": pl.Int64,
    "previous_share": pl.Float64,
    "share": pl.Float64,
}
