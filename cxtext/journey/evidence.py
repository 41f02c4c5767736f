"""Evidence for journey decisions: nearest reference texts in embedding space and keyword hits."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import polars as pl

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
    a cue matches at a word start, so "faktura" also finds "fakturaen". Matching runs in
    polars (Rust regex, all cores) per language: ~4x faster than Python's `re` per comment.
    """
    hits = np.zeros((len(texts), len(keywords)), dtype=np.float32)
    frame = pl.DataFrame(
        {"text": list(texts), "lang": list(langs)}, schema={"text": pl.String, "lang": pl.String}
    ).with_row_index("row")
    lowered = pl.col("text").str.to_lowercase()
    for (lang,), group in frame.group_by("lang", maintain_order=True):
        patterns = {
            str(label): _pattern(tuple(sorted({*words.get(lang, []), *words.get("en", [])})))
            for label, words in enumerate(keywords)
        }
        counts = group.select(
            "row",
            *(
                lowered.str.count_matches(pattern).alias(label)
                for label, pattern in patterns.items()
                if pattern is not None
            ),
        )
        rows = counts.get_column("row").to_numpy()
        for label in counts.columns[1:]:
            hits[rows, int(label)] = counts.get_column(label).to_numpy()
    return hits


@lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...]) -> str | None:
    """A regex (Rust syntax, for polars) matching any of `words` at a word start: start of the
    text or after a non-word character; longest alternatives first, as Python's `re` would."""
    words = tuple(w.lower() for w in words if w.strip())
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return rf"(?:^|\W)(?:{alternatives})"


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)
