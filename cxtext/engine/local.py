"""The default engine: everything in this process, exactly the stage functions themselves."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from cxtext.config import AnalyzeConfig
from cxtext.embed import embed_comments
from cxtext.engine.base import Engine
from cxtext.language import score_languages


class LocalEngine(Engine):
    """Language ID and embedding in the calling process."""

    name = "local"

    def language_scores(self, texts: Sequence[str]) -> np.ndarray:
        return score_languages(texts)

    def embed(
        self,
        texts: Sequence[str],
        model: str,
        batch_size: int = AnalyzeConfig.batch_size,
        on_batch: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        return embed_comments(list(texts), self.embedder(model, batch_size), batch_size, on_batch)
