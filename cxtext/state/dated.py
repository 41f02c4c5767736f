"""The dated comments a state keeps for trends: every comment with a readable date that a
scheduled run has seen, so trends.csv and alerts.json cover the state's history, not the
current file only (`cxtext.trends` counts them).

One row per comment, without its text: a key for the comment (its input id, question and
date when the run named an id column, else its date and text, hashed), its text's content hash
(`comment_key`), date, theme id and whether it read as negative. A comment seen again (the
same id on the same day, or with no id column the same text on the same day, in a file sent
again) replaces its stored row, so it is counted once, under the theme this run gives it. The
date is part of an id's key because a row whose id cell is empty gets its row number as id,
and row 5 of next week's file is another customer than row 5 of this week's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl

from cxtext.files import replace_atomically
from cxtext.io.questions import QUESTION_COLUMN
from cxtext.state.keys import comment_key

DATED_FILE = "dated_comments.parquet"
DATED_SCHEMA = {
    "comment": pl.String,  # the comment's key across files (hashed id, or date and text)
    "comment_key": pl.String,  # content hash of its text, as the assignments key it
    "date": pl.Date,
    "theme_id": pl.String,
    "negative": pl.Boolean,
}
KEY_COLUMNS = ("id", "text", QUESTION_COLUMN)  # what `dated_records` keys a comment by


def dated_records(dated: pl.DataFrame, by_id: bool) -> pl.DataFrame:
    """The run's `dated_comments` (kept with their `KEY_COLUMNS`) as the state keeps them, text
    and id left out. `by_id`: the run named an id column (a row number is no id across files)."""
    if by_id:
        question = (
            pl.col(QUESTION_COLUMN).cast(pl.String).fill_null("")
            if QUESTION_COLUMN in dated.columns
            else pl.lit("")
        )
        parts = [
            pl.lit("id"),
            pl.col("id").cast(pl.String),
            question,
            pl.col("date").cast(pl.String),
        ]
    else:
        parts = [pl.lit("text"), pl.col("date").cast(pl.String), pl.col("text")]
    keys = dated.select(pl.concat_str(parts, separator="\x1f")).to_series().to_list()
    texts = dated.get_column("text").to_list()
    return dated.select(
        pl.Series("comment", [comment_key(key) for key in keys], pl.String),
        pl.Series("comment_key", [comment_key(text) for text in texts], pl.String),
        "date",
        "theme_id",
        "negative",
    )


def with_history(
    stored: pl.DataFrame | None, current: pl.DataFrame, final_id: Callable[[str], str]
) -> pl.DataFrame:
    """The state's dated comments with this run's (`dated_records`): a stored comment this run
    has again is replaced by it, a stored comment whose text this run themed takes that theme
    (as the state's assignments do), and every theme id becomes the one curation made it
    (merged or promoted since). Sorted, so the same comments give the same frame."""
    if stored is None or stored.is_empty():
        combined = current
    else:
        themes = current.unique("comment_key", keep="first", maintain_order=True).select(
            "comment_key", pl.col("theme_id").alias("_now")
        )
        earlier = (
            stored.join(current.select("comment").unique(), on="comment", how="anti")
            .join(themes, on="comment_key", how="left")
            .with_columns(pl.coalesce("_now", "theme_id").alias("theme_id"))
            .select(list(DATED_SCHEMA))
        )
        combined = pl.concat([earlier, current.select(list(DATED_SCHEMA))])
    ids = combined.get_column("theme_id").unique().drop_nulls().to_list()
    final = {theme_id: final_id(theme_id) for theme_id in ids}
    return combined.with_columns(
        pl.col("theme_id").replace_strict(final, default=pl.col("theme_id"))
    ).sort("date", "comment", "theme_id", "negative", nulls_last=True)


def run_spans(history: list[dict]) -> list[tuple[date, date]]:
    """The first and last date of each earlier run that had dates (`history.json`)."""
    return [
        (date.fromisoformat(run["dates"][0]), date.fromisoformat(run["dates"][1]))
        for run in history
        if run.get("dates")
    ]


def load_dated(folder: Path) -> pl.DataFrame | None:
    """The state's dated comments; None in a state written before they were kept."""
    path = folder / DATED_FILE
    return pl.read_parquet(path).cast(DATED_SCHEMA) if path.is_file() else None


def save_dated(folder: Path, dated: pl.DataFrame | None) -> None:
    """Keep the dated comments (replaced atomically); None keeps what is there."""
    if dated is not None:
        replace_atomically(folder / DATED_FILE, dated.select(list(DATED_SCHEMA)).write_parquet)
