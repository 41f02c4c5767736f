"""Incremental theme assignment for scheduled runs: stable theme ids across runs.

A comment seen before keeps its theme. A new comment joins the stored theme it is closest to;
new comments that fit no stored theme and form a tight group of their own become new themes
with fresh ids. With `refit`, themes are fitted from scratch and then mapped back onto the old
ids wherever a new theme's centroid matches an old one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from cxtext.config import ThemeOptions
from cxtext.io.contract import OUTLIER_THEME
from cxtext.report.map import map_points
from cxtext.state import ThemeState, comment_key
from cxtext.themes.discover import OUTLIER, discover_themes, min_theme_size

JOIN_SIMILARITY = 0.25  # below this cosine to every stored centroid, a new comment is unplaced
QUICK_FIT = 2_000  # up to this many unplaced comments, new themes are found without UMAP
SAME_THEME = 0.80  # centroids at least this close are the same theme across runs

if TYPE_CHECKING:
    from cxtext.result import Result


def assign_with_state(
    keys: list[str],
    texts: list[str],
    space: np.ndarray,
    previous: ThemeState,
    options: ThemeOptions,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Theme ids and scores per comment; new themes are numbered from `previous.next_new`."""
    theme_ids = np.array([previous.assignments.get(k, "") for k in keys], dtype=object)
    similarity = (
        space @ previous.centroids.T if len(previous.theme_ids) else np.zeros((len(keys), 0))
    )
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
            theme_ids[unplaced[clusters == cluster]] = f"n{next_new:02d}"
            next_new += 1
    theme_ids[theme_ids == ""] = OUTLIER_THEME
    return theme_ids.astype(str), np.round(score, 4)


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


def map_to_previous(
    theme_ids: np.ndarray, space: np.ndarray, previous: ThemeState | None
) -> tuple[np.ndarray, int]:
    """After a refit, give each fitted theme the old id whose centroid matches (library ids are
    stable by construction); unmatched new themes get fresh ids after the old ones."""
    next_new = previous.next_new if previous else 1
    fitted = sorted(set(theme_ids) - {OUTLIER_THEME})
    renamed = {}
    old = {t: i for i, t in enumerate(previous.theme_ids)} if previous else {}
    taken = set()
    for theme_id in fitted:
        if theme_id in old or not theme_id.startswith(("n", "d")):
            renamed[theme_id] = theme_id
            taken.add(theme_id)
            continue
        centroid = space[theme_ids == theme_id].mean(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
        match = None
        if previous is not None and len(previous.theme_ids):
            sims = previous.centroids @ centroid
            for index in np.argsort(-sims, kind="stable"):
                candidate = previous.theme_ids[index]
                if sims[index] < SAME_THEME:
                    break
                if candidate not in taken:
                    match = candidate
                    break
        if match is None:
            match = f"n{next_new:02d}"
            next_new += 1
        renamed[theme_id] = match
        taken.add(match)
    mapped = np.array([renamed.get(t, t) for t in theme_ids], dtype=object)
    return mapped.astype(str), next_new


def theme_centroids(theme_ids: np.ndarray, space: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Normalised centroid per theme (no outliers), in sorted id order."""
    ids = sorted(set(theme_ids) - {OUTLIER_THEME})
    if not ids:
        return [], np.zeros((0, space.shape[1]), np.float32)
    centroids = np.stack([space[theme_ids == t].mean(axis=0) for t in ids])
    return ids, centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)


def next_theme_state(result: Result, previous: ThemeState | None) -> ThemeState:
    """The theme model to keep for the next run: centroids, labels, assignments, history."""
    content = result.comments.filter(~pl.col("no_content"))
    theme_ids = np.asarray(content.get_column("theme_id").to_list())
    ids, centroids = theme_centroids(theme_ids, result.space)
    themes = result.themes
    numbers = [int(t[1:]) for t in ids if t[:1] == "n" and t[1:].isdigit()]
    history = [*(previous.history if previous else [])]
    history.append(
        {
            "input_sha256": result.run["input_sha256"],
            "rows": result.run["rows_written"],
            "themes": {
                r["theme_id"]: {"label": r["label"], "size": r["size"], "share": r["share"]}
                for r in themes.select("theme_id", "label", "size", "share").to_dicts()
            },
        }
    )
    return ThemeState(
        theme_ids=ids,
        centroids=centroids,
        labels=dict(zip(themes.get_column("theme_id"), themes.get_column("label"), strict=True)),
        sources=dict(zip(themes.get_column("theme_id"), themes.get_column("source"), strict=True)),
        language_means=result.language_means,
        next_new=max([previous.next_new if previous else 1, *[n + 1 for n in numbers]]),
        assignments={
            comment_key(text): theme
            for text, theme in zip(content.get_column("text"), theme_ids, strict=True)
        },
        history=history,
        map_points=(
            map_points(content.get_column("text"), result.comment_map)
            if result.comment_map is not None
            else None
        ),
    )
