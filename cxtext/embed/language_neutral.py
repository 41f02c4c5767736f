"""A language-neutral embedding space: each language's mean vector removed.

Multilingual models place the same complaint in Danish and Swedish apart mainly by a shift per
language; subtracting each language's mean lines them up, so themes follow content.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cxtext.vectors import normalise

MIN_ROWS = 5  # fewer comments than this in a language: use the mean of all comments
OVERALL = "*"


def language_means(embeddings: np.ndarray, langs: Sequence[str]) -> dict[str, np.ndarray]:
    """Mean vector per language with enough comments, plus the overall mean under "*"."""
    if len(embeddings) == 0:
        return {}
    langs = np.asarray(langs)
    means = {OVERALL: embeddings.mean(axis=0)}
    for lang in np.unique(langs):
        rows = langs == lang
        if rows.sum() >= MIN_ROWS:
            means[str(lang)] = embeddings[rows].mean(axis=0)
    return means


def extend_means(
    stored: dict[str, np.ndarray], embeddings: np.ndarray, langs: Sequence[str]
) -> dict[str, np.ndarray]:
    """A scheduled run's language means: the stored ones stay (the space its themes were found
    in), and a language the state has no mean for gets one once it has `MIN_ROWS` comments.
    Without it a language that first arrives in a later month is centred by the overall mean,
    and its comments keep their language signal."""
    fresh = language_means(embeddings, langs)
    return stored | {lang: mean for lang, mean in fresh.items() if lang not in stored}


def centre(
    embeddings: np.ndarray, langs: Sequence[str], means: dict[str, np.ndarray]
) -> np.ndarray:
    """Subtract each comment's language mean (or the overall mean) and re-normalise."""
    centred = embeddings.astype(np.float32, copy=True)
    if len(embeddings) == 0:
        return centred
    langs = np.asarray(langs)
    for lang in np.unique(langs):
        rows = langs == lang
        centred[rows] -= means.get(str(lang), means[OVERALL])
    return normalise(centred)


def remove_language_signal(embeddings: np.ndarray, langs: Sequence[str]) -> np.ndarray:
    """Centre a set of vectors by its own per-language means."""
    return centre(embeddings, langs, language_means(embeddings, langs))
