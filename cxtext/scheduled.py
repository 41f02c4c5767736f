"""What a scheduled run (`--state`) adds to the priority stage and to run.json: trends over the
state's history, changes since the last run, spike alerts, and the warnings about its input.

Without a state, trends cover the current file and there are no changes; the functions here
take the state's `ThemeState` (None in a first or stateless run) and the analyst's curation
(`final_id`: a theme id as merges and promotions made it), never the run context, so the
pipeline module stays a list of stages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from cxtext.config import AlertOptions
from cxtext.state import ThemeState
from cxtext.state.dated import KEY_COLUMNS, dated_records, run_spans, with_history
from cxtext.trends import (
    REFIT_ALERTS,
    REFIT_BASELINE,
    Span,
    curated_previous,
    date_span,
    dated_comments,
    earlier_themes,
    joined_span,
    period_trends,
    refit_period,
    spike_alerts,
    theme_changes,
)

SAME_INPUT = (
    "this file is the one the last run on this --state read (the same export sent "
    "again?): trends count its comments once, and changes.csv compares it with itself"
)
SEEN_AGAIN_SHARE = 0.9  # of a file's dated comments seen in earlier runs: said in a warning
TRENDS_START_HERE = (
    "the --state folder keeps no dated comments from its earlier runs (it was written "
    "by an older cxtext): trends.csv and alerts.json start from this run"
)


@dataclass(frozen=True)
class Trends:
    """trends.csv, this run's first and last date, the last date the state had seen before
    it, and the dated comments (with the state's history) the state keeps next."""

    table: pl.DataFrame
    span: Span | None
    seen_until: date | None = None
    dated: pl.DataFrame | None = None
    seen_again: tuple[int, int] = (0, 0)  # this run's dated comments the state had, of all


def run_trends(
    frame: pl.DataFrame,
    date_column: str,
    by_id: bool,
    period: str,
    previous: ThemeState | None,
    final_id: Callable[[str], str] | None,
) -> Trends:
    """This run's dated comments by theme and period; with a state (`final_id` given), after
    every dated comment the state has seen (each counted once, under its theme's current id),
    over the days all runs cover."""
    span = date_span(frame, date_column)
    if final_id is None:
        return Trends(period_trends(dated_comments(frame, date_column), period, span), span)
    keep = [column for column in KEY_COLUMNS if column in frame.columns]
    records = dated_records(dated_comments(frame, date_column, keep), by_id)
    earlier = run_spans(previous.history) if previous is not None else []
    dated = with_history(previous and previous.dated, records, final_id)
    runs = [run for run in (*earlier, span) if run is not None]
    table = period_trends(dated, period, joined_span(runs), runs)
    stored = previous.dated if previous is not None else None
    again = 0 if stored is None else records["comment"].is_in(stored["comment"].implode()).sum()
    seen_until = max((last for _, last in earlier), default=None)
    return Trends(table, span, seen_until, dated, (int(again), records.height))


def changes_since_last_run(
    themes: pl.DataFrame,
    previous: ThemeState,
    alerts: AlertOptions,
    final_id: Callable[[str], str],
) -> pl.DataFrame:
    """changes.csv: each theme against the last run with comments, both under the ids curation
    gave them."""
    runs = themed_runs(previous.history)
    last = runs[-1]["themes"] if runs else None
    return theme_changes(
        themes,
        curated_previous(last, final_id),
        alerts.growth,
        alerts.min_alert_comments,
        earlier_themes(runs, final_id),
    )


def run_alerts(
    trends: pl.DataFrame | None,
    labels: dict[str, str],
    alerts: AlertOptions,
    seen_until: date | None,
    refit: bool,
    previous: ThemeState | None = None,
) -> tuple[dict[str, dict], list[str]]:
    """alerts.json's document (none without trends; empty in a refit run, whose new theme
    boundaries would make every share seem to move; after one, the baselines start at it) and
    run.json's warning when that leaves earlier periods out."""
    if trends is None:
        return {}, []
    if refit:
        return {"alerts": []}, []
    fitted_from = last_refit(previous.history) if previous is not None else None
    found = spike_alerts(trends, labels, alerts, seen_until, fitted_from)
    return {"alerts": found}, refit_baseline_warning(trends, fitted_from)


def last_refit(history: list[dict]) -> date | None:
    """The first date of the latest --refit run of a state's history that had dates."""
    for run in reversed(history):
        if run.get("refit") and run.get("dates"):
            return date.fromisoformat(run["dates"][0])
    return None


def refit_baseline_warning(trends: pl.DataFrame | None, fitted_from: date | None) -> list[str]:
    """run.json's warning when the last --refit leaves full periods before it out of the
    alerts' baselines."""
    if trends is None or trends.is_empty() or fitted_from is None:
        return []
    start = refit_period(trends, fitted_from)
    earlier = trends.filter(pl.col("period") < start, ~pl.col("partial"))
    return [REFIT_BASELINE.format(start=start.isoformat())] if earlier.height else []


def quiet_warning(failure: str, rejects_path: Path | None) -> str:
    """run.json's warning, and the line on stderr, for a scheduled run with no usable comment
    (`failure`: what a run without a state stops with)."""
    where = f"; every row and its reason in {rejects_path}" if rejects_path else ""
    return (
        f"no usable comments in this file ({failure}{where}): recorded as "
        "a quiet period with 0 comments in the --state history, the themes left as they were"
    )


def quiet_history(history: list[dict], input_sha256: str, span: Span | None) -> list[dict]:
    """The state's history with a quiet run: its dates (of the rejected rows) so that trends
    show its periods with 0 comments; no themes, so changes.csv compares the next run with the
    last run that had comments (`themed_runs`)."""
    dates = {"dates": [day.isoformat() for day in span]} if span else {}
    return [*history, {"input_sha256": input_sha256, "rows": 0, "quiet": True, **dates}]


def themed_runs(history: list[dict]) -> list[dict]:
    """The runs of a state's history that had comments (a quiet run has no themes)."""
    return [run for run in history if not run.get("quiet")]


def added_library_themes(
    previous: ThemeState | None,
    library_themes: tuple[str, ...],
    refit: bool,
    final_id: Callable[[str], str],
) -> str | None:
    """A warning when the taxonomy holds library themes the state's themes were not fitted
    with: a scheduled run puts new comments in the themes it keeps, so a theme added to the
    taxonomy got none, silently (12 Danish 'technician did not come' comments went to
    'Installation og opstart', 'Åbningstider' and four more). A theme promoted from one the
    state keeps is not such a theme: that theme's comments are its comments."""
    if previous is None or previous.library is None or refit:
        return None
    promoted = {final_id(theme) for theme in previous.theme_ids}
    added = [t for t in library_themes if t not in previous.library and t not in promoted]
    if not added:
        return None
    named = ", ".join(f"'{theme}'" for theme in added[:3])
    more = f" and {len(added) - 3} more" if len(added) > 3 else ""
    return (
        f"library theme {named}{more} was added to the taxonomy after this --state folder's "
        "themes were fitted, and a scheduled run puts new comments in the themes it keeps: "
        "run once with --refit (on a file that joins recent exports) to recognise it"
    )


def state_warnings(
    previous: ThemeState | None,
    input_sha256: str,
    dated: pl.DataFrame | None,
    refit_alerts: bool,
    refit_warning: str | None,
    seen_again: tuple[int, int] = (0, 0),
) -> list[str]:
    """run.json's warnings about a scheduled run's input: the last run's file again, or a
    file of comments mostly seen before (`seen_again`: of this run's dated comments, those the
    state had; a re-export with other line endings was silently 'stable' in every theme), a
    state too old to keep dated comments, alerts held back in a refit, a refit on a file of
    mostly unseen comments."""
    history = previous.history if previous is not None else []
    warnings = []
    if history and history[-1].get("input_sha256") == input_sha256:
        warnings.append(SAME_INPUT)
    elif seen_again[1] and seen_again[0] >= SEEN_AGAIN_SHARE * seen_again[1]:
        warnings.append(
            f"{seen_again[0]} of {seen_again[1]} dated comments in this file were in earlier "
            "runs on this --state (an export sent again, or one that repeats earlier rows): "
            "trends count each once"
        )
    if dated is not None and previous is not None and previous.dated is None:
        warnings.append(TRENDS_START_HERE)
    if refit_alerts:
        warnings.append(REFIT_ALERTS)
    if refit_warning:
        warnings.append(refit_warning)
    return warnings
