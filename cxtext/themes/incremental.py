"""Incremental theme assignment for scheduled runs: stable theme ids across runs.

A comment seen before keeps its theme. A new comment as close to its nearest stored theme as
that theme's members are on average joins it at once; the rest are grouped first, and tight
groups whose mean is not already a stored theme's become new themes with fresh ids; what stays
joins its nearest stored theme when it is as close as all but the least typical of the theme's
members (a first run's Ward cut themes every comment too), and comments unlike every theme stay
unthemed. With `refit`, themes are fitted from scratch and then mapped back onto the old ids
instead (`cxtext.themes.refit`).
"""

from __future__ import annotations

import numpy as np

from cxtext.config import ThemeOptions
from cxtext.io.contract import OUTLIER_THEME
from cxtext.state import ThemeState
from cxtext.themes.discover import OUTLIER, discover_themes, min_theme_size
from cxtext.themes.ids import new_theme_id
from cxtext.themes.library import ThemeLibrary, library_theme_scores, tone_allows
from cxtext.vectors import centroid, own_centroid_cosines

JOIN_SIMILARITY = 0.25  # cosine a new group's comments share on average; the one join floor of
# a state without sums. With sums, a new comment joins at once at JOIN_AT_ONCE × its nearest
# theme's mean member cosine (|sum| / count), after the search for new groups at JOIN_AFTER × a
# new member's expected cosine (leave-one-out; the members' 5th percentile is 0.38 of it on
# 5,000 Swedish dev reviews).
JOIN_AT_ONCE, JOIN_AFTER = 1.0, 0.4
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
    library: ThemeLibrary | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Theme ids and scores per comment; new themes are numbered from `previous.next_new`.
    A seen comment keeps its theme and the score it had (`previous.scores`; against its own
    stored theme for a state that kept none), so a file scheduled twice is scored the same; a
    new comment is scored as a first run scores it, against the theme it joins: in a `library`
    theme by the library's score (`library_theme_scores`), else by the cosine to its centroid.

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
    at_once, after = _join_floors(previous, best)
    placed = unseen & (score >= at_once)
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
            rows = unplaced[clusters == cluster]
            if not _within_stored_theme(space[rows], previous):
                theme_ids[rows] = new_theme_id(next_new)
                next_new += 1
    for row in np.flatnonzero((theme_ids == "") & (score >= after)):
        theme_ids[row] = previous.theme_ids[best[row]]
    theme_ids[theme_ids == ""] = OUTLIER_THEME
    scores = _scores(keys, theme_ids, space, cosines, previous)
    if library is not None:
        scores = _library_scores(keys, texts, theme_ids, space, scores, previous, library)
    return theme_ids.astype(str), scores


def _within_stored_theme(rows: np.ndarray, previous: ThemeState) -> bool:
    """Whether a group of new comments is a part of a stored theme rather than a new one: its
    centroid as close to the theme's centroid as the theme's members are on average (each
    counted in it, so strict for a small theme). Its comments may lie at the theme's edge one
    by one, but their mean is the theme."""
    if previous.sums is None or previous.counts is None or not len(previous.theme_ids):
        return False
    return bool((previous.centroids @ centroid(rows) >= JOIN_AT_ONCE * _own_means(previous)).any())


def _join_floors(previous: ThemeState, best: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per comment, the cosine to its nearest stored theme (`best`) at which it joins at once,
    and after the search for new groups. Each theme's own: a broad theme takes comments a tight
    one would not. At once asks for the members' mean cosine to the centroid they make (strict:
    each counts in it; 1 for a one-comment theme), so a new topic near an old theme is grouped
    first; after, a share of what a new member would have (`_new_member_means`). A state
    without sums keeps one floor for both (`JOIN_SIMILARITY`)."""
    if previous.sums is None or previous.counts is None or not len(previous.theme_ids):
        floor = np.full(len(best), JOIN_SIMILARITY)
        return floor, floor
    at_once = JOIN_AT_ONCE * _own_means(previous)
    return at_once[best], JOIN_AFTER * _new_member_means(previous)[best]


def _own_means(previous: ThemeState) -> np.ndarray:
    """Per stored theme, its members' mean cosine to its centroid: |sum| / count, since the
    centroid is the unit-length sum."""
    return np.linalg.norm(previous.sums, axis=1) / np.maximum(previous.counts, 1)


def _new_member_means(previous: ThemeState) -> np.ndarray:
    """Per stored theme, the cosine a member has on average to the centroid of the others (what
    a new comment of the theme would have), from |sum| and count alone: a member's own share of
    the sum taken out. JOIN_SIMILARITY for a one-comment theme (nothing to learn from)."""
    counts = np.asarray(previous.counts, dtype=np.float64)
    squared = np.sum(np.asarray(previous.sums, dtype=np.float64) ** 2, axis=1)  # |S|²
    own = squared / np.maximum(counts, 1)  # a member's x·S on average
    rest = np.sqrt(np.maximum(squared - 2 * own + 1, 1e-12))  # |S - x|
    return np.where(counts >= 2, (own - 1) / rest, JOIN_SIMILARITY)


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


def _library_scores(
    keys: list[str],
    texts: list[str],
    theme_ids: np.ndarray,
    space: np.ndarray,
    scores: np.ndarray,
    previous: ThemeState,
    library: ThemeLibrary,
) -> np.ndarray:
    """The scores with each comment in a library theme that kept no score rescored as a first
    run scores it. The cosine to a stored centroid ranked a weekly card's members apart from
    what makes the theme: four weekly dev files quoted 42 of 59 top-card comments of the
    card's main topic (a late-delivery card quoted a binding-period complaint), 50 with this.
    The lexical vote is fitted on the rescored comments and the examples only: fitted on all
    of a 5,350-comment week it cost a weekly run 2 s."""
    column = {theme_id: i for i, theme_id in enumerate(library.theme_ids)}
    themes = np.array(
        [
            -1
            if previous.scores.get(key) is not None and key in previous.assignments
            else column.get(theme_id, -1)
            for key, theme_id in zip(keys, theme_ids, strict=True)
        ],
        dtype=np.int64,
    )
    rows = np.flatnonzero(themes >= 0)  # only these: the lexical vote is fitted on its texts
    if not len(rows):
        return scores
    scores = scores.copy()
    scores[rows] = library_theme_scores(
        space[rows], [texts[row] for row in rows], library, themes[rows]
    )
    return np.round(scores, 4)


def discover_unplaced(
    texts: list[str], space: np.ndarray, size: int, options: ThemeOptions, seed: int
) -> np.ndarray:
    """Clusters (0, 1, ... by size) among a run's new comments that fit no stored theme, OUTLIER
    for the rest; a cluster needs `size` comments, the run's minimum theme size.

    A weekly run has a few hundred such comments at most. They are grouped by average-linkage
    cosine clustering cut where a group's comments are, on average, at least `JOIN_SIMILARITY`
    alike (the floor a new comment needed to join a stored theme before each theme had its
    own): a new theme is as coherent as an old one. No
    UMAP (whose compilation alone costs ~20 s), no scikit-learn and no scipy import (~0.26 CPU s
    of a 6 s rerun): `average_linkage_groups`. Above QUICK_FIT comments, a first run's
    discovery is used instead.
    """
    if len(texts) > QUICK_FIT:
        return discover_themes(texts, space, options, seed)
    clusters = np.full(len(texts), OUTLIER)
    if len(texts) < max(2 * size, 2):
        return clusters
    groups = average_linkage_groups(space, 1 - JOIN_SIMILARITY)
    ids, first, counts = np.unique(groups, return_index=True, return_counts=True)
    large = sorted(
        (-count, start, group)
        for group, start, count in zip(ids, first, counts, strict=True)
        if count >= size
    )
    for rank, (_, _, group) in enumerate(large):
        clusters[groups == group] = rank
    return clusters


def average_linkage_groups(space: np.ndarray, distance: float) -> np.ndarray:
    """A group label per row: average-linkage clustering on cosine distance, cut where merges
    pass `distance` (scipy's `fcluster(linkage(space, "average", "cosine"), distance,
    "distance")`). Merged by the nearest-neighbour chain, as scipy's `linkage` merges:
    O(n²) time and memory (2,000 rows: 0.26 CPU s). Same partitions as scipy on 1,300 random
    and real (Swedish review) vector sets of 2-500 rows, cut at 0.5-0.9."""
    vectors = np.asarray(space, dtype=np.float64)
    norms = np.sqrt(np.einsum("ij,ij->i", vectors, vectors))
    dist = 1.0 - (vectors @ vectors.T) / np.outer(norms, norms)
    np.fill_diagonal(dist, np.inf)  # a merged-away row and column are inf too
    sizes, labels = np.ones(len(vectors)), np.arange(len(vectors))
    chain: list[int] = []
    for _ in range(len(vectors) - 1):
        if not chain:
            chain.append(int(np.flatnonzero(sizes)[0]))
        while True:  # follow nearest neighbours until two are each other's nearest
            x, y = chain[-1], int(np.argmin(dist[chain[-1]]))
            if len(chain) > 1 and dist[x, chain[-2]] <= dist[x, y]:
                y = chain[-2]
                break
            chain.append(y)
        chain = chain[:-2]
        height, (x, y) = dist[x, y], sorted((x, y))
        merged = (sizes[x] * dist[x] + sizes[y] * dist[y]) / (sizes[x] + sizes[y])
        dist[y], dist[:, y], dist[x], dist[:, x] = merged, merged, np.inf, np.inf
        dist[y, y], sizes[y], sizes[x] = np.inf, sizes[x] + sizes[y], 0
        if height <= distance:  # average linkage never merges lower later: the cut is exact
            labels[labels == x] = y
    return labels
