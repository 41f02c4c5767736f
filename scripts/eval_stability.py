#!/usr/bin/env python3
"""Theme stability: does one edited, one dropped or 1% dropped comments reshuffle the themes?

Runs theme discovery (`discover_themes`, as `cxtext analyze --no-library` discovers: on fixed,
cached vectors centred per gold language, not the whole pipeline, which is ~10x slower) on a
set and on perturbed copies of it, and prints per perturbation the themes before and after,
the ARI and the share of comments keeping their theme, both on the comments present in both
runs (themes matched one to one by overlap, so renumbered ids are no move and a split is).
Perturbations, each K times with seeded choices: `append` (one comment gets " Tack." or
" Thanks."; only that comment's vector changes, since embeddings are batch-invariant),
`drop1` (one comment removed), `drop1pct` (1% of comments removed). The same is printed for
plain BERTopic on the same vectors (`bench_open_themes.plain_bertopic`) as a peer. Sets:
`sv_reviews` (5,000 Swedish Trustpilot reviews, `eval_polarity.sample_reviews(5000, 0)`),
`dev` (CX dev gold), `banking` (a seeded 5,000 of BANKING77 train), `clinc` (CLINC150 val).
Skips cleanly when ../shared is absent. Usage:
  python scripts/eval_stability.py [--sets sv_reviews dev ...] [--k 1] [--seed 0]
                                   [--systems cxtext bertopic]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_open_themes import SETS, SHARED, cached_vectors, load_set, pipeline_texts  # noqa: E402

STABILITY_SETS = ("sv_reviews", "dev", "banking", "clinc")
PERTURBATIONS = ("append", "drop1", "drop1pct")
SUBSAMPLE = 5000  # BANKING77 train (10,003) is cut to this, seeded, to save time


def load_stability_set(name: str) -> tuple[list[str], np.ndarray, list[str]]:
    """Texts as the pipeline embeds them, their cached vectors and a language per comment."""
    if name == "sv_reviews":
        from eval_polarity import sample_reviews

        texts = pipeline_texts(sample_reviews(5000, 0).get_column("comment").to_list())
        return texts, cached_vectors(texts), ["sv"] * len(texts)
    spec = SETS[name]
    data, vectors = load_set(spec)
    if data.height > SUBSAMPLE:
        rows = np.sort(np.random.default_rng(0).choice(data.height, SUBSAMPLE, replace=False))
        data, vectors = data[rows], vectors[rows]
    langs = data.get_column(spec.lang).to_list() if spec.lang else ["en"] * data.height
    return data.get_column("text").to_list(), vectors, langs


def perturb(
    kind: str, texts: list[str], vectors: np.ndarray, langs: list[str], rng: np.random.Generator
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Rows kept (indices into the original), their texts and vectors after `kind`."""
    n = len(texts)
    if kind == "append":
        i = int(rng.integers(n))
        edited = pipeline_texts([texts[i] + (" Tack." if langs[i] == "sv" else " Thanks.")])
        texts = [edited[0] if k == i else t for k, t in enumerate(texts)]
        vectors = vectors.copy()
        vectors[i] = cached_vectors(edited)[0]
        return np.arange(n), texts, vectors
    dropped = rng.choice(n, 1 if kind == "drop1" else max(1, round(n / 100)), replace=False)
    kept = np.setdiff1d(np.arange(n), dropped)
    return kept, [texts[k] for k in kept], vectors[kept]


def discover(system: str, texts: list[str], vectors: np.ndarray, langs: list[str], seed: int):
    """Cluster ids per comment from cxtext's discovery or plain BERTopic."""
    if system == "bertopic":
        from bench_open_themes import plain_bertopic

        return np.asarray([int(t) for t in plain_bertopic(texts, vectors, seed)])
    from cxtext.config import ThemeOptions
    from cxtext.embed.language_neutral import centre, language_means
    from cxtext.themes.discover import WardCut, discover_themes

    space = centre(vectors, langs, language_means(vectors, langs))
    return discover_themes(texts, space, ThemeOptions(use_library=False), seed, WardCut())


def kept_share(before: np.ndarray, after: np.ndarray) -> float:
    """Share of comments whose theme after is the one matched to their theme before (themes
    matched one to one by the most comments shared; outliers, -1, are a theme of their own)."""
    from scipy.optimize import linear_sum_assignment

    a_ids, a = np.unique(before, return_inverse=True)
    b_ids, b = np.unique(after, return_inverse=True)
    overlap = np.zeros((len(a_ids), len(b_ids)), dtype=np.int64)
    np.add.at(overlap, (a, b), 1)
    rows, cols = linear_sum_assignment(-overlap)
    return float(overlap[rows, cols].sum() / len(before))


def themes_of(labels: np.ndarray) -> int:
    return len(np.unique(labels[labels >= 0]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(STABILITY_SETS), choices=STABILITY_SETS)
    parser.add_argument("--systems", nargs="+", default=["cxtext", "bertopic"])
    parser.add_argument("--perturbations", nargs="+", default=list(PERTURBATIONS))
    parser.add_argument("--k", type=int, default=1, help="perturbed copies of each kind")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"skipped: {SHARED} not found (evaluation data lives beside the repo)")
        return 0
    from sklearn.metrics import adjusted_rand_score

    print(
        f"{'set':11}{'system':9}{'change':10}{'themes':>7}{'after':>6}{'ARI':>7}{'kept':>7}{'s':>6}"
    )
    for name in args.sets:
        texts, vectors, langs = load_stability_set(name)
        for system in args.systems:
            start = time.perf_counter()
            base = discover(system, texts, vectors, langs, args.seed)
            print(
                f"{name:11}{system:9}{'none':10}{themes_of(base):7d}{'':20}"
                f"{time.perf_counter() - start:6.0f}",
                flush=True,
            )
            rng = np.random.default_rng(args.seed)
            for kind in args.perturbations:
                for _ in range(args.k):
                    kept, changed, moved = perturb(kind, texts, vectors, langs, rng)
                    start = time.perf_counter()
                    after = discover(system, changed, moved, [langs[k] for k in kept], args.seed)
                    ari = adjusted_rand_score(base[kept], after)
                    share = kept_share(base[kept], after)
                    cells = f"{themes_of(base):7d}{themes_of(after):6d}{ari:7.3f}{share:7.3f}"
                    print(
                        f"{name:11}{system:9}{kind:10}{cells}{time.perf_counter() - start:6.0f}",
                        flush=True,
                    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
