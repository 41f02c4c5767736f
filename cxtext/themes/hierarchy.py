"""Theme groups: the parent level above themes, so a reader can start from a dozen groups.

Library themes sit in the group the taxonomy gives them. A discovered theme joins the library
group whose comments it is closest to when that group is about as close as its own members
(`JOIN_SIMILARITY`); the others are grouped by Ward agglomeration of their mean comments, in a
space whitened by how comments vary inside their own theme (`_theme_points`), into about the
square root of their number of groups, each named by the words its themes' names share
(`group_names.name_groups`: "Credit card", "Car and tires"; a group of one theme by its name).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl
from threadpoolctl import threadpool_limits

from cxtext import vectors
from cxtext.io.contract import OUTLIER_THEME
from cxtext.taxonomy import Taxonomy
from cxtext.themes.group_names import name_groups

JOIN_SIMILARITY = 0.6  # cosine of a discovered theme's centroid to a library group's centroid
MAX_GROUPS = 25
WITHIN_RIDGE = 0.3  # added to each within-theme variance, as a share of their mean


def add_parents(
    themes: pl.DataFrame,
    texts: Sequence[str],
    langs: Sequence[str],
    theme_ids: Sequence[str],
    space: np.ndarray,
    taxonomy: Taxonomy | None,
    label_language: str = "en",
    lemmas: Sequence[list[str]] | None = None,
) -> pl.DataFrame:
    """`themes` with `parent_id` and `parent_label` for every theme; `lemmas`: each comment's
    content lemmas when at hand (a scheduled run's cache), so naming groups needs no spaCy."""
    ids = np.asarray(theme_ids, dtype=object)
    library = _library_groups(themes.get_column("theme_id").to_list(), taxonomy, label_language)
    parents = {t: group for t, (group, _) in library.items()}
    known = {group: label for group, label in library.values()}
    centroids = _centroids(ids, space)
    others = [t for t in themes.get_column("theme_id").to_list() if t not in parents]
    parents |= _join_library(others, centroids, parents, ids, space)
    others = [t for t in others if t not in parents]
    parents |= _agglomerate(others, ids, space)
    theme_names = dict(themes.select("theme_id", "label").iter_rows())
    labels = known | name_groups(
        parents, theme_names, texts, langs, ids, label_language, known, lemmas
    )
    return themes.with_columns(
        pl.col("theme_id").replace_strict(parents, default=None).alias("parent_id"),
        pl.col("theme_id")
        .replace_strict({t: labels.get(g) for t, g in parents.items()}, default=None)
        .alias("parent_label"),
    )


def _library_groups(
    theme_ids: list[str], taxonomy: Taxonomy | None, lang: str
) -> dict[str, tuple[str, str]]:
    """{theme_id: (group id, group name)} for the run's library themes; a theme from a
    taxonomy without groups sits under its journey phase."""
    if taxonomy is None:
        return {}
    result = {}
    for theme_id in theme_ids:
        theme = taxonomy.themes.get(theme_id)
        if theme is None:
            continue
        if theme.group in taxonomy.groups:
            result[theme_id] = (
                theme.group,
                taxonomy.label(taxonomy.groups[theme.group].name, lang),
            )
        elif theme.phase in taxonomy.phases:
            result[theme_id] = (
                theme.phase,
                taxonomy.label(taxonomy.phases[theme.phase].name, lang),
            )
    return result


def _centroids(ids: np.ndarray, space: np.ndarray) -> dict[str, np.ndarray]:
    result = {}
    for theme_id in sorted({t for t in ids if t != OUTLIER_THEME}):
        result[theme_id] = vectors.centroid(space[ids == theme_id])
    return result


def _join_library(
    others: list[str],
    centroids: dict[str, np.ndarray],
    parents: dict[str, str],
    ids: np.ndarray,
    space: np.ndarray,
) -> dict[str, str]:
    """Discovered themes whose centroid is close to a library group's comments join it."""
    groups = sorted(set(parents.values()))
    if not groups or not others:
        return {}
    comment_group = np.array([parents.get(t, "") for t in ids], dtype=object)
    group_centroids = vectors.centroids([space[comment_group == g] for g in groups])
    joined = {}
    for theme_id in others:
        similarity = group_centroids @ centroids[theme_id]
        if similarity.max() >= JOIN_SIMILARITY:
            joined[theme_id] = groups[int(similarity.argmax())]
    return joined


def _agglomerate(others: list[str], ids: np.ndarray, space: np.ndarray) -> dict[str, str]:
    """Ward groups of the themes' whitened mean comments, about sqrt(themes) of them, ids
    `g01`, `g02`, … by number of comments, largest first."""
    if not others:
        return {}
    count = min(MAX_GROUPS, max(1, round(len(others) ** 0.5)))
    if count == 1 or len(others) <= 2:
        labels = np.zeros(len(others), dtype=int)
    else:
        labels = ward_cut(ward_tree(_theme_points(others, ids, space)), count)
    sizes = {t: int((ids == t).sum()) for t in others}
    totals = {
        g: sum(sizes[t] for t, x in zip(others, labels, strict=True) if x == g) for g in set(labels)
    }
    order = sorted(
        totals,
        key=lambda g: (-totals[g], min(t for t, x in zip(others, labels, strict=True) if x == g)),
    )
    number = {g: f"g{i + 1:02d}" for i, g in enumerate(order)}
    return {t: number[g] for t, g in zip(others, labels, strict=True)}


def ward_tree(points: np.ndarray) -> np.ndarray:
    """Ward's merges of `points`, closest first, in scipy's linkage layout (left, right,
    height, size; merge i makes cluster `len(points) + i`), without importing
    `scipy.cluster.hierarchy` (~0.25 s of a scheduled run). Greedy merging with the
    Lance-Williams update gives the tree scipy's nearest-neighbour chain gives: Ward's
    distance never shrinks when clusters merge. For the few hundred theme points at most."""
    n = len(points)
    points = np.asarray(points, dtype=np.float64)
    distance = np.full((n, n), np.inf)
    for i in range(n - 1):
        difference = points[i + 1 :] - points[i]
        distance[i, i + 1 :] = np.sqrt((difference * difference).sum(axis=1))
    distance = np.minimum(distance, distance.T)
    size, cluster = np.ones(n), np.arange(n)
    tree = np.zeros((max(0, n - 1), 4))
    for step in range(n - 1):
        i, j = sorted(divmod(int(distance.argmin()), n))
        height = distance[i, j]
        tree[step] = (
            min(cluster[i], cluster[j]),
            max(cluster[i], cluster[j]),
            height,
            size[i] + size[j],
        )
        total = size[i] + size[j] + size
        merged = np.sqrt(
            ((size[i] + size) * distance[i] ** 2 + (size[j] + size) * distance[j] ** 2
             - size * height**2) / total
        )  # fmt: skip
        distance[i], distance[:, i] = merged, merged
        distance[j], distance[:, j] = np.inf, np.inf
        distance[i, i] = np.inf
        size[i], cluster[i] = size[i] + size[j], n + step
    return tree


def ward_cut(tree: np.ndarray, count: int) -> np.ndarray:
    """Cluster number of each leaf of a scipy linkage `tree` cut into `count` clusters by
    undoing its last `count - 1` merges: the groups scikit-learn's
    `AgglomerativeClustering(n_clusters=count, linkage="ward")` gives (it builds the same tree
    with scipy's `ward`), without importing scikit-learn (~2 s of a scheduled run's start)."""
    leaves = len(tree) + 1
    members = {leaf: [leaf] for leaf in range(leaves)}
    for step, (left, right) in enumerate(tree[: leaves - count, :2].astype(int)):
        members[leaves + step] = members.pop(left) + members.pop(right)
    labels = np.empty(leaves, dtype=int)
    for label, rows in enumerate(members.values()):
        labels[rows] = label
    return labels


def _theme_points(others: list[str], ids: np.ndarray, space: np.ndarray) -> np.ndarray:
    """Each theme's mean comment (unit rows), whitened by the covariance of comments around
    their own theme's mean (ridge `WITHIN_RIDGE`), then unit length.

    Whitening damps what varies inside every theme (how a question is put) and keeps what sets
    themes apart. CLINC150 val, Ward round(sqrt(themes)) = 12 groups, NMI vs the 10 domains:
    0.599 -> 0.643 (seed 42), 0.584 -> 0.614 (seed 7), 0.626 after the discovery changes of
    2026-12-05; ridge 0.1 / 1.0: 0.635 / 0.638. Demo corpus, vs the taxonomy groups of a library
    run: 0.306 -> 0.443 on the themes discovery drew then, a tie (0.375 / 0.373) on today's
    (docs/journal/themes.md, "Groups on whitened theme means").
    """
    # one BLAS thread: for matrices this size threads only wait on each other (the 384-wide
    # `eigh` took 5 s on two threads of a loaded 2-core machine, 0.05 s on one; the per-theme
    # scatter products of 5,250 comments in 73 themes 0.36 s wall, 0.19 s on one). The same
    # bits: a product's threads split its rows and columns, not the sums.
    with threadpool_limits(1, user_api="blas"):
        member = np.isin(ids, others)
        rows, member_ids = vectors.normalise(space[member]), ids[member]
        means = np.zeros((len(others), space.shape[1]))
        scatter = np.zeros((space.shape[1], space.shape[1]))
        for i, theme_id in enumerate(others):
            members = rows[member_ids == theme_id]
            if len(members):
                means[i] = members.mean(axis=0, dtype=np.float64)
                centred = members - means[i].astype(rows.dtype)
                scatter += centred.T @ centred
        variances, axes = np.linalg.eigh(scatter / max(1, len(rows) - 1))
        variances = np.maximum(variances, 0.0)
        ridge = WITHIN_RIDGE * max(float(variances.mean()), vectors.NORM_FLOOR)
        whitened = (means - means.mean(axis=0)) @ (axes / np.sqrt(variances + ridge))
    return vectors.normalise(whitened)
