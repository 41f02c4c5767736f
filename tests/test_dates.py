"""Dates as survey tools write them: every shape gives the same day, trends and journey metrics."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl
import pytest

from cxtext.config import AlertOptions
from cxtext.dates import parse_dates
from cxtext.outputs.journey_metrics import journey_metrics
from cxtext.trends import spike_alerts, theme_trends
from tests.support import DemoRun

SAME_DAY = [
    "2026-05-04",
    "2026-05-04 10:22:13",
    "2026-05-04T10:22:13",
    "2026-05-04T10:22:13.000Z",
    "2026-05-04T23:22:13+02:00",  # the day as written, not moved to UTC
    "04.05.2026",
    "4.5.2026 10.22",
    "04-05-2026",
    "04/05/2026 10:22",
    "46146",  # Excel's serial day number
]


def parsed(values: list[str | None], serials: bool = True) -> list[date | None]:
    column = pl.Series("v", values, dtype=pl.String).to_frame()
    return column.select(parse_dates(pl.col("v"), serials)).to_series().to_list()


@pytest.mark.parametrize("text", SAME_DAY)
def test_every_shape_reads_as_the_same_day(text: str) -> None:
    assert parsed([text]) == [date(2026, 5, 4)]


def test_us_month_first_dates_are_read_as_such_when_the_column_shows_it() -> None:
    survey_monkey = ["05/04/2026 10:22:13 AM", "12/31/2026 01:00:00 PM"]
    assert parsed(survey_monkey) == [date(2026, 5, 4), date(2026, 12, 31)]
    assert parsed(["05/04/2026", "04/13/2026"]) == [date(2026, 5, 4), date(2026, 4, 13)]


MONTH_NAMES = [
    "4. maj 2026",  # Danish
    "4 maj 2026",  # Swedish
    "4. mai 2026",  # Norwegian
    "4. Mai 2026 kl. 10:22",
    "mandag den 4. maj 2026",
    "4 May 2026",
    "May 4, 2026",
    "Monday, May 4th, 2026",
    "4-May-26",  # Excel's d-mmm-yy
]
NORDIC_ABBREVIATED = {
    "1. juli 2026": date(2026, 7, 1),
    "13. januar 2026": date(2026, 1, 13),
    "3 mars 2026": date(2026, 3, 3),
    "2. okt. 2026": date(2026, 10, 2),
    "2. okt 2026": date(2026, 10, 2),
    "24. des. 2026": date(2026, 12, 24),
    "3 sept. 2026": date(2026, 9, 3),
    "13.07.26": date(2026, 7, 13),
    "13-07-26": date(2026, 7, 13),
    "13/07/26": date(2026, 7, 13),
    "01.02.99": date(1999, 2, 1),
}


@pytest.mark.parametrize("text", MONTH_NAMES)
def test_month_names_in_every_language_read_as_the_same_day(text: str) -> None:
    assert parsed([text]) == [date(2026, 5, 4)]


def test_nordic_long_abbreviated_and_two_digit_year_dates_are_read_day_first() -> None:
    assert parsed(list(NORDIC_ABBREVIATED)) == list(NORDIC_ABBREVIATED.values())
    assert parsed(["05/04/26 10:22 AM", "12/31/26 01:00 PM"]) == [
        date(2026, 5, 4),
        date(2026, 12, 31),
    ]  # US month-first, shown by AM/PM


def test_impossible_and_foreign_values_are_null() -> None:
    values = ["31.02.2026", "igår", "", None, "12345", "2026-13-01", "NaN", "inf", "1e400"]
    values += ["31.02.26", "30. februar 2026", "1. juliet 2026", "juli 2026", "13.13.26"]
    assert parsed(values) == [None] * len(values)
    assert parsed(["46146"], serials=False) == [None]  # when guessing, a number is no date


def test_a_column_of_clock_times_is_not_read_as_dates() -> None:
    """'10.05.13' was 10 May 2013 even in a column of times; the column's spread decides."""
    times = ["10.05.13", "11.07.29", "09.12.01", "14.03.48", "08.11.55"]
    assert parsed(times) == [None] * len(times)
    assert parsed(["04.05.26", "29.12.25", "03.01.24"]) == [
        date(2026, 5, 4), date(2025, 12, 29), date(2024, 1, 3),
    ]  # fmt: skip
    assert parsed(["10.05.13", "2026-05-04"])[0] == date(2013, 5, 10)  # one short date is a date


def reformat(comments: pl.DataFrame, column: str, shape: str) -> pl.DataFrame:
    """The same comments with their dates written another way."""
    day = pl.col(column).str.to_date()
    written = {
        "date-time": day.dt.strftime("%Y-%m-%d") + pl.lit(" 10:22:13"),
        "iso-zoned": day.dt.strftime("%Y-%m-%dT08:05:00+01:00"),
        "nordic": day.dt.strftime("%d.%m.%Y"),
        "nordic-dash": day.dt.strftime("%d-%m-%Y"),
        "excel": (day - pl.lit(date(1899, 12, 30))).dt.total_days().cast(pl.String),
    }[shape]
    return comments.with_columns(written.alias(column))


@pytest.mark.parametrize("shape", ["date-time", "iso-zoned", "nordic", "nordic-dash", "excel"])
def test_other_date_shapes_give_the_same_trends_alerts_and_journey_metrics(
    demo_run: DemoRun, shape: str
) -> None:
    result = demo_run.result
    column = result.run["columns"]["date"]
    labels = dict(zip(result.themes["theme_id"], result.themes["label"], strict=True))
    trends = theme_trends(result.comments, column)
    assert trends.height > 0 and trends.equals(result.tables["trends"])

    comments = reformat(result.comments, column, shape)
    assert not comments.get_column(column).equals(result.comments.get_column(column))
    other_trends = theme_trends(comments, column)
    assert other_trends.equals(trends)
    assert spike_alerts(other_trends, labels) == spike_alerts(trends, labels)
    other = replace(result, comments=comments, tables={**result.tables, "trends": other_trends})
    today = date(2026, 6, 1)
    assert journey_metrics(other, today).equals(journey_metrics(result, today))


def test_alert_options_set_the_trend_period(demo_run: DemoRun) -> None:
    """The demo subset's few weeks raise no alert, by default or under a looser rule; its
    trends are weekly by default and coarser when cut by month."""
    result = demo_run.result
    column = result.run["columns"]["date"]
    labels = dict(zip(result.themes["theme_id"], result.themes["label"], strict=True))
    weekly = theme_trends(result.comments, column, AlertOptions().period)
    assert set(weekly.get_column("period_kind")) == {"week"}
    assert spike_alerts(weekly, labels) == []
    loose = AlertOptions(spike_factor=1.0, min_alert_comments=1, baseline_periods=2, max_chance=1)
    assert all(a["share"] > a["baseline_mean_share"] for a in spike_alerts(weekly, labels, loose))
    monthly = theme_trends(result.comments, column, "month")
    assert set(monthly.get_column("period_kind")) == {"month"}
    assert monthly.get_column("period").n_unique() < weekly.get_column("period").n_unique()
