"""The output contract: column names and order that every later stage builds on (never rename)."""

from __future__ import annotations

import polars as pl

ROW_COLUMN = "_row"  # 1-based data-row number in the input file; internal, not written

COMMENT_COLUMNS = ["id", "text", "lang", "lang_confidence", "theme_id", "theme_label"]
THEME_COLUMNS = ["theme_id", "label", "keywords", "size", "share", "languages", "examples"]
# Every column name cxtext adds to comments; input columns with these names get an `_input` suffix.
ADDED_COMMENT_COLUMNS = [
    "theme_score",
    "no_content",
    "phase",
    "phase_confidence",
    "phase_runner_up",
    "silo",
    "silo_confidence",
    "silo_runner_up",
    "channel",
    "sentiment",
    "sentiment_score",
    "kano",
    "follow_up",
    "pii",
    "text_original",
]
REJECT_COLUMNS = ["row", "reason", "raw"]
OUTLIER_THEME = "-1"

REJECT_SCHEMA = {"row": pl.UInt32, "reason": pl.String, "raw": pl.String}


def empty_rejects() -> pl.DataFrame:
    """A rejects frame with no rows and the contract's schema."""
    return pl.DataFrame(schema=REJECT_SCHEMA)


def reject_rows(frame: pl.DataFrame, mask: pl.Expr, reason: str, raw_column: str) -> pl.DataFrame:
    """Rows of `frame` selected by `mask` as rejects with one reason."""
    return frame.filter(mask).select(
        pl.col(ROW_COLUMN).cast(pl.UInt32).alias("row"),
        pl.lit(reason).alias("reason"),
        pl.col(raw_column).cast(pl.String).str.slice(0, 500).fill_null("").alias("raw"),
    )
