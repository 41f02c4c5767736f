"""Scheduled reruns stay cheap and stable: the comment map stays put between runs (new comments
are placed beside the seen comments they resemble, no UMAP), a large map is fitted on a seeded
sample, and comment lemmas come from the state's cache."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cxtext.outputs.report import map as comment_maps
from cxtext.themes.keywords import theme_keywords
from tests.support import DEMO_CORPUS, REPO_ROOT, analyze_demo

FIRST_ROWS = 200
# Real demo comments from later in the corpus, new in the second run: a Danish complaint about
# an invoice nobody can read, and a Swedish one about an invoice that came too late.
NEW_IDS = ["c0318", "c0207"]
INVOICE_THEME = "invoice_unclear"


@dataclass(frozen=True)
class Weeks:
    first: object  # cxtext.result.Result of week 1
    second: object  # week 1's comments plus NEW_IDS, same state
    out1: Path
    out2: Path
    source2: Path
    state: Path


def write_week(path: Path, extra_ids: list[str]) -> Path:
    with DEMO_CORPUS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    extra = [row for row in rows[FIRST_ROWS + 1 :] if row[0] in extra_ids]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([*rows[: FIRST_ROWS + 1], *extra])
    return path


@pytest.fixture(scope="module")
def weeks(tmp_path_factory: pytest.TempPathFactory) -> Weeks:
    base = tmp_path_factory.mktemp("weeks")
    state = base / "state"
    first = analyze_demo(write_week(base / "week1.csv", []), base / "out1", state=state)
    source2 = write_week(base / "week2.csv", NEW_IDS)
    second = analyze_demo(source2, base / "out2", state=state)
    return Weeks(first, second, base / "out1", base / "out2", source2, state)


def positions(out: Path) -> dict[str, tuple[float, float]]:
    points = pl.read_parquet(out / "map.parquet")
    return {row[0]: (row[1], row[2]) for row in points.select("id", "x", "y").iter_rows()}


def test_seen_comments_keep_their_place_on_the_map(weeks: Weeks) -> None:
    before, after = positions(weeks.out1), positions(weeks.out2)
    assert set(after) == set(before) | set(NEW_IDS)
    # identical texts share the position of the first of them
    content = weeks.first.comments.filter(~pl.col("no_content"))
    first_id = {}
    for comment_id, text in content.select("id", "text").iter_rows():
        first_id.setdefault(text, comment_id)
    for comment_id, text in content.select("id", "text").iter_rows():
        assert after[comment_id] == before[first_id[text]], comment_id
    assert weeks.second.run["seconds"]["map"] < 1.0  # no UMAP in an incremental run


def test_a_new_comment_lands_beside_the_seen_comments_it_resembles(weeks: Weeks) -> None:
    points = pl.read_parquet(weeks.out2 / "map.parquet")
    seen = points.filter(~pl.col("id").is_in(NEW_IDS))
    centres = seen.group_by("theme_id").agg(pl.col("x").mean(), pl.col("y").mean(), pl.len())
    centres = {row[0]: np.array(row[1:3]) for row in centres.filter(pl.col("len") >= 5).rows()}
    assert INVOICE_THEME in centres and len(centres) >= 5
    new = points.filter(pl.col("id") == "c0318").select("x", "y").to_numpy()[0]
    distance = {theme: float(np.linalg.norm(new - centre)) for theme, centre in centres.items()}
    unrelated = [t for t in centres if t not in (INVOICE_THEME, "billing_error")]
    assert all(distance[INVOICE_THEME] < distance[theme] for theme in unrelated), distance


def test_a_large_map_is_fitted_on_a_seeded_sample_deterministically(weeks: Weeks) -> None:
    result = weeks.first
    once = comment_maps.comment_map(result, fit_size=60)
    again = comment_maps.comment_map(result, fit_size=60)
    assert once is not None and once.equals(again)
    assert once.height == result.comments.filter(~pl.col("no_content")).height
    other_seed = comment_maps.project(result.space, seed=7, fit_size=60)
    assert not np.array_equal(other_seed, once.select("x", "y").to_numpy())
    # placed comments are weighted means of fitted ones: inside the fitted comments' extent
    xy = once.select("x", "y").to_numpy()
    fitted = np.zeros(len(xy), bool)
    fitted[np.random.default_rng(result.run["seed"]).choice(len(xy), 60, replace=False)] = True
    assert (xy[~fitted].min(0) >= xy[fitted].min(0)).all()
    assert (xy[~fitted].max(0) <= xy[fitted].max(0)).all()


def test_a_map_of_one_text_repeated_is_one_point_without_a_warning() -> None:
    """A file whose comments are the same text four times printed sklearn's 'invalid value
    encountered in divide' on stderr (PCA of rows without variance)."""
    vectors = np.tile(np.linspace(-1, 1, 8, dtype=np.float32), (4, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert comment_maps.project(vectors, seed=42).tolist() == [[0.0, 0.0]] * 4


def test_placing_in_chunks_gives_the_same_map(
    weeks: Weeks, monkeypatch: pytest.MonkeyPatch
) -> None:
    space = weeks.first.space
    anchors, anchor_xy = space[:150], np.random.default_rng(0).random((150, 2), np.float32)
    whole = comment_maps.place(space[150:], anchors, anchor_xy)
    monkeypatch.setattr(comment_maps, "CHUNK_CELLS", 150 * 7)  # 7 comments at a time
    assert np.allclose(comment_maps.place(space[150:], anchors, anchor_xy), whole, atol=1e-6)


def test_cached_lemmas_give_the_same_keywords(weeks: Weeks) -> None:
    assert len(list(weeks.state.glob("lemmas-*.parquet"))) == 1
    content = weeks.second.comments.filter(~pl.col("no_content"))
    fresh = theme_keywords(
        content.get_column("text").to_list(),
        content.get_column("lang").to_list(),
        content.get_column("theme_id").to_list(),
        6,
    )
    themes = weeks.second.themes
    stored = dict(zip(themes.get_column("theme_id"), themes.get_column("keywords"), strict=True))
    assert {theme: json.loads(words) for theme, words in stored.items()} == {
        theme: fresh.get(theme, {}) for theme in stored
    }


def test_a_rerun_with_nothing_new_loads_neither_spacy_nor_umap(weeks: Weeks, tmp_path) -> None:
    state = shutil.copytree(weeks.state, tmp_path / "state")
    code = (
        "import sys, cxtext; from tests.support import analyze_demo; "
        f"analyze_demo({str(weeks.source2)!r}, {str(tmp_path / 'out')!r}, state={str(state)!r}); "
        "print(sorted(m for m in ('spacy', 'umap', 'torch') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_new_groups_are_the_groups_scipys_average_linkage_cuts(weeks: Weeks) -> None:
    """A rerun groups its unplaced comments without importing scipy: the same partition as
    scipy's average linkage cut at the same cosine distance, repeated comments included."""
    from scipy.cluster.hierarchy import fcluster, linkage

    from cxtext.themes.incremental import average_linkage_groups

    space, rng = weeks.second.space, np.random.default_rng(0)
    for size in (2, 3, 17, 60, len(space)):
        rows = rng.choice(len(space), size, replace=False)
        rows = np.r_[rows, rows[: size // 3]]
        tree = linkage(np.asarray(space[rows], np.float64), method="average", metric="cosine")
        for cut in (0.5, 0.75, 0.9):
            ours = average_linkage_groups(space[rows], cut).tolist()
            theirs = fcluster(tree, t=cut, criterion="distance").tolist()
            assert len(set(zip(ours, theirs, strict=True))) == len(set(ours)) == len(set(theirs))


def _unit(*weights: float) -> np.ndarray:
    vector = np.asarray(weights, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_a_refit_gives_old_ids_to_the_themes_that_hold_their_comments() -> None:
    """Ids follow comments: a refitted theme made mostly of an old theme's comments keeps that
    id even where its centroid is nearer another old theme; a theme of new comments takes the
    old id whose centroid it matches; one that matches nothing gets a fresh id."""
    from cxtext.state import ThemeState
    from cxtext.themes.refit import map_to_previous

    old_centroids = np.stack([_unit(1, 0, 0, 0), _unit(0, 1, 0, 0), _unit(0, 0, 1, 0)])
    previous = ThemeState(
        theme_ids=["n01", "n02", "n03"],
        centroids=old_centroids,
        labels={},
        sources={},
        language_means={},
        next_new=4,
        assignments={"a1": "n01", "a2": "n01", "a3": "n01", "b1": "n02", "b2": "n02"},
    )
    keys = ["a1", "a2", "a3", "b1", "b2", "new1", "new2", "new3", "new4"]
    fitted = np.array(["d0", "d0", "d0", "d1", "d1", "d2", "d2", "d3", "d3"])
    space = np.stack(
        [_unit(0, 1, 0, 0)] * 3  # n01's comments, drifted towards n02's old centroid
        + [_unit(1, 0, 0, 0)] * 2  # and n02's towards n01's
        + [_unit(0, 0, 1, 0.1)] * 2  # new comments like n03
        + [_unit(0, 0, 0, 1)] * 2  # new comments like nothing stored
    )
    mapped, next_new = map_to_previous(fitted, space, previous, keys)
    assert mapped.tolist() == ["n01"] * 3 + ["n02"] * 2 + ["n03"] * 2 + ["n04"] * 2
    assert next_new == 5


def test_a_new_comment_joins_no_stored_theme_of_the_wrong_polarity() -> None:
    """Scheduled runs respect polarity as a first run does: clear praise joins no stored wish or
    problem theme, a clear complaint no praise theme; a discovered theme takes either."""
    from cxtext.config import ThemeOptions
    from cxtext.state import ThemeState
    from cxtext.themes.incremental import assign_with_state

    previous = ThemeState(
        theme_ids=["chatbot_omnichannel", "praise_staff", "n01"],
        centroids=np.stack([_unit(1, 0, 0, 0), _unit(0, 1, 0, 0), _unit(0, 0, 1, 0)]),
        labels={},
        sources={},
        language_means={},
        next_new=2,
        assignments={},
    )
    polarities = {"chatbot_omnichannel": "wish", "praise_staff": "praise"}
    space = np.stack([_unit(1, 0.6, 0, 0), _unit(0.6, 1, 0.3, 0), _unit(1, 0, 0.6, 0)])
    keys = ["praise", "complaint", "praise2"]
    tone = np.array([1, -1, 1])
    ids, _ = assign_with_state(keys, keys, space, previous, ThemeOptions(), 0, tone, polarities)
    assert ids.tolist() == ["praise_staff", "chatbot_omnichannel", "n01"]
    ids, _ = assign_with_state(keys, keys, space, previous, ThemeOptions(), 0)
    assert ids.tolist() == ["chatbot_omnichannel", "praise_staff", "chatbot_omnichannel"]


def test_scheduled_scores_keep_seen_ones_and_score_the_rest_against_their_theme() -> None:
    """A seen comment keeps the score the state kept; in a state that kept none it gets the
    cosine to its stored theme's centroid (0 for a seen unthemed comment, not the nearest
    theme's); a new comment gets the cosine to the theme it joins."""
    from cxtext.config import ThemeOptions
    from cxtext.state import ThemeState
    from cxtext.themes.incremental import assign_with_state

    centroids = np.stack([_unit(1, 0, 0, 0), _unit(0, 1, 0, 0)])
    space = np.stack([_unit(1, 0.2, 0, 0), _unit(0.9, 0.1, 0, 0), _unit(0.1, 1, 0, 0)])
    keys = ["seen", "seen-unthemed", "new"]
    previous = ThemeState(
        theme_ids=["n01", "n02"],
        centroids=centroids,
        labels={},
        sources={},
        language_means={},
        next_new=3,
        assignments={"seen": "n01", "seen-unthemed": "-1"},
        scores={"seen": 0.5, "seen-unthemed": 0.0},
    )
    ids, scores = assign_with_state(keys, keys, space, previous, ThemeOptions(), 0)
    assert ids.tolist() == ["n01", "-1", "n02"]
    assert scores.tolist() == [0.5, 0.0, round(float(space[2] @ centroids[1]), 4)]
    previous.scores = {}  # a state written before scores were kept
    _, scores = assign_with_state(keys, keys, space, previous, ThemeOptions(), 0)
    assert scores.tolist() == [round(float(space[0] @ centroids[0]), 4), 0.0, scores[2]]


def test_a_refit_moves_a_seen_comment_between_old_themes_only_when_clearly_closer() -> None:
    """A refit's move between two old themes must beat, on the stored centroids, the gap the
    last run let its own comments sit at (here 0.10: three n01 comments sit that much nearer
    n02): a move 0.05 nearer goes back, one 0.78 nearer stays; a move into a theme the refit
    made needs no margin, so a refit still finds new topics."""
    from cxtext.state import ThemeState
    from cxtext.themes.refit import keep_seen, last_run_tolerance

    previous = ThemeState(
        theme_ids=["n01", "n02"],
        centroids=np.stack([_unit(1, 0, 0, 0), _unit(0, 1, 0, 0)]),
        labels={},
        sources={},
        language_means={},
        next_new=3,
        assignments={"t1": "n01", "t2": "n01", "t3": "n01", "b1": "n02"}
        | {"slight": "n01", "clear": "n01", "new topic": "n01"},
    )
    keys = ["t1", "t2", "t3", "b1", "slight", "clear", "new topic", "unseen"]
    space = np.stack(
        [_unit(1, 1.15, 0, 0)] * 3
        + [_unit(0, 1, 0, 0), _unit(1, 1.08, 0, 0), _unit(0.2, 1, 0, 0), _unit(1, 0, 1, 0)]
        + [_unit(0, 0, 1, 0)]
    )
    last = np.array([previous.assignments.get(k, "-1") for k in keys], dtype=object)
    assert round(last_run_tolerance(space, previous, last), 2) == 0.10
    refitted = np.array(["n01"] * 3 + ["n02", "n02", "n02", "n03", "n03"])
    kept = keep_seen(refitted, space, previous, keys)
    assert kept.tolist() == ["n01"] * 3 + ["n02", "n01", "n02", "n03", "n03"]
