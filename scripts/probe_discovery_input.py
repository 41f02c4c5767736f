#!/usr/bin/env python3
"""Discovery alone under changed UMAP input, on the sets of bench_open_themes.py.

Each set's content comments are cleaned, language-detected and centred as
`bench_open_themes.cxtext_themes` does (cached in $TMPDIR/probe_discovery: delete it after a
change to cleaning, language or vectors), then discovery runs with the library off
(`discover_themes` + `attach_outliers`, as `themes._fit` does) while the vectors handed to
UMAP are transformed by a variant:
  smooth:K:A   v' = unit(v + A * mean of v's K nearest neighbours (cosine))
  lex:KIND:W   [v, W * unit(LSA of TF-IDF)] with KIND word / char / both (100 dims)
  lexlang:...  the same, the LSA rows centred per detected language before the unit step
  abtt:D       the mean and the top D principal directions removed, rows unit again
  A+B          A, then B (abtt:1+lex:char:0.5)
  consensus:L  L seeded discoveries (seed, seed + 1, ...), average linkage on how often two
               comments share a cluster, cut at the median count (layouts, not input)
  umap:K=V,... UMAP's own settings changed (set_params on `seeded_umap`'s model, every fit of
               the run, the dev default's too): umap:n_epochs=1000,init=pca (layout, not input)
  knn:C        UMAP gets the exact cosine neighbours (as above 4,096 rows) at every size: the
               control for the graph variants below, which hand UMAP a precomputed graph too
  csls:C:K     hubness reduced: C exact candidates rescored by CSLS (2 cos - r_x - r_y, r the
               mean cosine to the K nearest), the best n_neighbors kept, weighted by 1 - CSLS/2
  mp:C         the same by Gaussian mutual proximity (-log of both rows' P(farther); mean and
               spread of each row's cosine distance to every other row)
  ls:C:K       the same by local scaling (NICDM: d / sqrt(m_x m_y), m the mean distance to K)
  KINDsel:...  csls/mp/ls choose the neighbours, UMAP weighs them by cosine (cslssel:100:10)
  lda:R        R discoveries, each followed by a shrinkage LDA fitted on the centred vectors
               with the discovered themes as labels; the last discovery runs on the unit
               projection (pseudo-label projection: only discovery's own labels are used)
  wcw:R:A      the same with a whitening by the within-theme covariance (ridge A x its mean
               variance, as hierarchy._theme_points) instead of the LDA
A set may be one language of one (`xsid:da`, `dev:sv`). The dev set also runs the default
(library on). Prints NMI, themes, langNMI (sets with a gold language), the k-occurrence
skewness of the exact and the given neighbour graph (graph variants), the discovery's seconds
and the input step's (docs/journal/themes.md, "Session 14", "Session 15" and "Session 16").
  python scripts/probe_discovery_input.py --sets clinc banking --variants none smooth:10:0.5
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
CACHE = Path(tempfile.gettempdir()) / "probe_discovery"


def prepare(name: str) -> dict:
    """Raw texts and vectors, the content rows' texts, detected languages and centred space."""
    import polars as pl
    from bench_open_themes import SETS, load_set

    from cxtext.clean import clean_comments
    from cxtext.config import AnalyzeConfig, ColumnOptions
    from cxtext.embed.language_neutral import centre, language_means
    from cxtext.io.columns import resolve_columns
    from cxtext.io.contract import ROW_COLUMN
    from cxtext.language import assign_language

    path = CACHE / f"{name}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    base, _, lang = name.partition(":")  # "xsid:da": one language of a set
    spec = SETS[base]
    if lang:
        keep = pl.col(spec.lang) == lang
        spec = replace(spec, keep=keep if spec.keep is None else spec.keep & keep)
    data, vectors = load_set(spec)
    texts = data.get_column("text").to_list()
    raw = pl.DataFrame({"text": texts}).with_row_index(ROW_COLUMN)
    cleaned, _ = clean_comments(raw, resolve_columns(raw, ColumnOptions(text="text")))
    kept = cleaned.get_column(ROW_COLUMN).to_numpy()
    frame = cleaned.with_columns(pl.Series("text", [texts[i] for i in kept]))
    frame = assign_language(frame, "text", batch_prior=AnalyzeConfig().language_mix)
    content = ~frame.get_column("no_content").to_numpy()
    rows = kept[content]
    langs = frame.filter(~pl.col("no_content"))["lang"].to_list()
    space = centre(vectors[rows], langs, language_means(vectors[rows], langs))
    prepared = {
        "texts": texts,
        "vectors": vectors,
        "gold": [str(g) for g in data.get_column(spec.label).to_list()],
        "gold_langs": data.get_column(spec.lang).to_list() if spec.lang else None,
        "rows": rows,
        "langs": langs,
        "space": space,
    }
    CACHE.mkdir(exist_ok=True)
    path.write_bytes(pickle.dumps(prepared))
    return prepared


def transform(variant: str, texts: list[str], vectors: np.ndarray, langs: dict) -> np.ndarray:
    from cxtext.neighbours import nearest_neighbours
    from cxtext.vectors import normalise

    if "+" in variant:  # steps applied in turn
        for step in variant.split("+"):
            vectors = transform(step, texts, vectors, langs)
        return vectors
    kind, *args = variant.split(":")
    if kind in ("none", "consensus", "umap", "lda", "wcw") or kind in GRAPHS:
        return vectors
    if kind == "smooth":
        k, a = int(args[0]), float(args[1])
        index, _ = nearest_neighbours(vectors, k + 1)
        return normalise(vectors + a * vectors[index[:, 1:]].mean(axis=1)).astype(np.float32)
    if kind == "abtt":  # all-but-the-top: the mean and the top D principal directions removed
        centred = vectors - vectors.mean(axis=0)
        top = np.linalg.svd(centred, full_matrices=False)[2][: int(args[0])]
        return normalise(centred - centred @ top.T @ top).astype(np.float32)
    if kind in ("lex", "lexlang"):
        lexical = lsa(texts, args[0])
        if kind == "lexlang":
            by = np.array([langs.get(t, "?") for t in texts])
            for lang in np.unique(by):
                lexical[by == lang] -= lexical[by == lang].mean(axis=0)
        lexical = normalise(lexical)
        return np.hstack([vectors, float(args[1]) * lexical]).astype(np.float32)
    raise SystemExit(f"unknown variant {variant}")


def lsa(texts: list[str], kind: str, dims: int = 100) -> np.ndarray:
    from scipy.sparse import hstack
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    views = []
    if kind in ("word", "both"):
        words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        views.append(words.fit_transform(texts))
    if kind in ("char", "both"):
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True)
        views.append(chars.fit_transform(texts))
    matrix = hstack(views).tocsr()
    dims = min(dims, matrix.shape[1] - 1, matrix.shape[0] - 1)
    return TruncatedSVD(dims, random_state=0).fit_transform(matrix)


GRAPHS = ("knn", "csls", "mp", "ls", "cslssel", "mpsel", "lssel")


def hub_graph(vectors: np.ndarray, step: str, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's k neighbours (itself first, at 0) and their distances, sorted, chosen among
    the C exact cosine neighbours by a hubness-reduced score (`csls`, `mp`, `ls`); `knn` keeps
    the cosine order. The distances are the score, each row scaled to at most 1 (UMAP's
    weights do not change with a row's shift or scale; a cosine distance of 2 would cut the
    edge), or the cosine distance where the kind ends in `sel`."""
    from scipy.special import log_ndtr

    from cxtext.neighbours import nearest_neighbours
    from cxtext.vectors import normalise

    kind, *args = step.split(":")
    index, distance = nearest_neighbours(vectors, max(k, int(args[0]) if args else k))
    base = kind.removesuffix("sel")
    if base == "knn":
        score = distance.astype(np.float64)
    elif base == "csls":  # 1 - cos + r_y / 2: for one row the order and weights of CSLS
        r = 1.0 - distance[:, 1 : int(args[1]) + 1].mean(axis=1)
        score = distance + r[index] / 2
    elif base == "ls":  # NICDM
        m = distance[:, 1 : int(args[1]) + 1].mean(axis=1)
        score = distance / np.sqrt(np.maximum(m[:, None] * m[index], 1e-12))
    elif base == "mp":
        unit = normalise(vectors).astype(np.float64)
        n = len(unit)
        mean, spread = np.empty(n), np.empty(n)
        for start in range(0, n, 2048):  # itself at distance 0 adds nothing to the sums
            rows = slice(start, start + 2048)
            block = 1.0 - unit[rows] @ unit.T
            mean[rows] = block.sum(axis=1) / (n - 1)
            square = (block**2).sum(axis=1) / (n - 1)
            spread[rows] = np.sqrt(np.maximum(square - mean[rows] ** 2, 1e-12))
        score = -(
            log_ndtr((mean[:, None] - distance) / spread[:, None])
            + log_ndtr((mean[index] - distance) / spread[index])
        )
    else:
        raise SystemExit(f"unknown graph {step}")
    score[:, 0] = -np.inf  # itself first
    order = np.argsort(score, axis=1, kind="stable")[:, :k]
    index = np.take_along_axis(index, order, axis=1)
    if kind.endswith("sel"):
        chosen = np.take_along_axis(distance, order, axis=1).astype(np.float64)
        resort = np.argsort(chosen, axis=1, kind="stable")
        index, chosen = (np.take_along_axis(a, resort, axis=1) for a in (index, chosen))
    else:
        chosen = np.take_along_axis(score, order, axis=1)
        chosen[:, 0] = 0.0
        chosen = chosen - np.minimum(chosen[:, 1:].min(axis=1, keepdims=True), 0.0)
        chosen[:, 0] = 0.0
        chosen = chosen / np.maximum(chosen.max(axis=1, keepdims=True), 1e-12)
    return index, chosen.astype(np.float32)


def hub_skew(index: np.ndarray) -> float:
    """Skewness of the k-occurrence: how often each row is among the others' neighbours."""
    from scipy.stats import skew

    counts = np.bincount(index[:, 1:].ravel(), minlength=len(index))
    return float(skew(counts))


def project(step: str, vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Unit rows of `vectors` projected by a shrinkage LDA (`lda`) or whitened by the
    within-theme covariance (`wcw:R:A`), the themes `labels` (-1 left out of the fit)."""
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    from cxtext.vectors import normalise

    kind, *args = step.split(":")
    fitted = labels != -1
    x = vectors.astype(np.float64)
    if kind == "lda":
        lda = LinearDiscriminantAnalysis(solver="eigen", shrinkage="auto")
        lda.fit(x[fitted], labels[fitted])
        return normalise(lda.transform(x)).astype(np.float32)
    scatter = np.zeros((x.shape[1], x.shape[1]))
    for theme in np.unique(labels[fitted]):
        members = x[labels == theme]
        centred = members - members.mean(axis=0)
        scatter += centred.T @ centred
    variances, axes = np.linalg.eigh(scatter / max(1, fitted.sum() - 1))
    variances = np.maximum(variances, 0.0)
    ridge = float(args[1]) * max(float(variances.mean()), 1e-12)
    return normalise((x - x.mean(axis=0)) @ (axes / np.sqrt(variances + ridge))).astype(np.float32)


def umap_settings(variant: str) -> dict:
    """The UMAP settings a variant's `umap:` step names (numbers where they parse)."""
    settings: dict = {}
    for step in variant.split("+"):
        if step.startswith("umap:"):
            for pair in step.removeprefix("umap:").split(","):
                key, _, value = pair.partition("=")
                settings[key] = number(value)
    return settings


def number(value: str) -> bool | int | float | str:
    if value in ("True", "False"):
        return value == "True"
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            continue
    return value


def consensus(texts: list[str], space: np.ndarray, seed: int, layouts: int) -> np.ndarray:
    """Average linkage on the co-association of `layouts` seeded discoveries, cut at the
    median of their theme counts."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    from cxtext.config import ThemeOptions
    from cxtext.themes.discover import discover_themes

    runs = [discover_themes(texts, space, ThemeOptions(), seed + i) for i in range(layouts)]
    together = np.zeros((len(texts), len(texts)), dtype=np.float32)
    for labels in runs:
        together += labels[:, None] == labels[None, :]
    distance = squareform(1.0 - together / layouts, checks=False).astype(np.float64)
    del together
    k = int(np.median([len(np.unique(labels)) for labels in runs]))
    return fcluster(linkage(distance, method="average"), k, criterion="maxclust") - 1


def run(name: str, variant: str, seed: int, timing: dict) -> dict:
    from sklearn.metrics import normalized_mutual_info_score as nmi

    import cxtext.neighbours as neighbours
    import cxtext.themes.discover as discover
    from cxtext.config import ThemeOptions
    from cxtext.themes import OUTLIER_SIMILARITY, _discovered_ids

    data = prepare(name)
    langs = dict(zip([data["texts"][i] for i in data["rows"]], data["langs"], strict=True))
    original = discover._fit_bertopic

    steps = variant.split("+")
    projection = next((s for s in steps if s.split(":")[0] in ("lda", "wcw")), None)
    graph = next((s for s in steps if s.split(":")[0] in GRAPHS), None)

    def patched(texts, embeddings, *args, **kwargs):
        start = time.perf_counter()
        moved = transform(variant, texts, embeddings, langs)
        timing["transform"] = time.perf_counter() - start
        if projection:
            for _ in range(int(projection.split(":")[1])):
                labels = np.asarray(original(texts, moved, *args, **kwargs))
                moved = project(projection, embeddings, labels)
        return original(texts, moved, *args, **kwargs)

    settings = umap_settings(variant)
    seeded = neighbours.seeded_umap

    def layout(vectors, n_neighbors, *args, **kwargs):
        model = seeded(vectors, n_neighbors, *args, **kwargs).set_params(**settings)
        if graph:
            start = time.perf_counter()
            index, distance = hub_graph(vectors, graph, model.n_neighbors)
            timing["graph"] = timing.get("graph", 0.0) + time.perf_counter() - start
            exact, _ = neighbours.nearest_neighbours(vectors, model.n_neighbors)
            timing["skew"] = (hub_skew(exact), hub_skew(index))
            model.set_params(precomputed_knn=(index, distance, None))
        return model

    discover._fit_bertopic = patched
    neighbours.seeded_umap = layout
    try:
        content = [data["texts"][i] for i in data["rows"]]
        start = time.perf_counter()
        if variant.startswith("consensus:"):
            clusters = consensus(content, data["space"], seed, int(variant.split(":")[1]))
        else:
            clusters = discover.discover_themes(content, data["space"], ThemeOptions(), seed)
        timing["discover"] = time.perf_counter() - start
        clusters = discover.attach_outliers(data["space"], clusters, OUTLIER_SIMILARITY)
        themes = ["-1"] * len(data["texts"])
        for row, theme in zip(data["rows"], _discovered_ids(clusters, "d"), strict=True):
            themes[row] = str(theme)
        result = {"NMI": nmi(data["gold"], themes), "themes": len(set(themes) - {"-1"})}
        if data["gold_langs"] is not None:
            result["langNMI"] = nmi(data["gold_langs"], themes)
        if name.startswith("dev"):
            from bench_open_themes import cxtext_themes

            default = cxtext_themes(data["texts"], data["vectors"], True, seed)
            result["default"] = nmi(data["gold"], default)
    finally:
        discover._fit_bertopic = original
        neighbours.seeded_umap = seeded
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["clinc", "banking", "xsid"])
    parser.add_argument("--variants", nargs="+", default=["none"])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for variant in args.variants:
        for name in args.sets:
            timing: dict = {}
            result = run(name, variant, args.seed, timing)
            cells = " ".join(
                f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in result.items()
            )
            seconds = (
                f"discover {timing['discover']:.1f}s (input {timing.get('transform', 0):.1f}s"
                f", graph {timing.get('graph', 0):.1f}s)"
            )
            if "skew" in timing:
                seconds += " skew {:.2f} -> {:.2f}".format(*timing["skew"])
            print(f"{variant:22} {name:14} s{args.seed} {cells}  {seconds}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
