"""Open theme discovery on precomputed, language-neutral embeddings: BERTopic's seeded UMAP,
then a Ward tree cut where the dense groups HDBSCAN counts separate best (`SizedWard`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from cxtext import vectors
from cxtext.config import ThemeOptions
from cxtext.themes.library import ThemeLibrary, match_library

OUTLIER = -1
MIN_FIT_SAMPLE = 100  # a smaller sample cannot hold themes; fit_sample is raised to this
MIN_SAMPLE_NEIGHBORS = 15  # the sample fit's UMAP neighbourhood shrinks with it, not below
CUTS = 16  # Ward tree cuts compared, evenly spaced on a log scale
COARSE_CUTS = 8  # cuts from three clusters up to the finer range, where a coarser level may sit
CLEAR_DROP = 0.1  # silhouette fall within three times as many clusters that marks a level
CLEAR_RISE = 0.025  # rise above the coarser cuts' lowest silhouette that a level also needs
CUT_TOLERANCE = 0.02  # silhouette below the best cut's at which a finer cut is still taken
SILHOUETTE_SAMPLE = 3000  # comments the silhouette of a cut is measured on
REFIT_TIE = 0.05  # silhouette below the chosen cut's at which a refit still keeps the last cut


@dataclass
class WardCut:
    """A scheduled run's Ward cut (number of clusters): `chosen` is set by the fit; a refit
    sets `prefer` to the last run's, kept where the silhouette profile is flat (`REFIT_TIE`)."""

    prefer: int | None = None
    chosen: int | None = None


def min_theme_size(n_comments: int, options: ThemeOptions) -> int:
    """Smallest theme worth reporting: 1 in 400 comments, between 5 and 40."""
    if options.min_theme_size:
        return options.min_theme_size
    return int(min(40, max(5, round(n_comments / 400))))


def discover_themes(
    texts: Sequence[str],
    embeddings: np.ndarray,
    options: ThemeOptions,
    seed: int,
    cut: WardCut | None = None,
) -> np.ndarray:
    """Cluster ids per comment, numbered by size, largest first; deterministic.

    Above `options.fit_sample` comments the clusters are fitted on a seeded sample of that
    size and the rest are assigned to them (`fit_on_sample`), so memory and time stay
    bounded as the number of comments grows.
    """
    n = len(texts)
    size = min_theme_size(n, options)
    if n < max(2 * size, 10):
        return np.full(n, OUTLIER)
    if not options.fit_sample or n <= max(options.fit_sample, MIN_FIT_SAMPLE):
        return renumber_by_size(_fit_bertopic(list(texts), embeddings, size, options, seed, cut))
    return renumber_by_size(fit_on_sample(texts, embeddings, size, options, seed, cut))


def fit_on_sample(
    texts: Sequence[str],
    embeddings: np.ndarray,
    size: int,
    options: ThemeOptions,
    seed: int,
    cut: WardCut | None = None,
) -> np.ndarray:
    """Clusters fitted on a seeded sample, every other comment assigned to one of them.

    The sample fit is scaled to see what a fit on all comments would see: the minimum theme
    size (which sets how many groups HDBSCAN counts) and the UMAP neighbourhood shrink with
    the sample's share. The other comments join the cluster whose centroid, nearest members
    and wording they are closest to, as comments join library themes. (docs/journal/themes.md,
    "Large N: themes fitted on a sample": on BANKING77 train these steps took a half-size sample
    from 0.053 to 0.018 NMI below the full fit.)
    """
    n, m = len(texts), max(options.fit_sample, MIN_FIT_SAMPLE)
    sample = np.sort(np.random.default_rng(seed).choice(n, m, replace=False))
    share = m / n
    neighbors = max(
        round(options.umap_neighbors * share), min(options.umap_neighbors, MIN_SAMPLE_NEIGHBORS)
    )
    fitted = _fit_bertopic(
        [texts[i] for i in sample],
        embeddings[sample],
        max(2, round(size * share)),
        replace(options, umap_neighbors=neighbors),
        seed,
        cut,
    )
    topics = np.full(n, OUTLIER)
    topics[sample] = fitted
    return assign_to_clusters(texts, embeddings, topics)


def assign_to_clusters(
    texts: Sequence[str], embeddings: np.ndarray, topics: np.ndarray
) -> np.ndarray:
    """Give every comment without a cluster (-1) the cluster it matches best, with the
    clustered comments as the examples (centroid + nearest members + character n-grams)."""
    examples = np.flatnonzero(topics != OUTLIER)
    others = np.flatnonzero(topics == OUTLIER)
    if len(examples) == 0 or len(others) == 0:
        return topics
    ids, owners = np.unique(topics[examples], return_inverse=True)
    clusters = ThemeLibrary(
        [str(i) for i in ids], owners, embeddings[examples], [texts[i] for i in examples]
    )
    won, _ = match_library(embeddings[others], [texts[i] for i in others], clusters, -1.0)
    topics = topics.copy()
    topics[others] = ids[won]
    return topics


class SizedWard:
    """Ward clustering whose number of clusters follows the data: HDBSCAN, with the minimum
    theme size, counts the dense groups; the Ward tree of all comments is then cut where the
    groups separate best (`_best_cut`), so every comment lands in a theme. Clusters below the
    minimum size join their nearest neighbour. (Measured on BANKING77 train: NMI 0.80 vs 0.77
    for HDBSCAN + outlier attach.)
    """

    def __init__(self, min_size: int, cut: WardCut | None = None) -> None:
        self.min_size = min_size
        self.cut = cut

    def fit(self, points: np.ndarray, y: object = None) -> SizedWard:
        cut = self.cut or WardCut()
        labels = _best_cut(points, max(2, _dense_groups(points, self.min_size)), cut)
        self.labels_ = _merge_small(points, labels, self.min_size)
        return self

    def predict(self, points: np.ndarray) -> np.ndarray:
        return self.labels_


def _best_cut(points: np.ndarray, dense: int, cut: WardCut) -> np.ndarray:
    """Labels from the Ward tree cut into the most groups that separate about as well as the
    best cut (walking finer from the best while within CUT_TOLERANCE of it: 0.02 takes CLINC150
    from 127 to 162 themes, NMI 0.919 → 0.923, and keeps BANKING77 at its peak, where 0.01 stopped
    short and a jump past a dip lost 0.005), among cuts from a fifth of (at least
    three) to a bit more than HDBSCAN's count of dense groups, unless a coarser level stands
    clear of the finer ones (`_clear_level`). HDBSCAN at a small minimum size counts every tight
    knot of paraphrases as a group (65 on xSID's 15 intents, NMI 0.69); the silhouette finds
    where the tree's branches really part (13 groups there, NMI 0.80) and keeps about HDBSCAN's
    count where it is right (CLINC150: 138 for 150 intents). The cut taken is recorded in `cut`,
    where a refit's last cut (`cut.prefer`) wins if it separates about as well (REFIT_TIE)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.metrics import silhouette_score

    n = len(points)
    tree = linkage(points, method="ward")
    top = min(n - 1, max(3, round(dense * 1.2)))
    # never fewer than three: a split in two scores a high silhouette on almost any data
    low = min(max(3, dense // 5), top)
    candidates = np.concatenate([np.geomspace(3, low, COARSE_CUTS), np.geomspace(low, top, CUTS)])
    sample = np.sort(np.random.default_rng(0).choice(n, min(n, SILHOUETTE_SAMPLE), replace=False))
    cuts: dict[int, np.ndarray] = {}

    def silhouette(k: int) -> float | None:
        if k not in cuts:
            cuts[k] = fcluster(tree, k, criterion="maxclust") - 1
        if 1 < len(np.unique(cuts[k][sample])) < len(sample):
            return float(silhouette_score(points[sample], cuts[k][sample]))
        return None

    grid = np.unique(candidates.round().astype(int))
    separation = {int(k): s for k in grid if (s := silhouette(int(k))) is not None}
    if not separation:
        cut.chosen = min(dense, n)
        return fcluster(tree, cut.chosen, criterion="maxclust") - 1
    chosen = _clear_level(separation, low, silhouette)
    if chosen is None:
        finer = {k: s for k, s in separation.items() if k >= low} or separation
        chosen = _finest_near(finer, max(finer, key=finer.__getitem__))
    cut.chosen = chosen
    if cut.prefer is not None and 2 < cut.prefer < n and cut.prefer != chosen:
        last = silhouette(cut.prefer)
        if last is not None and last >= separation[chosen] - REFIT_TIE:
            cut.chosen = cut.prefer
            return cuts[cut.prefer]
    return cuts[chosen]


def _clear_level(
    separation: dict[int, float], low: int, silhouette: Callable[[int], float | None]
) -> int | None:
    """The coarsest cut at a silhouette peak that rises by CLEAR_RISE above the lowest of the
    coarser cuts and falls by CLEAR_DROP within three times as many clusters (the finest cut
    about as good, up to that fall), or None. The fall of a peak in the coarse range (up to
    `low`, where the grid holds 8 cuts) is measured on every cut of its window (`silhouette`):
    on the sparse grid the valley fell between cuts, and xSID with the dialects read 0.098 and
    0.075 where every cut shows 0.112 and 0.103 (seeds 0, 1), so it made 239 and 236 themes of
    15 intents (NMI 0.60) instead of 20 and 14 (0.81). Parallel versions of one query (xSID: 13
    per query, 300 queries, 15 intents) are tight knots that HDBSCAN counts and the silhouette
    prefers (0.78 at ~270 cuts), yet the intents are a level of their own: 0.49 at 3 cuts,
    0.65 at 9-20, 0.48-0.55 by 30. Falls elsewhere stay below 0.1 on every cut too (CFPB 0.091
    from 4 cuts, CLINC150 0.085 from 6, BANKING77 and the CX dev set 0.02). A silhouette that
    only falls from three clusters is the few-clusters artefact, not a level: its shoulders
    (xSID da + nb + en: 0.76 at 3, 0.77 at 4) rise by 0.01 at most, and taken they made 4
    themes of xSID's 15 intents (NMI 0.687) and of 5,000 Swedish reviews. The peak at 8 cuts
    on xSID da + nb + en rises 0.04-0.1 from the coarser valley and falls 0.12-0.24 by 24:
    taken, NMI 0.809-0.857 where the finer best cut (11-12) gave 0.780-0.806
    (docs/journal/themes.md, "Seed-stable level" and "The valley on every cut"). A coarse peak
    is also located on every cut between its grid neighbours, and the cut taken is never
    coarser than it: where the grid (… 7, 9 …) skipped xSID's peak at 8, the walk stopped at 7
    (7 themes of 15 intents, NMI 0.805; at 8, 0.845; docs/journal/themes.md, "Polishing the
    cut")."""
    ks = sorted(separation)
    # from the third cut: a peak at the second rises above the three-cluster cut alone, which
    # the few-clusters artefact lifts on any data (held-out Danish news comments, 3,429: a
    # peak at 4, +0.05 above 3, made 4 themes of ~100 posts' topics, AMI 0.19; 16-18 cuts 0.31)
    for i in range(2, len(ks) - 1):
        k, peak = ks[i], separation[ks[i]]
        if peak < separation[ks[i - 1]] or peak < separation[ks[i + 1]]:
            continue
        if peak < min(separation[j] for j in ks[:i]) + CLEAR_RISE:
            continue
        # a level is the best of the coarse range from it on: CLINC150 (seed 42, one CPU) has
        # a peak at 6 (0.50) over a valley, then climbs to 0.57 by 28 and 0.70 at 120
        if any(separation[j] > peak for j in ks[i + 1 :] if j <= low):
            continue
        window = [j for j in ks[i + 1 :] if j <= 3 * k] or [ks[i + 1]]
        falls = [separation[j] for j in window]
        if k <= low:
            falls += [s for j in range(k + 1, 3 * k + 1) if (s := silhouette(j)) is not None]
        if peak - min(falls) >= CLEAR_DROP:
            chosen = _finest_near(separation, k)
            if k <= low:  # the peak itself may lie between the sparse grid's cuts
                between = range(ks[i - 1] + 1, ks[i + 1])
                top = max(
                    ((s, -j) for j in between if (s := silhouette(j)) is not None),
                    default=(peak, -k),
                )
                chosen = max(chosen, -top[1])
            return chosen
    return None


def _finest_near(separation: dict[int, float], start: int) -> int:
    """The finest cut reached from `start` through cuts whose silhouette stays within
    CUT_TOLERANCE of `start`'s: a dip below it ends the walk."""
    chosen = start
    for k in sorted(j for j in separation if j > start):
        if separation[k] < separation[start] - CUT_TOLERANCE:
            break
        chosen = k
    return chosen


def _dense_groups(points: np.ndarray, min_size: int) -> int:
    """How many dense groups HDBSCAN finds. Its usual cluster selection (excess of mass) now
    and then keeps one cluster holding most of the points (at a few hundred comments, after a
    small shift such as one comment's language): the leaves of its tree count the groups then.
    """
    from hdbscan import HDBSCAN

    counted = 0
    for method in ("eom", "leaf"):
        dense = HDBSCAN(
            min_cluster_size=min_size,
            min_samples=max(2, min_size // 2),
            cluster_selection_method=method,
        )
        labels = dense.fit_predict(points)
        sizes = np.unique(labels[labels != OUTLIER], return_counts=True)[1]
        counted = len(sizes)
        if len(sizes) == 0 or sizes.max() <= len(points) / 2:
            break
    return counted


def _merge_small(points: np.ndarray, labels: np.ndarray, min_size: int) -> np.ndarray:
    """Move the members of clusters smaller than `min_size` to the nearest large cluster."""
    ids, counts = np.unique(labels, return_counts=True)
    large = ids[counts >= min_size]
    if len(large) == 0 or len(large) == len(ids):
        return labels
    centroids = np.stack([points[labels == i].mean(axis=0) for i in large])
    small = ~np.isin(labels, large)
    distances = ((points[small, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    labels = labels.copy()
    labels[small] = large[distances.argmin(axis=1)]
    return labels


def _fit_bertopic(
    texts: list[str],
    embeddings: np.ndarray,
    size: int,
    options: ThemeOptions,
    seed: int,
    cut: WardCut | None = None,
) -> np.ndarray:
    """Cluster ids per comment from BERTopic with `SizedWard` in HDBSCAN's place."""
    from sklearn.feature_extraction.text import CountVectorizer

    from cxtext.imports import bertopic
    from cxtext.neighbours import UMAP_EXACT_SEARCH, seeded_umap

    umap_model = seeded_umap(
        embeddings,
        options.umap_neighbors,
        options.umap_components,
        0.0,
        seed,
        umap_search_below=UMAP_EXACT_SEARCH,
    )
    model = bertopic().BERTopic(
        umap_model=umap_model,
        hdbscan_model=SizedWard(size, cut),
        vectorizer_model=CountVectorizer(min_df=1, max_features=20000),
        calculate_probabilities=False,
        verbose=False,
    )
    topics, _ = model.fit_transform(texts, embeddings=embeddings)
    return np.asarray(topics)


def renumber_by_size(topics: np.ndarray) -> np.ndarray:
    """Cluster ids 0, 1, … by size, largest first (ties by old id); outliers stay -1."""
    ids, counts = np.unique(topics[topics != OUTLIER], return_counts=True)
    order = sorted(zip(ids, counts, strict=True), key=lambda item: (-item[1], item[0]))
    mapping = {old: new for new, (old, _) in enumerate(order)}
    return np.array([mapping.get(t, OUTLIER) for t in topics])


def attach_outliers(
    embeddings: np.ndarray, topics: np.ndarray, min_similarity: float
) -> np.ndarray:
    """Give an outlier the theme of the nearest centroid when it is close enough."""
    topics = topics.copy()
    ids = np.unique(topics[topics != OUTLIER])
    outliers = np.flatnonzero(topics == OUTLIER)
    if len(ids) == 0 or len(outliers) == 0:
        return topics
    similarity = embeddings[outliers] @ vectors.centroids([embeddings[topics == t] for t in ids]).T
    best = similarity.argmax(axis=1)
    close = similarity[np.arange(len(outliers)), best] >= min_similarity
    topics[outliers[close]] = ids[best[close]]
    return topics
