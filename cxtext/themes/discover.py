"""Open theme discovery: BERTopic (UMAP + HDBSCAN) on precomputed, language-neutral embeddings."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cxtext.config import ThemeOptions

OUTLIER = -1
FIT_SAMPLE = 10_000  # above this many comments, fit on a seeded sample and assign the rest


def min_theme_size(n_comments: int, options: ThemeOptions) -> int:
    """Smallest theme worth reporting: 1 in 400 comments, between 5 and 40."""
    if options.min_theme_size:
        return options.min_theme_size
    return int(min(40, max(5, round(n_comments / 400))))


def discover_themes(
    texts: Sequence[str], embeddings: np.ndarray, options: ThemeOptions, seed: int
) -> np.ndarray:
    """Cluster ids per comment, numbered by size, largest first; deterministic.

    Above `FIT_SAMPLE` comments the clusters are fitted on a seeded sample and the rest join
    the nearest cluster centroid (memory and time stay linear in the number of comments).
    """
    n = len(texts)
    size = min_theme_size(n, options)
    if n < max(2 * size, 10):
        return np.full(n, OUTLIER)
    if n <= FIT_SAMPLE:
        return _renumber_by_size(_fit_bertopic(list(texts), embeddings, size, options, seed))
    sample = np.sort(np.random.default_rng(seed).choice(n, FIT_SAMPLE, replace=False))
    fitted = _fit_bertopic([texts[i] for i in sample], embeddings[sample], size, options, seed)
    topics = np.full(n, OUTLIER)
    topics[sample] = fitted
    return _renumber_by_size(attach_outliers(embeddings, topics, -1.0))


class SizedWard:
    """Ward clustering whose number of clusters follows the data: HDBSCAN, with the minimum
    theme size, counts the dense groups; Ward then splits all comments into that many groups,
    so every comment lands in a theme. Clusters below the minimum size join their nearest
    neighbour. (Measured on BANKING77 train: NMI 0.80 vs 0.77 for HDBSCAN + outlier attach.)
    """

    def __init__(self, min_size: int) -> None:
        self.min_size = min_size

    def fit(self, points: np.ndarray, y: object = None) -> SizedWard:
        from hdbscan import HDBSCAN
        from sklearn.cluster import AgglomerativeClustering

        dense = HDBSCAN(min_cluster_size=self.min_size, min_samples=max(2, self.min_size // 2))
        k = max(2, len(set(dense.fit_predict(points)) - {OUTLIER}))
        labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(points)
        self.labels_ = _merge_small(points, labels, self.min_size)
        return self

    def predict(self, points: np.ndarray) -> np.ndarray:
        return self.labels_


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
    texts: list[str], embeddings: np.ndarray, size: int, options: ThemeOptions, seed: int
) -> np.ndarray:
    from bertopic import BERTopic
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    umap_model = UMAP(
        n_neighbors=min(options.umap_neighbors, len(texts) - 1),
        n_components=options.umap_components,
        min_dist=0.0,
        metric="cosine",
        random_state=seed,
    )
    model = BERTopic(
        umap_model=umap_model,
        hdbscan_model=SizedWard(size),
        vectorizer_model=CountVectorizer(min_df=1, max_features=20000),
        calculate_probabilities=False,
        verbose=False,
    )
    topics, _ = model.fit_transform(texts, embeddings=embeddings)
    return np.asarray(topics)


def _renumber_by_size(topics: np.ndarray) -> np.ndarray:
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
    centroids = np.stack([embeddings[topics == t].mean(axis=0) for t in ids])
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    similarity = embeddings[outliers] @ centroids.T
    best = similarity.argmax(axis=1)
    close = similarity[np.arange(len(outliers)), best] >= min_similarity
    topics[outliers[close]] = ids[best[close]]
    return topics
