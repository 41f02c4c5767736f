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
    order = np.argsort(reference_label, kind="stable")  # each label's references side by side
    references, reference_label = references[order], reference_label[order]
    bounds = np.searchsorted(reference_label, np.arange(n_labels + 1))
    scores = np.full((len(space), n_labels), -1.0, dtype=np.float32)
    for start in range(0, len(space), CHUNK_ROWS):
        similarity = space[start : start + CHUNK_ROWS] @ references.T
        for label, (low, high) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
            if high > low:
                k = min(NEAREST, high - low)
                nearest = np.partition(similarity[:, low:high], -k, axis=1)[:, -k:]
                # sorted before the mean: the sum does not depend on partition's order
                scores[start : start + CHUNK_ROWS, label] = np.sort(nearest, axis=1).mean(axis=1)
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
