"""Evidence quotes per theme: the customers' own words, in their own languages."""

from __future__ import annotations

import polars as pl

from cxtext.io.contract import OUTLIER_THEME
from cxtext.io.questions import RESPONDENT_COLUMN

MINOR_LANGUAGE_SHARE = 0.1  # a language under this share of a theme's comments is quoted last


def theme_quotes(
    comments: pl.DataFrame, themes: pl.DataFrame, per_theme: int, fit_chars: int | None = None
) -> pl.DataFrame:
    """Up to `per_theme` quotes per theme (theme_id, id, respondent, text, lang, sentiment,
    sentiment_score)."

    A fix theme is evidenced by its complaints, a praise theme by its praise; among those the
    comments closest to the theme come first, one language at a time, so the quotes show
    every language that raised the theme before a second quote in the same language. A
    language with under 10% of the theme's comments comes after the others (on 5,000 Swedish
    reviews one Danish and one English comment no longer take two of three quotes), and with
    `fit_chars` each language's comments that fit whole come before longer ones.
    """
    praise = pl.col("praise").fill_null(False) if "praise" in themes.columns else pl.lit(False)
    wanted = themes.select(
        "theme_id", pl.when(praise).then(pl.lit("pos")).otherwise(pl.lit("neg")).alias("wanted")
    )
    sentiment = pl.col("sentiment") if "sentiment" in comments.columns else pl.lit(None)
    score = pl.col("theme_score") if "theme_score" in comments.columns else pl.lit(0.0)
    too_long = pl.col("text").str.len_chars() > fit_chars if fit_chars else pl.lit(False)
    minor = pl.len().over("theme_id", "lang") < MINOR_LANGUAGE_SHARE * pl.len().over("theme_id")
    candidates = (
        comments.filter(~pl.col("no_content") & (pl.col("theme_id") != OUTLIER_THEME))
        .select(
            "theme_id",
            "id",
            _column_or_id(comments, RESPONDENT_COLUMN),
            "text",
            "lang",
            sentiment.cast(pl.String).alias("sentiment"),
            _column_or_null(comments, "sentiment_score").alias("sentiment_score"),
            score.cast(pl.Float64).fill_null(0.0).alias("_score"),
        )
        .unique(["theme_id", "text"], keep="first", maintain_order=True)
        .join(wanted, on="theme_id", how="inner")
        .with_columns(
            (pl.col("sentiment") != pl.col("wanted")).fill_null(True).alias("_other"),
            minor.alias("_minor"),
            too_long.alias("_long"),
        )
        .sort("_long", "_score", "id", descending=[False, True, False])
        .with_columns(pl.int_range(pl.len()).over("theme_id", "_other", "lang").alias("_turn"))
    )
    return (
        candidates.sort(
            "theme_id",
            "_other",
            "_minor",
            "_turn",
            "_score",
            "id",
            descending=[False, False, False, False, True, False],
        )
        .group_by("theme_id", maintain_order=True)
        .head(per_theme)
        .select("theme_id", "id", RESPONDENT_COLUMN, "text", "lang", "sentiment", "sentiment_score")
    )


def quotes_by_theme(quotes: pl.DataFrame) -> dict[str, list[dict]]:
    """The quote frame as {theme_id: [quote, ...]} in quote order."""
    grouped: dict[str, list[dict]] = {}
    for row in quotes.iter_rows(named=True):
        grouped.setdefault(row.pop("theme_id"), []).append(row)
    return grouped


def _column_or_id(frame: pl.DataFrame, name: str) -> pl.Expr:
    """A text column, or the id where a frame from before it lacks it."""
    return pl.col(name if name in frame.columns else "id").cast(pl.String).alias(name)


def _column_or_null(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name).cast(pl.Float64) if name in frame.columns else pl.lit(None, pl.Float64)
