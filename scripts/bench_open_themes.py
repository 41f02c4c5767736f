#!/usr/bin/env python3
"""Open-set themes: cxtext default vs library off vs plain BERTopic, on real labeled sets.

For each set it runs, on the same cached multilingual-e5-small vectors of the texts as
`cxtext analyze` embeds them (cleaned, PII redacted; `embed_reference`, shared cache under
$CXTEXT_CACHE; a set not cached yet is embedded once):
  - cxtext default: the theme stage as `cxtext analyze` runs it (language detected, vectors
    centred per language, sentiment first, the taxonomy's theme library on);
  - cxtext, library off: the same with `ThemeOptions(use_library=False)`;
  - plain BERTopic: `BERTopic()` defaults fitted on the raw vectors (its own UMAP, seeded, and
    HDBSCAN), outliers (-1) counted as one label.
It prints NMI, ARI and AMI (NMI corrected for chance: on CFPB more, smaller themes raise NMI
alone) against the gold label, the number of themes, the share of comments in
library themes, the outlier share, theme-vs-language NMI (sets with several languages) and
seconds. CX dev gold also prints purity and coverage (content comments in a theme). Skips
cleanly when ../shared is absent. Usage:
  python scripts/bench_open_themes.py [--sets clinc xsid ...] [--seed 0] [--systems ...]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@dataclass(frozen=True)
class LabeledSet:
    """A file of real text with a gold label; `keep` selects its rows."""

    path: str
    label: str
    keep: pl.Expr | None = None
    lang: str | None = "lang"  # gold language column, for theme-vs-language NMI


SETS = {
    "clinc": LabeledSet("data/intents/clinc150_val.csv", "intent", lang=None),
    "banking": LabeledSet("data/banking77/banking77_train.csv", "intent", lang=None),
    "xsid": LabeledSet(
        "data/intents/xsid_valid.csv",
        "intent",
        (pl.col("lang") != "no") | (pl.col("dialect") == "B"),
    ),
    "xsid_dialects": LabeledSet("data/intents/xsid_valid.csv", "intent"),
    "cfpb": LabeledSet("data/complaints/cfpb_complaints.csv", "issue", lang=None),
    "dev": LabeledSet("eval/dev_gold.csv", "theme"),
    # held out: never used to tune anything; Danish comments on news posts, labelled by post
    "da_fb": LabeledSet(
        "data/sentiment/da_fb_comments_topic.csv",
        "topic",
        pl.col("topic").fill_null("").str.strip_chars() != "",
        lang=None,
    ),
}
SYSTEMS = ("default", "library_off", "bertopic")


def load_set(spec: LabeledSet) -> tuple[pl.DataFrame, np.ndarray]:
    """The set's rows, `text` as `cxtext analyze` embeds it, and their vectors (cached by the
    whole file's texts, then selected)."""
    data = pl.read_csv(SHARED / spec.path).with_columns(pl.col("text").fill_null(""))
    data = data.with_columns(pl.Series("text", pipeline_texts(data.get_column("text").to_list())))
    vectors = cached_vectors(data.get_column("text").to_list())
    data = data.with_row_index("_row")
    if spec.keep is not None:
        data = data.filter(spec.keep)
    return data, vectors[data.get_column("_row").to_numpy()]


def cached_vectors(texts: list[str]) -> np.ndarray:
    """Vectors of `texts` as cleaned by `pipeline_texts`, from the shared cache (embedded once)."""
    from cxtext.embed import load_embedder
    from cxtext.embed.cache import embed_reference

    embedder = load_embedder()  # cached per engine: int8 and float32 vectors never mix
    return embed_reference(texts, embedder, embedder.cache_id)


def pipeline_texts(texts: list[str]) -> list[str]:
    """Each text as the pipeline's clean stage leaves it (normalised, PII redacted); a text it
    rejects as empty stays as it is (the row gets no theme)."""
    from cxtext.clean import clean_comments
    from cxtext.config import ColumnOptions
    from cxtext.io.columns import resolve_columns
    from cxtext.io.contract import ROW_COLUMN
    from cxtext.pii import redact_pii

    raw = pl.DataFrame({"text": texts}).with_row_index(ROW_COLUMN)
    cleaned, _ = clean_comments(raw, resolve_columns(raw, ColumnOptions(text="text")))
    cleaned = redact_pii(cleaned)
    out = list(texts)
    for row, text in zip(cleaned[ROW_COLUMN].to_list(), cleaned["text"].to_list(), strict=True):
        out[row] = text
    return out


def cxtext_themes(texts: list[str], vectors: np.ndarray, use_library: bool, seed: int) -> list:
    """Theme ids per comment, from the pipeline's own stages in run_pipeline's order."""
    from cxtext.clean import clean_comments
    from cxtext.config import AnalyzeConfig, ColumnOptions, ThemeOptions
    from cxtext.embed import load_embedder
    from cxtext.embed.language_neutral import centre, language_means
    from cxtext.io.columns import resolve_columns
    from cxtext.io.contract import ROW_COLUMN
    from cxtext.language import assign_language
    from cxtext.sentiment import assign_sentiment, clear_tone
    from cxtext.taxonomy import load_taxonomy
    from cxtext.themes import assign_themes
    from cxtext.themes.library import load_library

    config = AnalyzeConfig()
    raw = pl.DataFrame({"text": texts}).with_row_index(ROW_COLUMN)
    # the texts are already as the clean stage leaves them (`pipeline_texts`); cleaning again
    # adds no_content, and an empty text is a reject that stays in no theme ("-1")
    frame, _ = clean_comments(raw, resolve_columns(raw, ColumnOptions(text="text")))
    kept = frame.get_column(ROW_COLUMN).to_numpy()
    vectors = vectors[kept]
    frame = assign_language(frame, "text", batch_prior=config.language_mix)
    rows = ~frame.get_column("no_content").to_numpy()
    embeddings, langs = vectors[rows], frame.filter(~pl.col("no_content"))["lang"].to_list()
    space = centre(embeddings, langs, language_means(embeddings, langs))
    taxonomy = load_taxonomy(config.taxonomy)
    embedder = load_embedder()
    library = load_library(taxonomy, embedder, embedder.cache_id) if use_library else None
    options = ThemeOptions(use_library=use_library)
    frame = assign_sentiment(frame, embeddings, embedder)
    tone = clear_tone(frame)
    assigned, _ = assign_themes(frame, space, options, seed, library, taxonomy, tone=tone)
    themes = ["-1"] * len(texts)
    for row, theme in zip(kept, assigned.get_column("theme_id").to_list(), strict=True):
        themes[row] = theme
    return themes


def plain_bertopic(texts: list[str], vectors: np.ndarray, seed: int) -> list:
    """BERTopic() defaults on the raw vectors; its default UMAP, seeded for repeatability."""
    from bertopic import BERTopic
    from umap import UMAP

    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    topics, _ = BERTopic(umap_model=umap).fit_transform(texts, embeddings=vectors)
    return [str(t) for t in topics]


def scores(
    gold: list[str], themes: list[str], langs: list[str] | None, library: set[str]
) -> dict[str, float]:
    from sklearn.metrics import (
        adjusted_mutual_info_score,
        adjusted_rand_score,
        normalized_mutual_info_score,
    )

    themes = [str(t) for t in themes]
    real = [t for t in set(themes) if t != "-1"]
    result = {
        "NMI": normalized_mutual_info_score(gold, themes),
        "ARI": adjusted_rand_score(gold, themes),
        "AMI": adjusted_mutual_info_score(gold, themes),  # NMI less what chance gives
        "themes": len(real),
        "library": float(np.mean([t in library for t in themes])),
        "outliers": float(np.mean([t == "-1" for t in themes])),
    }
    if langs is not None:
        result["lang NMI"] = normalized_mutual_info_score(langs, themes)
    return result


def gold_extras(gold: list[str], themes: list[str]) -> dict[str, float]:
    """Purity (majority gold theme per predicted theme) and coverage, as score_gold.py counts."""
    content = [(g, str(t)) for g, t in zip(gold, themes, strict=True) if g != "none"]
    coverage = float(np.mean([t != "-1" for _, t in content]))
    by_theme: dict[str, list[str]] = {}
    for g, t in zip(gold, themes, strict=True):
        if t != "-1":
            by_theme.setdefault(str(t), []).append(g)
    purity = sum(Counter(v).most_common(1)[0][1] for v in by_theme.values())
    return {"purity": purity / max(1, sum(map(len, by_theme.values()))), "coverage": coverage}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=SYSTEMS)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"skipped: {SHARED} not found (evaluation data lives beside the repo)")
        return 0
    from cxtext.config import DEFAULT_TAXONOMY
    from cxtext.taxonomy import load_taxonomy

    library = set(load_taxonomy(DEFAULT_TAXONOMY).themes)
    header = f"{'set':14}{'system':13}{'NMI':>7}{'ARI':>7}{'AMI':>7}{'themes':>7}{'library':>8}"
    print(header + f"{'outliers':>9}{'langNMI':>8}{'purity':>7}{'cover':>7}{'seconds':>8}")
    for name in args.sets:
        spec = SETS[name]
        data, vectors = load_set(spec)
        texts, gold = data.get_column("text").to_list(), data.get_column(spec.label).to_list()
        langs = data.get_column(spec.lang).to_list() if spec.lang else None
        for system in args.systems:
            start = time.perf_counter()
            if system == "bertopic":
                themes = plain_bertopic(texts, vectors, args.seed)
            else:
                themes = cxtext_themes(texts, vectors, system == "default", args.seed)
            seconds = time.perf_counter() - start
            row = scores(gold, themes, langs, library)
            if name == "dev":
                row |= gold_extras(gold, themes)
            cells = [f"{row[k]:7.3f}" for k in ("NMI", "ARI", "AMI")] + [f"{row['themes']:7d}"]
            cells += [f"{row['library']:8.1%}", f"{row['outliers']:9.1%}"]
            cells += [f"{row['lang NMI']:8.3f}" if "lang NMI" in row else f"{'':8}"]
            cells += [f"{row[k]:7.3f}" if k in row else f"{'':7}" for k in ("purity", "coverage")]
            print(f"{name:14}{system:13}{''.join(cells)}{seconds:8.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
