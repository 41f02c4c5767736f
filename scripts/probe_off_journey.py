#!/usr/bin/env python3
"""Can cxtext tell a discovered theme outside the customer journey (chatter, politics, news)
from a new, real CX theme, from signals it already has? A probe: it measures, builds nothing.

Per discovered theme it reads the signals the journey stage already computes: the theme's
phase and silo confidence, its comments' mean cosine to their nearest journey references in
the run's language-neutral space (phase and silo descriptions, library examples;
`nearest_references`, captured during the run), the same in the embedder's raw space (top 5
of every reference text), and the share of its comments with a phase or silo cue word
(`cue_hits`). Truth on the labelled mixes (dev feedback + 1,500 Swedish or Danish social-media
comments, library on and off): a theme is off-journey when at least half its comments are
social. It prints, per signal, the AUC of off-journey against CX themes, the off-journey themes
among each mix's ranked fixes, and the share of real CX themes each signal would flag (at the
threshold that flags 80% of the mixes' off-journey themes) on CX sets run with the library off:
dev, BANKING77 train (3,000), CLINC150 val banking + credit cards, CFPB, Swedish (3,000) and
Danish Trustpilot reviews. Nothing named test is read; outputs go to out/probe_off_journey/.
Results and the decision (nothing built): docs/journal/themes.md, "Off-journey themes".
Usage: python scripts/probe_off_journey.py [--sets ...] [--social 1500] [--from-table]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
MIXES = ("mix_sv", "mix_da", "mix_sv_off", "mix_da_off")
CX_SETS = ("dev_off", "banking77", "clinc_bank", "cfpb", "sv_trustpilot", "da_trustpilot")
SIGNALS = (
    "phase_confidence",
    "silo_confidence",
    "reference_phase",
    "reference_silo",
    "raw_reference",
    "cue_share",
)
TOP = 5  # raw_reference: mean cosine to this many nearest CX reference texts
RECALL = 0.8  # the threshold flags this share of the mixes' off-journey themes


def _dev() -> pl.DataFrame:
    dev = pl.read_csv(SHARED / "eval" / "dev_feedback.csv")
    return dev.select(pl.col("id").cast(pl.String), pl.col("comment").alias("text"))


def _social(name: str, n: int) -> pl.DataFrame:
    path = {
        "sv": DATA / "sentiment" / "sv_social_sentiment.csv",
        "da": DATA / "sentiment" / "da_social_sentences_polarity.csv",
    }[name]
    rows = pl.read_csv(path).filter(pl.col("text").str.len_chars() > 10).unique("text")
    rows = rows.sort("text").sample(n, seed=0)
    return rows.with_row_index("id").select(
        pl.format("social-{}", pl.col("id")).alias("id"), "text"
    )


def load(name: str, social: int) -> tuple[pl.DataFrame, bool]:
    """The set (`id`, `text`, `off` = a social comment) and whether the library is on."""
    if name in MIXES:
        mixed = pl.concat([_dev(), _social(name[4:6], social)])
        off = pl.col("id").str.starts_with("social-").alias("off")
        return mixed.with_columns(off), not name.endswith("_off")
    if name == "dev_off":
        rows = _dev()
    elif name == "banking77":
        rows = pl.read_csv(DATA / "banking77" / "banking77_train.csv").sample(3000, seed=0)
    elif name == "clinc_bank":
        rows = pl.read_csv(DATA / "intents" / "clinc150_val.csv")
        rows = rows.filter(pl.col("domain").is_in(["banking", "credit_cards"]))
    elif name == "cfpb":
        rows = pl.read_csv(DATA / "complaints" / "cfpb_complaints.csv")
    elif name == "sv_trustpilot":
        rows = pl.read_csv(DATA / "reviews" / "sv_trustpilot_reviews.csv")
        rows = rows.filter(pl.col("is_duplicate_text") == 0).sample(3000, seed=0)
    else:
        rows = pl.read_csv(DATA / "reviews" / "da_trustpilot_reviews.csv")
    rows = rows.filter(pl.col("text").is_not_null()).with_row_index("row")
    return rows.select(pl.col("row").cast(pl.String).alias("id"), "text", off=pl.lit(False)), False


def run(name: str, rows: pl.DataFrame, library: bool, seed: int = 0) -> pl.DataFrame:
    """One theme per row with its signals, size, rank, Kano and share of social comments."""
    import cxtext.stages.analysis as analysis
    from cxtext.config import AnalyzeConfig
    from cxtext.journey import cue_hits
    from cxtext.taxonomy import load_taxonomy

    captured: list[np.ndarray] = []
    original = analysis.nearest_references

    def capture(space, references, taxonomy):
        nearest = original(space, references, taxonomy)
        captured.append(nearest)
        return nearest

    analysis.nearest_references = capture
    try:
        result = analyze_rows(rows, ROOT / "out" / "probe_off_journey" / name, library, seed)
    finally:
        analysis.nearest_references = original
    taxonomy = load_taxonomy(AnalyzeConfig().taxonomy)
    content = result.comments.filter(~pl.col("no_content"))
    nearest = captured[-1]
    raw = _raw_reference(result.embeddings, taxonomy)
    assert nearest.shape[0] == content.height, (nearest.shape, content.height)
    phases = len(taxonomy.phases)
    texts, langs = content.get_column("text").to_list(), content.get_column("lang").to_list()
    cues = cue_hits(texts, langs, taxonomy)
    phase_cues = cues[:, : phases + len(taxonomy.silo_rules)]
    content = content.with_columns(
        pl.Series("reference_phase", nearest[:, :phases].max(axis=1)),
        pl.Series("reference_silo", nearest[:, phases:].max(axis=1)),
        pl.Series("raw_reference", raw),
        pl.Series("cue", phase_cues.sum(axis=1) > 0),
    ).join(rows.select("id", "off"), on="id", how="left")
    _keep_comments(name, content, result.embeddings)
    per_theme = content.group_by("theme_id").agg(
        pl.col("reference_phase").mean(),
        pl.col("reference_silo").mean(),
        pl.col("raw_reference").mean(),
        pl.col("cue").mean().alias("cue_share"),
        pl.col("off").mean().alias("off_share"),
    )
    themes = result.themes.join(per_theme, on="theme_id").filter(pl.col("theme_id") != "-1")
    return themes.select(
        pl.lit(name).alias("set"),
        "theme_id",
        "label",
        "source",
        "size",
        "rank",
        "kano",
        "praise",
        "off_share",
        *SIGNALS,
    )


def _keep_comments(name: str, content: pl.DataFrame, embeddings: np.ndarray) -> None:
    """Each content comment's theme, language, truth and raw e5 vector, kept under out/ so a
    signal computed from the vectors (`probe_chatter_contrast.py`) needs no rerun."""
    folder = ROOT / "out" / "probe_off_journey" / "comments"
    folder.mkdir(parents=True, exist_ok=True)
    content.select("id", "theme_id", "lang", "off").write_parquet(folder / f"{name}.parquet")
    np.save(folder / f"{name}.npy", embeddings.astype(np.float32))


def analyze_rows(rows: pl.DataFrame, out: Path, library: bool, seed: int):
    """`cxtext.analyze` on the set's `id` and `text`, written to `out`."""
    import cxtext

    return cxtext.analyze(
        rows.select("id", "text"), out=out, text_col="text", id_col="id", seed=seed, library=library
    )


_REFERENCES: list[np.ndarray] = []


def _raw_reference(embeddings: np.ndarray, taxonomy) -> np.ndarray:
    """Per comment, the mean cosine to its TOP nearest CX reference texts (every phase and silo
    description and every library example, all languages) in the embedder's own space, which
    does not depend on the run's comments (the language-neutral space does: its means are the
    run's), so one threshold could hold across runs."""
    if not _REFERENCES:
        from cxtext.config import AnalyzeConfig
        from cxtext.embed import load_embedder

        texts = [
            text
            for part in (*taxonomy.phases.values(), *taxonomy.silos.values())
            for text in part.description.values()
        ]
        texts += [
            t for theme in taxonomy.themes.values() for ts in theme.examples.values() for t in ts
        ]
        vectors = load_embedder(AnalyzeConfig().model).embed(texts)
        _REFERENCES.append(vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
    comments = embeddings / np.linalg.norm(embeddings, axis=1, keepdims=True)
    similarity = comments @ _REFERENCES[0].T
    return np.sort(similarity, axis=1)[:, -TOP:].mean(axis=1)


def auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """P(a random off-journey theme scores lower than a random CX theme); ties count half."""
    off, on = scores[positive], scores[~positive]
    if not len(off) or not len(on):
        return float("nan")
    less = (off[:, None] < on[None, :]).mean() + 0.5 * (off[:, None] == on[None, :]).mean()
    return float(less)


def summarise(table: pl.DataFrame) -> None:
    """AUC per signal on the mixes, a threshold at RECALL of their off-journey themes, and
    the share of CX themes (ranked ones, and all) each threshold would flag per set."""
    mixes = table.filter(pl.col("set").is_in(MIXES) & (pl.col("source") != "library"))
    truth = mixes.get_column("off_share").to_numpy() >= 0.5
    print(f"\nmixes: {mixes.height} non-library themes, {truth.sum()} off-journey (>= half social)")
    thresholds = {}
    for signal in SIGNALS:
        values = mixes.get_column(signal).to_numpy().astype(float)
        per_mix = []
        for mix in MIXES:
            part = mixes.filter(pl.col("set") == mix)
            values_mix = part.get_column(signal).to_numpy().astype(float)
            score = auc(values_mix, part.get_column("off_share").to_numpy() >= 0.5)
            if not np.isnan(score):  # with the library on, every discovered theme is social
                per_mix.append(f"{mix} {score:.3f}")
        thresholds[signal] = float(np.quantile(values[truth], RECALL)) if truth.any() else 0.0
        cx_flagged = (values[~truth] <= thresholds[signal]).mean() if (~truth).any() else 0
        print(
            f"  {signal:17s} AUC {auc(values, truth):.3f} ({', '.join(per_mix)}); threshold "
            f"{thresholds[signal]:.3f} flags {RECALL:.0%} of off-journey, "
            f"{cx_flagged:.0%} of the mixes' CX themes"
        )
    print("\noff-journey themes among each mix's ranked fixes (top 5 / top 10 / all ranked):")
    for mix in MIXES:
        ranked = table.filter((pl.col("set") == mix) & pl.col("rank").is_not_null())
        off = [
            (ranked.filter(pl.col("rank") <= k).get_column("off_share") >= 0.5).sum()
            for k in (5, 10)
        ]
        total = (ranked.get_column("off_share") >= 0.5).sum()
        print(f"  {mix:11s} {off[0]} / {off[1]} / {total} of {ranked.height}")
    print("\nshare of real CX themes flagged (ranked themes / all discovered themes):")
    print(f"  {'set':14s} " + " ".join(f"{s[:17]:>17s}" for s in SIGNALS))
    for name in CX_SETS:
        part = table.filter((pl.col("set") == name) & (pl.col("source") != "library"))
        if part.is_empty():
            continue
        ranked = part.filter(pl.col("rank").is_not_null())
        cells = []
        for signal in SIGNALS:
            flag_ranked = (ranked.get_column(signal) <= thresholds[signal]).mean()
            flag_all = (part.get_column(signal) <= thresholds[signal]).mean()
            cells.append(f"{flag_ranked or 0:7.0%} /{flag_all:4.0%} ")
        print(f"  {name:14s} ({part.height:3d}) " + " ".join(f"{c:>17s}" for c in cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=[*MIXES, *CX_SETS])
    parser.add_argument("--social", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--table", type=Path, default=ROOT / "out" / "probe_off_journey.csv")
    parser.add_argument("--from-table", action="store_true", help="summarise --table, no runs")
    args = parser.parse_args()
    if args.from_table:
        summarise(pl.read_csv(args.table))
        return 0
    if not SHARED.exists():
        print(f"skip: {SHARED} not found", file=sys.stderr)
        return 0
    tables = []
    for name in args.sets:
        rows, library = load(name, args.social)
        tables.append(run(name, rows, library, args.seed))
        print(f"{name}: {rows.height} comments, {tables[-1].height} themes", flush=True)
    table = pl.concat(tables)
    args.table.parent.mkdir(parents=True, exist_ok=True)
    table.write_csv(args.table)
    summarise(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
