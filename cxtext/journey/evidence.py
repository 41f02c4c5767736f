"""Evidence for journey decisions: nearest reference texts in embedding space and keyword hits."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

NEAREST = 5
CHUNK_ROWS = 4096  # comments per similarity block (4096 × 3,000 references ≈ 50 MB)


def nearest_reference(
    space: np.ndarray, references: np.ndarray, reference_label: np.ndarray, n_labels: int
) -> np.ndarray:
    """(comments × labels): mean cosine of each comment to the label's nearest references.

    Computed in row chunks, so memory stays flat however many comments there are."""
    scores = np.full((len(space), n_labels), -1.0, dtype=np.float32)
    groups = [np.flatnonzero(reference_label == label) for label in range(n_labels)]
    for start in range(0, len(space), CHUNK_ROWS):
        similarity = space[start : start + CHUNK_ROWS] @ references.T
        for label, columns in enumerate(groups):
            if len(columns):
                k = min(NEAREST, len(columns))
                nearest = np.partition(similarity[:, columns], -k, axis=1)[:, -k:]
                scores[start : start + CHUNK_ROWS, label] = nearest.mean(axis=1)
    return scores


def keyword_hits(
    texts: Sequence[str], langs: Sequence[str], keywords: Sequence[dict[str, list[str]]]
) -> np.ndarray:
    """(comments × labels): how many of each label's cue words a comment contains.

    Cue words of the comment's own language and English count (English is often mixed in);
    a cue matches at a word start, so "faktura" also finds "fakturaen".
    """
    hits = np.zeros((len(texts), len(keywords)), dtype=np.float32)
    lowered = [text.lower() for text in texts]
    rows_of: dict[str, list[int]] = {}
    for row, lang in enumerate(langs):
        rows_of.setdefault(lang, []).append(row)
    for lang, rows in sorted(rows_of.items()):
        for label, words in enumerate(keywords):
            pattern = _pattern(tuple(sorted({*words.get(lang, []), *words.get("en", [])})))
            if pattern is not None:
                hits[rows, label] = [len(pattern.findall(lowered[row])) for row in rows]
    return hits


@lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    words = tuple(w.lower() for w in words if w.strip())
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})")


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)
