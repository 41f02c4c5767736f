"""The 2-D map of comments: similar comments lie close together, for the report's scatter plot.

Drawn from the comments' language-neutral vectors (the space themes are found in) and kept in
the run folder as map.parquet (id, theme_id, x, y; one row per content comment in comment
order) because the vectors themselves are not written. Two ways to draw it:

- a fresh map (first run, `--refit`, no state): a seeded 2-D UMAP, so the same run draws the
  same map; PCA for tiny runs where UMAP has too few neighbours. Above `MAP_FIT` comments UMAP
  is fitted on a seeded sample of that size and the rest are placed like new comments below,
  so a 100k-comment map costs seconds and megabytes, not minutes and gigabytes;
- an incremental map (`--state` holding the previous run's map, no `--refit`): the map stays
  put between scheduled runs. A comment seen before keeps its x, y (identical texts share the
  position of the first one); a new comment is placed at the weighted mean x, y of its
  `PLACE_NEIGHBORS` most cosine-similar seen comments (weights exp((s - s_best) / σ), as
  UMAP's own transform starts from), so it lands beside the comments it resembles. No UMAP
  runs at all; with fewer than `MIN_SEEN` seen comments the map is drawn fresh. (On
  dev_feedback, 5% held-out comments placed this way land a median 8% of the map's spread
  from where UMAP put them, beside a comment of their own theme as often as UMAP does.)
"""

from __future__ import annotations

import numpy as np
import polars as pl

from cxtext.result import Result
from cxtext.state.keys import comment_keys
from cxtext.vectors import row_norms

MIN_UMAP_POINTS = 20  # below this, a PCA projection
MAP_NEIGHBORS = 15
MAP_FIT = 5_000  # above this many comments, UMAP is fitted on a seeded sample of this size
PLACE_NEIGHBORS = 10  # placed comments: interpolated from this many nearest anchors
PLACE_SIGMA = 0.02  # cosine-similarity scale of the interpolation weights (sharp: near ones count)
MIN_SEEN = MIN_UMAP_POINTS  # fewer seen comments than this: an incremental map is drawn fresh
CHUNK_CELLS = 1 << 22  # similarities ranked at once while placing (~64 MB with the ranking)

MAP_SCHEMA = {"id": pl.String, "theme_id": pl.String, "x": pl.Float32, "y": pl.Float32}


def comment_map(
    result: Result, previous: pl.DataFrame | None = None, fit_size: int | None = None
) -> pl.DataFrame | None:
    """x, y per content comment, or None when the result carries no vectors (a loaded run).

    `previous`: the last run's positions by comment key (`cxtext.state.map.POINTS_SCHEMA`);
    given, seen comments keep them and new ones are placed among them.
    """
    vectors = result.space if result.space.size else result.embeddings
    content = result.comments.filter(~pl.col("no_content"))
    if vectors.ndim != 2 or vectors.shape[0] != content.height or not vectors.size:
        return None
    xy = None
    if previous is not None:
        xy = keep_and_place(vectors, comment_keys(content.get_column("text")), previous)
    if xy is None:
        xy = project(vectors, int(result.run.get("seed") or 0), fit_size)
    return pl.DataFrame(
        {
            "id": content.get_column("id"),
            "theme_id": content.get_column("theme_id"),
            "x": xy[:, 0],
            "y": xy[:, 1],
        },
        schema=MAP_SCHEMA,
    )


def keep_and_place(
    vectors: np.ndarray, keys: list[str], previous: pl.DataFrame
) -> np.ndarray | None:
    """Seen comments at their previous x, y; the others placed among them. None when fewer
    than `MIN_SEEN` comments were seen before."""
    known = dict(zip(previous.get_column("comment_key"), range(previous.height), strict=True))
    rows = np.array([known.get(key, -1) for key in keys], dtype=np.int64)
    seen = rows >= 0
    if seen.sum() < MIN_SEEN:
        return None
    stored = previous.select("x", "y").to_numpy().astype(np.float32)
    xy = np.empty((len(keys), 2), np.float32)
    xy[seen] = stored[rows[seen]]
    if not seen.all():
        xy[~seen] = place(vectors[~seen], vectors[seen], xy[seen])
    return xy


def place(vectors: np.ndarray, anchors: np.ndarray, anchor_xy: np.ndarray) -> np.ndarray:
    """x, y of each row of `vectors`: the weighted mean x, y of its `PLACE_NEIGHBORS` most
    cosine-similar `anchors`; in chunks, so memory stays bounded however many anchors."""
    k = min(PLACE_NEIGHBORS, len(anchors))
    anchor_norms = row_norms(anchors)
    xy = np.empty((len(vectors), 2), np.float32)
    step = max(1, CHUNK_CELLS // len(anchors))
    for start in range(0, len(vectors), step):
        rows = vectors[start : start + step]
        similarity = rows @ anchors.T
        similarity /= row_norms(rows)[:, None] * anchor_norms[None, :]
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(similarity, nearest, axis=1)
        weights = np.exp((top - top.max(axis=1, keepdims=True)) / PLACE_SIGMA)
        weights /= weights.sum(axis=1, keepdims=True)
        xy[start : start + step] = np.einsum("nk,nkd->nd", weights, anchor_xy[nearest])
    return xy


def project(vectors: np.ndarray, seed: int, fit_size: int | None = None) -> np.ndarray:
    """Seeded 2-D projection of the rows of `vectors` (n × 2, float32). Above `fit_size`
    (default `MAP_FIT`) rows, UMAP sees a seeded sample and the rest are placed among it."""
    n, fit_size = len(vectors), fit_size or MAP_FIT
    if n <= fit_size:
        return _fit(vectors, seed)
    sample = np.zeros(n, bool)
    sample[np.random.default_rng(seed).choice(n, fit_size, replace=False)] = True
    xy = np.empty((n, 2), np.float32)
    xy[sample] = _fit(vectors[sample], seed)
    xy[~sample] = place(vectors[~sample], vectors[sample], xy[sample])
    return xy


def _fit(vectors: np.ndarray, seed: int) -> np.ndarray:
    n = len(vectors)
    if n < 3 or not np.ptp(vectors, axis=0).any():  # one point, however many times: no spread
        return np.zeros((n, 2), dtype=np.float32)
    if n < MIN_UMAP_POINTS:
        from sklearn.decomposition import PCA

        return PCA(n_components=2, random_state=seed).fit_transform(vectors).astype(np.float32)
    from cxtext.neighbours import seeded_umap

    reducer = seeded_umap(vectors, MAP_NEIGHBORS, 2, 0.1, seed)
    return reducer.fit_transform(vectors).astype(np.float32)
