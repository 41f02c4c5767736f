"""Character n-gram TF-IDF of the library's examples and a run's comments, without scikit-learn.

The lexical vote (`library.lexical_nearest`) weighs texts as scikit-learn's
`TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)` does, and must
keep its very floats (a weekly run's scores and quotes equal what the first run gave). Each
step here is scikit-learn's, in its order: the same n-grams, columns numbered as they are first
met (scikit-learn sorts them by name afterwards, which moves no entry within a row), the same
elementwise idf and sublinear tf, and each row's squared entries summed one after another
before the square root. Importing scikit-learn (and with it scipy) cost a weekly run ~1.4 CPU s
of its ~8. The examples' counts do not change between runs: they are kept per machine under
`$CXTEXT_CACHE` (`example_counts`) and rebuilt when missing, damaged or of another version.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cxtext.files import cache_dir, replace_atomically

MIN_N, MAX_N = 3, 5
CACHE_VERSION = 1  # bump when the counting changes: older files are then rebuilt
_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's `_white_spaces`


@dataclass(frozen=True)
class SparseRows:
    """Compressed sparse rows (scipy's CSR layout): row i's columns and values are
    `indices[indptr[i]:indptr[i + 1]]` and `data[...]`, columns ascending."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    n_columns: int

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def head(self, rows: int) -> SparseRows:
        """The first `rows` rows."""
        end = int(self.indptr[rows])
        return SparseRows(
            self.indptr[: rows + 1], self.indices[:end], self.data[:end], self.n_columns
        )

    def columns(self) -> SparseRows:
        """The transpose: per column, the rows holding it (ascending) and their values."""
        order = np.argsort(self.indices, kind="stable")
        rows = np.repeat(np.arange(self.n_rows, dtype=np.int64), np.diff(self.indptr))
        indptr = np.zeros(self.n_columns + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.indices, minlength=self.n_columns), out=indptr[1:])
        return SparseRows(indptr, rows[order], self.data[order], self.n_rows)


def char_wb_ngrams(text: str) -> list[str]:
    """scikit-learn's `char_wb` analyzer for 3-5-grams: lower-cased words padded with a space,
    a word shorter than n counted once whole."""
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        word = f" {word} "
        length = len(word)
        for n in range(MIN_N, MAX_N + 1):
            if length <= n:
                grams.append(word)
                break
            grams += [word[i : i + n] for i in range(length - n + 1)]
    return grams


def count_ngrams(
    texts: Sequence[str], vocabulary: dict[str, int], extra: dict[str, int] | None = None
) -> SparseRows:
    """N-gram counts per text, columns numbered in the order n-grams are first met (as
    scikit-learn's `CountVectorizer` numbers them before sorting). `vocabulary` grows with the
    new n-grams, or, given `extra`, stays as it is and `extra` gets them (numbered after it)."""
    start = 0 if extra is None else len(vocabulary)
    find = vocabulary.get
    indptr, indices, counts = [0], [], []
    for text in texts:
        counted = Counter(char_wb_ngrams(text))  # first met first
        if extra is None:  # a new n-gram's column: the vocabulary's size as it is met
            columns = [vocabulary.setdefault(gram, len(vocabulary)) for gram in counted]
        else:
            columns = [find(gram) for gram in counted]
            if None in columns:
                columns = [
                    extra.setdefault(gram, start + len(extra)) if column is None else column
                    for gram, column in zip(counted, columns, strict=True)
                ]
        indices += columns
        counts += counted.values()
        indptr.append(len(indices))
    indptr = np.asarray(indptr, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.float64)
    n_columns = start + len(vocabulary if extra is None else extra)
    # columns ascending within each row (scipy's `sort_indices`): (row, column) pairs are
    # distinct, so one sort of row × n_columns + column orders them (lexsort took 3x longer)
    rows = np.repeat(np.arange(len(texts), dtype=np.int64), np.diff(indptr))
    order = np.argsort(rows * n_columns + indices)
    return SparseRows(indptr, indices[order], counts[order], n_columns)


def stack(top: SparseRows, bottom: SparseRows) -> SparseRows:
    """`top`'s rows, then `bottom`'s (over `bottom`'s columns, which extend `top`'s)."""
    return SparseRows(
        np.r_[top.indptr, bottom.indptr[1:] + top.indptr[-1]],
        np.r_[top.indices, bottom.indices],
        np.r_[top.data, bottom.data],
        bottom.n_columns,
    )


def weigh(counts: SparseRows, repeats: np.ndarray) -> SparseRows:
    """TF-IDF rows of n-gram counts, row i standing for `repeats[i]` texts: smoothed idf over
    the repeats, sublinear tf, each row scaled to length 1 (scikit-learn's floats exactly)."""
    per_entry = np.repeat(np.asarray(repeats, dtype=np.float64), np.diff(counts.indptr))
    frequency = np.bincount(counts.indices, weights=per_entry, minlength=counts.n_columns) + 1.0
    idf = np.full_like(frequency, float(np.sum(repeats) + 1))
    idf /= frequency
    np.log(idf, out=idf)
    idf += 1.0
    data = np.log(counts.data)
    data += 1.0
    data *= idf[counts.indices]
    norms = np.sqrt(sequential_row_sums(counts.indptr, data * data))
    lengths = np.diff(counts.indptr)
    data /= np.repeat(np.where(norms == 0.0, 1.0, norms), lengths)
    return SparseRows(counts.indptr, counts.indices, data, counts.n_columns)


def sequential_row_sums(indptr: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each row's values summed left to right (as scikit-learn's compiled row normaliser sums
    them; numpy's own sums pair values up and may differ in the last bit): one vectorised step
    per position, over the rows that are that long."""
    lengths = np.diff(indptr)
    order = np.argsort(-lengths, kind="stable")
    starts, remaining = indptr[:-1][order], lengths[order]
    sums = np.zeros(len(lengths))
    for position in range(int(remaining.max(initial=0))):
        active = int(np.searchsorted(-remaining, -position, side="left"))
        sums[:active] += values[starts[:active] + position]
    out = np.empty_like(sums)
    out[order] = sums
    return out


def tfidf_rows(texts: Sequence[str], repeats: np.ndarray) -> SparseRows:
    """Rows of `TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    .fit_transform` on the texts with text i repeated `repeats[i]` times, one row per text
    (columns in first-met order rather than by name)."""
    return weigh(count_ngrams(texts, {}), np.asarray(repeats))


def example_counts(texts: Sequence[str]) -> tuple[dict[str, int], SparseRows]:
    """The n-gram vocabulary and counts of the library's distinct example texts, from the
    per-machine cache when it holds them (a damaged file or one of another version is counted
    again and replaced)."""
    digest = hashlib.sha256(f"char_wb {MIN_N}-{MAX_N} v{CACHE_VERSION}".encode())
    for text in texts:
        digest.update(b"\x00" + text.encode())
    path = cache_dir() / f"ngrams-{digest.hexdigest()[:20]}.npz"
    stored = _read_counts(path, len(texts))
    if stored is not None:
        return stored
    vocabulary: dict[str, int] = {}
    counts = count_ngrams(texts, vocabulary)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(path, lambda tmp: _write_counts(tmp, vocabulary, counts))
    except OSError:  # a read-only cache only costs the counting again
        pass
    return vocabulary, counts


def _write_counts(path: Path, vocabulary: dict[str, int], counts: SparseRows) -> None:
    """The n-grams as one UTF-32 string and their lengths (any character survives), the
    counts as they are."""
    joined = "".join(vocabulary).encode("utf-32-le", "surrogatepass")
    np.savez(
        path,
        grams=np.frombuffer(joined, dtype=np.uint8),
        lengths=np.array([len(gram) for gram in vocabulary], dtype=np.uint8),
        indptr=counts.indptr,
        indices=counts.indices,
        counts=counts.data,
        version=CACHE_VERSION,
    )


def _read_counts(path: Path, n_texts: int) -> tuple[dict[str, int], SparseRows] | None:
    """What `_write_counts` kept for `n_texts` texts; None when missing, damaged or not
    consistent with itself or its texts."""
    try:
        with np.load(path) as stored:
            version = int(stored["version"])
            joined = stored["grams"].tobytes().decode("utf-32-le", "surrogatepass")
            lengths = stored["lengths"].astype(np.int64)
            counts = SparseRows(stored["indptr"], stored["indices"], stored["counts"], len(lengths))
    except (OSError, ValueError, EOFError, KeyError, TypeError, zipfile.BadZipFile):
        return None  # (UnicodeDecodeError is a ValueError; TypeError: a lone array, no archive)
    ends = np.cumsum(lengths)
    vocabulary = {
        joined[start:end]: column
        for column, (start, end) in enumerate(
            zip((ends - lengths).tolist(), ends.tolist(), strict=True)
        )
    }
    if (
        version != CACHE_VERSION
        or int(ends[-1] if len(ends) else 0) != len(joined)
        or len(vocabulary) != len(lengths)
        or not _consistent(counts, n_texts)
    ):
        return None
    return vocabulary, counts


def _consistent(counts: SparseRows, n_texts: int) -> bool:
    """Does a stored matrix have the shape its texts need (no file cut short or mixed up)?"""
    indptr, indices = counts.indptr, counts.indices
    return (
        indptr.dtype.kind == indices.dtype.kind == "i"
        and len(indptr) == n_texts + 1
        and indptr[0] == 0
        and bool(np.all(np.diff(indptr) >= 0))
        and int(indptr[-1]) == len(indices) == len(counts.data)
        and (not len(indices) or (indices.min() >= 0 and indices.max() < counts.n_columns))
    )
