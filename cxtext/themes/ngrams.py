"""Character n-gram similarity of comments to a theme's nearest examples, in one compiled pass.

`lexical_nearest` needs, per comment and theme, the mean of the NEAREST_EXAMPLES highest
TF-IDF cosines to the theme's examples. The product of two sparse n-gram matrices is near dense
(a comment shares some 3-gram with most examples), so scipy's sparse product spent its time
building a sparse result that was then made dense and partitioned per theme. Here each
comment's cosines are summed into one dense row, in scipy's order (the comment's n-grams in
their stored order, each adding its products to every example holding it), so every cosine is
the same float64, and each theme's highest ones are taken from that row at once. Rows are
independent: they run on every core (numba's threads), and the result does not depend on how.
Compiled once per machine (numba's cache under $CXTEXT_CACHE/numba).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange
from numba.core import config

from cxtext.files import cache_dir

if not config.CACHE_DIR:  # as for UMAP's functions (`neighbours.keep_compiled_umap`)
    config.CACHE_DIR = str(cache_dir() / "numba")

ROWS_PER_TASK = 64  # comments a thread takes at a time


def nearest_ngram_means(
    comments,  # noqa: ANN001 (scipy CSR rows, one per comment)
    wanted: np.ndarray,
    examples,  # noqa: ANN001 (scipy CSR rows, one per distinct example text)
    example_rows: np.ndarray,
    example_theme: np.ndarray,
    n_themes: int,
    k: int,
) -> np.ndarray:
    """(wanted comments × themes), float32: mean of the `k` highest cosines (dot products of
    the rows) between each comment `wanted[i]` and the examples of each theme; -1 for a theme
    without examples. `example_rows[e]`: the row of `examples` that example `e` (of theme
    `example_theme[e]`) is. The comment rows are read in place (no copy of the matrix). Equal,
    bit for bit, to `nearest_mean((comments[wanted] @ examples[example_rows].T).toarray(), ...)`.
    """
    order = np.argsort(example_theme, kind="stable")
    bounds = np.searchsorted(np.asarray(example_theme)[order], np.arange(n_themes + 1))
    columns = examples.T.tocsr()  # per n-gram: the examples holding it
    out = np.empty((len(wanted), n_themes), dtype=np.float32)
    if len(wanted):
        _nearest(
            comments.indptr,
            comments.indices,
            comments.data,
            np.asarray(wanted, dtype=np.int64),
            columns.indptr,
            columns.indices,
            columns.data,
            np.asarray(example_rows, dtype=np.int64)[order],
            bounds.astype(np.int64),
            examples.shape[0],
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
