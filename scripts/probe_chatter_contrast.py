#!/usr/bin/env python3
"""Does a fixed, domain-free contrast tell a chatter theme (politics, news, sport, people, jokes)
from a real CX theme? A probe on the comments `probe_off_journey.py` kept: it builds nothing.

Each comment's raw e5 vector (before the language-neutral centring, so the score does not
depend on the run) is compared with two fixed sets of prototype texts written in da, sv, nb, nn
and en: "a customer writing to or about a company, service or product they use" and "social
media talk about politics, news, sport, celebrities, other people, jokes". contrast = cosine to
the customer side − cosine to the chatter side (max or mean over a side; prototypes in the
comment's own language, or in all five). A theme's signal: the share of its comments on the
chatter side (contrast < 0), or its mean contrast. Per variant it prints the AUC on the mixes'
discovered themes, the threshold that flags RECALL of their chatter themes, and the share of
real CX themes that threshold flags on every CX set (tuning: mixes, BANKING77 train, dev;
checks: CLINC banking, CFPB, Trustpilot). Results: docs/journal/themes.md, "Session 24".
Usage: python scripts/probe_chatter_contrast.py [--prototypes FILE] [--table out/...csv]
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from probe_off_journey import CX_SETS, MIXES, RECALL, ROOT, auc  # noqa: E402

COMMENTS = ROOT / "out" / "probe_off_journey" / "comments"
LANGS = ("da", "sv", "nb", "nn", "en")
TOP = 5


def prototypes(path: Path) -> dict[str, dict[str, list[str]]]:
    """The `[off_journey.customer]` and `[off_journey.chatter]` texts per language."""
    section = tomllib.loads(path.read_text(encoding="utf-8"))["off_journey"]
    return {side: section[side] for side in ("customer", "chatter")}


def embed_sides(texts: dict[str, dict[str, list[str]]], is_query: bool) -> dict:
    """Per side and language, the prototypes' normalised raw e5 vectors."""
    from cxtext.config import AnalyzeConfig
    from cxtext.embed import load_embedder

    embedder = load_embedder(AnalyzeConfig().model)
    return {
        side: {lang: embedder.embed(lines, is_query=is_query) for lang, lines in by_lang.items()}
        for side, by_lang in texts.items()
    }


def contrast(vectors: np.ndarray, langs: list[str], sides: dict, pool: str, own: bool):
    """Per comment: similarity to the customer side minus similarity to the chatter side."""
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    reduce = np.max if pool == "max" else np.mean
    langs_arr = np.array([lang if lang in LANGS else "en" for lang in langs])
    out = np.zeros(len(vectors))
    keys = LANGS if own else ("all",)
    for key in keys:
        rows = langs_arr == key if own else np.ones(len(vectors), bool)
        if not rows.any():
            continue
        score = []
        for side in ("customer", "chatter"):
            refs = sides[side][key] if own else np.concatenate(list(sides[side].values()))
            score.append(reduce(vectors[rows] @ refs.T, axis=1))
        out[rows] = score[0] - score[1]
    return out


def theme_signals(name: str, sides: dict, pool: str, own: bool) -> pl.DataFrame:
    """Per theme of set `name`: share of comments with contrast < 0, and mean contrast."""
    comments = pl.read_parquet(COMMENTS / f"{name}.parquet")
    vectors = np.load(COMMENTS / f"{name}.npy")
    score = contrast(vectors, comments.get_column("lang").to_list(), sides, pool, own)
    comments = comments.with_columns(pl.Series("contrast", score))
    return comments.group_by("theme_id").agg(
        (pl.col("contrast") < 0).mean().alias("chatter_share"),
        pl.col("contrast").mean().alias("mean_contrast"),
    )


def theme_table(sets: list[str]) -> pl.DataFrame:
    """Per theme of every kept set: its source, rank, label and share of social comments."""
    parts = []
    for name in sets:
        if not (COMMENTS / f"{name}.parquet").exists():
            continue
        themes = pl.read_csv(
            ROOT / "out" / "probe_off_journey" / name / "themes.csv",
            schema_overrides={"theme_id": pl.String},
        )
        off = (
            pl.read_parquet(COMMENTS / f"{name}.parquet")
            .group_by("theme_id")
            .agg(pl.col("off").mean().alias("off_share"))
        )
        themes = themes.filter(pl.col("theme_id") != "-1").join(off, on="theme_id")
        parts.append(
            themes.select(
                pl.lit(name).alias("set"),
                "theme_id",
                "label",
                "source",
                "size",
                "rank",
                "off_share",
            )
        )
    return pl.concat(parts)


def evaluate(table: pl.DataFrame, sides: dict, pool: str, own: bool, library: bool) -> dict:
    """AUC, threshold at RECALL of the mixes' chatter themes, and CX themes flagged per set."""
    parts = []
    for name in table.get_column("set").unique().to_list():
        if not (COMMENTS / f"{name}.parquet").exists():
            continue
        signals = theme_signals(name, sides, pool, own)
        part = table.filter(pl.col("set") == name).join(signals, on="theme_id")
        parts.append(part)
    joined = pl.concat(parts, how="diagonal_relaxed")
    keep = pl.lit(True) if library else pl.col("source") != "library"
    mixes = joined.filter(pl.col("set").is_in(MIXES) & keep)
    truth = mixes.get_column("off_share").to_numpy() >= 0.5
    result = {"themes": (mixes.height, int(truth.sum()))}
    for signal, sign in (("chatter_share", -1.0), ("mean_contrast", 1.0)):
        # high chatter share = chatter; low mean contrast = chatter: score so low = chatter
        values = sign * mixes.get_column(signal).to_numpy()
        threshold = float(np.quantile(values[truth], RECALL))
        row = {
            "auc": auc(values, truth),
            "threshold": sign * threshold,
            "mix_cx": float((values[~truth] <= threshold).mean()),
        }
        row["top5"] = top_five(joined, signal, sign, threshold)
        for name in CX_SETS:
            part = joined.filter((pl.col("set") == name) & (pl.col("source") != "library"))
            if part.is_empty():
                continue
            flagged = sign * part.get_column(signal).to_numpy() <= threshold
            row[name] = (float(flagged.mean()), int(flagged.sum()), part.height)
        result[signal] = row
    return result, joined


def top_five(joined: pl.DataFrame, signal: str, sign: float, threshold: float) -> str:
    """Per mix, chatter themes (at least half social) in the top 5 fixes before and after the
    flagged discovered themes leave the ranking (library themes are never flagged)."""
    cells = []
    for mix in MIXES:
        ranked = joined.filter((pl.col("set") == mix) & pl.col("rank").is_not_null()).sort("rank")
        flagged = (pl.col("source") != "library") & (sign * pl.col(signal) <= threshold)
        counts = [
            int((part.head(TOP).get_column("off_share") >= 0.5).sum())
            for part in (ranked, ranked.filter(~flagged))
        ]
        cells.append(f"{mix} {counts[0]}->{counts[1]}")
    return ", ".join(cells)


def report(label: str, result: dict) -> None:
    print(f"\n{label}: {result['themes'][0]} mix themes, {result['themes'][1]} chatter")
    for signal in ("chatter_share", "mean_contrast"):
        row = result[signal]
        cells = " ".join(
            f"{name[:9]} {row[name][0]:4.0%} ({row[name][1]}/{row[name][2]})"
            for name in CX_SETS
            if name in row
        )
        print(
            f"  {signal:13s} AUC {row['auc']:.3f} thr {row['threshold']:+.3f} "
            f"mixCX {row['mix_cx']:4.0%} | {cells}"
        )
        print(f"    chatter in top {TOP}, before->after: {row['top5']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--prototypes", type=Path, default=Path(__file__).with_name("probe_chatter_prototypes.toml")
    )
    parser.add_argument("--sets", nargs="+", default=[*MIXES, *CX_SETS])
    parser.add_argument("--library", action="store_true", help="count library themes of mixes")
    parser.add_argument("--dump", type=Path, help="write the per-theme table of the first variant")
    args = parser.parse_args()
    if not COMMENTS.exists():
        print(f"skip: {COMMENTS} not found (run probe_off_journey.py first)", file=sys.stderr)
        return 0
    table = theme_table(args.sets)
    texts = prototypes(args.prototypes)
    for prefix in ("query", "passage"):
        sides_all = embed_sides(texts, prefix == "query")
        sides = {s: {**v, "all": np.concatenate(list(v.values()))} for s, v in sides_all.items()}
        for pool in ("max", "mean"):
            for own in (True, False):
                label = f"{prefix}: prototypes, {pool} per side, {'own language' if own else 'all'}"
                result, joined = evaluate(table, sides, pool, own, args.library)
                report(label, result)
                if args.dump:
                    joined.write_csv(args.dump)
                    args.dump = None
    return 0


if __name__ == "__main__":
    sys.exit(main())
