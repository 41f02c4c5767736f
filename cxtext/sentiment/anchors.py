"""Anchor layer: how close a comment is to example comments of each sentiment (written by us)."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cxtext.config import MODELS_DIR
from cxtext.embed import Embedder
from cxtext.files import cache_dir, save_to_cache
from cxtext.languages import LANGUAGES
from cxtext.vectors import chunked_nearest_mean

ANCHORS_PATH = MODELS_DIR / "sentiment" / "anchors.toml"
SHIPPED_VECTORS = MODELS_DIR / "sentiment"
SENTIMENTS = ("neg", "neu", "pos")
NEIGHBOURS = 10  # a comment's similarity to a sentiment = mean of its k most similar anchors


@dataclass(frozen=True)
class Anchors:
    """Anchor sentences with their sentiment, and their embeddings (one row each)."""

    texts: tuple[str, ...]
    sentiments: tuple[str, ...]
    vectors: np.ndarray

    def similarity(self, embeddings: np.ndarray) -> np.ndarray:
        """(n, 3) mean cosine similarity to the nearest anchors of neg, neu and pos."""
        labels = np.asarray([SENTIMENTS.index(s) for s in self.sentiments])
        return chunked_nearest_mean(embeddings, self.vectors, labels, len(SENTIMENTS), NEIGHBOURS)


def read_anchor_texts(path: Path = ANCHORS_PATH) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """All anchor sentences in file order, and the sentiment of each."""
    with path.open("rb") as handle:
        groups = tomllib.load(handle)["groups"]
    texts, sentiments = [], []
    for name, group in groups.items():
        if group["sentiment"] not in SENTIMENTS:
            raise ValueError(f"anchor group {name!r}: sentiment must be one of {SENTIMENTS}")
        for lang in LANGUAGES:
            for text in group.get(lang, []):
                texts.append(text)
                sentiments.append(group["sentiment"])
    return tuple(texts), tuple(sentiments)


_LOADED: dict[str, Anchors] = {}


def load_anchors(embedder: Embedder, path: Path = ANCHORS_PATH) -> Anchors:
    """Anchors embedded with `embedder`; vectors are cached by model name and anchor hash."""
    texts, sentiments = read_anchor_texts(path)
    key = anchor_cache_key(embedder.model_id, texts, sentiments)
    if key not in _LOADED:
        _LOADED[key] = Anchors(texts, sentiments, _vectors(embedder, texts, key))
    return _LOADED[key]


def anchor_cache_key(model: str, texts: tuple[str, ...], sentiments: tuple[str, ...]) -> str:
    digest = hashlib.sha256("\n".join([*texts, *sentiments]).encode()).hexdigest()[:16]
    safe_model = "".join(char if char.isalnum() else "-" for char in model)
    return f"anchors-{safe_model}-{digest}"


def _vectors(embedder: Embedder, texts: tuple[str, ...], key: str) -> np.ndarray:
    """Shipped vectors for the default model, then the user cache, else embed and cache."""
    for folder in (SHIPPED_VECTORS, cache_dir() / "sentiment"):
        path = folder / f"{key}.npy"
        if path.exists():
            vectors = np.load(path).astype(np.float32)
            if vectors.shape == (len(texts), embedder.dim):
                return vectors
    # Stored as float16; rounding fresh vectors the same way keeps every run identical.
    vectors = embedder.embed(list(texts), is_query=True).astype(np.float16)
    save_to_cache(cache_dir() / "sentiment" / f"{key}.npy", vectors)
    return vectors.astype(np.float32)
