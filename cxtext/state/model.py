"""The theme model a scheduled run keeps for the next one: centroids per theme and the state
built from a finished run."""

from __future__ import annotations

import numpy as np
import polars as pl

from cxtext import vectors
from cxtext.io.contract import OUTLIER_THEME
from cxtext.result import Result
from cxtext.state import ThemeState
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

    A stored theme none of this run's comments fell in stays in the model (its centroid, label
    and its comments' assignments), so a quiet month does not lose it: without this a 20-row
    month after a 300-row one kept 14 of 27 themes, and the next full month gave the lost
    themes' comments fresh ids (`n01`, ...) and curation decisions on them no longer applied."""
    content = result.comments.filter(~pl.col("no_content"))
    theme_ids = np.asarray(content.get_column("theme_id").to_list())
    keys = comment_keys(content.get_column("text"))
    ids, centroids = theme_centroids(theme_ids, result.space)
    themes = result.themes
    labels = dict(zip(themes.get_column("theme_id"), themes.get_column("label"), strict=True))
    sources = dict(zip(themes.get_column("theme_id"), themes.get_column("source"), strict=True))
    assignments = dict(zip(keys, theme_ids.tolist(), strict=True))
    scores = dict(zip(keys, content.get_column("theme_score").to_list(), strict=True))
    if previous is not None:
        ids, centroids = _with_dormant(ids, centroids, previous)
        labels = {t: previous.labels.get(t, t) for t in ids if t not in labels} | labels
        sources = {t: previous.sources.get(t, "") for t in ids if t not in sources} | sources
        kept = {*ids, OUTLIER_THEME}
        earlier = {
            k: t for k, t in previous.assignments.items() if t in kept and k not in assignments
        }
        assignments = earlier | assignments
        scores = {k: previous.scores[k] for k in earlier if k in previous.scores} | scores
    numbers = [int(t[1:]) for t in ids if t[:1] == "n" and t[1:].isdigit()]
    history = [*(previous.history if previous else [])]
    history.append(
        {
            "input_sha256": result.run["input_sha256"],
            "rows": result.run["rows_written"],
            "themes": {
                r["theme_id"]: {"label": r["label"], "size": r["size"], "share": r["share"]}
                for r in themes.select("theme_id", "label", "size", "share").to_dicts()
            },
        }
    )
    return ThemeState(
        theme_ids=ids,
        centroids=centroids,
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
    )


def _with_dormant(
    ids: list[str], centroids: np.ndarray, previous: ThemeState
) -> tuple[list[str], np.ndarray]:
    """This run's themes plus the stored ones it had no comment in, in sorted id order."""
    dormant = [i for i, t in enumerate(previous.theme_ids) if t not in set(ids)]
    if not dormant:
        return ids, centroids
    merged = ids + [previous.theme_ids[i] for i in dormant]
    stacked = np.concatenate([centroids, previous.centroids[dormant]]).astype(np.float32)
    order = np.argsort(np.asarray(merged, dtype=object), kind="stable")
    return [merged[i] for i in order], stacked[order]
