"""Is a new theme about the customer journey at all? Social-media talk (politics, sport, news,
other people, jokes, replies) that reaches a feedback file forms themes of its own; they are no
fix. Each comment's raw vector (before the language-neutral centring, so the score means the
same in every run) is compared with the taxonomy's `[off_journey]` sentences in its language:
mean cosine to the `customer` sentences minus mean cosine to the `chatter` ones. A discovered
theme whose comments' mean contrast is below `CUT` is `off_journey`. Library themes are the
company's CX themes by construction and are never marked.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from cxtext.embed.base import Embedder
from cxtext.embed.cache import embed_reference
from cxtext.io.contract import OUTLIER_THEME
from cxtext.taxonomy import Taxonomy
from cxtext.vectors import normalise

# The probe's 70% point: 70% of the chatter themes of four mixed sets fall below it, and the
# nearest real CX theme of dev sits twice as far above it as at the 80% point (0.0047); no
# real CX theme of eight sets (338 themes) falls below either. docs/journal/themes.md,
# "Session 24: a fixed customer-vs-chatter contrast per comment" (offj24).
CUT = 0.0035
FALLBACK = "en"  # a comment in a language without sentences is compared with the English ones
SIDES = ("customer", "chatter")

Sentences = dict[str, dict[str, np.ndarray]]  # side -> language -> unit vectors


def embed_sentences(
    taxonomy: Taxonomy | None,
    embedder: Embedder,
    model: str,
    keep_in: Path | None = None,
    used: set[str] | None = None,
) -> Sentences | None:
    """The `[off_journey]` sentences' vectors per side and language (`query: `, cached like the
    journey's reference texts: `keep_in`, `used` as `embed_reference` takes them); None
    without the section."""
    if taxonomy is None or taxonomy.off_journey is None:
        return None
    sides = {"customer": taxonomy.off_journey.customer, "chatter": taxonomy.off_journey.chatter}
    keys = [(side, lang) for side in SIDES for lang in sorted(sides[side]) if sides[side][lang]]
    texts = [text for side, lang in keys for text in sides[side][lang]]
    vectors = normalise(embed_reference(texts, embedder, model, keep_in, used))
    out: Sentences = {side: {} for side in SIDES}
    start = 0
    for side, lang in keys:
        count = len(sides[side][lang])
        out[side][lang] = vectors[start : start + count]
        start += count
    return out


def comment_contrast(vectors: np.ndarray, langs: list[str], sentences: Sentences) -> np.ndarray:
    """Per comment: mean cosine to its language's customer sentences minus mean cosine to its
    chatter sentences (English where a side lacks the language, else every language)."""
    vectors = normalise(np.asarray(vectors, dtype=np.float32))
    contrast = np.zeros(len(vectors), dtype=np.float64)
    langs_arr = np.asarray(langs, dtype=object)
    for lang in sorted(set(langs)):
        rows = langs_arr == lang
        means = [vectors[rows] @ _side(sentences[side], lang).mean(axis=0) for side in SIDES]
        contrast[rows] = means[0] - means[1]
    return contrast


def _side(by_lang: dict[str, np.ndarray], lang: str) -> np.ndarray:
    if lang in by_lang:
        return by_lang[lang]
    if FALLBACK in by_lang:
        return by_lang[FALLBACK]
    return np.vstack(list(by_lang.values()))


def mark_off_journey(
    themes: pl.DataFrame, theme_ids: list[str], contrast: np.ndarray | None
) -> pl.DataFrame:
    """`off_journey` per theme: a discovered (not library) theme whose content comments'
    (`theme_ids`, one per `contrast` value) mean contrast is below `CUT`; all false without
    a contrast (a taxonomy without `[off_journey]`)."""
    if contrast is None or not len(theme_ids):
        return themes.with_columns(pl.lit(False).alias("off_journey"))
    means = (
        pl.DataFrame({"theme_id": theme_ids, "contrast": contrast}, strict=False)
        .group_by("theme_id")
        .agg(pl.col("contrast").mean())
    )
    mean_of = dict(zip(means.get_column("theme_id"), means.get_column("contrast"), strict=True))
    flagged = [
        theme_id
        for theme_id, source in zip(
            themes.get_column("theme_id"), themes.get_column("source"), strict=True
        )
        if source != "library" and theme_id != OUTLIER_THEME and mean_of.get(theme_id, 1.0) < CUT
    ]
    return themes.with_columns(pl.col("theme_id").is_in(flagged).alias("off_journey"))
