"""Open theme discovery: BERTopic (UMAP + HDBSCAN) on precomputed, language-neutral embeddings."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cxtext.config import ThemeOptions

OUTLIER = -1


def min_theme_size(n_comments: int, options: ThemeOptions) -> int:
    """Smallest theme worth reporting: about 1% of the comments, between 5 and 40."""
    if options.min_theme_size:
        return options.min_theme_size
    return int(min(40, max(5, round(n_comments * 0.01))))


def discover_themes(
    texts: Sequence[str], embeddings: np.ndarray, options: ThemeOptions, seed: int
) -> np.ndarray:
    """Cluster ids per comment (-1 = outlier), numbered by size, largest first; deterministic."""
    n = len(texts)
    size = min_theme_size(n, options)
    if n < max(2 * size, 10):
        return np.full(n, OUTLIER)
    topics = _fit_bertopic(list(texts), embeddings, size, options, seed)
    return _renumber_by_size(topics)


def _fit_bertopic(
    texts: list[str], embeddings: np.ndarray, size: int, options: ThemeOptions, seed: int
) -> np.ndarray:
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    umap_model = UMAP(
        n_neighbors=min(options.umap_neighbors, len(texts) - 1),
        n_components=options.umap_components,
        min_dist=0.0,
        metric="cosine",
        random_state=seed,
    )
    hdbscan_model = HDBSCAN(
        min_cluster_size=size, min_samples=max(2, size // 2), prediction_data=False
    )
    model = BERTopic(
        umap_model=umap_model,
        hdbscan_model=hdbscan_model,
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
