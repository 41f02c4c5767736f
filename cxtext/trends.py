"""Trends, spike alerts and run-to-run changes for scheduled runs.

Trends count content comments with a readable date per theme and period (week from Monday, or
month). Unthemed comments get no trend row but count in the period's total, as they count in
themes.csv's share: a theme's share is of every comment that period. (Counted out of the total, a
first run that themes every comment and a weekly run that leaves a quarter unthemed put every
theme's share up by a third from one week to the next, and the spike rule fired on that.)
With `--state` they cover every comment the state has seen, not the current file only
(`cxtext.state.dated`).
`period='auto'` cuts by month when those dates span more than half a year, else by week.

Partial periods: a period the data does not cover from its first to its last day is `partial`
in trends.csv. The data covers the days from its first date to its last (of every usable
comment; with `--state`, of every run so far): a file that starts on a Thursday leaves its
first week partial, and one that ends mid-month leaves that month partial until the next
scheduled run's file reaches the month's end. A partial period holds only some of its days,
so it never fires an alert and is never part of a baseline. A theme without comments in a
period that had some gets a row with 0 comments and share 0. A period without comments between
the first and the last (a scheduled run's quiet week, a week no file covered) gets a row per
theme with 0 comments and no share, so charts break there rather than draw across it; it is no
baseline, and `partial` when no run's dates reach into it.

Spike rule (documented for alert consumers): alerts are checked in the latest period that is
not partial; with `--state`, in every period that became full with this run (its last day is
after the last date the state's earlier runs had; on a state's first dated run, the latest), so
each period is checked once, on the run that completes it, and each alert names its period.
For each theme, its share of the period's comments is compared with its shares in up to
`baseline_periods` full periods before it in which it had comments (at least 2 of them). An
alert fires when the share is above every baseline share, at least `spike_factor` × their
mean, the theme has at least `min_alert_comments` comments in the period, and that many would
come by chance at most `max_chance` of the time if the theme kept its baseline mean share (the
binomial tail over the period's comments; `chance` in the alert) (`cxtext.config.AlertOptions`:
6 periods, 1.5×, 5 comments, 1% by default). Without the chance test, 500 shuffled Swedish
reviews a week (no theme rising) gave 3-4 alerts a week on themes of 5-20 comments.
A `--refit` run raises no alerts (`REFIT_ALERTS` says why in its warnings), and later runs
take no period before the refit's first as a baseline: the refit themed its own file's
comments anew, the weeks before it keep the boundaries they were themed under, and a share
that moved with the boundaries is no spike (`REFIT_BASELINE`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, timedelta

import polars as pl

from cxtext.config import AlertOptions
from cxtext.dates import parse_dates, period_kind, period_start
from cxtext.io.contract import OUTLIER_THEME

Span = tuple[date, date]  # first and last day a run's dates cover


def dated_comments(
    comments: pl.DataFrame, date_column: str, keep: Sequence[str] = ()
) -> pl.DataFrame:
    """The content comments with a readable date, as trends count them: `keep` columns, then
    date, theme_id and negative (null without a sentiment column). Unthemed comments stay: a
    later run may theme them."""
    negative = pl.col("sentiment") == "neg" if "sentiment" in comments.columns else pl.lit(None)
    return (
        comments.filter(~pl.col("no_content"))
        .select(
            *keep,
            parse_dates(pl.col(date_column)).alias("date"),
            pl.col("theme_id").cast(pl.String),
            negative.cast(pl.Boolean).alias("negative"),
        )
        .filter(pl.col("date").is_not_null())
    )


def date_span(comments: pl.DataFrame, date_column: str) -> Span | None:
    """The first and last readable date of every usable comment (no-content ones too: a
    'no comment' answer still shows the day was collected); None without one."""
    dates = comments.select(parse_dates(pl.col(date_column)).alias("date")).get_column("date")
    return (dates.min(), dates.max()) if dates.drop_nulls().len() else None


def theme_trends(
    comments: pl.DataFrame, date_column: str, period: str = AlertOptions.period
) -> pl.DataFrame:
    """Per theme and period of one run's comments: comments, share of the period, negative
    share, and whether the run's dates cover the period fully."""
    covered = date_span(comments, date_column)
    return period_trends(dated_comments(comments, date_column), period, covered)


def period_trends(
    dated: pl.DataFrame,
    period: str = AlertOptions.period,
    covered: Span | None = None,
    runs: Sequence[Span] = (),
) -> pl.DataFrame:
    """Per theme and period (week or month) of `dated_comments` (of one run, or of a state's
    history): comments, share of the period's comments (unthemed ones included), negative
    share, and `partial` where the `covered` days (first, last) leave a day of the period out,
    or, for a period without comments, where none of the `runs`' days (a state's) fall in it:
    no file covered that week, so its 0 is not known to be a quiet week."""
    if dated.filter(pl.col("theme_id") != OUTLIER_THEME).is_empty():
        return pl.DataFrame(schema=TREND_SCHEMA)
    if period == "auto":
        period = period_kind(dated.get_column("date"))
    dated = dated.with_columns(period_start(pl.col("date"), period).alias("period"))
    totals = dated.group_by("period").agg(pl.len().alias("period_comments"))
    dated = dated.filter(pl.col("theme_id") != OUTLIER_THEME)
    quiet = _quiet_periods(totals.get_column("period"), period, covered)
    starts = [*totals.get_column("period").to_list(), *quiet]
    unread = [start for start in quiet if runs and not _touched(start, period, runs)]
    partial = pl.DataFrame(
        {
            "period": starts,
            "partial": [_partial(start, period, covered) or start in unread for start in starts],
        },
        schema={"period": pl.Date, "partial": pl.Boolean},
    )
    counted = (
        dated.group_by("period", "theme_id")
        .agg(
            pl.len().alias("comments"),
            pl.col("negative").mean().cast(pl.Float64).round(3).alias("negative_share"),
        )
        .join(totals, on="period")
        .with_columns((pl.col("comments") / pl.col("period_comments")).round(4).alias("share"))
    )
    columns = ["period", "theme_id", "comments", "period_comments", "share", "negative_share"]
    themes = counted.select("theme_id").unique().sort("theme_id")
    # a theme without comments in a period that had some: 0 comments, share 0 (no row drew a
    # chart's line straight across the week, as if the theme had been there)
    absent = (
        totals.join(themes, how="cross")
        .join(counted, on=["period", "theme_id"], how="anti")
        .with_columns(
            pl.lit(0).alias("comments"),
            pl.lit(0.0).alias("share"),
            pl.lit(None, pl.Float64).alias("negative_share"),
        )
    )
    empty = (
        pl.DataFrame({"period": quiet}, schema={"period": pl.Date})
        .join(themes, how="cross")
        .with_columns(
            pl.lit(0).alias("comments"),
            pl.lit(0).alias("period_comments"),
            pl.lit(None, pl.Float64).alias("share"),
            pl.lit(None, pl.Float64).alias("negative_share"),
        )
    )
    return (
        pl.concat(
            [counted.select(columns), absent.select(columns), empty.select(columns)],
            how="vertical_relaxed",
        )
        .join(partial, on="period")
        .with_columns(pl.lit(period).alias("period_kind"))
        .select(list(TREND_SCHEMA))
        .cast(TREND_SCHEMA)
        .sort("theme_id", "period")
    )


def _quiet_periods(counted: pl.Series, kind: str, covered: Span | None) -> list[date]:
    """The periods between the first and the last the data covers in which no comment falls (a
    quiet week a scheduled run recorded, a week no file covered): each theme gets a row there
    with 0 comments and no share, so a chart shows a gap, not a line drawn across it."""
    starts = counted.to_list()
    first, last = min(starts), max(starts)
    if covered is not None:
        bounds = pl.Series([covered[0], covered[1]], dtype=pl.Date)
        edges = pl.select(period_start(pl.lit(bounds), kind)).to_series().to_list()
        first, last = min(first, edges[0]), max(last, edges[1])
    every = pl.date_range(first, last, "1mo" if kind == "month" else "1w", eager=True)
    return sorted(set(every.to_list()) - set(starts))


TREND_SCHEMA = {
    "period": pl.Date,
    "period_kind": pl.String,
    "theme_id": pl.String,
    "comments": pl.UInt32,
    "period_comments": pl.UInt32,
    "share": pl.Float64,
    "negative_share": pl.Float64,
    "partial": pl.Boolean,
}


def joined_span(spans: Sequence[Span | None]) -> Span | None:
    """The days from the first of the spans' first dates to the last of their last dates."""
    known = [span for span in spans if span is not None]
    return (min(s[0] for s in known), max(s[1] for s in known)) if known else None


def period_end(start: date, kind: str) -> date:
    """The last day of the week or month that begins on `start`."""
    if kind != "month":
        return start + timedelta(days=6)
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _touched(start: date, kind: str, runs: Sequence[Span]) -> bool:
    """Whether a run's days (first to last date) reach into the period that begins on `start`."""
    return any(first <= period_end(start, kind) and last >= start for first, last in runs)


def _partial(start: date, kind: str, covered: Span | None) -> bool:
    """Whether the covered days leave out a day of the period that begins on `start`."""
    return covered is None or covered[0] > start or covered[1] < period_end(start, kind)


# A refit themes every comment of its file; a weekly run leaves those that resemble no theme
# unthemed (a quarter of 500 Swedish reviews a week), so against earlier weeks every theme's
# share rose by a third and 7 themes alerted on a week of shuffled reviews.
REFIT_ALERTS = (
    "--refit fitted the themes again, so this run raises no alerts: a refit puts every comment "
    "in a theme, where weekly runs left some unthemed, and most themes' shares would seem to "
    "rise (trends.csv has the week; the next weekly run checks its own week as usual)"
)


REFIT_BASELINE = (
    "alerts compare periods from {start} on only, when --refit fitted the themes again (the "
    "periods before it were themed under other boundaries); an alert needs 2 full periods "
    "before the one it checks"
)


def spike_alerts(
    trends: pl.DataFrame,
    labels: dict[str, str],
    options: AlertOptions | None = None,
    since: date | None = None,
    fitted_from: date | None = None,
) -> list[dict]:
    """Themes whose share rose beyond their recent range (the rule above), by period and theme:
    in the latest full period, or, given `since` (the last date a state had seen before this
    run), in every full period that ends after it. `fitted_from`: the first date of the last
    --refit; periods before its period are no baseline (their themes had other boundaries)."""
    options = options or AlertOptions()
    if trends.is_empty():
        return []
    # a quiet period (no comments) is no baseline and no period to alert in, and a theme's
    # baseline is the periods in which it had comments
    full = trends.filter(~pl.col("partial"), pl.col("period_comments") > 0, pl.col("comments") > 0)
    if fitted_from is not None:
        full = full.filter(pl.col("period") >= refit_period(trends, fitted_from))
    full = full.sort("period", "theme_id")
    kind = trends.item(0, "period_kind")
    periods = full.get_column("period").unique().sort().to_list()
    if since is None:
        periods = periods[-1:]
    else:
        periods = [start for start in periods if period_end(start, kind) > since]
    return [alert for start in periods for alert in _period_alerts(full, start, labels, options)]


def refit_period(trends: pl.DataFrame, fitted_from: date) -> date:
    """The first day of the period (as trends cut them) that holds `fitted_from`."""
    kind = trends.item(0, "period_kind")
    return pl.select(period_start(pl.lit(fitted_from), kind)).item()


def _period_alerts(
    full: pl.DataFrame, start: date, labels: dict[str, str], options: AlertOptions
) -> list[dict]:
    """The spike rule in the full period that begins on `start`, against full periods before."""
    alerts = []
    for theme_id, rows in full.group_by("theme_id", maintain_order=True):
        current = rows.filter(pl.col("period") == start)
        baseline = rows.filter(pl.col("period") < start).tail(options.baseline_periods)
        if current.is_empty() or baseline.height < 2:
            continue
        share, count = current.item(0, "share"), current.item(0, "comments")
        mean = baseline.get_column("share").mean()
        if (
            count >= options.min_alert_comments
            and share > baseline.get_column("share").max()
            and share >= options.spike_factor * mean
        ):
            chance = chance_of_at_least(count, current.item(0, "period_comments"), mean)
            if chance > options.max_chance:
                continue
            theme = theme_id[0]
            alerts.append(
                {
                    "theme_id": theme,
                    "label": labels.get(theme, theme),
                    "period": start.isoformat(),
                    "share": share,
                    "baseline_mean_share": round(mean, 4),
                    "comments": count,
                    "chance": float(f"{chance:.2g}"),
                    "rule": f"share > max of last {options.baseline_periods} full periods and ≥ "
                    f"{options.spike_factor}× their mean, ≥ {options.min_alert_comments} "
                    f"comments, chance ≤ {options.max_chance:g} at their mean",
                }
            )
    return alerts


def earlier_themes(history: list[dict], final_id: Callable[[str], str]) -> frozenset[str]:
    """The theme ids (as curation has made them) that any run before the previous one had."""
    return frozenset(final_id(t) for run in history[:-1] for t in run.get("themes", {}))


def curated_previous(
    previous: dict[str, dict] | None, final_id: Callable[[str], str]
) -> dict[str, dict] | None:
    """The previous run's themes under the ids curation has made them since: a theme merged or
    promoted after that run adds its comments and share to the theme it now is, so changes.csv
    does not call it vanished and its new id new (as trends report past periods too)."""
    if not previous:
        return previous
    curated: dict[str, dict] = {}
    for theme_id, row in sorted(previous.items()):
        target = final_id(theme_id)
        into = curated.setdefault(target, {"label": row.get("label"), "size": 0, "share": 0.0})
        if theme_id == target:
            into["label"] = row.get("label")
        into["size"] += row.get("size", 0)
        into["share"] = round(into["share"] + row.get("share", 0.0), 4)
    return curated


def chance_of_at_least(count: int, total: int, share: float) -> float:
    """P(X ≥ count) for X ~ Binomial(total, share): how often a theme with `share` of a period's
    `total` comments would get `count` or more. Summed in logs from `count` up while the terms
    matter (above the mean they only shrink); no scipy, which a weekly run does not load."""
    if count <= 0 or share >= 1.0:
        return 1.0
    if share <= 0.0 or count > total:
        return 0.0
    log_share, log_rest = math.log(share), math.log1p(-share)
    whole, tail = math.lgamma(total + 1), 0.0
    for k in range(count, total + 1):
        term = math.exp(
            whole
            - math.lgamma(k + 1)
            - math.lgamma(total - k + 1)
            + k * log_share
            + (total - k) * log_rest
        )
        tail += term
        if k > total * share and term < tail * 1e-12:
            break
    return min(tail, 1.0)


def theme_changes(
    themes: pl.DataFrame,
    previous: dict[str, dict] | None,
    growth: float = AlertOptions.growth,
    min_comments: int = AlertOptions.min_alert_comments,
    earlier: frozenset[str] = frozenset(),
) -> pl.DataFrame:
    """New, returned, grown, shrunk, stable and vanished themes against the previous run.

    Grown and shrunk compare shares, and need `min_comments` on the larger side: in a run of
    3 comments one comment is a third of the run, which says nothing of a theme that had 21.
    A theme the previous run did not have is `returned` when a run before it had (`earlier`:
    a weekly file without a 'Hard to cancel' comment made that theme 'new' again the week
    after), else `new`.
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
            status = "returned" if theme_id in earlier else "new"
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
