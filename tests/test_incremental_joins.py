"""A weekly run themes new comments as a first run would: a new comment clearly about a stored
theme joins it, and a batch about a topic the first run never saw forms a theme of its own
instead of being swallowed by the stored ones (`cxtext.themes.incremental`)."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from tests.support import DEMO_CORPUS, analyze_demo

FIRST_ROWS = 200
INVOICE_COMMENT, INVOICE_THEME = "c0318", "invoice_unclear"  # a Danish unreadable-invoice complaint
# A topic absent from the customer-service demo corpus: questions about the weather forecast.
WEATHER = [
    "Kommer det til at regne i morgen i København?",
    "Hvor varmt bliver det på lørdag?",
    "Bliver det sol eller regn i weekenden?",
    "Hvad er vejrudsigten for Aarhus i morgen?",
    "Kommer det til at sne på fredag?",
    "Hur blir vädret i Stockholm i helgen?",
    "Kommer det att regna i Göteborg i morgon?",
    "Hur varmt blir det på söndag?",
    "Blir det snö i Malmö nästa vecka?",
    "Hvordan blir været i Oslo i morgen?",
    "Kommer det til å regne i Bergen på lørdag?",
    "Hvor mange grader blir det i Trondheim i morgen?",
]


def write_weeks(folder: Path) -> tuple[Path, Path]:
    """Week 1: the first demo rows; week 2: the same plus the invoice complaint and the weather
    questions (with the complaint's date, score, segment and channel)."""
    with DEMO_CORPUS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    invoice = next(row for row in rows[FIRST_ROWS + 1 :] if row[0] == INVOICE_COMMENT)
    weather = [[f"w{i:02d}", *invoice[1:-1], text] for i, text in enumerate(WEATHER)]
    week1, week2 = folder / "week1.csv", folder / "week2.csv"
    with week1.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows[: FIRST_ROWS + 1])
    with week2.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([*rows[: FIRST_ROWS + 1], invoice, *weather])
    return week1, week2


@pytest.fixture(scope="module")
def weekly(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Content comments of a first scheduled run and of the weekly run after it."""
    folder = tmp_path_factory.mktemp("joins")
    week1, week2 = write_weeks(folder)
    state = folder / "state"
    first = analyze_demo(week1, folder / "out1", state=state).comments
    second = analyze_demo(week2, folder / "out2", state=state).comments
    return first.filter(~pl.col("no_content")), second.filter(~pl.col("no_content"))


def test_a_new_comment_about_a_stored_theme_joins_it(weekly) -> None:
    week1, week2 = weekly
    assert INVOICE_THEME in set(week1.get_column("theme_id"))
    theme = week2.filter(pl.col("id") == INVOICE_COMMENT).get_column("theme_id").item()
    assert theme == INVOICE_THEME


def test_a_new_topic_forms_a_new_theme_and_is_not_swallowed(weekly) -> None:
    week1, week2 = weekly
    stored = set(week1.get_column("theme_id")) - {"-1"}
    weather = week2.filter(pl.col("id").str.starts_with("w")).get_column("theme_id").to_list()
    assert len(weather) == len(WEATHER)
    new = [theme for theme in weather if theme not in stored and theme != "-1"]
    assert new and max(new.count(theme) for theme in set(new)) >= 6, weather
    assert sum(theme in stored for theme in weather) <= len(WEATHER) // 4, weather
