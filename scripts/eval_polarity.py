#!/usr/bin/env python3
"""Polarity check (issue #17): do positive reviews stay out of complaint and wish themes?

Runs `cxtext.analyze` (defaults, seed 0) on 5,000 real Swedish Trustpilot reviews (no
duplicates, over 10 characters, sampled with seed 0) and counts the 4-5 star reviews that land
in a library theme whose taxonomy polarity is a problem or a wish, per theme, with the
`chatbot_omnichannel` wish theme (target: at most 5) printed in full. Skips cleanly when
../shared is absent. Usage: python scripts/eval_polarity.py [--n 5000] [--seed 0] [--show THEME]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
REVIEWS = ROOT.parent / "shared" / "data" / "reviews" / "sv_trustpilot_reviews.csv"


def sample_reviews(n: int, seed: int) -> pl.DataFrame:
    """`n` distinct Swedish reviews over 10 characters, with their star rating."""
    reviews = pl.read_csv(REVIEWS).filter(
        (pl.col("is_duplicate_text") == 0) & (pl.col("text").str.len_chars() > 10)
    )
    sample = reviews.sample(min(n, reviews.height), seed=seed)
    return sample.with_row_index("id").select(
        pl.col("id").cast(pl.String), pl.col("text").alias("comment"), "rating"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", default="chatbot_omnichannel", help="theme id to print in full")
    args = parser.parse_args()
    if not REVIEWS.exists():
        print(f"skip: {REVIEWS} not found", file=sys.stderr)
        return 0
    import cxtext
    from cxtext.config import AnalyzeConfig
    from cxtext.taxonomy import load_taxonomy

    reviews = sample_reviews(args.n, args.seed)
    result = cxtext.analyze(reviews.drop("rating"), id_col="id", text_col="comment", seed=args.seed)
    polarity = {t.id: t.polarity for t in load_taxonomy(AnalyzeConfig().taxonomy).themes.values()}
    rows = result.comments.join(reviews.select("id", "rating"), on="id").with_columns(
        pl.col("theme_id").replace_strict(polarity, default="none").alias("polarity")
    )
    positive = rows.filter(pl.col("rating") >= 4)
    wrong = positive.filter(pl.col("polarity").is_in(["problem", "wish"]))
    print(f"{rows.height} reviews, {positive.height} with 4-5 stars")
    print(f"4-5 stars in a problem or wish theme: {wrong.height}")
    by_theme = wrong.group_by("theme_id", "polarity").len().sort("len", "theme_id", descending=True)
    for theme_id, kind, count in by_theme.iter_rows():
        print(f"  {count:4d}  {theme_id} ({kind})")
    shown = positive.filter(pl.col("theme_id") == args.show)
    print(f"\n4-5 stars in {args.show}: {shown.height}")
    for row in shown.iter_rows(named=True):
        print(f"  {row['rating']}* {row['sentiment']} {row['sentiment_score']:+.2f}  {row['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
