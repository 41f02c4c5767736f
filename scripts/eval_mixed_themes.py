#!/usr/bin/env python3
"""Mixed themes and the call list on real text: do complaints inside mostly-praising themes
reach the fix list, and is follow_up.csv short enough to call?

Runs `cxtext.analyze` (seed 0; dev: seed 42, as scripts/eval_gold.py) on the dev feedback
(../shared/eval/dev_feedback.csv), 5,000 Swedish Trustpilot reviews (scripts/eval_polarity.py's
sample, the star rating as score), the held-out Danish news comments da_fb
(scripts/bench_open_themes.py) and the CFPB complaint narratives (a complaint export), and
prints per set: the negative comments that sit in unranked praise themes (with examples), the
ranked mixed themes, the top 5 fixes, and follow_up.csv's respondents per reason. Outputs go to
out/mixed/SET. Skips cleanly when ../shared is absent. Never tune on a set named test.
Usage: python scripts/eval_mixed_themes.py [--sets dev sv da_fb cfpb] [--examples 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "scripts"))


def load(name: str) -> tuple[pl.DataFrame | Path, dict]:
    """The set as `cxtext.analyze` takes it, and its column options."""
    if name == "dev":
        options = {"text_col": "comment", "id_col": "id", "date_col": "date"}
        options |= {"score_col": "score", "segment_col": "segment", "seed": 42}
        return SHARED / "eval" / "dev_feedback.csv", options
    if name == "sv":
        from eval_polarity import sample_reviews

        return sample_reviews(5000, 0), {
            "text_col": "comment",
            "id_col": "id",
            "score_col": "rating",
        }
    if name == "da_fb":
        from bench_open_themes import SETS

        spec = SETS["da_fb"]
        rows = pl.read_csv(SHARED / spec.path).filter(spec.keep).with_row_index("id")
        return rows.select(pl.col("id").cast(pl.String), "text"), {"text_col": "text"}
    rows = pl.read_csv(SHARED / "data" / "complaints" / "cfpb_complaints.csv")
    return rows.with_row_index("id").select(pl.col("id").cast(pl.String), "text"), {
        "text_col": "text"
    }


def describe(name: str, comments: pl.DataFrame, themes: pl.DataFrame, follow_up, examples: int):
    """Print the praise themes' complaints, the ranked mixed themes, the top 5 and the calls."""
    content = comments.filter(~pl.col("no_content"))
    negative = content.filter(pl.col("sentiment") == "neg")
    praise_ids = themes.filter(pl.col("praise")).get_column("theme_id")
    hidden = negative.filter(pl.col("theme_id").is_in(praise_ids.implode()))
    print(
        f"\n== {name}: {content.height} comments, {negative.height} negative, "
        f"{themes.height} themes ({praise_ids.len()} praise)"
    )
    print(f"negative comments in unranked praise themes: {hidden.height}")
    counts = hidden.group_by("theme_id").len()
    shown = themes.filter(pl.col("praise")).join(counts, on="theme_id").sort("len", descending=True)
    for row in shown.iter_rows(named=True):
        print(
            f"  {row['len']:4d} of {row['size']:4d}  {row['theme_id']} {row['label']!r} "
            f"(neg {row['negative_share']:.0%}, pos {row['positive_share']:.0%}, {row['source']})"
        )
        quotes = hidden.filter(pl.col("theme_id") == row["theme_id"]).sort("sentiment_score")
        for text in quotes.get_column("text").head(examples):
            print(f"         - {text[:110]!r}")
    mixed = themes.filter(pl.col("rank").is_not_null() & (pl.col("positive_share") >= 0.5))
    print(f"ranked themes with at least half praise: {mixed.height}")
    for row in mixed.iter_rows(named=True):
        print(
            f"  #{row['rank']} {row['label']!r} neg {row['negative_share']:.0%} "
            f"pos {row['positive_share']:.0%} priority {row['priority']}"
        )
    print("top 5:")
    for row in themes.filter(pl.col("rank") <= 5).sort("rank").iter_rows(named=True):
        print(
            f"  {row['rank']}. {row['label']} ({row['kano']}, {row['size']} comments, "
            f"{row['negative_share']:.0%} negative, priority {row['priority']})"
        )
    respondents = content.get_column("respondent").n_unique()
    calls = follow_up.group_by("follow_up").agg(pl.col("respondent").n_unique().alias("n"))
    print(
        f"follow_up.csv: {follow_up.get_column('respondent').n_unique()} of {respondents} "
        f"respondents; "
        + ", ".join(
            f"{r['follow_up']} {r['n']} ({r['n'] / respondents:.1%})"
            for r in calls.sort("follow_up").iter_rows(named=True)
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["dev", "sv", "da_fb", "cfpb"])
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"skip: {SHARED} not found", file=sys.stderr)
        return 0
    import cxtext

    for name in args.sets:
        source, options = load(name)
        result = cxtext.analyze(source, out=ROOT / "out" / "mixed" / name, **{"seed": 0} | options)
        describe(name, result.comments, result.themes, result.tables["follow_up"], args.examples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
