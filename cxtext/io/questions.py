"""Several open questions in one export ("What did we do well?", "What should we improve?"):
each answer becomes a comment of its own, with a `question` column naming its question.

Answers keep their respondent's row number and other columns; their id is the respondent's id
(or row number) with `-q1`, `-q2`, ... so that every comment id stays unique. A question left
unanswered is a row in rejects.csv ("empty answer to '<question>'").
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from cxtext.io.columns import ResolvedColumns
from cxtext.io.contract import QUESTION_ORDER, ROW_COLUMN

QUESTION_COLUMN = "question"
ANSWER_COLUMN = "answer"
ANSWER_ID = "answer_id"  # added when the input has no id column


def stack_answers(
    frame: pl.DataFrame, columns: ResolvedColumns, labels: dict[str, str] | None = None
) -> tuple[pl.DataFrame, ResolvedColumns]:
    """One row per respondent and question, ordered by row then question; `labels` are the
    question texts an export gives (Qualtrics), else the column names are used."""
    if not columns.questions:
        return frame, columns
    labels = labels or {}
    taken = {QUESTION_COLUMN, ANSWER_COLUMN, ANSWER_ID}
    frame = frame.rename({name: f"{name}_input" for name in frame.columns if name in taken})
    respondent = pl.col(columns.id) if columns.id else pl.col(ROW_COLUMN)
    id_column = columns.id or ANSWER_ID
    parts = [
        frame.with_columns(
            pl.col(column).cast(pl.String).alias(ANSWER_COLUMN),
            pl.lit(labels.get(column) or column).alias(QUESTION_COLUMN),
            pl.lit(number, pl.UInt32).alias(QUESTION_ORDER),
            (respondent.cast(pl.String) + pl.lit(f"-q{number}")).alias(id_column),
        ).drop(columns.questions)
        for number, column in enumerate(columns.questions, start=1)
    ]
    stacked = pl.concat(parts, how="vertical").sort(ROW_COLUMN, QUESTION_ORDER)
    return stacked, replace(columns, text=ANSWER_COLUMN, id=id_column)
