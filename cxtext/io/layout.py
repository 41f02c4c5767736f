"""Where the header of a survey export is, and which rows under it are not answers.

Exports put more than a header above the answers:
- title rows above the header in spreadsheets ("Kundeundersøgelse Q1 2026", "Eksporteret
  04.05.2026"): the header is the first row that is more than a title (CSV files are taken
  to start at their header, as a header with blank names cannot be told from a title);
- Qualtrics: a row of question texts, then a row of `{"ImportId":"QID1"}` JSON;
- SurveyMonkey: two header rows, questions on the first (blank over the further options of a
  question) and `Response`, `Open-Ended Response` or an option's label on the second; a
  checkbox question's options become one column (`join_ticked_options`).
The rows are cells as text (empty string for a blank cell); readers pass the first
`HEAD_ROWS` of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import zip_longest

import polars as pl

from cxtext.io.contract import ROW_COLUMN

HEAD_ROWS = 20
TITLE_CELLS = 2  # a title row above the header fills at most this many cells
HEADER_FULLNESS = 0.6  # ... and fewer than this share of the widest row's cells
MONKEY_ANSWERS = {"response", "open-ended response"}
NOT_A_NAME = re.compile(r"[\d\s.,:;/+\-]+")  # a number, date or time, not a column name


@dataclass(frozen=True)
class Layout:
    """The header's column names, the index of the first answer row, the export's shape
    ('qualtrics', 'surveymonkey', 'title rows' or None for a plain header) and, where the
    export gives them, each column's question text."""

    header: list[str]
    data_start: int
    shape: str | None = None
    questions: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict[str, str]] = field(default_factory=dict)  # question -> column: label


def find_layout(rows: list[list[str]], title_rows: bool) -> Layout | None:
    """The layout of an export whose first rows are `rows`; None when there is no header.

    The header is the first row; with `title_rows` (spreadsheets), the first row that is more
    than blank or a title (at most `TITLE_CELLS` filled cells while a fuller row follows).
    """
    if not rows or (title_rows and not any(_width(row) for row in rows)):
        return None
    at = _header_index(rows) if title_rows else 0
    header = [cell.strip() for cell in rows[at]]
    below = rows[at + 1 : at + 3]
    if len(below) == 2 and _import_ids(below[1]):
        questions = {
            name: text.strip()
            for name, text in zip(header, below[0], strict=False)
            if text.strip() and name
        }
        return Layout(header, at + 3, "qualtrics", questions)
    if below and _import_ids(below[0]):
        return Layout(header, at + 2, "qualtrics")
    if below and _monkey_answers(below[0]):
        names = _monkey_header(header, below[0])
        options = _monkey_options(header, below[0], names)
        return Layout(names, at + 2, "surveymonkey", options=options)
    return Layout(header, at + 1, "title rows" if at else None)


def unique_names(header: list[str]) -> list[str]:
    """Blank headers become `column_N`; repeated headers get the first free `_2`, `_3` suffix;
    a header named like `ROW_COLUMN` gets `_input`."""
    taken = {name for name in header if name}
    names: list[str] = []
    for index, name in enumerate(header, start=1):
        name = name or f"column_{index}"
        if name == ROW_COLUMN:
            name = f"{name}_input"
        if name in names:
            suffix = 2
            while f"{name}_{suffix}" in taken or f"{name}_{suffix}" in names:
                suffix += 1
            name = f"{name}_{suffix}"
        names.append(name)
    return names


def without_empty_unnamed(frame: pl.DataFrame, header: list[str]) -> pl.DataFrame:
    """`frame` (text columns named `unique_names(header)`, after `ROW_COLUMN`) less each column
    with a blank header and no value in any row: Excel's trailing `;` on every line, which
    would otherwise pass through every output as an empty `column_5`. A blank-headed column
    that holds values stays, as `column_N` (N its position)."""
    names = unique_names(header)
    empty = [
        name
        for name, original in zip(names, header, strict=True)
        if not (original or "").strip()
        and frame.get_column(name).str.strip_chars().fill_null("").eq("").all()
    ]
    return frame.drop(empty)


def _header_index(rows: list[list[str]]) -> int:
    """The first row that is more than blank or a title (at most `TITLE_CELLS` filled cells
    while a fuller row follows); 0 for rows that are all blank."""
    widths = [_width(row) for row in rows]
    widest = max(widths, default=0)
    need = max(min(TITLE_CELLS + 1, widest), HEADER_FULLNESS * widest)
    return next((i for i, w in enumerate(widths) if w and (w >= need or w > TITLE_CELLS)), 0)


def csv_title_rows(rows: list[list[str]]) -> bool:
    """Does a CSV start with title rows, as Excel writes a sheet with a title above its table
    ("Kundetilfredshed Q1 2026;;;;")? Only where the row under them reads as a header: two or
    more names, none of them a number or a date. A CSV's first row is otherwise its header, as
    a header with blank names cannot be told from a title."""
    at = _header_index(rows)
    names = [cell.strip() for cell in rows[at]] if rows else []
    filled = [name for name in names if name]
    return at > 0 and len(filled) >= 2 and not any(NOT_A_NAME.fullmatch(n) for n in filled)


def headerless(rows: list[list[str]]) -> bool:
    """Is a CSV's first row an answer, not a header? Where a file was saved without one:
    - one column (a list of comments): the first line reads as a comment, four or more words
      or a comma between words ("Dyrt, men godt"), that does not end as a question or label
      ("?", ":") and names no comment column ("Skriv din kommentar her");
    - a column whose first cell is a number or date over numbers or dates (an id "1" over
      "2", "3", ...), beside a first cell of three or more words.
    Anything less sure stays a header, as before (its row lost to the names, not misread)."""
    from cxtext.io.columns import TEXT_COLUMN_NAMES

    if len(rows) < 2 or not rows[0]:
        return False
    first = [cell.strip() for cell in rows[0]]
    if all(len(row) == 1 for row in rows):
        words = first[0].lower().split()
        named = any(word.strip(".,;!") in TEXT_COLUMN_NAMES for word in words)
        sentence = len(words) >= 4 or ("," in first[0] and len(words) >= 2)
        return sentence and not first[0].endswith(("?", ":")) and not named
    wordy = any(len(cell.split()) >= 3 for cell in first)
    numbers = [i for i, cell in enumerate(first) if cell and NOT_A_NAME.fullmatch(cell)]
    return wordy and bool(numbers) and all(_numbers_below(rows[1:], i) for i in numbers)


def _numbers_below(rows: list[list[str]], index: int) -> bool:
    cells = [row[index].strip() for row in rows if index < len(row) and row[index].strip()]
    return bool(cells) and all(NOT_A_NAME.fullmatch(cell) for cell in cells)


def _width(row: list[str]) -> int:
    return sum(1 for cell in row if cell and cell.strip())


def _import_ids(row: list[str]) -> bool:
    """Qualtrics' third header row: every filled cell is `{"ImportId": ...}` JSON."""
    filled = [cell.strip() for cell in row if cell and cell.strip()]
    return bool(filled) and all(c.startswith("{") and '"ImportId"' in c for c in filled)


def _monkey_answers(row: list[str]) -> bool:
    """SurveyMonkey's second header row: blank under the respondent columns, `Response` or
    `Open-Ended Response` under questions."""
    cells = [cell.strip().lower() for cell in row]
    return bool(cells) and not cells[0] and any(cell in MONKEY_ANSWERS for cell in cells)


def join_ticked_options(frame: pl.DataFrame, layout: Layout) -> pl.DataFrame:
    """`frame` with each SurveyMonkey checkbox question as one column, named by the question,
    at its first option's place: the ticked options' labels in column order joined by "; "
    ("Telefon; Webb"), null where none is ticked. The export gives one column per option,
    the option's label where ticked, so a role found on one option (the channel) read only
    the rows that ticked it. An option column counts only where each filled cell is its
    label: a matrix question's rows (cells "Mycket nöjd") and "Other (please specify)" text
    stay columns of their own, and so does a group whose question names another column."""
    for question, labels in layout.options.items():
        ticked = [
            column
            for column, label in labels.items()
            if column in frame.columns and _only_label(frame.get_column(column), label)
        ]
        if len(ticked) < 2 or question in frame.columns:
            continue
        cells = [
            pl.when(pl.col(c).str.strip_chars() != "").then(pl.col(c).str.strip_chars())
            for c in ticked
        ]
        joined = pl.concat_list(cells).list.drop_nulls().list.join("; ")
        joined = pl.when(joined != "").then(joined).alias(question)
        at = frame.columns.index(ticked[0])
        frame = frame.with_columns(joined).drop(ticked)
        order = [c for c in frame.columns if c != question]
        frame = frame.select([*order[:at], question, *order[at:]])
    return frame


def _only_label(column: pl.Series, label: str) -> bool:
    """Whether each filled cell of an option column is the option's label."""
    cells = column.str.strip_chars().fill_null("")
    return bool(cells.is_in(["", label]).all())


def _monkey_options(
    questions: list[str], answers: list[str], names: list[str]
) -> dict[str, dict[str, str]]:
    """Each question with two or more option columns (an option's label on the second header
    row, not `Response`): question -> {column name: label}."""
    options: dict[str, dict[str, str]] = {}
    question = ""
    for (top, sub), name in zip(zip_longest(questions, answers, fillvalue=""), names, strict=True):
        question = top.strip() or question
        label = sub.strip()
        if question and label and label.lower() not in MONKEY_ANSWERS:
            options.setdefault(question, {})[name] = label
    return {q: labels for q, labels in options.items() if len(labels) >= 2}


def _monkey_header(questions: list[str], answers: list[str]) -> list[str]:
    """One name per column: the question, with the option's label where there is one."""
    names, question = [], ""
    for top, sub in zip_longest(questions, answers, fillvalue=""):
        top, sub = top.strip(), sub.strip()
        question = top or question
        names.append(
            question if sub.lower() in MONKEY_ANSWERS or not sub else f"{question} - {sub}"
        )
    return names
