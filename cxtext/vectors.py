"""Vector helpers every stage shares: unit length, centroids, and the mean similarity to each
label's nearest references (chunked, so memory stays flat however many rows).

`NORM_FLOOR` keeps a zero vector at zero instead of dividing by zero. The k nearest
similarities are sorted before their mean, so the sum, and with it every score, does not
depend on the order `np.partition` happens to leave them in.
"""

from __future__ import annotations

import numpy as np

NORM_FLOOR = 1e-12
CHUNK_ROWS = 4096  # rows per similarity block (4,096 × 3,000 references ≈ 50 MB of float32)


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Each row (or the one vector) scaled to unit length; zero stays zero."""
    return vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), NORM_FLOOR)


def row_norms(vectors: np.ndarray) -> np.ndarray:
    """Euclidean norm of each row, without a temporary copy of the rows (at least NORM_FLOOR)."""
    return np.maximum(np.sqrt(np.einsum("ij,ij->i", vectors, vectors)), NORM_FLOOR)


def centroid(vectors: np.ndarray) -> np.ndarray:
    """The unit-length mean of the rows (zeros for no rows)."""
    if not len(vectors):
        return np.zeros(vectors.shape[1], np.float32)
    return normalise(vectors.mean(axis=0))


def own_centroid_cosines(space: np.ndarray, labels: np.ndarray, skip: object) -> np.ndarray:
    """Cosine of each row to the centroid of the rows with its label (0 for label `skip`)."""
    scores = np.zeros(len(labels))
    for label in set(labels) - {skip}:
        rows = labels == label
        scores[rows] = space[rows] @ centroid(space[rows])
    return scores


def centroids(groups: list[np.ndarray]) -> np.ndarray:
    """One unit-length mean per group of rows, stacked."""
    return normalise(np.stack([rows.mean(axis=0) for rows in groups]))


def nearest_mean(similarity: np.ndarray, labels: np.ndarray, n_labels: int, k: int) -> np.ndarray:
    """(rows × labels): mean of each row's `k` highest similarities among the columns of each
    label (`labels[j]`: the label of column j); -1 for a label without columns."""
    labels = np.asarray(labels)
    if len(labels) > 1 and not bool(np.all(labels[1:] >= labels[:-1])):
        order = np.argsort(labels, kind="stable")
        similarity, labels = similarity[:, order], labels[order]
    bounds = np.searchsorted(labels, np.arange(n_labels + 1))
    scores = np.full((len(similarity), n_labels), -1.0, dtype=np.float32)
    for label, (low, high) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        if high > low:
            top = min(k, high - low)
            # a slice is a view: no copy of the label's columns
            nearest = np.partition(similarity[:, low:high], -top, axis=1)[:, -top:]
            scores[:, label] = np.sort(nearest, axis=1).mean(axis=1)
    return scores


def chunked_nearest_mean(
    vectors: np.ndarray,
    references: np.ndarray,
    labels: np.ndarray,
    n_labels: int,
    k: int,
    chunk_rows: int = CHUNK_ROWS,
) -> np.ndarray:
    """`nearest_mean` of `vectors @ references.T`, computed `chunk_rows` rows at a time.

    A row's scores are its own whatever its block: the products are summed in float64 and
    rounded to float32. In float32, BLAS sums a row in an order that depends on its place in
    the block and on the block's size (OpenBLAS's Haswell kernel on an AVX2 EPYC: a row alone,
    twice, or 64 times over all differ in the last bits), and a state keeps seen rows."""
    labels = np.asarray(labels)
    order = np.argsort(labels, kind="stable")  # each label's references side by side, once
    references, labels = references[order].astype(np.float64), labels[order]
    scores = np.full((len(vectors), n_labels), -1.0, dtype=np.float32)
    for start in range(0, len(vectors), chunk_rows):
        rows = vectors[start : start + chunk_rows].astype(np.float64)
        block = (rows @ references.T).astype(np.float32)
        scores[start : start + chunk_rows] = nearest_mean(block, labels, n_labels, k)
    return scores
