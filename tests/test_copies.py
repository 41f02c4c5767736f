"""Copies of one comment land in one theme: in a first run (where UMAP and the Ward cut split
20 copies of one sentence 10/5/5 before) and in a scheduled second run that brings new copies
of a seen comment and near-copies in other case and punctuation."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import cxtext
from cxtext.themes.copies import copy_key, one_theme_per_text
from cxtext.themes.ids import compact_discovered_ids
from tests.support import DEMO_CORPUS

REPEATED = ["Lang ventetid i telefonen", "Fakturaen er uforståelig"]
COPIES = 20
# new in week 2: copies of a seen comment, and near-copies no run has seen
WEEK_TWO = (
    ["Lang ventetid i telefonen"] * 5
    + ["lang ventetid i telefonen?"] * 3
    + ["LANG  VENTETID I TELEFONEN"] * 3
    + ["Fakturaen er uforståelig!!"] * 4
)


@dataclass(frozen=True)
class Weeks:
    first: pl.DataFrame  # comments of week 1: the demo corpus with 20 copies of two comments
    second: pl.DataFrame  # week 1's rows plus WEEK_TWO, the same state


def write_weeks(folder: Path) -> tuple[Path, Path]:
    """All demo rows with the copies spread among them (one after every 12th row), and week 2:
    the same rows plus WEEK_TWO."""
    with DEMO_CORPUS.open(encoding="utf-8", newline="") as handle:
        header, *demo = list(csv.reader(handle))
    copies = [text for text in REPEATED for _ in range(COPIES)]
    added = [
        [f"copy{i:03d}", "2026-02-01", "2", "private", "phone", t] for i, t in enumerate(copies)
    ]
    step = len(demo) // len(added)
    rows = []
    for index, row in enumerate(demo):
        rows.append(row)
        if index % step == 0 and added:
            rows.append(added.pop(0))
    rows += added
    later = [
        [f"new{i:03d}", "2026-03-01", "2", "private", "phone", t] for i, t in enumerate(WEEK_TWO)
    ]
    first, second = folder / "week1.csv", folder / "week2.csv"
    for path, extra in ((first, []), (second, later)):
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows + extra)
    return first, second


@pytest.fixture(scope="module")
def weeks(tmp_path_factory: pytest.TempPathFactory) -> Weeks:
    folder = tmp_path_factory.mktemp("copies")
    first, second = write_weeks(folder)
    state = folder / "state"
    week1 = cxtext.analyze(first, out=folder / "out1", state=state, seed=42)
    week2 = cxtext.analyze(second, out=folder / "out2", state=state, seed=42)
    return Weeks(week1.comments, week2.comments)


def themes_per_text(comments: pl.DataFrame) -> dict[str, set[str]]:
    """The themes the copies of each comment got (copies: the same words)."""
    content = comments.filter(~pl.col("no_content"))
    words = content.select(copy_key(pl.col("text"))).to_series()
    themes: dict[str, set[str]] = {}
    for key, theme_id in zip(words, content.get_column("theme_id"), strict=True):
        themes.setdefault(key, set()).add(theme_id)
    return themes


def test_a_first_run_puts_every_copy_of_a_comment_in_one_theme(weeks: Weeks) -> None:
    copies = weeks.first.filter(pl.col("text").is_in(REPEATED))
    assert copies.height == COPIES * len(REPEATED)
    split = {words: ids for words, ids in themes_per_text(weeks.first).items() if len(ids) > 1}
    assert split == {}


def test_a_scheduled_run_keeps_seen_copies_and_puts_new_copies_with_them(weeks: Weeks) -> None:
    split = {words: ids for words, ids in themes_per_text(weeks.second).items() if len(ids) > 1}
    assert split == {}
    before = dict(weeks.first.select("id", "theme_id").iter_rows())
    after = weeks.second.filter(pl.col("id").is_in(list(before)))
    kept = [before[i] == t for i, t in after.select("id", "theme_id").iter_rows()]
    assert all(kept)
    for text in REPEATED:
        first = weeks.first.filter(pl.col("text") == text).get_column("theme_id").unique()
        words = copy_key(pl.lit(text))
        near = weeks.second.filter(copy_key(pl.col("text")) == words)
        assert near.height > COPIES
        assert near.get_column("theme_id").unique().to_list() == first.to_list()


def test_copies_take_the_theme_most_of_them_got_and_a_theme_before_none() -> None:
    words = ["a", "a", "a", "b", "b", "b"]
    theme_ids = np.array(["d02", "d01", "d02", "-1", "-1", "d03"])
    scores = np.array([0.5, 0.6, 0.5, 0.0, 0.0, 0.7])
    ids, moved = one_theme_per_text(words, theme_ids, scores)
    assert ids.tolist() == ["d02", "d02", "d02", "d03", "d03", "d03"]
    assert moved.tolist() == [0.5, 0.5, 0.5, 0.7, 0.7, 0.7]


def test_a_tie_between_themes_goes_the_same_way_whatever_the_row_order() -> None:
    words = ["a", "a", "a", "a"]
    scores = np.full(4, 0.5)
    for order in (["n02", "n01", "n02", "n01"], ["n01", "n02", "n01", "n02"]):
        ids, _ = one_theme_per_text(words, np.array(order), scores)
        assert ids.tolist() == ["n01"] * 4


def test_seen_copies_decide_and_keep_their_theme() -> None:
    words = ["a", "a", "a", "a"]
    theme_ids = np.array(["n01", "n02", "n02", "n03"])
    seen = np.array([True, False, False, True])
    ids, _ = one_theme_per_text(words, theme_ids, np.full(4, 0.5), seen)
    # the seen ones tie (n01, n03): the smaller id wins for the new copies; n03 stays
    assert ids.tolist() == ["n01", "n01", "n01", "n03"]


def test_discovered_ids_close_their_gaps_and_library_ids_stay() -> None:
    ids = np.array(["d01", "d03", "-1", "n02", "damaged_or_wrong_item", "n10"])
    assert compact_discovered_ids(ids).tolist() == [
        "d01",
        "d02",
        "-1",
        "n01",
        "damaged_or_wrong_item",
        "n02",
    ]


def test_the_same_words_with_another_emoji_are_no_copy() -> None:
    """Copies are the same words and emoji whatever the case, spacing and punctuation: "Bra 👍"
    and "bra👍!" are one comment, "Bra 👎" another."""
    texts = [
        "Bra 👍",
        "bra👍!",
        "Bra 👎",
        "Lang ventetid i telefonen!",
        "lang ventetid  i telefonen",
    ]
    keys = pl.select(copy_key(pl.Series(texts))).to_series().to_list()
    queue = "lang ventetid i telefonen"
    assert keys == ["bra 👍", "bra 👍", "bra 👎", queue, queue]
