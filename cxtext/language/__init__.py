"""Language identification: tag each comment da, sv, nb, nn, en, other or und.

A naive Bayes over word frequencies (wordfreq, spaCy lexicons, spell-norwegian word lists, lingua
per-word odds), built offline by scripts/build_langid.py into models/langid/langid.npz; unknown
words fall back to character n-grams and Danish-vs-Norwegian spelling odds, `at` + an infinitive
counts as Danish, quoted words count less, and an English word inside a Nordic sentence costs it
a bounded amount (the sentence frame decides, not the titles in it). Optionally (`batch_prior`)
the language mix of the batch is a prior (`mix.py`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import polars as pl

from cxtext.language.mix import batch_log_prior
from cxtext.language.model import LanguageModel, ModelSettings, default_model
from cxtext.language.model_file import MODEL_PATH, file_digest
from cxtext.language.text import TOKENS_VERSION
from cxtext.languages import LANGUAGES

LABELS = (*LANGUAGES, "other")
UNDETERMINED = "und"
MIN_CONFIDENCE = 0.3  # below this a comment is `und`: too short or too mixed to say
# Log prior of nb and nn against the other four when a text is decided alone. With the file's
# mix, its estimate replaces this lean: kept there, it cost UD dev 0.14 pp (4-way 0.9889 -> 0.9875).
NORWEGIAN_PRIOR = 0.3
# A one- or two-word answer that Bokmål and Nynorsk read about alike ("Nei", "Nei takk": 0.19
# nats Nynorsk) takes the written standard of the file's majority: the file's Bokmål/Nynorsk
# log-odds, less log 2 (a majority is over twice the other's share), moves it at most 1 nat.
# Longer texts keep their own evidence: "Teknikaren kom aldri, og ingen gav beskjed" is 0.28.
SHORT_ANSWER_WORDS = 2
STANDARD_SHIFT = 1.0
MAJORITY = math.log(2)


def scores_version() -> str:
    """What a comment's language scores depend on, to key scores cached in a state folder by."""
    return f"{file_digest(MODEL_PATH)} {ModelSettings()!r} tokens {TOKENS_VERSION}"


def score_languages(texts: Sequence[str], model: LanguageModel | None = None) -> np.ndarray:
    """Per text its summed log-evidence per class and, last, its word count (float64 rows).

    A text's row is its own, whatever batch it comes in: blocks can be scored apart (in
    parallel, or cached between runs) and decided together by `decide_rows`.
    """
    model = model or default_model()
    texts = [text if isinstance(text, str) else "" for text in texts]
    if not texts:
        return np.zeros((0, len(model.classes) + 1))
    scores, counts = model.score(texts)
    return np.column_stack([scores, counts]).astype(np.float64)


def decide_rows(rows: np.ndarray, batch_prior: bool = False) -> tuple[list[str], list[float]]:
    """Codes and confidences from `score_languages` rows (all of one file, for the prior)."""
    if len(rows) == 0:
        return [], []
    return decide_languages(rows[:, :-1], rows[:, -1].astype(np.int64), batch_prior)


def detect_languages(
    texts: Sequence[str], model: LanguageModel | None = None, batch_prior: bool = False
) -> tuple[list[str], list[float]]:
    """Language code in {da, sv, nb, nn, en, other, und} and confidence in [0, 1] per text.

    By default every text is decided on its own, whatever batch it comes in. `batch_prior`
    also weighs each text by the language mix of the whole batch (`cxtext.language.mix`): pass
    the whole file as one batch.
    """
    return decide_rows(score_languages(texts, model), batch_prior)


def decide_languages(
    scores: np.ndarray, counts: np.ndarray, batch_prior: bool = False
) -> tuple[list[str], list[float]]:
    """Codes and confidences from `LanguageModel.score` output. Scoring is per text, so blocks
    can be scored apart (in parallel) and decided together, with the whole file's mix."""
    own = scores
    if batch_prior:
        prior = batch_log_prior(scores, counts, *_mix_groups(scores.shape[1]))
        scores = scores + prior
    else:
        scores = scores.copy()
        scores[:, 2:4] += NORWEGIAN_PRIOR
    scores = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(scores)
    probs /= probs.sum(axis=1, keepdims=True)
    merged = np.column_stack([probs[:, : len(LANGUAGES)], probs[:, len(LANGUAGES) :].sum(axis=1)])
    # Bokmål and Nynorsk share most words: a text is decided once it is clearly Norwegian.
    norwegian = merged[:, 2] + merged[:, 3]
    best = (
        _by_language(merged, norwegian, _standard_odds(own, counts, prior))
        if batch_prior
        else merged.argmax(axis=1)
    )
    confidence = merged[np.arange(len(scores)), best]
    sure = np.where(np.isin(best, (2, 3)), norwegian, confidence)
    decided = (counts > 0) & (sure >= MIN_CONFIDENCE)
    codes = [
        LABELS[b] if ok else UNDETERMINED
        for b, ok in zip(best.tolist(), decided.tolist(), strict=True)
    ]
    return codes, np.where(decided, np.round(confidence, 4), 0.0).tolist()


def _standard_odds(own: np.ndarray, counts: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Nynorsk-vs-Bokmål log-odds of each text: its own evidence and, for a short answer, the
    file's majority standard, capped so that only a near-tie follows the file."""
    mix = prior[3] - prior[2]
    majority = np.sign(mix) * np.clip(abs(mix) - MAJORITY, 0.0, STANDARD_SHIFT)
    return own[:, 3] - own[:, 2] + np.where(counts <= SHORT_ANSWER_WORDS, majority, 0.0)


def _by_language(merged: np.ndarray, norwegian: np.ndarray, nynorsk_odds: np.ndarray) -> np.ndarray:
    """Each text's class when the file's mix is known: the language first (Norwegian is Bokmål
    and Nynorsk together), then the written standard by `nynorsk_odds` (`_standard_odds`).
    Compared class by class, Bokmål alone met Danish with half of Norwegian's share, so a file of
    twice as many Norwegian as Danish comments (xSID) broke Danish-Bokmål ties as an even one
    would."""
    by_language = np.column_stack([merged[:, :2], norwegian, merged[:, 4:]])
    best = np.array([0, 1, 2, 4, 5])[by_language.argmax(axis=1)]
    nynorsk = (best == 2) & (nynorsk_odds > 0)
    best[nynorsk] = 3
    return best


def _mix_groups(classes: int) -> tuple[np.ndarray, np.ndarray]:
    """The groups whose share of a file its mix estimates (da, sv, nb, nn, en, other), each
    class's group, and each group's share of an even mix. Bokmål and Nynorsk have a share each,
    so Norwegian's share is their sum; which of the two a text is written in is its own evidence
    (`_by_language`), so a Nynorsk minority keeps its spelling ("Vart trekt to gonger")."""
    groups = np.minimum(np.arange(classes), len(LANGUAGES))
    return groups, np.ones(len(LANGUAGES) + 1)


def assign_language(
    frame: pl.DataFrame, text_col: str = "text", batch_prior: bool = False
) -> pl.DataFrame:
    """Add `lang` and `lang_confidence` columns (stage function of the pipeline)."""
    texts = frame[text_col].cast(pl.Utf8).fill_null("").to_list()
    return with_languages(frame, *detect_languages(texts, batch_prior=batch_prior))


def with_languages(frame: pl.DataFrame, codes: list[str], confidences: list[float]) -> pl.DataFrame:
    """`frame` with the `lang` and `lang_confidence` columns."""
    return frame.with_columns(
        pl.Series("lang", codes, dtype=pl.Utf8),
        pl.Series("lang_confidence", confidences, dtype=pl.Float64),
    )
