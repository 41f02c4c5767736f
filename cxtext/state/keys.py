"""Comment keys: the identity of a comment across runs (content hash of its text), used by
every cache, the theme assignments and the map positions kept in a state folder."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=1 << 17)
def comment_key(text: str) -> str:
    """Content hash of a comment's text: the identity of a comment across runs. Remembered:
    a weekly rerun asks for each comment's key about nine times (its caches, the theme state,
    the map), 48,000 hashes for 5,450 comments."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def language_key(text: str, lang: str) -> str:
    """Key of a comment read in one language: for what depends on both (cue counts, lemmas)."""
    return comment_key(f"{lang}:{text}")


def comment_keys(texts: Iterable[str]) -> list[str]:
    """`comment_key` of each text, in order."""
    return [comment_key(text) for text in texts]


def vector_keys(vectors: np.ndarray) -> list[str]:
    """Content hash of each row's bytes: the key of what depends on a comment's vector alone."""
    return [hashlib.sha256(row.tobytes()).hexdigest()[:20] for row in vectors]
