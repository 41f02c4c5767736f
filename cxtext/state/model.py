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
    """The theme model to keep for the next run: centroids, labels, assignments, history."""
    content = result.comments.filter(~pl.col("no_content"))
    theme_ids = np.asarray(content.get_column("theme_id").to_list())
    keys = comment_keys(content.get_column("text"))
    ids, centroids = theme_centroids(theme_ids, result.space)
    themes = result.themes
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
        labels=dict(zip(themes.get_column("theme_id"), themes.get_column("label"), strict=True)),
        sources=dict(zip(themes.get_column("theme_id"), themes.get_column("source"), strict=True)),
        language_means=result.language_means,
        next_new=max([previous.next_new if previous else 1, *[n + 1 for n in numbers]]),
        assignments=dict(zip(keys, theme_ids, strict=True)),
        scores=dict(zip(keys, content.get_column("theme_score").to_list(), strict=True)),
        history=history,
        map_points=(
            map_points(content.get_column("text"), result.comment_map)
            if result.comment_map is not None
            else None
        ),
        cuts=dict(result.cuts),
    )
