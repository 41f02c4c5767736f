"""Theme stage: group content comments into themes and describe each theme."""

from __future__ import annotations

import numpy as np
import polars as pl

from cxtext.config import ThemeOptions
from cxtext.io.contract import OUTLIER_THEME
from cxtext.themes.describe import describe_themes
from cxtext.themes.discover import (
    OUTLIER,
    attach_outliers,
    discover_themes,
    remove_language_signal,
)

OUTLIER_SIMILARITY = 0.80  # cosine to a theme centroid (language-neutral space) to join it


def assign_themes(
    frame: pl.DataFrame, embeddings: np.ndarray, options: ThemeOptions, seed: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add `theme_id` and `theme_label` to every comment and return the theme table.

    `embeddings` holds one row per content comment (`no_content` false), in frame order.
    No-content comments are never clustered: they get theme `-1`.
    """
    content = frame.filter(~pl.col("no_content"))
    texts = content.get_column("text").to_list()
    langs = content.get_column("lang").to_list()
    space = (
        remove_language_signal(embeddings, langs) if options.remove_language_signal else embeddings
    )
    topics = discover_themes(texts, space, options, seed)
    topics = attach_outliers(space, topics, OUTLIER_SIMILARITY)
    theme_ids = np.array([OUTLIER_THEME if t == OUTLIER else f"d{t + 1:02d}" for t in topics])
    themes = describe_themes(texts, langs, theme_ids, space, options)
    labels = dict(zip(themes.get_column("theme_id"), themes.get_column("label"), strict=True))
    assigned = content.select("id").with_columns(
        pl.Series("theme_id", theme_ids, dtype=pl.String),
        pl.Series("theme_label", [labels.get(t) for t in theme_ids], dtype=pl.String),
    )
    frame = _join_in_order(frame, assigned)
    return frame, themes


def _join_in_order(frame: pl.DataFrame, assigned: pl.DataFrame) -> pl.DataFrame:
    """Attach theme columns to the content rows; no-content rows get theme -1."""
    content_mask = ~frame.get_column("no_content")
    theme_id = pl.Series("theme_id", [OUTLIER_THEME] * frame.height, dtype=pl.String)
    theme_label = pl.Series("theme_label", [None] * frame.height, dtype=pl.String)
    positions = np.flatnonzero(content_mask.to_numpy())
    theme_id = theme_id.scatter(positions, assigned.get_column("theme_id"))
    theme_label = theme_label.scatter(positions, assigned.get_column("theme_label"))
    return frame.with_columns(theme_id, theme_label)


__all__ = ["assign_themes"]
