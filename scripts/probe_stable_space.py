#!/usr/bin/env python3
"""Probe: a space for the Ward cut that one comment cannot reshuffle, as a drop-in for the
UMAP layout inside discovery (docs/stability.md, "A deterministic space between the two").

Each variant replaces only the layout `_fit_bertopic` clusters (SizedWard, its cut selection
and everything around discovery stay as they are; `today` is discovery unchanged):
  - `today`: BERTopic's seeded UMAP (10 dimensions), as `discover_themes` runs it;
  - `spectral<d>`: the spectral embedding of the fuzzy k-nearest-neighbour graph UMAP builds
    (the same exact neighbours and `fuzzy_simplicial_set`): the d eigenvectors after the
    trivial one of the normalised adjacency, as random-walk coordinates (Laplacian
    eigenmaps); `spectral<d>n` row-normalises them (spectral clustering), `diffusion<d>[t<t>]`
    weights each by its eigenvalue to the power t, 1 unless given (a t-step diffusion map);
    a suffix `k<k>` builds the graph on k neighbours instead of `umap_neighbors` (30);
  - `pulled<e>`: UMAP started from the 10-dimensional spectral embedding, run for e epochs
    at learning rate 0.2 (a layout pulled only a little from a fixed projection);
  - `pca<c>`: the vectors PCA-whitened to their top c components.
Modes: `stability` prints, per set and variant, themes before and after each perturbation of
`eval_stability.py`, the ARI and the share of comments keeping their theme; `nmi` prints the
library-off theme stage's NMI/ARI/AMI, themes, theme-vs-language NMI and seconds as
`bench_open_themes.py` does. Nothing is chosen from labels. Usage:
  python scripts/probe_stable_space.py stability --sets sv_reviews dev --variants today spectral50
  python scripts/probe_stable_space.py nmi --sets clinc dev --variants today spectral50
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_open_themes import SETS, SHARED, cxtext_themes, load_set, scores  # noqa: E402
from eval_stability import kept_share, load_stability_set, perturb, themes_of  # noqa: E402

import cxtext.themes.discover as discover_module  # noqa: E402

TODAY = discover_module._fit_bertopic
PULL_RATE = 0.2  # learning rate of the pulled layout (UMAP's default is 1.0)


def neighbour_graph(vectors: np.ndarray, n_neighbors: int, seed: int):
    """The fuzzy simplicial set UMAP builds on these vectors' exact cosine neighbours."""
    from umap.umap_ import fuzzy_simplicial_set

    from cxtext.neighbours import nearest_neighbours

    k = max(2, min(n_neighbors, len(vectors) - 1))
    indices, distances = nearest_neighbours(vectors, k)
    graph, _, _ = fuzzy_simplicial_set(
        vectors,
        k,
        np.random.RandomState(seed),
        "cosine",
        knn_indices=indices,
        knn_dists=distances,
    )
    return graph.tocsr()


def spectral_space(
    graph, dimensions: int, weighting: str = "eigenmap", steps: int = 1
) -> np.ndarray:
    """The `dimensions` leading non-trivial eigenvectors of D^-1/2 A D^-1/2, as random-walk
    coordinates (D^-1/2 u); `diffusion` weights them by eigenvalue to the power `steps` (a
    diffusion map after that many steps), `normalised` scales each
    row to unit length. Deterministic: ARPACK starts from a fixed vector."""
    from scipy.sparse import diags
    from scipy.sparse.linalg import eigsh

    n = graph.shape[0]
    dimensions = min(dimensions, n - 2)
    inverse_root = 1.0 / np.sqrt(np.asarray(graph.sum(axis=1)).ravel())
    adjacency = diags(inverse_root) @ graph @ diags(inverse_root)
    start = np.random.default_rng(0).uniform(0.5, 1.5, n)
    values, vectors = eigsh(adjacency, k=dimensions + 1, which="LA", v0=start, tol=1e-10)
    order = np.argsort(-values)[1:]
    values, vectors = values[order], vectors[:, order]
    space = vectors * inverse_root[:, None]
    space /= np.linalg.norm(space, axis=0, keepdims=True)
    if weighting == "diffusion":
        space = space * np.clip(values, 0.0, None) ** steps
    if weighting == "normalised":
        space = space / np.maximum(np.linalg.norm(space, axis=1, keepdims=True), 1e-12)
    return space * np.sqrt(n)  # unit-ish coordinates per point, whatever n


def layout(variant: str, embeddings: np.ndarray, options, seed: int) -> np.ndarray:
    """The points the variant hands to SizedWard."""
    pattern = r"([a-z]+?)(\d+)(n?)(?:t(\d+))?(?:k(\d+))?"
    kind, number, suffix, steps, neighbours = re.fullmatch(pattern, variant).groups()
    number = int(number)
    if kind == "pca":
        from sklearn.decomposition import PCA

        components = min(number, *embeddings.shape)
        return PCA(components, whiten=True, svd_solver="full").fit_transform(embeddings)
    graph = neighbour_graph(embeddings, int(neighbours or options.umap_neighbors), seed)
    if kind in ("spectral", "diffusion"):
        weighting = "normalised" if suffix else kind.replace("spectral", "eigenmap")
        return spectral_space(graph, number, weighting, int(steps or 1))
    if kind == "pulled":
        from cxtext.neighbours import UMAP_EXACT_SEARCH, seeded_umap

        start = spectral_space(graph, options.umap_components)
        start = (10.0 * start / np.abs(start).max()).astype(np.float32)
        shape = (options.umap_neighbors, options.umap_components, 0.0)  # as discovery's UMAP
        umap = seeded_umap(embeddings, *shape, seed, umap_search_below=UMAP_EXACT_SEARCH)
        umap.set_params(init=start, n_epochs=number, learning_rate=PULL_RATE)
        return umap.fit(embeddings).embedding_
    raise ValueError(f"unknown variant {variant}")


def use_variant(variant: str) -> None:
    """Make discovery cluster the variant's space (`today`: discovery as it is)."""
    if variant == "today":
        discover_module._fit_bertopic = TODAY
        return

    def fit(texts, embeddings, size, options, seed, cut=None):
        points = layout(variant, embeddings, options, seed)
        return discover_module.SizedWard(size, cut).fit(points).labels_

    discover_module._fit_bertopic = fit


def discover(texts: list[str], vectors: np.ndarray, langs: list[str], seed: int) -> np.ndarray:
    """Discovery as eval_stability runs it: vectors centred per gold language, library off."""
    from cxtext.config import ThemeOptions
    from cxtext.embed.language_neutral import centre, language_means
    from cxtext.themes.discover import WardCut, discover_themes

    space = centre(vectors, langs, language_means(vectors, langs))
    return discover_themes(texts, space, ThemeOptions(use_library=False), seed, WardCut())


def stability(sets: list[str], variants: list[str], kinds: list[str], k: int, seed: int) -> None:
    from sklearn.metrics import adjusted_rand_score

    print(
        f"{'set':11}{'variant':14}{'change':10}{'themes':>7}{'after':>6}{'ARI':>7}{'kept':>7}{'s':>6}"
    )
    for name in sets:
        texts, vectors, langs = load_stability_set(name)
        for variant in variants:
            use_variant(variant)
            start = time.perf_counter()
            base = discover(texts, vectors, langs, seed)
            seconds = time.perf_counter() - start
            print(
                f"{name:11}{variant:14}{'none':10}{themes_of(base):7d}{'':20}{seconds:6.0f}",
                flush=True,
            )
            rng = np.random.default_rng(seed)
            for kind in kinds:
                for _ in range(k):
                    kept, changed, moved = perturb(kind, texts, vectors, langs, rng)
                    start = time.perf_counter()
                    after = discover(changed, moved, [langs[i] for i in kept], seed)
                    cells = f"{themes_of(base):7d}{themes_of(after):6d}"
                    cells += f"{adjusted_rand_score(base[kept], after):7.3f}"
                    cells += f"{kept_share(base[kept], after):7.3f}"
                    seconds = time.perf_counter() - start
                    print(f"{name:11}{variant:14}{kind:10}{cells}{seconds:6.0f}", flush=True)


def nmi(sets: list[str], variants: list[str], seed: int, subsample: int) -> None:
    print(
        f"{'set':14}{'variant':14}{'NMI':>7}{'ARI':>7}{'AMI':>7}{'themes':>7}{'langNMI':>8}{'s':>6}"
    )
    for name in sets:
        spec = SETS[name]
        data, vectors = load_set(spec)
        if subsample and data.height > subsample:
            rows = np.sort(np.random.default_rng(0).choice(data.height, subsample, replace=False))
            data, vectors = data[rows], vectors[rows]
        texts, gold = data.get_column("text").to_list(), data.get_column(spec.label).to_list()
        langs = data.get_column(spec.lang).to_list() if spec.lang else None
        for variant in variants:
            use_variant(variant)
            start = time.perf_counter()
            themes = cxtext_themes(texts, vectors, False, seed)
            seconds = time.perf_counter() - start
            row = scores(gold, themes, langs, set())
            cells = "".join(f"{row[key]:7.3f}" for key in ("NMI", "ARI", "AMI"))
            cells += f"{row['themes']:7d}" + (f"{row['lang NMI']:8.3f}" if langs else f"{'':8}")
            print(f"{name:14}{variant:14}{cells}{seconds:6.0f}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("stability", "nmi"))
    parser.add_argument("--sets", nargs="+", required=True)
    parser.add_argument("--variants", nargs="+", default=["today", "spectral50"])
    parser.add_argument("--perturbations", nargs="+", default=["append", "drop1", "drop1pct"])
    parser.add_argument("--k", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--subsample", type=int, default=0, help="nmi: seeded rows per set")
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"skipped: {SHARED} not found (evaluation data lives beside the repo)")
        return 0
    if args.mode == "stability":
        stability(args.sets, args.variants, args.perturbations, args.k, args.seed)
    else:
        nmi(args.sets, args.variants, args.seed, args.subsample)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
