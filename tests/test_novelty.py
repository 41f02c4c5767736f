"""How a new theme is told from known ones (`cxtext.themes.novelty`), on vectors placed by hand
so the geometry is known: the real-text check is `test_themes.py`."""

from __future__ import annotations

import numpy as np

from cxtext.themes.novelty import novel_groups

DIM = 32


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def around(direction: int, count: int, spread: float, rng: np.random.Generator) -> np.ndarray:
    centre = np.zeros(DIM)
    centre[direction] = 1.0
    return unit(centre + spread * rng.standard_normal((count, DIM)))


def layout() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A tight group of 20 (axis 0) and 40 scattered comments; two library themes elsewhere."""
    rng = np.random.default_rng(0)
    tight = around(0, 20, 0.08, rng)
    scattered = unit(rng.standard_normal((40, DIM)))
    space = np.vstack([tight, scattered])
    library = unit(np.eye(DIM)[[5, 6]])
    choice = np.arange(len(space)) % 2  # members scattered over both library themes
    return space, library, choice


def test_a_tight_group_no_library_theme_explains_is_new() -> None:
    space, library, choice = layout()
    clusters = np.r_[np.zeros(20, int), np.full(40, -1)]
    groups = novel_groups(space, clusters, choice, library, min_size=5)
    assert (groups[:20] == 0).all() and (groups[20:] == -1).all()


def test_a_tight_group_lumped_into_a_loose_cluster_is_still_found() -> None:
    space, library, choice = layout()
    clusters = np.zeros(len(space), int)  # the clustering drew one cluster around everything
    groups = novel_groups(space, clusters, choice, library, min_size=5)
    found = set(groups[:20].tolist())
    assert len(found) == 1 and found != {-1}
    assert (groups[20:] != groups[0]).mean() > 0.9  # the scattered ones are not part of it


def test_a_group_near_a_library_theme_is_not_new() -> None:
    space, library, choice = layout()
    clusters = np.r_[np.zeros(20, int), np.full(40, -1)]
    near = unit(np.eye(DIM)[[0, 6]])  # a library theme where the group is
    assert (novel_groups(space, clusters, choice, near, min_size=5) == -1).all()
