"""Language identification: tag each comment da, sv, nb, nn, en, other or und.

A naive Bayes over word frequencies (wordfreq, spaCy lexicons, spell-norwegian word lists, lingua
per-word odds), built offline by scripts/build_langid.py into models/langid/langid.npz; unknown
words fall back to character n-grams.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from cxtext.language.model import LanguageModel, default_model

LANGUAGES = ("da", "sv", "nb", "nn", "en")
LABELS = (*LANGUAGES, "other")
UNDETERMINED = "und"
MIN_CONFIDENCE = 0.3  # below this a comment is `und`: too short or too mixed to say


def detect_languages(
    texts: Sequence[str], model: LanguageModel | None = None
) -> tuple[list[str], list[float]]:
    """Language code in {da, sv, nb, nn, en, other, und} and confidence in [0, 1] per text."""
    model = model or default_model()
    texts = [text if isinstance(text, str) else "" for text in texts]
    if not texts:
        return [], []
    scores, counts = model.score(texts)
    scores -= scores.max(axis=1, keepdims=True)
    probs = np.exp(scores)
    probs /= probs.sum(axis=1, keepdims=True)
    merged = np.column_stack([probs[:, : len(LANGUAGES)], probs[:, len(LANGUAGES) :].sum(axis=1)])
    best = merged.argmax(axis=1)
    confidence = merged[np.arange(len(texts)), best]
    # Bokmål and Nynorsk share most words: a text is decided once it is clearly Norwegian.
    norwegian = merged[:, 2] + merged[:, 3]
    sure = np.where(np.isin(best, (2, 3)), norwegian, confidence)
    decided = (counts > 0) & (sure >= MIN_CONFIDENCE)
    codes = [
        LABELS[b] if ok else UNDETERMINED
        for b, ok in zip(best.tolist(), decided.tolist(), strict=True)
    ]
    return codes, np.where(decided, np.round(confidence, 4), 0.0).tolist()


def assign_language(frame: pl.DataFrame, text_col: str = "text") -> pl.DataFrame:
    """Add `lang` and `lang_confidence` columns (stage function of the pipeline)."""
    texts = frame[text_col].cast(pl.Utf8).fill_null("").to_list()
    codes, confidences = detect_languages(texts)
    return frame.with_columns(
        pl.Series("lang", codes, dtype=pl.Utf8),
        pl.Series("lang_confidence", confidences, dtype=pl.Float64),
    )
