"""String -> row maps kept per machine as sorted, memory-mapped UTF-8 keys.

A scheduled rerun scores a few hundred comments: building the dict of the model's 468k words
and 120k n-grams would cost it ~0.25 s, while opening the sorted keys costs ~1 ms and looking up a
batch's distinct words is one `np.searchsorted`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cxtext.files import save_to_cache


class SortedKeys:
    """A read-only str -> row map over sorted fixed-width UTF-8 keys."""

    def __init__(self, keys: np.ndarray, rows: np.ndarray) -> None:
        self.keys, self.rows = keys, rows

    @classmethod
    def from_dict(cls, index: dict[str, int]) -> SortedKeys:
        keys = np.array([key.encode() for key in index], dtype=np.bytes_)
        order = np.argsort(keys, kind="stable")
        return cls(keys[order], np.fromiter(index.values(), np.int64, len(index))[order])

    def rows_of(self, words: Sequence[str]) -> np.ndarray:
        """Each word's row; -1 for a word not in the map."""
        if not words or not len(self.keys):
            return np.full(len(words), -1, dtype=np.int64)
        encoded = [word.encode() for word in words]
        sizes = np.fromiter(map(len, encoded), np.int64, len(encoded))
        query = np.array(encoded, dtype=self.keys.dtype)  # a longer word is cut: `fits` below
        at = np.searchsorted(self.keys, query).clip(max=len(self.keys) - 1)
        found = (self.keys[at] == query) & (sizes <= self.keys.dtype.itemsize)
        return np.where(found, self.rows[at], -1)

    def to_dict(self) -> dict[str, int]:
        return dict(
            zip((key.decode() for key in self.keys.tolist()), self.rows.tolist(), strict=True)
        )


def load_sorted(stem: Path, size: int) -> SortedKeys | None:
    """The keys kept at `stem`-keys.npy / -rows.npy, memory-mapped; None when missing or damaged
    (unreadable, wrong shapes or types, a row outside a table of `size` rows)."""
    try:
        keys = np.asarray(np.load(f"{stem}-keys.npy", mmap_mode="r"))
        rows = np.asarray(np.load(f"{stem}-rows.npy", mmap_mode="r"))
    except (OSError, ValueError, EOFError):
        return None
    if keys.ndim != 1 or keys.dtype.kind != "S" or rows.shape != keys.shape:
        return None
    if rows.dtype != np.int64 or not len(rows) or rows.min() < 0 or rows.max() >= size:
        return None
    return SortedKeys(keys, rows)


def load_table(path: Path) -> np.ndarray | None:
    """A kept n-gram table, memory-mapped; None when missing or damaged."""
    try:
        table = np.asarray(np.load(path, mmap_mode="r"))
    except (OSError, ValueError, EOFError):
        return None
    return table if table.ndim == 2 and table.dtype == np.float32 else None


def save_sorted(stem: Path, index: dict[str, int]) -> None:
    """Keep `index` sorted at `stem` for later runs (nothing when the cache is not writable)."""
    kept = SortedKeys.from_dict(index)
    save_to_cache(Path(f"{stem}-rows.npy"), kept.rows)
    save_to_cache(Path(f"{stem}-keys.npy"), kept.keys)
