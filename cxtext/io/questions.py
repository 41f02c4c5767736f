"""Several open questions in one export ("What did we do well?", "What should we improve?"):
each answer becomes a comment of its own, with a `question` column naming its question.

Answers keep their respondent's row number and other columns, and every comment carries a
`respondent` column (a customer key, else the respondent's id or row number): what joins
answers back to one person (`clean.clean_comments` sets it, single-question files too). A
comment's id is its row's id with `-q1`, `-q2`, ... (`answer_ids`, after redaction, so that an
id that is a CPR number becomes "ID-3-q1" beside the respondent "ID-3", never "[ID]-q1" on
every answer). A question left unanswered is a row in rejects.csv ("empty answer to
'<question>'").
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from cxtext.io.columns import ResolvedColumns
from cxtext.io.contract import QUESTION_ORDER, ROW_COLUMN

QUESTION_COLUMN = "question"
ANSWER_COLUMN = "answer"
RESPONDENT_COLUMN = "respondent"


def stack_answers(
    frame: pl.DataFrame, columns: ResolvedColumns, labels: dict[str, str] | None = None
) -> tuple[pl.DataFrame, ResolvedColumns]:
    """One row per respondent and question, ordered by row then question; `labels` are the
    question texts an export gives (Qualtrics), else the column names are used. The id column
    stays the respondent's: `answer_ids` numbers the answers once ids are redacted."""
    if not columns.questions:
        return frame, columns
    labels = labels or {}
    taken = {QUESTION_COLUMN, ANSWER_COLUMN}
    frame = frame.rename({name: f"{name}_input" for name in frame.columns if name in taken})
    parts = [
        frame.with_columns(
            pl.col(column).cast(pl.String).alias(ANSWER_COLUMN),
            pl.lit(labels.get(column) or column).alias(QUESTION_COLUMN),
            pl.lit(number, pl.UInt32).alias(QUESTION_ORDER),
        ).drop(columns.questions)
        for number, column in enumerate(columns.questions, start=1)
    ]
    stacked = pl.concat(parts, how="vertical").sort(ROW_COLUMN, QUESTION_ORDER)
    return stacked, replace(columns, text=ANSWER_COLUMN)


def answer_ids(comments: pl.DataFrame) -> pl.DataFrame:
    """Each answer's id: its row's (redacted) id and question number, `c0022-q1`; comments
    of a single-question file keep their id. Not the respondent's: a customer key repeats
    over a customer's rows, and their answers to the first question would share an id."""
    if QUESTION_ORDER not in comments.columns:
        return comments
    number = pl.col(QUESTION_ORDER).cast(pl.String)
    return comments.with_columns(pl.concat_str(pl.col("id"), pl.lit("-q"), number).alias("id"))
