"""Open-set recognition: the library holds only the comments it explains; the rest are new themes.

A comment fits the library when its nearest library examples are about as close to it as its
nearest comments in the data are: the decision is relative to the data, not one cosine
threshold. Intent queries, banking questions or complaint narratives sit far closer to each
other (mean cosine of the nearest three ~0.70) than to any CX example (~0.28), so the library
keeps its hands off them; CX comments sit as close to the library's examples as to each other
(0.42 vs 0.40 on the dev set). Its closest theme must also stand out from the rest of the
library, as the library's own examples' themes do: a long complaint narrative about credit
reports sits about as close (~0.2) to every CX theme, so none of them explains it. The decision
is then taken per discovered cluster, not per comment: a cluster is the library's when most of
its members fit, so a group of comments the library does not know becomes a new theme as a
whole. A cluster split between the two is halved (Ward) and its halves judged in turn.
"""

from __future__ import annotations

import numpy as np

from cxtext.frames import distinct_keys
from cxtext.themes.library import NEAREST_EXAMPLES, ThemeLibrary, nearest_per_theme

HOLD_RATIO = 0.7  # library fit / data fit at which a comment fits the library
STAND_OUT = 0.3  # share of the library's own stand-out (median over its examples) a fit needs
HOLD_SHARE = 0.5  # share of fitting members that makes a cluster the library's
MIXED = 0.25  # a cluster with between 25% and 75% fitting members is halved and judged again
SPLIT_SAMPLE = 2000  # a mixed cluster is halved by Ward on at most this many of its members
DUPLICATE = 0.9999  # cosine at which two comments are the same text
CHUNK = 2048  # comments compared with the data at a time, so memory stays flat
DENSITY_SAMPLE = 10_000  # comments (seeded sample) each comment's data-side density is read from


def fits_library(space: np.ndarray, library: ThemeLibrary) -> np.ndarray:
    """Per comment: do its nearest library examples (of its closest theme) come as close as its
    nearest comments in the data? The data side counts as many neighbours as the library would
    hold at the data's density (3 among ~2,800 examples ≈ 3·n/2,800 among n comments), so a
    large input does not look denser than the library just by being large. Above
    DENSITY_SAMPLE comments the neighbours are sought in a seeded sample of that size, with k
    scaled to it, so the cost grows with n, not n² (`_data_side`). The closest theme
    must also stand out: its fit minus the comment's median fit over all themes is at least
    STAND_OUT of what the library's examples show (`library_stand_out`; 0.35 → 0.105 for the
    default library; dev comments 0.21, CFPB narratives 0.07, xSID queries 0.11)."""
    n = len(space)
    if n == 0:
        return np.zeros(0, dtype=bool)
    # a vector met again (the same text) fits as its first does: each is judged once
    first, inverse = distinct_vectors(space)
    unique = space[first]
    library_side = np.zeros(len(unique))
    stand_out = np.zeros(len(unique))
    for start in range(0, len(unique), CHUNK):
        per_theme = nearest_per_theme(
            unique[start : start + CHUNK] @ library.example_vectors.T, library
        )
        library_side[start : start + CHUNK] = per_theme.max(axis=1)
        stand_out[start : start + CHUNK] = _stand_out(per_theme)
    data_side = _data_side(space, len(library.example_texts), rows=first)
    fits = library_side >= HOLD_RATIO * data_side
    fits &= stand_out >= STAND_OUT * library_stand_out(library)
    return fits[inverse]


def distinct_vectors(space: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct vector, in order, and each row's index among them."""
    return distinct_keys(row.tobytes() for row in space)


def _data_side(
    space: np.ndarray,
    library_size: int,
    sample: int = DENSITY_SAMPLE,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Per comment (of `rows`, default all): mean cosine of its k nearest comments (itself and
    its exact repeats left out), among all comments or, above `sample` of them, a seeded sample
    of that size with k scaled to the sample as to the data; -1 when there is no neighbour to
    count. A row's value is its own, whichever rows are asked for (same float: the product of a
    row does not depend on the rows beside it)."""
    n = len(space)
    neighbours = space
    if n > sample:
        neighbours = space[np.sort(np.random.default_rng(0).choice(n, sample, replace=False))]
    asked = space if rows is None else space[rows]
    m = len(neighbours)
    k = int(min(m - 1, max(NEAREST_EXAMPLES, round(NEAREST_EXAMPLES * m / library_size))))
    data_side = np.full(len(asked), -1.0)
    if k < 1:
        return data_side
    for start in range(0, len(asked), CHUNK):
        similarity = asked[start : start + CHUNK] @ neighbours.T
        # itself and its exact repeats ("same text again") are not the comments around it
        similarity[similarity >= DUPLICATE] = -2.0
        data_side[start : start + CHUNK] = np.partition(similarity, -k, axis=1)[:, -k:].mean(1)
    return data_side


def library_stand_out(library: ThemeLibrary) -> float:
    """Median over the library's examples of how far their closest theme (leaving the example
    itself out) stands out from their median theme."""
    similarity = library.example_vectors @ library.example_vectors.T
    np.fill_diagonal(similarity, -2.0)
    return float(np.median(_stand_out(nearest_per_theme(similarity, library))))


def _stand_out(per_theme: np.ndarray) -> np.ndarray:
    return per_theme.max(axis=1) - np.median(per_theme, axis=1)


def held_by_library(
    space: np.ndarray,
    clusters: np.ndarray,
    fits: np.ndarray,
    min_size: int,
    before: np.ndarray | None = None,
) -> np.ndarray:
    """Per comment: is it in a group the library holds? Groups are the discovered clusters
    (halved while split between fitting and not, down to four times the minimum theme size);
    comments in no cluster (-1) are judged one by one.

    `before` (a refit): per comment 1 if the last run put it in a library theme, 0 if in a
    discovered one, NaN if unseen. A group most of whose members were seen keeps the last
    run's decision unless its share of fitting members is clear (at most MIXED, at least
    1 - MIXED), so a group near HOLD_SHARE does not flip as a whole because 5% more comments
    moved the clusters (`scripts/bench_incremental.py`, refit: 0.573 → 0.610 of seen comments
    keep their theme id); each seen member then keeps its own last decision unless the share
    is clear against it (`_decide`)."""
    held = fits & (clusters < 0)
    pending = [np.flatnonzero(clusters == c) for c in sorted(set(clusters[clusters >= 0]))]
    while pending:
        rows = pending.pop(0)
        share = float(fits[rows].mean())
        if MIXED < share < 1 - MIXED and len(rows) >= 4 * min_size:
            halves = _halves(space, rows)
            if halves:
                pending.extend(halves)
                continue
        held[rows] = _decide(share, before[rows] if before is not None else None, min_size)
    return held


def _decide(share: float, before: np.ndarray | None, min_size: int) -> bool | np.ndarray:
    """A group's decision from its share of fitting members, the last run's when unclear; on a
    refit per member: a seen comment keeps its last decision unless the share is clear against
    it (a held one leaves at a share of at most MIXED, a new one joins at 1 - MIXED or more),
    and where fewer than `min_size` members of a held group would stay out, they follow it
    (they would make a theme too small to report)."""
    group = share >= HOLD_SHARE
    if before is not None and MIXED < share < 1 - MIXED:
        seen = before[~np.isnan(before)]
        if len(seen) * 2 > len(before):
            group = bool(seen.mean() >= HOLD_SHARE)
    if before is None:
        return group
    kept = np.where(
        np.isnan(before), group, np.where(before == 1, share > MIXED, share >= 1 - MIXED)
    )
    if group and 0 < (~kept).sum() < min_size:
        return group
    return kept


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
