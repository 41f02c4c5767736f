"""The one contract every engine keeps: where language ID and embedding of the comments run."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl

from cxtext.embed import Embedder, load_embedder
from cxtext.errors import CxtextError
from cxtext.language import decode_languages, encode_languages, language_version
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
    def languages(self, texts: Sequence[str]) -> tuple[list[str], list[float]]:
        """Language code and confidence per text, as `cxtext.language.detect_languages`."""

    @abstractmethod
    def embed(
        self,
        texts: Sequence[str],
        model: str,
        batch_size: int = 64,
        on_batch: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """One float32 row per text, as `cxtext.embed.embed_comments` with `model`'s embedder."""

    def embedder(self, model: str, batch_size: int = 64) -> Embedder:
        """The driver's own embedder of `model` (loaded once per process), for the small
        embedding jobs that stay on the driver: taxonomy references, sentiment anchors, ..."""
        return _cached_embedder(model, batch_size)

    def assign_language(
        self, frame: pl.DataFrame, text_col: str = "text", state: Path | None = None
    ) -> pl.DataFrame:
        """Add `lang` and `lang_confidence` (the language stage, run on this engine); with a
        state folder only comments it has not seen are detected."""
        texts = frame[text_col].cast(pl.Utf8).fill_null("").to_list()
        rows = rows_with_cache(texts, state, "language", language_version(), self._language_rows)
        codes, confidences = decode_languages(rows)
        return frame.with_columns(
            pl.Series("lang", codes, dtype=pl.Utf8),
            pl.Series("lang_confidence", confidences, dtype=pl.Float64),
        )

    def _language_rows(self, texts: list[str]) -> np.ndarray:
        return encode_languages(*self.languages(texts))

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


@cache
def _cached_embedder(model: str, batch_size: int) -> Embedder:
    return load_embedder(model, batch_size)
