"""What the language model file (models/langid/langid.npz, built by scripts/build_langid.py)
holds, read field by field: its vocabulary, its character n-gram table, lingua's per-word
log-probabilities, and its content hash (what caches built from it are keyed by).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import numpy as np

from cxtext.config import MODELS_DIR

MODEL_PATH = MODELS_DIR / "langid" / "langid.npz"


def vocabulary_words(data: np.lib.npyio.NpzFile) -> list[str]:
    """The model file's vocabulary, in row order."""
    return data["vocabulary"].tobytes().decode().split("\n")


def vocabulary_index(data: np.lib.npyio.NpzFile) -> dict[str, int]:
    """Word -> row of the model file's vocabulary."""
    words = vocabulary_words(data)
    return dict(zip(words, range(len(words)), strict=True))


def gram_table(data: np.lib.npyio.NpzFile) -> tuple[dict[str, int], np.ndarray]:
    """The character n-grams of both n-gram models in one table: per n-gram its log-probability
    per class, its Danish-vs-Norwegian spelling log-odds (none in files from before that field),
    and whether each model has it, so an unknown word is read with one lookup per n-gram."""
    grams = data["ngrams"].tobytes().decode().split("\n")
    spelling = (
        data["spelling_ngrams"].tobytes().decode().split("\n") if "spelling_ngrams" in data else []
    )
    index = dict(zip(grams, range(len(grams)), strict=True))
    for gram in spelling:
        index.setdefault(gram, len(index))
    classes = len(data["char_columns"])
    table = np.zeros((len(index), classes + 3), dtype=np.float32)
    table[: len(grams), :classes] = -data["ngram_logp"].astype(np.float32) / 8
    table[: len(grams), -2] = 1.0
    if spelling:
        rows = [index[gram] for gram in spelling]
        table[rows, -3] = data["spelling_logodds"].astype(np.float32) / 8
        table[rows, -1] = 1.0
    return index, table


def lingua_logp(data: np.lib.npyio.NpzFile) -> np.ndarray:
    """Lingua's per-word log-probabilities in nats, as a model file stores them (in steps of
    1/lingua_steps nats; files from before that field kept whole nats)."""
    steps = float(data["lingua_steps"]) if "lingua_steps" in data else 1.0
    return -data["lingua_logp"].astype(np.float32) / steps


@cache
def file_digest(path: Path = MODEL_PATH) -> str:
    """Content hash of a model file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
