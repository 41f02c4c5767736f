"""Copies of one comment share one theme.

UMAP lays a group of identical vectors out as an island of its own and the Ward cut may split
it, a theme match may part near-copies ("Lang ventetid i telefonen" and "lang ventetid i
telefonen!"), and a scheduled run places each new comment on its own: 20 copies of one
sentence came out in three themes (9, 6, 5). To an analyst the same sentence in two themes
is a broken result, so after every fit the copies of a comment (the same words and emoji,
`copy_key`) take one theme: the theme most of them got, a theme before no theme.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from cxtext.io.contract import OUTLIER_THEME

# What two copies may differ in: case, punctuation and spacing (the no-content check's
# `clean.comment_words` key, with each emoji or other symbol kept as a word).
COPY_KEY = r"[^\w/'\p{So}]+"


def copy_key(text: pl.Expr) -> pl.Expr:
    """A comment's words in lower case, one space apart, each emoji or other symbol a word of
    its own: copies of one comment share a theme, and "Bra 👍" and "Bra 👎" say different
    things."""
    spaced = text.str.to_lowercase().str.replace_all(r"\p{So}", " ${0} ")
    return spaced.str.replace_all(COPY_KEY, " ").str.strip_chars()


def one_theme_per_text(
    words: Sequence[str],
    theme_ids: np.ndarray,
    scores: np.ndarray,
    seen: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Theme ids and scores with every copy of a comment (equal `words`) in one theme.

    The copies vote: a theme beats no theme, then more copies, then the higher mean score,
    then the smaller id (deterministic, whatever the row order). Where some copies were `seen`
    by the last run (and keep the theme it gave them), only those vote and they never move,
    so a scheduled run keeps every seen comment's theme. A copy that moves takes the mean
    score of the copies already in its new theme (the same score for identical text)."""
    seen = np.zeros(len(words), dtype=bool) if seen is None else np.asarray(seen, dtype=bool)
    rows = pl.DataFrame(
        {
            "words": list(words),
            "theme_id": np.asarray(theme_ids).astype(str),
            "score": np.asarray(scores, dtype=np.float64),
            "seen": seen,
        }
    ).with_columns(pl.col("seen").any().over("words").alias("has_seen"))
    if rows.select(pl.col("theme_id").n_unique().over("words").max()).item() in (None, 1):
        return np.asarray(theme_ids).astype(str), np.asarray(scores, dtype=np.float64)
    votes = (
        rows.filter(pl.col("seen") | ~pl.col("has_seen"))
        .group_by("words", "theme_id")
        .agg(pl.len().alias("copies"), pl.col("score").mean().alias("mean_score"))
        .with_columns((pl.col("theme_id") != OUTLIER_THEME).alias("themed"))
        .sort(
            ["words", "themed", "copies", "mean_score", "theme_id"],
            descending=[False, True, True, True, False],
        )
        .unique("words", keep="first", maintain_order=True)
        .select("words", pl.col("theme_id").alias("chosen"), "mean_score")
    )
    joined = rows.join(votes, on="words", how="left", maintain_order="left")
    moves = ~joined.get_column("seen") & (joined.get_column("theme_id") != joined["chosen"])
    theme = joined.select(pl.when(moves).then("chosen").otherwise("theme_id")).to_series()
    score = joined.select(pl.when(moves).then("mean_score").otherwise("score")).to_series()
    return theme.to_numpy().astype(str), score.to_numpy().astype(np.float64)
