"""Incremental theme assignment for scheduled runs: stable theme ids across runs.

A comment seen before keeps its theme. A new comment joins the stored theme it is closest to;
new comments that fit no stored theme and form a tight group of their own become new themes
with fresh ids. With `refit`, themes are fitted from scratch and then mapped back onto the old
ids instead (`cxtext.themes.refit`).
"""

from __future__ import annotations

import numpy as np

from cxtext.config import ThemeOptions
from cxtext.io.contract import OUTLIER_THEME
from cxtext.state import ThemeState
from cxtext.themes.discover import OUTLIER, discover_themes, min_theme_size
from cxtext.themes.ids import new_theme_id
from cxtext.themes.library import tone_allows
from cxtext.vectors import own_centroid_cosines

JOIN_SIMILARITY = 0.25  # below this cosine to every stored centroid, a new comment is unplaced
QUICK_FIT = 2_000  # up to this many unplaced comments, new themes are found without UMAP


def assign_with_state(
    keys: list[str],
    texts: list[str],
    space: np.ndarray,
    previous: ThemeState,
    options: ThemeOptions,
    seed: int,
    tone: np.ndarray | None = None,
    polarities: dict[str, str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Theme ids and scores per comment; new themes are numbered from `previous.next_new`.
    A seen comment keeps its theme and the score it had (`previous.scores`; against its own
    stored theme for a state that kept none), so a file scheduled twice is scored the same; a
    new comment is scored as a first run scores it, against the theme it joins.

    `tone` (per comment, `sentiment.clear_tone`) and the library themes' `polarities` (theme id
    → problem | wish | praise) keep a new comment out of a stored theme of the wrong polarity,
    as a first run does (`match_library`)."""
    theme_ids = np.array([previous.assignments.get(k, "") for k in keys], dtype=object)
    cosines = space @ previous.centroids.T if len(previous.theme_ids) else np.zeros((len(keys), 0))
    similarity = cosines
    if tone is not None and polarities and len(previous.theme_ids):
        stored = [polarities.get(t) for t in previous.theme_ids]
        similarity = np.where(tone_allows(tone, stored), cosines, -1.0)
    best = similarity.argmax(axis=1) if similarity.shape[1] else np.zeros(len(keys), int)
    score = similarity[np.arange(len(keys)), best] if similarity.shape[1] else np.zeros(len(keys))
    unseen = theme_ids == ""
    placed = unseen & (score >= JOIN_SIMILARITY)
    for row in np.flatnonzero(placed):
        theme_ids[row] = previous.theme_ids[best[row]]
    next_new = previous.next_new
    unplaced = np.flatnonzero(unseen & ~placed)
    size = min_theme_size(len(keys), options)
    if len(unplaced) >= 2 * size:
        clusters = discover_unplaced(
            [texts[i] for i in unplaced], space[unplaced], size, options, seed
        )
        for cluster in sorted(set(clusters[clusters != OUTLIER])):
            theme_ids[unplaced[clusters == cluster]] = new_theme_id(next_new)
            next_new += 1
    theme_ids[theme_ids == ""] = OUTLIER_THEME
    return theme_ids.astype(str), _scores(keys, theme_ids, space, cosines, previous)


def _scores(
    keys: list[str],
    theme_ids: np.ndarray,
    space: np.ndarray,
    cosines: np.ndarray,
    previous: ThemeState,
) -> np.ndarray:
    """Seen comments: their kept score; comments in a stored theme otherwise (new ones, or seen
    ones in a state that kept no scores): the cosine to its centroid (what a new comment joined
    with); in a new theme: the cosine to that theme's centroid; in none: 0."""
    column = {theme_id: i for i, theme_id in enumerate(previous.theme_ids)}
    scores = np.zeros(len(keys))
    fresh = np.zeros(len(keys), dtype=bool)  # in a theme this run made
    for row, (key, theme_id) in enumerate(zip(keys, theme_ids, strict=True)):
        kept = previous.scores.get(key) if key in previous.assignments else None
        if kept is not None:
            scores[row] = kept
        elif theme_id in column:
            scores[row] = cosines[row, column[theme_id]]
        else:
            fresh[row] = theme_id != OUTLIER_THEME
    if fresh.any():
        scores[fresh] = own_centroid_cosines(space[fresh], theme_ids[fresh], OUTLIER_THEME)
    return np.round(scores, 4)


def discover_unplaced(
    texts: list[str], space: np.ndarray, size: int, options: ThemeOptions, seed: int
) -> np.ndarray:
    """Clusters (0, 1, ... by size) among a run's new comments that fit no stored theme, OUTLIER
    for the rest; a cluster needs `size` comments, the run's minimum theme size.

    A weekly run has a few hundred such comments at most. They are grouped by average-linkage
    cosine clustering cut where a group's comments are, on average, as similar to each other
    as a comment must be to a stored theme's centroid to join it (`JOIN_SIMILARITY`): a new
    theme is as coherent as an old one, and comments that resemble nothing stay unthemed. No
    UMAP (whose compilation alone costs ~20 s) and no scikit-learn import: scipy only. Above
    QUICK_FIT comments, a first run's discovery is used instead.
    """
    if len(texts) > QUICK_FIT:
        return discover_themes(texts, space, options, seed)
    clusters = np.full(len(texts), OUTLIER)
    if len(texts) < max(2 * size, 2):
        return clusters
    from scipy.cluster.hierarchy import fcluster, linkage

    tree = linkage(np.asarray(space, dtype=np.float64), method="average", metric="cosine")
    groups = fcluster(tree, t=1 - JOIN_SIMILARITY, criterion="distance")
    ids, first, counts = np.unique(groups, return_index=True, return_counts=True)
    large = sorted(
        (-count, start, group)
        for group, start, count in zip(ids, first, counts, strict=True)
        if count >= size
    )
    for rank, (_, _, group) in enumerate(large):
        clusters[groups == group] = rank
    return clusters
