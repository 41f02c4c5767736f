"""The output contract: column names and order that every later stage builds on (never rename)."""

from __future__ import annotations

import polars as pl

ROW_COLUMN = "_row"  # 1-based data-row number in the input file; internal, not written
QUESTION_ORDER = "_question"  # with several open questions: the answer's question number

COMMENT_COLUMNS = ["id", "text", "lang", "lang_confidence", "theme_id", "theme_label"]
THEME_COLUMNS = ["theme_id", "label", "keywords", "size", "share", "languages", "examples"]
# Per-comment decisions (theme, journey, sentiment, priority), e.g. the store's assignments table.
ASSIGNMENT_COLUMNS = [
    "theme_id",
    "theme_score",
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
]
# Every column name cxtext adds to comments; input columns with these names get an `_input` suffix.
ADDED_COMMENT_COLUMNS = [
    *[c for c in ASSIGNMENT_COLUMNS if c != "theme_id"],
    "no_content",
    "pii",
    "respondent",
    "text_original",
]
# Column types of the theme table, in output order (stages add their part).
THEME_DTYPES = {
    "theme_id": pl.String,
    "label": pl.String,
    "keywords": pl.String,
    "size": pl.Int64,
    "share": pl.Float64,
    "languages": pl.String,
    "examples": pl.List(pl.String),
    "source": pl.String,
    "phase": pl.String,
    "phase_confidence": pl.Float64,
    "silo": pl.String,
    "silo_confidence": pl.Float64,
    "channels": pl.String,
    "cross_silo": pl.Boolean,
    "sentiment_mean": pl.Float64,
    "negative_share": pl.Float64,
    "positive_share": pl.Float64,
    "kano": pl.String,
    "impact": pl.Float64,
    "impact_ci": pl.String,
    "impact_metric": pl.String,
    "priority_volume": pl.Float64,
    "priority_negativity": pl.Float64,
    "priority_kano_weight": pl.Float64,
    "priority_impact_gain": pl.Float64,
    "praise": pl.Boolean,
    "priority": pl.Float64,
    "rank": pl.Int64,
    "parent_id": pl.String,
    "parent_label": pl.String,
    # distinct respondents among the theme's content comments (`size` counts the comments);
    # last, as later columns are added: the first THEME_COLUMNS never move
    "respondents": pl.Int64,
    # a discovered theme of social-media talk, not ranked as a fix (`themes.off_journey`)
    "off_journey": pl.Boolean,
}

REJECT_COLUMNS = ["row", "reason", "raw"]
OUTLIER_THEME = "-1"

REJECT_SCHEMA = {"row": pl.UInt32, "reason": pl.String, "raw": pl.String}


def empty_rejects() -> pl.DataFrame:
    """A rejects frame with no rows and the contract's schema."""
    return pl.DataFrame(schema=REJECT_SCHEMA)


def rejects_frame(rows: list[tuple[int, str, str]]) -> pl.DataFrame:
    """A rejects frame of (row number, reason, raw text) tuples, as the readers collect them."""
    if not rows:
        return empty_rejects()
    row, reason, raw = zip(*rows, strict=True)
    return pl.DataFrame(
        {"row": list(row), "reason": list(reason), "raw": list(raw)}, schema=REJECT_SCHEMA
    )


def reject_rows(
    frame: pl.DataFrame, mask: pl.Expr, reason: str | pl.Expr, raw_column: str
) -> pl.DataFrame:
    """Rows of `frame` selected by `mask` as rejects with one reason (or a reason per row)."""
    return frame.filter(mask).select(
        pl.col(ROW_COLUMN).cast(pl.UInt32).alias("row"),
        (pl.lit(reason) if isinstance(reason, str) else reason).alias("reason"),
        pl.col(raw_column).cast(pl.String).str.slice(0, 500).fill_null("").alias("raw"),
    )


def theme_order(themes: pl.DataFrame) -> pl.DataFrame:
    """Theme columns in the contract's order (later additions last), then any others."""
    first = [c for c in THEME_DTYPES if c in themes.columns]
    return themes.select(*first, *[c for c in themes.columns if c not in THEME_DTYPES])


# After COMMENT_COLUMNS, in this order, before every input column (README, Outputs): the
# stages' columns sat after the input's, so their place moved with the input's width.
STAGE_COMMENT_COLUMNS = [
    "theme_score",
    "no_content",
    *[c for c in ASSIGNMENT_COLUMNS if c not in ("theme_id", "theme_score")],
    "pii",
    "respondent",  # the respondent's id (or row number): joins a respondent's answers
]


def contract_order(frame: pl.DataFrame) -> pl.DataFrame:
    """Contract columns first, then every input column under its own name, in input order."""
    order = [c for c in (ROW_COLUMN, QUESTION_ORDER) if c in frame.columns]
    frame = frame.sort(order)
    first = [c for c in [*COMMENT_COLUMNS, *STAGE_COMMENT_COLUMNS] if c in frame.columns]
    rest = [c for c in frame.columns if c not in first and c not in order]
    return frame.select(*first, *rest)
