"""Disk cache for embeddings of reference texts (theme examples, phase descriptions).

The taxonomy's texts change rarely, so their vectors are computed once per model and text set
and kept under `$CXTEXT_CACHE` (default `~/.cache/cxtext`); shipped copies in `models/` are
used first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cxtext.config import MODELS_DIR
from cxtext.embed.base import Embedder
from cxtext.files import cache_dir, save_to_cache


def reference_key(texts: Sequence[str], model: str) -> str:
    """Content hash of the texts and the model that embeds them."""
    digest = hashlib.sha256(model.encode())
    for text in texts:
        digest.update(b"\x00" + text.encode())
    return digest.hexdigest()[:20]


def embed_reference(
    texts: Sequence[str],
    embedder: Embedder,
    model: str,
    keep_in: Path | None = None,
    used: set[str] | None = None,
) -> np.ndarray:
    """Embeddings of `texts` (query prefix), from the shipped or user cache when present.

    `keep_in` (a state folder's `references/`) is searched too and always gets a copy, so a
    scheduled run in a fresh container, whose home cache is empty, does not embed the taxonomy's
    thousands of example texts again every time. `used` collects the keys (file stems) read,
    so that the state can drop those of a taxonomy it no longer uses (`prune_references`)."""
    key = reference_key(texts, model)
    if used is not None:
        used.add(key)
    folders = [MODELS_DIR / "embeddings", *([keep_in] if keep_in else []), cache_dir()]
    for folder in folders:
        path = folder / f"{key}.npy"
        if path.is_file():
            try:
                vectors = np.load(path)
            except (OSError, ValueError, EOFError):  # a damaged copy: embedded again below
                continue
            if vectors.shape == (len(texts), embedder.dim):
                if keep_in is not None and folder != keep_in:
                    _save(keep_in, key, vectors)
                return vectors.astype(np.float32)
    # rounded to float16 like the cached copy, so a first and a cached run give identical results
    vectors = embedder.embed(list(texts), is_query=True).astype(np.float16).astype(np.float32)
    for folder in folders[1:]:
        _save(folder, key, vectors)
    return vectors


def _save(folder: Path, key: str, vectors: np.ndarray) -> None:
    save_to_cache(folder / f"{key}.npy", vectors.astype(np.float16))


def prune_references(folder: Path, used: set[str]) -> None:
    """Delete the reference vectors in a state's `references/` that the run did not use (an
    earlier taxonomy's: ~2 MB each, one more at every edit of the examples); the home cache
    keeps its copies, so going back to that taxonomy reads them from there."""
    if not used or not folder.is_dir():
        return
    for path in folder.glob("*.npy"):
        if path.stem not in used:
            path.unlink(missing_ok=True)
