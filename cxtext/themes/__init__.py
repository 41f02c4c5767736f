"""Theme stage: recognise known CX themes, discover new ones, and describe each theme."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import polars as pl

from cxtext.config import ThemeOptions
from cxtext.frames import scatter_content
from cxtext.io.contract import OUTLIER_THEME
from cxtext.state import ThemeState
from cxtext.state.keys import comment_keys
from cxtext.taxonomy import Taxonomy
from cxtext.themes.copies import copy_key, one_theme_per_text
from cxtext.themes.curation import Curation
from cxtext.themes.describe import describe_themes
from cxtext.themes.discover import (
    OUTLIER,
    WardCut,
    attach_outliers,
    discover_themes,
    min_theme_size,
    renumber_by_size,
)
from cxtext.themes.hierarchy import add_parents
from cxtext.themes.ids import (
    FIRST_RUN_PREFIX,
    NEW_PREFIX,
    compact_discovered_ids,
    discovered_ids,
    is_discovered,
)
from cxtext.themes.incremental import assign_with_state
from cxtext.themes.keywords import Written
from cxtext.themes.label_language import LabelLanguage, choose_label_language
from cxtext.themes.library import ThemeLibrary, match_library
from cxtext.themes.novelty import HOLD_SHARE, fits_library, held_by_library
from cxtext.themes.refit import refit_ids
from cxtext.vectors import own_centroid_cosines

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
    tone: np.ndarray | None = None,
    curation: Curation | None = None,
    cuts: dict[str, int] | None = None,
    written: Mapping[tuple[str, str], Written] | None = None,
    label_language: list[LabelLanguage] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add `theme_id`, `theme_label`, `theme_score` per comment and return the theme table.

    `space` holds one language-neutral embedding per content comment (`no_content` false), in
    frame order.
    With a library, discovered clusters the library explains are recognised as library themes
    and the others become new themes (`novelty`); `tone` (per content comment, see
    `sentiment.clear_tone`) keeps clear praise out of complaint and wish themes and clear
    complaints out of praise themes. Without a
    library, themes are discovered by clustering alone. With the `previous` run's theme state,
    seen comments keep their theme and new ones join stored themes (or a refit maps back onto
    the old ids).
    No-content comments are never put in a theme. `lemmas`: each content comment's keyword
    lemmas, when already at hand (from the state's cache); `written`: the texts split for them
    in this run (`comment_lemmas`), so that names need not split them again. `curation`: an
    analyst's renames, merges and promotions, applied last. `cuts`: filled with the Ward cut
    (number of clusters) each discovery of a fit took (`all` comments, the `rest` the library
    does not hold), for the state; a refit keeps the previous run's where the silhouette
    profile is flat (`WardCut`). `label_language`: receives the language every theme and group
    name is in (`choose_label_language`), for run.json and the state.
    """
    curation = curation or Curation()
    content = frame.filter(~pl.col("no_content"))
    texts = content.get_column("text").to_list()
    langs = content.get_column("lang").to_list()
    theme_ids, scores = _theme_ids(
        texts, space, options, seed, library, taxonomy, previous, refit, tone, cuts
    )
    theme_ids, scores = _one_theme_per_text(content, theme_ids, scores, previous, refit)
    theme_ids = curation.map_ids(theme_ids)
    language = choose_label_language(
        options.label_language, langs, theme_ids, _kept_label_language(previous, refit)
    )
    if label_language is not None:
        label_language.append(language)
    options = replace(options, label_language=language.used)
    # the last run's names stay, unless they are in another language than this run's ("": a
    # theme absent when the names last changed language)
    kept = previous.labels if previous and not language.renamed else {}
    names = {theme_id: name for theme_id, name in kept.items() if name}
    names = names | _library_names(taxonomy, language.used) | curation.labels()
    themes = describe_themes(texts, langs, theme_ids, space, options, names, lemmas, written)
    themes = themes.with_columns(_source(taxonomy).alias("source"))
    themes = add_parents(themes, texts, langs, theme_ids, space, taxonomy, language.used, lemmas)
    labels = dict(zip(themes.get_column("theme_id"), themes.get_column("label"), strict=True))
    assigned = {
        "theme_id": pl.Series(theme_ids, dtype=pl.String),
        "theme_label": pl.Series([labels.get(t) for t in theme_ids], dtype=pl.String),
        # rounded as float64: a float32 0.3044 written as float64 is 0.3043999969959259
        "theme_score": pl.Series(np.round(np.asarray(scores, np.float64), 4), dtype=pl.Float64),
    }
    defaults = {"theme_id": OUTLIER_THEME, "theme_score": 0.0}
    return scatter_content(frame, assigned, defaults), themes


def _theme_ids(
    texts: list[str],
    space: np.ndarray,
    options: ThemeOptions,
    seed: int,
    library: ThemeLibrary | None,
    taxonomy: Taxonomy | None,
    previous: ThemeState | None,
    refit: bool,
    tone: np.ndarray | None,
    cuts: dict[str, int] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Theme id and score per content comment: in the `previous` run's themes where there is
    one (`assign_with_state`), else fitted from scratch, and after a refit mapped back onto the
    previous run's ids (`refit_ids`). `cuts` receives the fit's Ward cuts."""
    keys = comment_keys(texts) if previous is not None else []
    if previous is not None and not refit:
        polarities = {t.id: t.polarity for t in taxonomy.themes.values()} if taxonomy else {}
        return assign_with_state(
            keys, texts, space, previous, options, seed, tone, polarities, library
        )
    before = _library_before(previous, keys) if previous is not None else None
    last = previous.cuts if previous is not None else {}
    ward = {name: WardCut(last.get(name)) for name in ("all", "rest")}
    theme_ids, scores = _fit(texts, space, options, seed, library, tone, before, ward)
    if cuts is not None:
        cuts.update({name: int(w.chosen) for name, w in ward.items() if w.chosen is not None})
    if previous is not None:
        size = min_theme_size(len(texts), options)
        refitted = refit_ids(theme_ids, space, previous, keys, size)
        scores = np.where(refitted == theme_ids, scores, _centroid_scores(space, refitted))
        theme_ids = refitted
    return theme_ids, scores


def _one_theme_per_text(
    content: pl.DataFrame,
    theme_ids: np.ndarray,
    scores: np.ndarray,
    previous: ThemeState | None,
    refit: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Every copy of a comment in one theme (`one_theme_per_text`); on a scheduled run without
    a refit the copies the last run saw keep their theme and decide. A first run's discovered
    ids are numbered again where this emptied one."""
    texts = content.get_column("text")
    words = content.select(copy_key(pl.col("text"))).to_series().to_list()
    seen = None
    if previous is not None and not refit:
        seen = np.array([key in previous.assignments for key in comment_keys(texts)], dtype=bool)
    theme_ids, scores = one_theme_per_text(words, theme_ids, scores, seen)
    return (compact_discovered_ids(theme_ids) if previous is None else theme_ids), scores


def _source(taxonomy: Taxonomy | None) -> pl.Expr:
    """Where each theme comes from: `library`, `new` (found beside the library or by a later
    run) or `discovered` (found without a library)."""
    return (
        pl.when(pl.col("theme_id").is_in(list(_library_names(taxonomy, "en"))))
        .then(pl.lit("library"))
        .when(pl.col("theme_id").str.starts_with(NEW_PREFIX))
        .then(pl.lit("new"))
        .otherwise(pl.lit("discovered"))
    )


def _fit(
    texts: list[str],
    space: np.ndarray,
    options: ThemeOptions,
    seed: int,
    library: ThemeLibrary | None,
    tone: np.ndarray | None = None,
    before: np.ndarray | None = None,
    ward: dict[str, WardCut] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Fit themes from scratch: library recognition plus discovery, or discovery alone.
    `before`: a refit's last-run decisions (`_library_before`); `ward`: the Ward cut of the
    discovery on `all` comments and on the `rest` the library leaves."""
    ward = ward or {}
    clusters = discover_themes(texts, space, options, seed, ward.get("all"))
    if library is not None:
        return _recognise(
            space, texts, clusters, library, options, seed, tone, before, ward.get("rest")
        )
    clusters = attach_outliers(space, clusters, OUTLIER_SIMILARITY)
    theme_ids = discovered_ids(clusters, FIRST_RUN_PREFIX)
    return theme_ids.astype(str), _centroid_scores(space, theme_ids)


def _recognise(
    space: np.ndarray,
    texts: list[str],
    clusters: np.ndarray,
    library: ThemeLibrary,
    options: ThemeOptions,
    seed: int,
    tone: np.ndarray | None,
    before: np.ndarray | None = None,
    rest_cut: WardCut | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Library themes for the clusters the library holds, new themes (`n01`, ...) for the rest.

    What the library does not explain is clustered again on its own when the library holds
    most comments: groups that the clustering of all comments lumped together (a few off-topic
    requests among many CX comments) come apart once the comments around them are gone. When
    the library holds only a few, the rest keeps its clusters (a new UMAP layout of nearly the
    same comments would only reshuffle them: CFPB NMI 0.430 → 0.419 for 7 held comments)."""
    min_size = min_theme_size(len(texts), options)
    held = held_by_library(space, clusters, fits_library(space, library), min_size, before)
    theme_ids = np.full(len(texts), OUTLIER_THEME, dtype=object)
    scores = np.zeros(len(texts))
    if held.any():
        rows = np.flatnonzero(held)
        won, scores[rows] = match_library(
            space[rows],
            [texts[i] for i in rows],
            library,
            min_score=-1.0,
            tone=tone[rows] if tone is not None else None,
        )
        theme_ids[rows] = [library.theme_ids[w] for w in won]
    if not held.all():
        rest = np.where(held, OUTLIER, clusters)
        if held.mean() >= HOLD_SHARE:
            rows = np.flatnonzero(~held)
            again = discover_themes([texts[i] for i in rows], space[rows], options, seed, rest_cut)
            if (again != OUTLIER).all():
                rest[rows] = again
        fresh = discovered_ids(renumber_by_size(rest), NEW_PREFIX)
        theme_ids = np.where(held, theme_ids, fresh)
        scores = np.where(held, scores, _centroid_scores(space, fresh))
    return theme_ids.astype(str), scores


def _library_before(previous: ThemeState, keys: list[str]) -> np.ndarray:
    """Per comment: 1 if the last run put it in a library theme, 0 if in a discovered or new
    one, NaN if it was not seen or was in no theme."""
    before = np.full(len(keys), np.nan)
    for row, key in enumerate(keys):
        theme_id = previous.assignments.get(key)
        if theme_id is not None and theme_id != OUTLIER_THEME:
            before[row] = 0.0 if is_discovered(theme_id) else 1.0
    return before


def _centroid_scores(space: np.ndarray, theme_ids: np.ndarray) -> np.ndarray:
    """Cosine of each comment to its own theme's centroid (0 for comments in no theme)."""
    return own_centroid_cosines(space, theme_ids, OUTLIER_THEME)


def _kept_label_language(previous: ThemeState | None, refit: bool) -> tuple[str | None, str | None]:
    """The (asked, used) label languages a scheduled run keeps from the state; a refit keeps
    none of the choice, only the used language (to tell whether names change language)."""
    if previous is None:
        return None, None
    asked, used = previous.label_language
    return (None if refit else asked), used


def _library_names(taxonomy: Taxonomy | None, lang: str) -> dict[str, str]:
    if taxonomy is None:
        return {}
    return {t.id: taxonomy.label(t.name, lang) for t in taxonomy.themes.values()}


__all__ = ["OUTLIER", "assign_themes"]
