"""Find the comment column (by name, then by content) and check the user's column options."""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from cxtext.config import ColumnOptions
from cxtext.errors import InputError
from cxtext.io.contract import ROW_COLUMN

# Names survey tools in the Nordics give the free-text column, most specific first.
TEXT_COLUMN_NAMES = (
    "comment",
    "comments",
    "kommentar",
    "kommentarer",
    "kommentaar",
    "feedback",
    "tilbagemelding",
    "tilbakemelding",
    "återkoppling",
    "besvarelse",
    "svar",
    "answer",
    "response",
    "verbatim",
    "fritekst",
    "fritext",
    "fritt svar",
    "text",
    "tekst",
    "message",
    "besked",
    "melding",
    "meddelande",
    "beskrivelse",
    "beskrivning",
    "description",
    "klage",
    "klagomål",
    "complaint",
    "narrative",
    "review",
    "anmeldelse",
    "omdöme",
    "body",
    "content",
    "open_answer",
)


@dataclass(frozen=True)
class ResolvedColumns:
    """Input column names for each role; `text` is always set."""

    text: str
    id: str | None
    date: str | None
    score: str | None
    segment: str | None


def resolve_columns(frame: pl.DataFrame, options: ColumnOptions) -> ResolvedColumns:
    """Check named columns exist and find the comment column when it is not given."""
    for role in ("text", "id", "date", "score", "segment"):
        name = getattr(options, role)
        if name is not None and name not in frame.columns:
            available = ", ".join(c for c in frame.columns if c != ROW_COLUMN)
            raise InputError(f"--{role}-col '{name}' is not a column; columns are: {available}")
    text = options.text or find_text_column(frame)
    return ResolvedColumns(text, options.id, options.date, options.score, options.segment)


def find_text_column(frame: pl.DataFrame) -> str:
    """The column that holds the free-text comments: by a known name, else by its content."""
    candidates = [c for c in frame.columns if c != ROW_COLUMN]
    by_key = {_name_key(c): c for c in candidates}
    for name in TEXT_COLUMN_NAMES:
        if _name_key(name) in by_key:
            return by_key[_name_key(name)]
    # a known name inside a longer one ("Kommentar til kundeservice", "Q2_TEXT"): of those,
    # the column whose content reads most like free text
    partial = [
        (content_score(frame.get_column(c)), c)
        for c in candidates
        if any(re.search(rf"(^|[^a-zæøåäö]){re.escape(n)}", c.lower()) for n in TEXT_COLUMN_NAMES)
    ]
    partial = [(score, c) for score, c in partial if score > 0]
    if partial:
        return max(partial)[1]
    scored = [(content_score(frame.get_column(c)), c) for c in candidates]
    scored = [(score, c) for score, c in scored if score > 0]
    if not scored:
        available = ", ".join(candidates)
        raise InputError(f"no text column found; name it with --text-col (columns: {available})")
    return max(scored)[1]


def content_score(column: pl.Series) -> float:
    """How much a column looks like free text: long, wordy, varied strings."""
    if column.dtype != pl.String:
        return 0.0
    values = column.drop_nulls().head(2000)
    if values.len() == 0:
        return 0.0
    lengths = values.str.len_chars()
    words = values.str.count_matches(r"[^\W\d_]{2,}")
    distinct = values.n_unique() / values.len()
    letter_share = (values.str.count_matches(r"[^\W\d_]").sum() or 0) / max(1, lengths.sum() or 0)
    if (words.mean() or 0) < 2 or letter_share < 0.5:
        return 0.0
    return float(words.mean() or 0) * distinct * letter_share


def _name_key(name: str) -> str:
    return re.sub(r"[\s_\-.]+", "", name.strip().lower())
