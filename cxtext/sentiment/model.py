"""Combine anchor similarity and lexical cues into neg/neu/pos probabilities (a linear map)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from cxtext.config import MODELS_DIR
from cxtext.sentiment.anchors import SENTIMENTS, Anchors
from cxtext.sentiment.lexicon import FEATURES as LEXICAL_FEATURES
from cxtext.sentiment.lexicon import lexical_rows

WEIGHTS_PATH = MODELS_DIR / "sentiment" / "weights.json"
SIMILARITY_SCALE = 20.0  # anchor similarities differ by hundredths; scaled to unit-ish size
FEATURE_NAMES = ("near_neg", "near_neu", "near_pos", *LEXICAL_FEATURES)
# Set by hand, not fitted (too rare in any labeled set): each negated complaint word ("ikke
# dårlig", "not bad") takes this much off the neg logit, so litotes is never read as a complaint.
NEGATED_COMPLAINT_SHIFT = 2.0


@dataclass(frozen=True)
class Weights:
    """One row of feature weights and a bias per sentiment (multinomial logistic regression)."""

    features: tuple[str, ...]
    coefficients: np.ndarray  # (3, n_features), rows in SENTIMENTS order
    intercepts: np.ndarray  # (3,)

    def probabilities(
        self, features: np.ndarray, negated_complaints: np.ndarray | None = None
    ) -> np.ndarray:
        """(n, 3) probabilities of neg, neu, pos."""
        logits = features @ self.coefficients.T + self.intercepts
        if negated_complaints is not None:
            logits[:, 0] -= NEGATED_COMPLAINT_SHIFT * negated_complaints
        logits -= logits.max(axis=1, keepdims=True)
        odds = np.exp(logits)
        return odds / odds.sum(axis=1, keepdims=True)

    def save(self, path: Path, note: str) -> None:
        rows = ",\n    ".join(json.dumps(row) for row in np.round(self.coefficients, 5).tolist())
        text = (
            "{\n"
            f'  "note": {json.dumps(note)},\n'
            f'  "sentiments": {json.dumps(list(SENTIMENTS))},\n'
            f'  "features": {json.dumps(list(self.features))},\n'
            f'  "coefficients": [\n    {rows}\n  ],\n'
            f'  "intercepts": {json.dumps(np.round(self.intercepts, 5).tolist())}\n'
            "}\n"
        )
        path.write_text(text, encoding="utf-8")


@cache
def load_weights(path: Path = WEIGHTS_PATH) -> Weights:
    """The shipped weights; they must name exactly the features this code computes."""
    payload = json.loads(path.read_text(encoding="utf-8"))
    if tuple(payload["features"]) != FEATURE_NAMES or tuple(payload["sentiments"]) != SENTIMENTS:
        raise ValueError(f"{path} was fitted for other features; refit with eval_sentiment --fit")
    return Weights(
        FEATURE_NAMES,
        np.asarray(payload["coefficients"], dtype=np.float64),
        np.asarray(payload["intercepts"], dtype=np.float64),
    )


def sentiment_features(
    texts: Sequence[str],
    langs: Sequence[str],
    embeddings: np.ndarray,
    anchors: Anchors,
    cues: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(n, len(FEATURE_NAMES)): closeness to each sentiment's anchors, then the lexical cues;
    and the number of negated complaint words per text. `cues`: the texts' `lexical_rows`,
    when already at hand (from a state folder's cache)."""
    similarity = anchors.similarity(np.asarray(embeddings, dtype=np.float32)).astype(np.float64)
    similarity = (similarity - similarity.mean(axis=1, keepdims=True)) * SIMILARITY_SCALE
    cues = lexical_rows(texts, langs) if cues is None else cues
    return np.hstack([similarity, cues[:, :-1]]), cues[:, -1]
