"""Seeded UMAP on exact cosine neighbours, for the theme fit and the comment map.

UMAP's own neighbour search is slow where cxtext uses it: below 4,096 points it calls a numba
cosine once per pair from Python (~6 s of a 3,000-comment fit, compiled code kept), above that
NNDescent compiles for ~10 s per process. The exact neighbours are one chunked matrix product
(~1 s at 10,000, the largest fit cxtext does), so cxtext computes them and hands them to UMAP.
Theme fits below 4,096 comments still let UMAP search: exact neighbours break ties differently,
and on the dev set that moved theme NMI from 0.834 to 0.818 (purity 0.864 to 0.850). The map
never lets UMAP search.

UMAP's numba functions are compiled on first use in every process (~14 s of a 1,000-comment
run) and none asks numba to keep the result. `keep_compiled_umap` turns numba's on-disk cache on
for them, under $CXTEXT_CACHE/numba: a machine compiles once, and later runs load the machine
code (the same code, so the same results).
"""

from __future__ import annotations

import sys
import warnings
from functools import cache

import numpy as np

from cxtext.files import cache_dir
from cxtext.vectors import normalise

UMAP_EXACT_SEARCH = 4096  # below this many rows UMAP compares all pairs itself
# UMAP runs 500 layout epochs up to 10,000 points and 200 above; cxtext takes 200 from 4,096 on
# (BANKING77's 10,003 queries, where UMAP already uses 200, are how themes were measured).
LARGE_FIT, LARGE_FIT_EPOCHS = 4096, 200
CHUNK_ROWS = 2048  # rows per similarity block: 2,048 × 10,000 float32 = 80 MB


def nearest_neighbours(vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices and cosine distances of each row's k nearest rows, itself first, nearest first
    (ties by index, so the result is deterministic)."""
    unit = normalise(vectors)
    unit = unit.astype(np.float64)  # float64 like UMAP's own cosine: the same neighbours
    n, k = len(unit), min(k, len(unit))
    indices = np.empty((n, k), dtype=np.int64)
    distances = np.empty((n, k), dtype=np.float32)
    for start in range(0, n, CHUNK_ROWS):
        rows = np.arange(start, min(start + CHUNK_ROWS, n))
        distance = 1.0 - unit[rows] @ unit.T
        distance[np.arange(len(rows)), rows] = -1.0  # itself first, whatever the rounding
        candidates = np.argpartition(distance, k - 1, axis=1)[:, :k]
        chosen = np.take_along_axis(distance, candidates, axis=1)
        order = np.lexsort((candidates, chosen), axis=1)
        indices[rows] = np.take_along_axis(candidates, order, axis=1)
        distances[rows] = np.maximum(np.take_along_axis(chosen, order, axis=1), 0.0)
    return indices, distances


@cache
def keep_compiled_umap() -> int:
    """Turn on numba's on-disk cache for the compiled functions of UMAP and PyNNDescent (once
    per process); the number of functions it covers. numba keys each entry by the function's
    source file and this CPU, and recompiles when either changes. Where numba cannot cache a
    function, that function compiles per process, as before."""
    import umap  # noqa: F401  (its modules define the functions)

    try:  # numba internals: if a numba release moves them, runs just compile as before
        from numba.core import config
        from numba.core.caching import NullCache
        from numba.core.registry import CPUDispatcher
    except ImportError:
        return 0
    if not config.CACHE_DIR:
        config.CACHE_DIR = str(cache_dir() / "numba")
    covered = 0
    for name, module in list(sys.modules.items()):
        if not name.startswith(("umap.", "pynndescent.")) or module is None:
            continue
        for function in list(vars(module).values()):
            uncached = isinstance(getattr(function, "_cache", None), NullCache)
            if isinstance(function, CPUDispatcher) and uncached:
                try:
                    function.enable_caching()
                    covered += 1
                except Exception:  # noqa: BLE001 - a function numba cannot cache just compiles
                    continue
    return covered


def seeded_umap(
    vectors: np.ndarray,
    n_neighbors: int,
    n_components: int,
    min_dist: float,
    seed: int,
    umap_search_below: int = 0,
):
    """An unfitted, seeded cosine UMAP for `vectors`, given their exact neighbours: fit it on
    exactly these rows. Below `umap_search_below` rows UMAP finds the neighbours itself, as
    before (its all-pairs search; tie-breaking differs, so small fits keep their results)."""
    from umap import UMAP

    keep_compiled_umap()

    class QuietUMAP(UMAP):
        def fit(self, X, y=None, *args, **kwargs):
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*knn_search_index.*")
                warnings.filterwarnings("ignore", message="n_jobs value")
                return super().fit(X, y, *args, **kwargs)

    n_neighbors = max(2, min(n_neighbors, len(vectors) - 1))
    own_search = len(vectors) < umap_search_below
    # The spectral start needs more points than dimensions (scipy's eigsh fails on 12 comments
    # laid out in 10 dimensions); a handful of comments start from seeded random positions.
    spectral = len(vectors) > 2 * (n_components + 1)
    return QuietUMAP(
        init="spectral" if spectral else "random",
        n_neighbors=n_neighbors,
        n_components=n_components,
        min_dist=min_dist,
        metric="cosine",
        random_state=seed,
        n_jobs=1,
        n_epochs=LARGE_FIT_EPOCHS if len(vectors) >= LARGE_FIT else None,
        precomputed_knn=(None, None, None)
        if own_search
        else nearest_neighbours(vectors, n_neighbors),
    )
