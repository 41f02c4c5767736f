"""Who wrote a comment: every comment row carries a `respondent`, the key that joins one
person's comments (priority volume, impact and follow_up.csv count each respondent once).

The key is the respondent column's value where there is one (a customer number repeated over
a customer's cases, see `cxtext.io.roles`), else the row's id, else its row number. A key put
in where a cell is blank is made distinct from the file's own keys: a blank id in row 3 of a
file whose ids include "3" becomes "row-3", not a second writer of the comments of "3".
"""

from __future__ import annotations

import polars as pl

from cxtext.io.columns import ResolvedColumns
from cxtext.io.questions import RESPONDENT_COLUMN

ROW_MARK = "row-"  # before a row number that stands in for a blank id
ID_MARK = "id-"  # before an id that stands in for a blank customer key


def distinct_prefix(taken: pl.Series, values: pl.Series, mark: str) -> str:
    """The shortest run of `mark` ("", "row-", "row-row-", ...) that, put before each of
    `values`, makes none of them one of `taken`."""
    prefix = ""
    while (prefix + values).is_in(taken.implode()).any():
        prefix += mark
    return prefix


def with_fallback(frame: pl.DataFrame, given: pl.Expr, fallback: pl.Expr, mark: str) -> pl.Expr:
    """`given` where its cell is not blank, else `fallback`, with `mark`s before it where a
    fallback would equal a given value of the same `frame`."""
    present = given.str.strip_chars().fill_null("") != ""
    keys = frame.select(
        present.alias("present"), given.str.strip_chars().alias("given"), fallback.alias("fallback")
    )
    prefix = distinct_prefix(
        keys.filter(pl.col("present")).get_column("given"),
        keys.filter(~pl.col("present")).get_column("fallback"),
        mark,
    )
    return pl.when(present).then(given).otherwise(pl.lit(prefix) + fallback)


def key_headers(columns: ResolvedColumns) -> dict[str, str]:
    """The input column each key column's cells are read under when redacted (`id` under
    "Sagsnr", `respondent` under "Kundenr"): a column named like a reference keeps numbers
    no checksum settles, as "kundenr 14441181" does in a comment."""
    headers = {"id": columns.id, RESPONDENT_COLUMN: columns.respondent or columns.id}
    return {column: name for column, name in headers.items() if name}


def fill_respondents(comments: pl.DataFrame) -> pl.DataFrame:
    """A comment whose customer key was blank is its own respondent: its (redacted) id, marked
    where it equals a customer's key. Run after redaction: a pseudonym ("ID-3") is compared
    as written, and a marked CPR number ("id-0101901234") would be redacted as text."""
    if comments.get_column(RESPONDENT_COLUMN).null_count() == 0:
        return comments
    own = with_fallback(comments, pl.col(RESPONDENT_COLUMN), pl.col("id"), ID_MARK)
    return comments.with_columns(own.alias(RESPONDENT_COLUMN))
