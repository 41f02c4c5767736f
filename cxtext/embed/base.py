"""The one contract every embedding backend keeps (after BERTopic's `BaseEmbedder`)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np

from cxtext.vectors import normalise

MAX_CHARS = 2000  # longer comments are cut for embedding only; the text itself is kept whole


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    name: str = "base"

    @abstractmethod
    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        """Backend-specific encoding of a batch of texts."""

    def embed(self, texts: Sequence[str], *, is_query: bool = True) -> np.ndarray:
        """Embed comments (`is_query`) or reference passages; returns an (n, dim) float32 array."""
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._encode([text[:MAX_CHARS] for text in texts], is_query)
        vectors = np.asarray(vectors, dtype=np.float32)
        return normalise(vectors)

    @property
    def model_id(self) -> str:
        """Names the model (whatever runs it)."""
        return self.name

    @property
    def cache_id(self) -> str:
        """Names what makes the vectors (model, engine, device): the key of embedding caches."""
        return self.model_id

    @property
    def path(self) -> str:
        """The arithmetic of the inner products (run.json's `embedding_path`)."""
        return "float32"

    @property
    @abstractmethod
    def dim(self) -> int:
        """Length of one embedding vector."""
