"""Tell a new theme from a known one: a tight cluster that no library theme explains."""

from __future__ import annotations

from collections import Counter

import numpy as np

MIN_COHESION = 0.58  # mean cosine of members to their centroid (language-neutral space)
MAX_LIBRARY_FIT = 0.42  # cosine of the cluster centroid to the closest library centroid
MAX_VOTE_SHARE = 0.50  # share of members whose own best library theme is the top one


def novel_clusters(
    space: np.ndarray,
    clusters: np.ndarray,
    library_choice: np.ndarray,
    library_centroids: np.ndarray,
    min_size: int,
) -> list[int]:
    """Cluster ids that form a new theme.

    A cluster is new when it is at least twice the minimum theme size, its members are close
    to each other, its centroid is far from every library theme, and its members do not agree
    on one library theme (they are being forced into scattered ones).
    """
    novel = []
    for cluster in sorted(set(clusters[clusters >= 0])):
        rows = clusters == cluster
        if rows.sum() < 2 * min_size:
            continue
        centroid = space[rows].mean(axis=0)
        centroid /= max(np.linalg.norm(centroid), 1e-12)
        cohesion = float((space[rows] @ centroid).mean())
        fit = float((library_centroids @ centroid).max())
        votes = Counter(library_choice[rows].tolist()).most_common(1)[0][1] / rows.sum()
        if cohesion >= MIN_COHESION and fit <= MAX_LIBRARY_FIT and votes <= MAX_VOTE_SHARE:
            novel.append(int(cluster))
    return novel
