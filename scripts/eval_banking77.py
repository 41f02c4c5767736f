#!/usr/bin/env python3
"""Open theme discovery without the library on BANKING77 (real banking queries, 77 intents).

Runs cxtext's theme stage in discovery-only mode on ../shared/data/banking77/banking77_train.csv
(the tuning split; never tune on a test split) and prints NMI against the intents, the outlier
share, the number of themes, and the NMI between two seeds. Embeddings are cached under
$CXTEXT_CACHE. Usage: python scripts/eval_banking77.py [--sample N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "banking77" / "banking77_train.csv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0, help="random sample size (0 = all)")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0
    from sklearn.metrics import normalized_mutual_info_score as nmi

    from cxtext.config import ThemeOptions
    from cxtext.embed import load_embedder
    from cxtext.embed.cache import embed_reference
    from cxtext.embed.language_neutral import remove_language_signal
    from cxtext.themes import assign_themes

    data = pl.read_csv(DATA)
    if args.sample:
        data = data.sample(args.sample, seed=0)
    texts = data.get_column("text").to_list()
    start = time.perf_counter()
    embedder = load_embedder()  # cached by engine: int8 and float32 vectors never mix
    vectors = embed_reference(texts, embedder, embedder.cache_id)
    vectors = remove_language_signal(vectors, ["en"] * len(texts))  # as the pipeline does
    print(f"embedded {len(texts)} queries in {time.perf_counter() - start:.0f} s")
    frame = pl.DataFrame({"id": [str(i) for i in range(len(texts))], "text": texts}).with_columns(
        pl.lit("en").alias("lang"), pl.lit(False).alias("no_content")
    )
    options = ThemeOptions(use_library=False)
    results = {}
    for seed in (42, 7):
        start = time.perf_counter()
        assigned, themes = assign_themes(frame, vectors, options, seed)
        theme_ids = assigned.get_column("theme_id").to_list()
        results[seed] = theme_ids
        outliers = np.mean([t == "-1" for t in theme_ids])
        score = nmi(data.get_column("intent").to_list(), theme_ids)
        print(
            f"seed {seed}: NMI {score:.4f}, themes {themes.height}, outliers {outliers:.1%}, "
            f"{time.perf_counter() - start:.0f} s"
        )
    print(f"NMI between seeds: {nmi(results[42], results[7]):.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
