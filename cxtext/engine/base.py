"""The one contract every engine keeps: where language ID and embedding of the comments run."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl

from cxtext.config import AnalyzeConfig
from cxtext.embed import Embedder, load_embedder
from cxtext.errors import CxtextError
from cxtext.language import decide_rows, scores_version, with_languages
from cxtext.state import rows_with_cache


class EngineError(CxtextError):
    """The engine cannot run: Ray missing, the cluster unreachable, a job failed."""

    exit_code = 5


class Engine(ABC):
    """Runs the two per-comment stages; every engine gives the same outputs as `LocalEngine`.

    An engine is a context manager: `__enter__` acquires what it runs on (a Ray instance, ...),
    `__exit__` gives back what it acquired itself.
    """

    name: str = "base"

    @abstractmethod
    def language_scores(self, texts: Sequence[str]) -> np.ndarray:
        """Language evidence per text, as `cxtext.language.score_languages`."""

    @abstractmethod
    def embed(
        self,
        texts: Sequence[str],
        model: str,
        batch_size: int = AnalyzeConfig.batch_size,
        on_batch: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """One float32 row per text, as `cxtext.embed.embed_comments` with `model`'s embedder."""

    def embedder(self, model: str, batch_size: int = AnalyzeConfig.batch_size) -> Embedder:
        """The driver's own embedder of `model` (loaded once per process), for the small
        embedding jobs that stay on the driver: taxonomy references, sentiment anchors, ..."""
        return _cached_embedder(model, batch_size)

    def assign_language(
        self,
        frame: pl.DataFrame,
        text_col: str = "text",
        state: Path | None = None,
        language_mix: bool = True,
    ) -> pl.DataFrame:
        """Add `lang` and `lang_confidence` (the language stage, run on this engine). Each
        comment is scored on its own, and with a state folder only comments it has not seen
        are scored; `language_mix` then lets the whole file's mix of languages decide the
        comments Danish and Norwegian (or Bokmål and Nynorsk) share."""
        texts = frame[text_col].cast(pl.Utf8).fill_null("").to_list()
        rows = rows_with_cache(texts, state, "language", scores_version(), self.language_scores)
        return with_languages(frame, *decide_rows(rows, language_mix))

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


@cache
def _cached_embedder(model: str, batch_size: int) -> Embedder:
    return load_embedder(model, batch_size)
