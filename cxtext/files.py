"""Where cxtext keeps what it computes once per machine, and how files are replaced safely."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np


def cache_dir() -> Path:
    """The per-machine cache: `$CXTEXT_CACHE`, default `~/.cache/cxtext` (reference and anchor
    embeddings, the host-built engine, the language model's word matrix)."""
    return Path(os.environ.get("CXTEXT_CACHE", Path.home() / ".cache" / "cxtext"))


def replace_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """`write` a temporary file beside `path`, then rename it over `path`: a reader (or a run
    killed halfway) never sees half a file. The temporary name keeps the suffix, as numpy's
    savers and parquet writers expect."""
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    write(tmp)
    os.replace(tmp, path)


def save_to_cache(path: Path, array: np.ndarray) -> None:
    """Keep `array` at `path` (.npy) for later runs; a read-only cache only costs the work again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(path, lambda tmp: np.save(tmp, array))
    except OSError:
        pass
