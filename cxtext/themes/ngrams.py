"""Character n-gram similarity of comments to each theme's nearest examples.

`lexical_nearest` needs, per comment and theme, the mean of the NEAREST_EXAMPLES highest
TF-IDF cosines to the theme's examples. The product of two sparse n-gram matrices is near dense
(a comment shares some 3-gram with most examples), so scipy's sparse product spent its time
building a sparse result that was then made dense and partitioned per theme. Here each
comment's cosines are summed into one dense row, in scipy's order (the comment's n-grams in
their stored order, each adding its products to every example holding it), so every cosine is
the same float64, and each theme's highest ones are taken from that row at once. A weekly
run's few hundred comments are summed in numpy (one `bincount`, which adds in input order); a
first run's thousands in a compiled pass on every core (`ngrams_compiled`), whose numba import
(~0.5 CPU s) a weekly run is spared. Both give the same bits.
"""

from __future__ import annotations

import numpy as np

from cxtext.themes.tfidf import SparseRows
from cxtext.vectors import nearest_mean

NUMPY_ROWS = 2000  # comments whose votes numpy sums (above: the compiled pass)
NUMPY_CHUNK = 128  # comments per numpy step: ~(chunk × n-grams × examples per n-gram) pairs


def nearest_ngram_means(
    comments: SparseRows,
    wanted: np.ndarray,
    examples: SparseRows,
    example_rows: np.ndarray,
    example_theme: np.ndarray,
    n_themes: int,
    k: int,
) -> np.ndarray:
    """(wanted comments × themes), float32: mean of the `k` highest cosines (dot products of
    the rows) between each comment `wanted[i]` and the examples of each theme; -1 for a theme
    without examples. `example_rows[e]`: the row of `examples` that example `e` (of theme
    `example_theme[e]`) is. The comment rows are read in place (no copy of the matrix). Equal,
    bit for bit, to `nearest_mean((comments[wanted] @ examples[example_rows].T).toarray(), ...)`
    (scipy's product of the same rows)."""
    columns = examples.columns()  # per n-gram: the examples holding it
    if len(wanted) > NUMPY_ROWS:
        from cxtext.themes.ngrams_compiled import compiled_nearest_means

        order = np.argsort(example_theme, kind="stable")
        bounds = np.searchsorted(np.asarray(example_theme)[order], np.arange(n_themes + 1))
        rows = np.asarray(example_rows, dtype=np.int64)[order]
        return compiled_nearest_means(comments, wanted, columns, rows, bounds.astype(np.int64), k)
    out = np.empty((len(wanted), n_themes), dtype=np.float32)
    for low in range(0, len(wanted), NUMPY_CHUNK):
        part = np.asarray(wanted[low : low + NUMPY_CHUNK], dtype=np.int64)
        sums = _cosine_sums(comments, part, columns).reshape(len(part), examples.n_rows)
        out[low : low + len(part)] = nearest_mean(sums[:, example_rows], example_theme, n_themes, k)
    return out


def _cosine_sums(comments: SparseRows, rows: np.ndarray, columns: SparseRows) -> np.ndarray:
    """(rows × examples), flat: each comment row's dot product with every example, its
    n-grams' products added in their stored order (`bincount` adds in input order)."""
    entries = _ranges(comments.indptr[rows], comments.indptr[rows + 1])
    owner = np.repeat(np.arange(len(rows)), np.diff(comments.indptr)[rows])
    grams = comments.indices[entries]
    held = columns.indptr[grams + 1] - columns.indptr[grams]
    pairs = _ranges(columns.indptr[grams], columns.indptr[grams + 1])
    products = np.repeat(comments.data[entries], held) * columns.data[pairs]
    target = np.repeat(owner, held) * columns.n_columns + columns.indices[pairs]
    return np.bincount(target, weights=products, minlength=len(rows) * columns.n_columns)


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The positions start..end-1 of every (start, end), one range after another."""
    lengths = ends - starts
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
