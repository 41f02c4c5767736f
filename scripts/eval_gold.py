#!/usr/bin/env python3
"""Score cxtext on the labeled dev set: language, themes, journey, sentiment, Kano and ranking.

Runs `cxtext.analyze` on ../shared/eval/dev_feedback.csv (text only for sentiment: the score
column feeds impact, never sentiment), then ../shared/eval/score_gold.py on the output, and
prints the metrics next to the issue targets. With --seeds, also the NMI between two seeds.
Skips cleanly when ../shared is absent. Usage: python scripts/eval_gold.py [--out DIR] [--seeds]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
TARGETS = {
    "lang_acc_4": 0.99,
    "phase_acc": 0.85,
    "silo_acc": 0.85,
    "theme_nmi": 0.75,
    "purity": 0.80,
    "coverage": 0.90,
    "sentiment_macro_f1": 0.80,
    "top5_basic_share": 1.0,
    "top5_overlap": 0.8,
}
MAXIMA = {"theme_lang_nmi": 0.05}


def run(out: Path, seed: int) -> dict:
    import cxtext

    cxtext.analyze(
        EVAL / "dev_feedback.csv",
        out=out,
        text_col="comment",
        id_col="id",
        date_col="date",
        score_col="score",
        segment_col="segment",
        seed=seed,
    )
    scored = subprocess.run(
        [sys.executable, str(EVAL / "score_gold.py"), str(out), str(EVAL / "dev_gold_labeled.csv")],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(scored.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "eval_gold")
    parser.add_argument("--seeds", action="store_true", help="also report NMI between two seeds")
    args = parser.parse_args()
    if not (EVAL / "dev_feedback.csv").exists():
        print(f"skipped: {EVAL} not found (evaluation data lives beside the repo)")
        return 0
    metrics = run(args.out, seed=42)
    for name, value in metrics.items():
        target = TARGETS.get(name)
        limit = MAXIMA.get(name)
        mark = ""
        if isinstance(value, int | float) and target is not None:
            mark = f"  target ≥ {target}: {'met' if value >= target else 'NOT met'}"
        elif isinstance(value, int | float) and limit is not None:
            mark = f"  target ≤ {limit}: {'met' if value <= limit else 'NOT met'}"
        print(f"{name:22} {value}{mark}")
    if metrics.get("best_delighter_rank") is not None:
        ok = metrics["best_delighter_rank"] > 10
        print(f"{'no delighter in top 10':22} {'met' if ok else 'NOT met'}")
    if args.seeds:
        import polars as pl
        from sklearn.metrics import normalized_mutual_info_score

        run(args.out.with_name(args.out.name + "_seed7"), seed=7)
        a = pl.read_csv(args.out / "comments.csv").get_column("theme_id").cast(pl.String)
        b = pl.read_csv(args.out.with_name(args.out.name + "_seed7") / "comments.csv")
        b = b.get_column("theme_id").cast(pl.String)
        print(f"{'nmi seed 42 vs 7':22} {normalized_mutual_info_score(a, b):.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
