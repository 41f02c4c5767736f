"""Evidence for journey decisions: keyword hits (the nearest reference texts in embedding space
are `cxtext.vectors.chunked_nearest_mean`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import polars as pl

NEAREST = 5


def keyword_hits(
    texts: Sequence[str], langs: Sequence[str], keywords: Sequence[dict[str, list[str]]]
) -> np.ndarray:
    """(comments × labels): how many of each label's cue words a comment contains.

    Cue words of the comment's own language and English count (English is often mixed in);
    a cue matches at a word start, so "faktura" also finds "fakturaen". A hyphenated cue
    ("e-post", any list, any language) is one word: no cue matches inside it, so its "post"
    is not the letter channel's, while "MitID-appen" still holds "appen". Matching runs in
    polars (Rust regex, all cores) per language: ~4x faster than Python's `re` per comment.
    """
    hits = np.zeros((len(texts), len(keywords)), dtype=np.float32)
    compounds = _hyphenated(keywords)
    lowered = _joined(pl.Series(list(texts), dtype=pl.String).str.to_lowercase(), compounds)
    frame = pl.DataFrame(
        {"text": lowered, "lang": list(langs)}, schema={"text": pl.String, "lang": pl.String}
    ).with_row_index("row")
    for (lang,), group in frame.group_by("lang", maintain_order=True):
        patterns = {
            str(label): _pattern(
                tuple(sorted({*words.get(lang, []), *words.get("en", [])})), compounds
            )
            for label, words in enumerate(keywords)
        }
        counts = group.select(
            "row",
            *(
                pl.col("text").str.count_matches(pattern).alias(label)
                for label, pattern in patterns.items()
                if pattern is not None
            ),
        )
        rows = counts.get_column("row").to_numpy()
        for label in counts.columns[1:]:
            hits[rows, int(label)] = counts.get_column(label).to_numpy()
    return hits


def _hyphenated(keywords: Sequence[dict[str, list[str]]]) -> tuple[str, ...]:
    """Every hyphenated cue word of `keywords` (all lists, all languages), lower case,
    longest first."""
    found = {w.strip().lower() for words in keywords for ws in words.values() for w in ws}
    return tuple(sorted((w for w in found if "-" in w), key=lambda w: (-len(w), w)))


def _joined(texts: pl.Series, compounds: tuple[str, ...]) -> pl.Series:
    """`texts` (lower case) with each hyphenated cue word at a word start written with "_"
    for "-": the parts after its hyphens are no longer word starts, so no cue matches inside
    it. Only the texts holding one are rewritten (one pass per compound)."""
    if not compounds:
        return texts
    alternatives = "|".join(re.escape(c) for c in compounds)
    holding = texts.str.contains(rf"(?:^|\W)(?:{alternatives})").fill_null(False).arg_true()
    if not len(holding):
        return texts
    rewritten = texts.gather(holding)
    for compound in compounds:
        rewritten = rewritten.str.replace_all(
            rf"(^|\W){re.escape(compound)}", "${1}" + compound.replace("-", "_")
        )
    return texts.scatter(holding, rewritten)


@lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...], compounds: tuple[str, ...] = ()) -> str | None:
    """A regex (Rust syntax, for polars) matching any of `words` at a word start: start of the
    text or after a non-word character; longest alternatives first, as Python's `re` would.
    `compounds`: the hyphenated cue words the text was `_joined` at."""
    words = tuple(w.lower() for w in words if w.strip())
    if not words:
        return None
    words = tuple(_joined(pl.Series(words, dtype=pl.String), compounds))  # as in the text
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return rf"(?:^|\W)(?:{alternatives})"


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)
