"""Tell a new theme from a known one: a tight cluster that no library theme explains."""

from __future__ import annotations

from collections import Counter

import numpy as np

MIN_COHESION = 0.58  # mean cosine of members to their centroid (language-neutral space)
MAX_LIBRARY_FIT = 0.42  # cosine of the cluster centroid to the closest library centroid
MAX_VOTE_SHARE = 0.50  # share of members whose own best library theme is the top one
SPLIT_SAMPLE = 2000  # a loose cluster is halved by Ward on at most this many of its members


def novel_groups(
    space: np.ndarray,
    clusters: np.ndarray,
    library_choice: np.ndarray,
    library_centroids: np.ndarray,
    min_size: int,
) -> np.ndarray:
    """Group id per comment for the groups that form a new theme, -1 for all others.

    A group is new when it is at least twice the minimum theme size, its members are close
    to each other, its centroid is far from every library theme, and its members do not agree
    on one library theme (they are being forced into scattered ones). A cluster too loose to
    be one theme is halved (Ward) and its halves are judged in turn, so a tight group of
    comments no library theme explains is found even when the clustering lumped it in with
    others: at a few hundred comments how many clusters it draws changes with small shifts.
    """
    groups = np.full(len(clusters), -1)
    pending = [np.flatnonzero(clusters == c) for c in sorted(set(clusters[clusters >= 0]))]
    found = 0
    while pending:
        rows = pending.pop(0)
        if len(rows) < 2 * min_size:
            continue
        centroid = space[rows].mean(axis=0)
        centroid /= max(np.linalg.norm(centroid), 1e-12)
        cohesion = float((space[rows] @ centroid).mean())
        if cohesion < MIN_COHESION:
            if len(rows) >= 4 * min_size:
                pending.extend(_halves(space, rows))
            continue
        fit = float((library_centroids @ centroid).max())
        votes = Counter(library_choice[rows].tolist()).most_common(1)[0][1] / len(rows)
        if fit <= MAX_LIBRARY_FIT and votes <= MAX_VOTE_SHARE:
            groups[rows] = found
            found += 1
    return groups


def _halves(space: np.ndarray, rows: np.ndarray) -> list[np.ndarray]:
    """`rows` split in two by Ward linkage (on an evenly spaced subset when there are many;
    the rest join the nearer half's centroid). Deterministic."""
    from scipy.cluster.hierarchy import fcluster, linkage

    step = max(1, -(-len(rows) // SPLIT_SAMPLE))
    fitted = rows[::step]
    halves = fcluster(linkage(space[fitted], method="ward"), 2, criterion="maxclust")
    if len(set(halves.tolist())) < 2:
        return []
    centroids = np.stack([space[fitted[halves == h]].mean(axis=0) for h in (1, 2)])
    nearest = ((space[rows, None, :] - centroids[None]) ** 2).sum(axis=2).argmin(axis=1)
    nearest[::step] = halves - 1  # the fitted members keep their own half
    return [rows[nearest == 0], rows[nearest == 1]]
