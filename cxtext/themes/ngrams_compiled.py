"""The compiled pass of `ngrams.nearest_ngram_means`: each comment's cosines summed into one dense
row in scipy's order, each theme's highest ones taken from that row at once. Rows are
independent: they run on every core (numba's threads), and the result does not depend on how.
Compiled once per machine (numba's cache under $CXTEXT_CACHE/numba). Its own module, so that
a weekly run, whose few comments numpy scores, does not import numba (~0.5 CPU s).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange
from numba.core import config

from cxtext.files import cache_dir
from cxtext.themes.tfidf import SparseRows

if not config.CACHE_DIR:  # as for UMAP's functions (`neighbours.keep_compiled_umap`)
    config.CACHE_DIR = str(cache_dir() / "numba")

ROWS_PER_TASK = 64  # comments a thread takes at a time


def compiled_nearest_means(
    comments: SparseRows,
    wanted: np.ndarray,
    columns: SparseRows,
    rows: np.ndarray,
    bounds: np.ndarray,
    k: int,
) -> np.ndarray:
    """`ngrams.nearest_ngram_means` on every core: the examples given by their `columns` (per
    n-gram, the example rows holding it), `rows` the examples' rows sorted by theme, theme t's
    being `rows[bounds[t]:bounds[t + 1]]`."""
    out = np.empty((len(wanted), len(bounds) - 1), dtype=np.float32)
    if len(wanted):
        _nearest(
            comments.indptr,
            comments.indices,
            comments.data,
            np.asarray(wanted, dtype=np.int64),
            columns.indptr,
            columns.indices,
            columns.data,
            rows,
            bounds,
            columns.n_columns,
            k,
            out,
        )
    return out


@njit(cache=True, nogil=True)
def _top_mean(sums, rows, low, high, k, top):  # noqa: ANN001, ANN202
    """Mean of the `k` highest `sums[rows[low:high]]` (-1 for none), summed as numpy sums the
    sorted three (the lowest plus the sum of the others), so the mean is numpy's to the bit."""
    if high <= low:
        return -1.0
    m = min(k, high - low)
    filled = 0
    for e in range(low, high):
        s = sums[rows[e]]
        if filled < m:  # insert, ascending
            p = filled
            while p > 0 and top[p - 1] > s:
                top[p] = top[p - 1]
                p -= 1
            top[p] = s
            filled += 1
        elif s > top[0]:  # drop the lowest, slide the new one into place
            p = 0
            while p + 1 < m and top[p + 1] < s:
                top[p] = top[p + 1]
                p += 1
            top[p] = s
    rest = 0.0
    for t in range(1, m):
        rest += top[t]
    return (top[0] + rest) / m


@njit(parallel=True, cache=True, nogil=True)
def _nearest(a_ptr, a_idx, a_val, wanted, b_ptr, b_idx, b_val, rows, bounds, n_rows, k, out):  # noqa: ANN001, ANN202, E501
    n = wanted.shape[0]
    for task in prange((n + ROWS_PER_TASK - 1) // ROWS_PER_TASK):
        sums = np.zeros(n_rows)
        top = np.empty(k)
        for i in range(task * ROWS_PER_TASK, min(n, (task + 1) * ROWS_PER_TASK)):
            row = wanted[i]
            for jj in range(a_ptr[row], a_ptr[row + 1]):
                j, v = a_idx[jj], a_val[jj]
                for kk in range(b_ptr[j], b_ptr[j + 1]):
                    sums[b_idx[kk]] += v * b_val[kk]
            for theme in range(bounds.shape[0] - 1):
                out[i, theme] = _top_mean(sums, rows, bounds[theme], bounds[theme + 1], k, top)
            sums[:] = 0.0
