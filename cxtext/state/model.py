"""The theme model a scheduled run keeps for the next one: centroids per theme and the state
built from a finished run."""

from __future__ import annotations

from collections import Counter

import numpy as np
import polars as pl

from cxtext import vectors
from cxtext.frames import distinct_keys
from cxtext.io.contract import OUTLIER_THEME
from cxtext.result import Result
from cxtext.state import ThemeState
from cxtext.state.dated import DATED_SCHEMA
from cxtext.state.keys import comment_keys
from cxtext.state.map import map_points


def theme_centroids(theme_ids: np.ndarray, space: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Normalised centroid per theme (no outliers), in sorted id order."""
    ids = sorted(set(theme_ids) - {OUTLIER_THEME})
    if not ids:
        return [], np.zeros((0, space.shape[1]), np.float32)
    return ids, vectors.centroids([space[theme_ids == t] for t in ids])


def next_theme_state(result: Result, previous: ThemeState | None) -> ThemeState:
    """The theme model to keep for the next run: centroids, labels, assignments, history.

    A theme's centroid is the mean of every distinct comment ever assigned to it (a running sum
    and count per theme, moved when a comment changes theme), not of the last run's comments
    only: a 20-row month after a 300-row one (demo corpus) kept 14 of 27 themes, whose
    centroids were 1-3 comments each, and the next full month then left 59 comments unthemed
    (21 after the 300-row month alone) and gave lost themes fresh ids (`n01`, ...) on which
    curation decisions no longer applied. Earlier comments keep their assignments."""
    content = result.comments.filter(~pl.col("no_content"))
    theme_ids = np.asarray(content.get_column("theme_id").to_list(), dtype=object)
    keys = comment_keys(content.get_column("text"))
    ids, sums, counts = theme_sums(keys, theme_ids, result.space, previous)
    themes = result.themes
    labels = dict(zip(themes.get_column("theme_id"), themes.get_column("label"), strict=True))
    sources = dict(zip(themes.get_column("theme_id"), themes.get_column("source"), strict=True))
    assignments = dict(zip(keys, theme_ids.tolist(), strict=True))
    scores = dict(zip(keys, content.get_column("theme_score").to_list(), strict=True))
    used = result.run.get("label_language_used")
    if previous is not None:
        # a theme this run did not name keeps its name, unless the names changed language:
        # then it has none ("") and is named afresh when it comes back
        changed = previous.label_language[1] not in (None, used)
        kept = {t: "" if changed else previous.labels.get(t, t) for t in ids if t not in labels}
        labels = kept | labels
        sources = {t: previous.sources.get(t, "") for t in ids if t not in sources} | sources
        earlier = {k: t for k, t in previous.assignments.items() if k not in assignments}
        assignments = earlier | assignments
        scores = {k: previous.scores[k] for k in earlier if k in previous.scores} | scores
    numbers = [int(t[1:]) for t in ids if t[:1] == "n" and t[1:].isdigit()]
    history = [*(previous.history if previous else [])]
    history.append(
        {
            "input_sha256": result.run["input_sha256"],
            "rows": result.run["rows_written"],
            # alerts after a refit take no baseline from before it (`scheduled.last_refit`)
            **({"refit": True} if result.run["options"].get("refit") else {}),
            **({"dates": [d.isoformat() for d in result.date_span]} if result.date_span else {}),
            "themes": {
                r["theme_id"]: {"label": r["label"], "size": r["size"], "share": r["share"]}
                for r in themes.select("theme_id", "label", "size", "share").to_dicts()
            },
        }
    )
    return ThemeState(
        theme_ids=ids,
        centroids=vectors.normalise(sums).astype(np.float32),
        sums=sums,
        counts=counts,
        labels=labels,
        sources=sources,
        language_means=result.language_means,
        next_new=max([previous.next_new if previous else 1, *[n + 1 for n in numbers]]),
        assignments=assignments,
        scores=scores,
        history=history,
        map_points=(
            map_points(content.get_column("text"), result.comment_map)
            if result.comment_map is not None
            else None
        ),
        cuts=dict(result.cuts),
        model=result.run["model"],
        dated=_dated(result, previous),
        label_language=(result.run["options"]["themes"]["label_language"], used),
        library=_fitted_library(result, previous),
    )


def _fitted_library(result: Result, previous: ThemeState | None) -> list[str]:
    """The library theme ids the kept themes were fitted with: this run's on a first run or a
    refit (and on a state that kept none), else the state's."""
    if previous is None or previous.library is None or result.run["options"].get("refit"):
        return list(result.library_themes)
    return previous.library


def _dated(result: Result, previous: ThemeState | None) -> pl.DataFrame | None:
    """The dated comments to keep: this run's with the state's before them; a run without
    dates keeps the stored ones (a fresh state starts empty, an older state stays without)."""
    if result.dated is not None:
        return result.dated
    if previous is None:
        return pl.DataFrame(schema=DATED_SCHEMA)
    return previous.dated


def theme_sums(
    keys: list[str], theme_ids: np.ndarray, space: np.ndarray, previous: ThemeState | None
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Sorted theme ids with the sum and count of their distinct comments' vectors: the
    previous run's, plus this run's comments new to the state, minus and plus the seen ones
    that changed theme. A theme left without comments (all merged away) is dropped."""
    first, _ = distinct_keys(keys)
    keys_first = [keys[i] for i in first]
    now = theme_ids[first]
    before = np.array(
        [(previous.assignments.get(k, "") if previous else "") for k in keys_first], dtype=object
    )
    known = _previous_sums(previous)
    before[~np.isin(before, list(known))] = ""  # in no stored sum: counts as new
    ids = sorted((set(known) | set(now.tolist())) - {OUTLIER_THEME})
    position = {t: i for i, t in enumerate(ids)}
    sums = np.zeros((len(ids), space.shape[1]), np.float64)
    counts = np.zeros(len(ids), np.int64)
    for theme_id, (total, count) in known.items():
        sums[position[theme_id]], counts[position[theme_id]] = total, count
    moved = now != before
    rows = space[first].astype(np.float64)
    for sign, side in ((1, now), (-1, before)):
        take = np.flatnonzero(moved & np.isin(side, ids))
        where = np.array([position[t] for t in side[take]], dtype=np.int64)
        np.add.at(sums, where, sign * rows[take])
        np.add.at(counts, where, sign)
    kept = counts > 0
    return [t for t, k in zip(ids, kept, strict=True) if k], sums[kept], counts[kept]


def _previous_sums(previous: ThemeState | None) -> dict[str, tuple[np.ndarray, int]]:
    """Stored theme id → (vector sum, comment count); a state from before sums were kept
    counts its last run's comments per theme and takes the centroid as their mean."""
    if previous is None:
        return {}
    if previous.sums is not None and previous.counts is not None:
        return {
            t: (previous.sums[i], int(previous.counts[i])) for i, t in enumerate(previous.theme_ids)
        }
    counts = Counter(previous.assignments.values())
    return {
        t: (previous.centroids[i].astype(np.float64) * max(counts[t], 1), max(counts[t], 1))
        for i, t in enumerate(previous.theme_ids)
    }
