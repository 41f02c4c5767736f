"""Theme stage: recognise known CX themes, discover new ones, and describe each theme."""

from __future__ import annotations

import numpy as np
import polars as pl

from cxtext.config import ThemeOptions
from cxtext.frames import scatter_content
from cxtext.io.contract import OUTLIER_THEME
from cxtext.state import ThemeState, comment_key
from cxtext.taxonomy import Taxonomy
from cxtext.themes.curation import Curation
from cxtext.themes.describe import describe_themes
from cxtext.themes.discover import (
    OUTLIER,
    attach_outliers,
    discover_themes,
    min_theme_size,
    renumber_by_size,
)
from cxtext.themes.hierarchy import add_parents
from cxtext.themes.incremental import assign_with_state, map_to_previous
from cxtext.themes.library import ThemeLibrary, match_library
from cxtext.themes.novelty import novel_groups

OUTLIER_SIMILARITY = 0.35  # cosine to a discovered theme's centroid (language-neutral) to join it


def assign_themes(
    frame: pl.DataFrame,
    space: np.ndarray,
    options: ThemeOptions,
    seed: int,
    library: ThemeLibrary | None = None,
    taxonomy: Taxonomy | None = None,
    previous: ThemeState | None = None,
    refit: bool = False,
    lemmas: list[list[str]] | None = None,
    curation: Curation | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add `theme_id`, `theme_label`, `theme_score` per comment and return the theme table.

    `space` holds one language-neutral embedding per content comment (`no_content` false), in
    frame order.
    With a library, comments are recognised as library themes unless they form a tight
    cluster of their own that no library theme explains (a new theme). Without one, themes are
    discovered by clustering alone. With the `previous` run's theme state, seen comments keep
    their theme and new ones join stored themes (or a refit maps back onto the old ids).
    No-content comments are never put in a theme. `lemmas`: each content comment's keyword
    lemmas, when already at hand (from the state's cache). `curation`: an analyst's renames,
    merges and promotions, applied last.
    """
    curation = curation or Curation()
    content = frame.filter(~pl.col("no_content"))
    texts = content.get_column("text").to_list()
    langs = content.get_column("lang").to_list()
    keys = [comment_key(t) for t in texts] if previous is not None else []
    if previous is not None and not refit:
        theme_ids, scores = assign_with_state(keys, texts, space, previous, options, seed)
    else:
        theme_ids, scores = _fit(texts, space, options, seed, library)
        if previous is not None:
            theme_ids, _ = map_to_previous(theme_ids, space, previous, keys)
    theme_ids = curation.map_ids(theme_ids)
    names = (previous.labels if previous else {}) | _library_names(taxonomy, options.label_language)
    names |= curation.labels()
    themes = describe_themes(texts, langs, theme_ids, space, options, names, lemmas)
    themes = themes.with_columns(
        pl.when(pl.col("theme_id").is_in(list(_library_names(taxonomy, "en"))))
        .then(pl.lit("library"))
        .when(pl.col("theme_id").str.starts_with("n"))
        .then(pl.lit("new"))
        .otherwise(pl.lit("discovered"))
        .alias("source")
    )
    themes = add_parents(
        themes, texts, langs, theme_ids, space, taxonomy, options.label_language, lemmas
    )
    labels = dict(zip(themes.get_column("theme_id"), themes.get_column("label"), strict=True))
    assigned = {
        "theme_id": pl.Series(theme_ids, dtype=pl.String),
        "theme_label": pl.Series([labels.get(t) for t in theme_ids], dtype=pl.String),
        "theme_score": pl.Series(np.round(scores, 4), dtype=pl.Float64),
    }
    defaults = {"theme_id": OUTLIER_THEME, "theme_score": 0.0}
    return scatter_content(frame, assigned, defaults), themes


def _fit(
    texts: list[str],
    space: np.ndarray,
    options: ThemeOptions,
    seed: int,
    library: ThemeLibrary | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Fit themes from scratch: library recognition plus discovery, or discovery alone."""
    clusters = discover_themes(texts, space, options, seed)
    if library is not None:
        return _recognise(space, texts, clusters, library, min_theme_size(len(texts), options))
    clusters = attach_outliers(space, clusters, OUTLIER_SIMILARITY)
    theme_ids = _discovered_ids(clusters, "d")
    return theme_ids.astype(str), _centroid_scores(space, theme_ids)


def _recognise(
    space: np.ndarray, texts: list[str], clusters: np.ndarray, library: ThemeLibrary, min_size: int
) -> tuple[np.ndarray, np.ndarray]:
    won, scores = match_library(space, texts, library, min_score=-1.0)
    theme_ids = np.array([library.theme_ids[w] for w in won], dtype=object)
    fresh = novel_groups(space, clusters, won, library.centroids(), min_size)
    if (fresh >= 0).any():
        fresh_ids = _discovered_ids(renumber_by_size(fresh), "n")
        theme_ids = np.where(fresh >= 0, fresh_ids, theme_ids)
        scores = np.where(fresh >= 0, _centroid_scores(space, fresh_ids), scores)
    return theme_ids.astype(str), scores


def _discovered_ids(clusters: np.ndarray, prefix: str) -> np.ndarray:
    """`d01`, `d02`, ... in cluster order (clusters come numbered by size); -1 stays -1."""
    names = {c: f"{prefix}{i + 1:02d}" for i, c in enumerate(sorted(set(clusters[clusters >= 0])))}
    return np.array([names.get(c, OUTLIER_THEME) for c in clusters], dtype=object)


def _centroid_scores(space: np.ndarray, theme_ids: np.ndarray) -> np.ndarray:
    """Cosine of each comment to its own theme's centroid (0 for comments in no theme)."""
    scores = np.zeros(len(theme_ids))
    for theme_id in set(theme_ids) - {OUTLIER_THEME}:
        rows = theme_ids == theme_id
        centroid = space[rows].mean(axis=0)
        scores[rows] = space[rows] @ (centroid / max(np.linalg.norm(centroid), 1e-12))
    return scores


def _library_names(taxonomy: Taxonomy | None, lang: str) -> dict[str, str]:
    if taxonomy is None:
        return {}
    return {t.id: taxonomy.label(t.name, lang) for t in taxonomy.themes.values()}


__all__ = ["OUTLIER", "assign_themes"]
