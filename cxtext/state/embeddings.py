"""Per-comment caches of a state folder: one fixed-width row per comment seen, memory-mapped.

The embedding cache (float16 vectors) is one; per-comment text features (language, sentiment
cue counts) are others. Two files per cache:
  <name>-<version>.f16 / .f32 / .f64  raw little-endian rows, append-only, in first-seen order
  <name>-<version>.keys.npz    the content key of each row (and the row width)

A text-feature cache keeps one version: an append deletes the files of its other versions (see
`cxtext.state.versions`). The embedding cache keeps every model's, since one state may be run
with several models.

A run reads only the rows of its own comments from the memory-mapped row file, so a state that
has seen a million comments does not put a million vectors in memory, and a run appends only its
new rows. Crash safety comes from the order of writes: rows are appended (and synced) first, the
key file is replaced atomically last, and a reader trusts only as many rows as there are keys. A
run killed between the two leaves a tail of rows without keys, which the next append cuts off.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cxtext.files import replace_atomically
from cxtext.state.versions import cache_stem, remove_other_versions

KEY_DTYPE = "S20"  # comment_key: 20 hex digits
SUFFIX = {"float16": "f16", "float32": "f32", "float64": "f64"}
FILE_SUFFIXES = (".keys.npz", *(f".{suffix}" for suffix in SUFFIX.values()))


class RowStore:
    """Cached rows by comment key: one cache (`name`, `version`) in one state folder."""

    keeps_other_versions = False  # an append deletes the files of this cache's other versions

    def __init__(self, folder: Path, name: str, version: str, dtype: str = "<f8") -> None:
        self._row_dtype = np.dtype(dtype)
        self._folder, self._stem = folder, cache_stem(name, version)
        self._keys_path = folder / f"{self._stem}.keys.npz"
        self._rows_path = folder / f"{self._stem}.{SUFFIX[self._row_dtype.name]}"
        self._keys, self._dim = np.zeros(0, KEY_DTYPE), 0
        if self._keys_path.is_file():
            try:
                with np.load(self._keys_path) as data:
                    self._keys, self._dim = data["keys"].astype(KEY_DTYPE), int(data["dim"])
            except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
                pass  # a damaged key file: the cache starts again, its rows computed anew
        # trust only rows the row file holds (it was cut short, or replaced, by hand or disk)
        size = self._rows_path.stat().st_size if self._rows_path.is_file() else 0
        self._keys = self._keys[: size // max(1, self._dim * self._row_dtype.itemsize)]
        self._index()

    def __len__(self) -> int:
        return len(self._keys)

    def rows_of(self, keys: Sequence[str]) -> np.ndarray:
        """Row number of each key in the row file, -1 where the key has not been seen."""
        wanted = np.asarray(keys, dtype=KEY_DTYPE)
        if len(self._sorted) == 0:
            return np.full(len(wanted), -1)
        at = np.minimum(np.searchsorted(self._sorted, wanted), len(self._sorted) - 1)
        return np.where(self._sorted[at] == wanted, self._order[at], -1)

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        """These rows, read from the memory-mapped file (float16 caches come back as float32)."""
        out = np.float32 if self._row_dtype.itemsize < 4 else self._row_dtype.newbyteorder("=")
        if len(rows) == 0:
            return np.zeros((0, self._dim), out)
        shape = (len(self._keys), self._dim)
        mapped = np.memmap(self._rows_path, self._row_dtype, "r", shape=shape)
        return np.asarray(mapped[rows], dtype=out)

    def append(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Add rows for keys not seen before; rows first, then the key file (atomically)."""
        if len(keys) == 0:
            return
        if self._dim not in (0, vectors.shape[1]):
            raise ValueError(f"vectors of width {vectors.shape[1]} in a cache of {self._dim}")
        self._dim = vectors.shape[1]
        end = len(self._keys) * self._dim * self._row_dtype.itemsize
        with self._rows_path.open("r+b" if self._rows_path.exists() else "wb") as handle:
            handle.truncate(end)  # rows of a killed run that never got their keys
            handle.seek(end)
            handle.write(np.ascontiguousarray(vectors, dtype=self._row_dtype).tobytes())
            handle.flush()
            os.fsync(handle.fileno())
        self._keys = np.concatenate([self._keys, np.asarray(keys, dtype=KEY_DTYPE)])
        replace_atomically(
            self._keys_path, lambda tmp: np.savez(tmp, keys=self._keys, dim=np.int64(self._dim))
        )
        self._index()
        if not self.keeps_other_versions:
            remove_other_versions(self._folder, self._stem, FILE_SUFFIXES)

    def _index(self) -> None:
        self._order = np.argsort(self._keys, kind="stable")
        self._sorted = self._keys[self._order]


class EmbeddingStore(RowStore):
    """Cached float16 vectors by comment key for one model (its `cache_id`); the caches of other
    models stay, since one state may be run with several."""

    keeps_other_versions = True

    def __init__(self, folder: Path, model: str) -> None:
        super().__init__(folder, "embeddings", model, "<f2")
        self._import_old_format(folder / f"{self._stem}.npz")

    def _import_old_format(self, path: Path) -> None:
        """States written before the row file kept everything in one .npz: move it over once."""
        if not path.is_file():
            return
        with np.load(path) as data:
            keys, vectors = data["keys"].astype(str).tolist(), data["vectors"]
        fresh = self.rows_of(keys) < 0
        if fresh.any():
            self.append([k for k, new in zip(keys, fresh, strict=True) if new], vectors[fresh])
        path.unlink()
