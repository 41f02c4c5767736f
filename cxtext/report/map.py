"""The 2-D map of comments: similar comments lie close together, for the report's scatter plot.

Computed once per run from the comments' language-neutral vectors (the space themes are found
in) with a seeded 2-D UMAP, so the same run draws the same map; PCA for tiny runs where UMAP
has too few neighbours. Kept in the run folder as map.parquet (id, theme_id, x, y; one row per
content comment in comment order) because the vectors themselves are not written.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

if TYPE_CHECKING:
    from cxtext.api import Result

MIN_UMAP_POINTS = 20  # below this, a PCA projection
MAP_NEIGHBORS = 15

MAP_SCHEMA = {"id": pl.String, "theme_id": pl.String, "x": pl.Float32, "y": pl.Float32}


def comment_map(result: Result) -> pl.DataFrame | None:
    """x, y per content comment, or None when the result carries no vectors (a loaded run)."""
    vectors = result.space if result.space.size else result.embeddings
    content = result.comments.filter(~pl.col("no_content"))
    if vectors.ndim != 2 or vectors.shape[0] != content.height or not vectors.size:
        return None
    xy = project(vectors, int(result.run.get("seed") or 0))
    return pl.DataFrame(
        {
            "id": content.get_column("id"),
            "theme_id": content.get_column("theme_id"),
            "x": xy[:, 0],
            "y": xy[:, 1],
        },
        schema=MAP_SCHEMA,
    )


def project(vectors: np.ndarray, seed: int) -> np.ndarray:
    """Seeded 2-D projection of the rows of `vectors` (n × 2, float32)."""
    n = len(vectors)
    if n < 3:
        return np.zeros((n, 2), dtype=np.float32)
    if n < MIN_UMAP_POINTS:
        from sklearn.decomposition import PCA

        return PCA(n_components=2, random_state=seed).fit_transform(vectors).astype(np.float32)
    from umap import UMAP

    reducer = UMAP(
        n_components=2,
        n_neighbors=min(MAP_NEIGHBORS, n - 1),
        min_dist=0.1,
        metric="cosine",
        random_state=seed,
        n_jobs=1,
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="n_jobs value", category=UserWarning)
        return reducer.fit_transform(vectors).astype(np.float32)
