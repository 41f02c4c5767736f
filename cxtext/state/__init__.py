"""State kept between scheduled runs (`--state PATH`): embedding and lemma caches (read and
written by `cxtext.state.caches`), theme model, comment map, history.

Layout of the state folder (all files replaced atomically: written to a temporary name, then
renamed, so a run killed at any point leaves the previous state intact):
  lock                    held while a run uses the state (a second run waits, then gives up)
  embeddings-<model>.f16, embeddings-<model>.keys.npz
                          float16 vectors of every comment seen, memory-mapped, by content
                          hash (append-only; see `cxtext.state.embeddings`), one pair per model
  language-<version>.f64, sentiment-cues-<version>.f64 (+ .keys.npz)
                          per-comment text features of every comment seen (language scores,
                          decided per run with the file's mix; sentiment cue counts, keyed by
                          text and language), the same row format
  lemmas-<version>.parquet/part-<n>.parquet
                          language + content hash → keyword lemmas of every comment seen and
                          where their words are in the text (for names shown as written), one
                          part per run that lemmatised new comments (see `cxtext.state.lemmas`)
  journey-nearest-<version>.f32 (+ .keys.npz)
                          hash of a comment's language-neutral vector → its mean similarity to
                          the nearest references of each journey phase and silo (the version
                          holds the references and the space: a refit starts it afresh)
  journey-cues-<version>.f32 (+ .keys.npz)
                          text and language → how many cue words of each phase, silo rule and
                          channel the comment holds (the version holds the cue words)
  themes.safetensors      theme centroids and language means (language-neutral space; a
                          language the state has no mean for gets one when a run has 5 of its
                          comments), and per
                          theme the sum and count of the vectors of every distinct comment ever
                          assigned to it: a centroid is their mean, so a quiet run neither drops
                          a theme nor swaps its centroid for that of a few comments
  themes.json             theme ids, labels, sources, the next free id for new themes, the
                          Ward cuts discovery took (a refit keeps them where flat) and the
                          label language asked for and used (kept while the option is the same)
  assignments.parquet     content hash → theme id and theme score of every comment seen (as the
                          latest run it was in decided)
  map.parquet             content hash → x, y (float32) on the last run's comment map, so
                          the map stays put between runs (see `cxtext.state.map`)
  dated_comments.parquet  every comment with a readable date any run saw (a key, its content
                          hash, date, theme id, negative; no text), so trends cover the state's
                          history (see `cxtext.state.dated`; absent in a state from before)
  history.json            per run: input hash, rows, theme sizes, first and last date, whether
                          it was a --refit; a quiet run (no usable comment) only its hash,
                          0 rows, `quiet` and its dates
  pseudonym.key           the key of id pseudonyms when CXTEXT_PSEUDONYM_KEY is not set
                          (made once, mode 0600; see `cxtext.pii.pseudonym`)
  references/             the taxonomy's embedded example and description texts (as in
                          ~/.cache/cxtext), so a run in a fresh container does not redo them;
                          those the run did not read (an earlier taxonomy's) are deleted

<version> is 12 hex digits of a hash of what the cache's values depend on (model file, code). The
text-feature caches (language, sentiment-cues, lemmas, journey-nearest, journey-cues) keep only
the version last written: the files of their other versions are deleted then. Embedding
caches of every model are kept.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from cxtext.errors import CxtextError, InputError
from cxtext.files import replace_atomically
from cxtext.state.caches import (
    embed_with_cache,
    lemmas_with_cache,
    rows_with_cache,
    vector_rows_with_cache,
)
from cxtext.state.dated import DATED_FILE, load_dated, save_dated
from cxtext.state.keys import comment_key, comment_keys, language_key

MAP_FILE = "map.parquet"
REFERENCES_DIR = "references"
LOCK_TIMEOUT_S = float(os.environ.get("CXTEXT_LOCK_TIMEOUT", "600"))


class StateLockedError(CxtextError):
    """Another run holds the state folder."""

    exit_code = 4


@dataclass
class ThemeState:
    """The fitted theme model of the last run."""

    theme_ids: list[str]
    centroids: np.ndarray
    labels: dict[str, str]
    sources: dict[str, str]
    language_means: dict[str, np.ndarray]
    next_new: int = 1
    assignments: dict[str, str] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)  # comment key → its theme_score
    history: list[dict] = field(default_factory=list)
    map_points: pl.DataFrame | None = None  # comment_key, x, y on the last run's comment map
    cuts: dict[str, int] = field(default_factory=dict)  # Ward cut per discovery ("all", "rest")
    sums: np.ndarray | None = None  # per theme: the sum of its distinct comments' vectors
    counts: np.ndarray | None = None  # per theme: how many (None in a state from before)
    model: str | None = None  # the --model whose vectors the centroids are (None: from before)
    dated: pl.DataFrame | None = None  # dated comments for trends (None: a state from before)
    # the --label-language asked for and the language the names are in (None: from before)
    label_language: tuple[str | None, str | None] = (None, None)
    # the library theme ids the themes were fitted with (a first run or a --refit): a theme
    # added to the taxonomy later gets no comments until a refit (None: a state from before)
    library: list[str] | None = None


@contextmanager
def locked(folder: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the state's lock for the whole run; wait up to `timeout` seconds for another run."""
    if folder.is_file():
        raise InputError(f"--state {folder} is a file, not a folder: name a folder")
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "lock").open("w") as handle:
        deadline = time.monotonic() + (LOCK_TIMEOUT_S if timeout is None else timeout)
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StateLockedError(
                        f"state {folder} is in use by another cxtext run; try again later"
                    ) from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_theme_state(folder: Path) -> ThemeState | None:
    """The last run's theme model, or None on a first run or after runs that had no comment
    to learn from (no language means: every comment empty or without content). A file that
    cannot be read is named in an `InputError`: starting over would renumber every theme."""
    meta_path, tensor_path = folder / "themes.json", folder / "themes.safetensors"
    if not (meta_path.is_file() and tensor_path.is_file()):
        return None
    from safetensors.numpy import load_file

    meta = _read_state_file(meta_path, lambda path: json.loads(path.read_text("utf-8")))
    tensors = _read_state_file(tensor_path, lambda path: load_file(str(path)))
    if not any(name.startswith("lang:") for name in tensors):
        return None
    assignments, scores = _read_state_file(folder / "assignments.parquet", _assignments)
    history_path = folder / "history.json"
    map_path = folder / MAP_FILE
    return _read_state_file(
        meta_path,
        lambda _: ThemeState(
            theme_ids=meta["theme_ids"],
            centroids=tensors["centroids"],
            labels=meta["labels"],
            sources=meta["sources"],
            language_means={k[5:]: v for k, v in tensors.items() if k.startswith("lang:")},
            next_new=meta["next_new"],
            assignments=assignments,
            scores=scores,
            history=_read_state_file(history_path, _json_list),
            map_points=_read_state_file(map_path, _parquet_or_none),
            cuts=meta.get("cuts", {}),  # a state written before the cuts were kept has none
            sums=tensors.get("sums"),
            counts=tensors.get("counts"),
            model=meta.get("model"),
            dated=_read_state_file(folder / DATED_FILE, lambda _: load_dated(folder)),
            label_language=(meta.get("label_language_asked"), meta.get("label_language_used")),
            library=meta.get("library_themes"),
        ),
    )


def _read_state_file(path: Path, read: Callable[[Path], object]) -> Any:
    """`read(path)`; a damaged state file (a disk, a hand edit) is one clear error naming it."""
    from safetensors import SafetensorError

    try:
        return read(path)
    except (ValueError, KeyError, TypeError, SafetensorError, pl.exceptions.PolarsError) as error:
        raise InputError(
            f"--state {path.parent}: {path.name} cannot be read ({type(error).__name__}: "
            f"{error}); restore the folder from a backup, or start a new --state folder"
        ) from None


def _json_list(path: Path) -> list:
    return json.loads(path.read_text("utf-8")) if path.is_file() else []


def _parquet_or_none(path: Path) -> pl.DataFrame | None:
    return pl.read_parquet(path) if path.is_file() else None


def require_same_model(previous: ThemeState | None, model: str, folder: Path) -> None:
    """Refuse a run whose model differs from the one the state's themes were fitted with: both
    e5-small and all-MiniLM-L6-v2 give 384 numbers, so their vectors would be compared
    without an error, and new comments would join themes by meaningless cosines."""
    if previous is None or previous.model is None or previous.model == model:
        return
    raise InputError(
        f"--state {folder} holds themes fitted with --model {previous.model}, not {model}: "
        f"run with --model {previous.model}, or give the new model its own --state folder"
    )


def _assignments(path: Path) -> tuple[dict[str, str], dict[str, float]]:
    """Comment key → theme id, and → theme score (none in a state from before scores were kept)."""
    if not path.is_file():
        return {}, {}
    kept = pl.read_parquet(path)
    keys = kept.get_column("comment_key").to_list()
    assignments = dict(zip(keys, kept.get_column("theme_id").to_list(), strict=True))
    if "theme_score" not in kept.columns:
        return assignments, {}
    return assignments, dict(zip(keys, kept.get_column("theme_score").to_list(), strict=True))


def load_history(folder: Path) -> list[dict]:
    """history.json alone: a state whose runs so far were all quiet weeks holds nothing else."""
    return _read_state_file(folder / "history.json", _json_list)


def save_history(folder: Path, history: list[dict]) -> None:
    """Replace history.json alone (a quiet run, which changes nothing else in the state)."""
    replace_atomically(
        folder / "history.json", lambda p: p.write_text(json.dumps(history, indent=1))
    )


def save_theme_state(folder: Path, state: ThemeState) -> None:
    """Write the theme model; themes.json goes last so a partial write is never read."""
    from safetensors.numpy import save_file

    tensors = {"centroids": np.ascontiguousarray(state.centroids, dtype=np.float32)}
    if state.sums is not None and state.counts is not None:
        tensors |= {
            "sums": np.ascontiguousarray(state.sums, dtype=np.float64),
            "counts": np.ascontiguousarray(state.counts, dtype=np.int64),
        }
    tensors |= {
        f"lang:{k}": np.ascontiguousarray(v, np.float32) for k, v in state.language_means.items()
    }
    replace_atomically(folder / "themes.safetensors", lambda p: save_file(tensors, str(p)))
    keys = list(state.assignments)
    frame = pl.DataFrame(
        {
            "comment_key": keys,
            "theme_id": list(state.assignments.values()),
            "theme_score": [state.scores.get(key) for key in keys],
        },
        schema={"comment_key": pl.String, "theme_id": pl.String, "theme_score": pl.Float64},
    )
    replace_atomically(folder / "assignments.parquet", frame.write_parquet)
    save_history(folder, state.history)
    save_dated(folder, state.dated)
    if state.map_points is not None:
        replace_atomically(folder / MAP_FILE, state.map_points.write_parquet)
    else:  # a map from an older run would not match this run's comments
        (folder / MAP_FILE).unlink(missing_ok=True)
    meta = {
        "theme_ids": state.theme_ids,
        "labels": state.labels,
        "sources": state.sources,
        "next_new": state.next_new,
        "cuts": state.cuts,
        "model": state.model,
        "label_language_asked": state.label_language[0],
        "label_language_used": state.label_language[1],
        "library_themes": state.library,
    }
    replace_atomically(
        folder / "themes.json", lambda p: p.write_text(json.dumps(meta, ensure_ascii=False))
    )


__all__ = [
    "MAP_FILE",
    "REFERENCES_DIR",
    "StateLockedError",
    "ThemeState",
    "comment_key",
    "comment_keys",
    "embed_with_cache",
    "language_key",
    "lemmas_with_cache",
    "load_theme_state",
    "locked",
    "rows_with_cache",
    "save_theme_state",
    "vector_rows_with_cache",
]
