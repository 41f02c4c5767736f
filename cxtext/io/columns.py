"""Find the comment column (by name, then by content) and every other role column (see
`cxtext.io.roles`); a column the user names always wins."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import polars as pl

from cxtext.config import ColumnOptions
from cxtext.dates import parse_dates
from cxtext.errors import InputError
from cxtext.io.contract import ROW_COLUMN
from cxtext.io.roles import (
    NPS_WORDS,
    describe_scale,
    find_roles,
    name_key,
    person_column,
    placeholders,
)
from cxtext.scores import parse_scores, score_scale, score_values

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


MIN_SPACED_SHARE = 0.3  # of a free-text column's answers, at least this share has two words
OTHER_QUESTION_SHARE = 0.5  # of the text column's free-text score: another open question
# Qualtrics names each text-entry answer `Q<n>_TEXT` ("Q3_TEXT", "Q5_4_TEXT"): an open question
# whatever its answers' length
QUALTRICS_TEXT = re.compile(r"Q[\w.]*_TEXT", re.IGNORECASE)
EXAMPLE_CHARS = 40  # a longer value is not quoted in a warning
ROLES = ("text", "id", "date", "score", "segment", "channel", "respondent")


@dataclass(frozen=True)
class ResolvedColumns:
    """Input column names for each role (`text` is always set), the score's scale, how each
    column was found ('option', 'name' or 'content') and warnings about unusable values.
    `respondent` is a customer key that repeats over a customer's comments (None: each row's
    id is its respondent)."""

    text: str
    id: str | None = None
    date: str | None = None
    score: str | None = None
    segment: str | None = None
    channel: str | None = None
    respondent: str | None = None
    questions: tuple[str, ...] = ()  # the text columns, when there is more than one
    other_texts: tuple[str, ...] = ()  # other columns of free-text answers, not read
    score_scale: str | None = None
    found_by: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    # rows whose respondent cell is a placeholder ("0", "ukendt"), each its own respondent
    placeholders: dict[str, int] = field(default_factory=dict)

    def renamed(self, renames: dict[str, str]) -> ResolvedColumns:
        """The same roles after input columns were renamed (`clean.contract_renames`)."""
        named = {role: getattr(self, role) for role in ROLES}
        moved = {role: renames[name] for role, name in named.items() if name in renames}
        return replace(self, **moved)

    def roles(self) -> dict[str, str | None]:
        """Role -> input column, for run.json and the run's one-line summary."""
        return {role: getattr(self, role) for role in ROLES}


def resolve_columns(frame: pl.DataFrame, options: ColumnOptions) -> ResolvedColumns:
    """Check named columns exist; find the text column and the other roles when not given.

    `options.text` may name several columns, one per open question (see `stack_answers`).
    """
    texts = (options.text,) if isinstance(options.text, str) else tuple(options.text or ())
    named = [(role, getattr(options, role)) for role in ROLES[1:] if getattr(options, role)]
    for role, name in [*(("text", t) for t in texts), *named]:
        if name not in frame.columns:
            available = ", ".join(c for c in frame.columns if c != ROW_COLUMN)
            raise InputError(f"--{role}-col '{name}' is not a column; columns are: {available}")
    people = next((name for name in texts if person_column(name)), None)
    if people is not None:  # a comment is read and quoted whole: no name in it is found
        raise InputError(
            f"--text-col '{people}' holds people's names (by its header), which leave a run "
            "only as pseudonyms; a comment is quoted as written: name the comment column"
        )
    repeated = next((name for name in texts if texts.count(name) > 1), None)
    if repeated is not None:  # every answer would be analysed twice, as two questions
        raise InputError(f"--text-col '{repeated}' is given twice; give each question once")
    for role, name in named:
        if name in texts:
            raise InputError(f"--{role}-col '{name}' is also a --text-col; choose one role")
    given = dict(named)
    # a column named for another role is not the comment column, whatever its name
    given["text"] = texts[0] if texts else find_text_column(frame.drop(set(given.values())))
    taken = [*texts, *given.values()]
    found, warnings = find_roles(frame, taken, [r for r in ROLES if r not in given])
    columns = {**given, **{role: name for role, (name, _) in found.items()}}
    found_by = {role: "option" for role, _ in named}
    found_by["text"] = "option" if texts else "name or content"
    found_by |= {role: how for role, (_, how) in found.items()}
    other_texts: list[str] = []
    if not texts:  # one text column found: say so when another holds free-text answers
        named = {c for c in frame.columns for w in warnings if w.startswith(f"column '{c}' ")}
        other_texts = other_text_columns(frame, columns["text"], {*columns.values(), *named})
        warnings += other_question_warnings(columns["text"], other_texts)
    scale = None
    if "id" in given:  # found ones are distinct; a named one is used as it is, said so
        warnings += id_warnings(frame, given["id"], columns.get("respondent"))
    if columns.get("date"):
        warnings += date_warnings(frame, columns["date"])
    if columns.get("score"):
        scale, score_warnings = check_scores(frame, columns["score"])
        warnings += score_warnings
    return ResolvedColumns(
        **columns,
        questions=texts if len(texts) > 1 else (),
        other_texts=tuple(other_texts),
        score_scale=scale,
        found_by=found_by,
        warnings=tuple(warnings),
        placeholders=respondent_placeholders(frame, columns.get("respondent")),
    )


def other_text_columns(frame: pl.DataFrame, text: str, taken: set[str]) -> list[str]:
    """Each other column that reads as free text about as much as the one found (half its
    `content_score` or more): a kommune survey's "Hva kan kommunen bli bedre på?" beside "Hva
    er du mest fornøyd med?" was left out of the themes without a word, and the praise
    question alone decided what to fix first. A Qualtrics `Q3_TEXT` with any free text is
    one too: "Er der andet, du vil fortælle os?" gets fewer and shorter answers than the
    question before it, and was left out without a word. A column of people's names or
    contacts is none: `--text-col` naming it is refused."""
    found = content_score(frame.get_column(text))
    scores = {
        name: content_score(frame.get_column(name))
        for name in frame.columns
        if name not in taken and name != ROW_COLUMN and not person_column(name)
    }
    return [
        name
        for name, score in scores.items()
        if found > 0
        and score > 0
        and (score >= OTHER_QUESTION_SHARE * found or QUALTRICS_TEXT.fullmatch(name))
    ]


def other_question_warnings(text: str, others: list[str], command: str = "analyze") -> list[str]:
    """A warning naming each column of `others`, with the options that read it: `analyze`
    takes every open question at once, `langid` one column per run."""
    options = " ".join(f"--text-col '{name}'" for name in (text, *others))
    if command == "langid":
        return [
            f"column '{name}' holds free-text answers too and is not read; to detect its "
            f"languages run cxtext langid again with --text-col '{name}'"
            for name in others
        ]
    return [
        f"column '{name}' holds free-text answers too and is not analysed; to analyse each "
        f"open question give them all: {options}"
        for name in others
    ]


def respondent_placeholders(frame: pl.DataFrame, name: str | None) -> dict[str, int]:
    """Rows per placeholder the respondent column holds ("0": 33, "ukendt": 32), most first:
    the terminal and run.json say those rows are each their own respondent. Placeholders
    are words and zeros, never personal data, so they may be quoted."""
    if not name:
        return {}
    cells = frame.get_column(name).cast(pl.String).str.strip_chars()
    held = cells.filter((cells.fill_null("") != "") & placeholders(cells)).alias("value")
    counts = held.value_counts(name="rows").sort(["rows", "value"], descending=[True, False])
    return dict(counts.iter_rows())


def id_warnings(frame: pl.DataFrame, name: str, respondent: str | None = None) -> list[str]:
    """A warning when the id column given by --id-col repeats values: comments that share an
    id cannot be told apart in exports or the store and, without a `respondent` column, are
    one respondent (called back once in follow_up.csv, counted once in a theme's
    respondents)."""
    text = frame.get_column(name).cast(pl.String).str.strip_chars()
    present = text.filter(text.is_not_null() & (text != ""))
    repeated = present.len() - present.n_unique()
    if not repeated:
        return []
    shared = (
        ""
        if respondent and respondent != name
        else " count as one respondent (follow_up.csv, theme respondents) and"
    )
    # no examples: ids are often identifiers (a CPR number), and warnings go to run.json
    return [
        f"id column '{name}': {repeated} of {present.len()} values repeat; comments that "
        f"share an id{shared} cannot be told apart in exports and the store"
    ]


def date_warnings(frame: pl.DataFrame, name: str) -> list[str]:
    """A warning naming the date column and how many rows have no readable date, if any."""
    text = frame.get_column(name).cast(pl.String).str.strip_chars()
    present = text.is_not_null() & (text != "")
    bad = present & frame.select(parse_dates(pl.col(name))).to_series().is_null()
    if not bad.any():
        return []
    return [
        f"date column '{name}': {bad.sum()} of {present.sum()} rows have no readable date "
        f"({_examples(text.filter(bad), name)}); they are left out of trends and journey metrics"
    ]


def check_scores(frame: pl.DataFrame, name: str) -> tuple[str, list[str]]:
    """The score column's scale, and a warning naming the rows that hold no score on it."""
    numbers = frame.select(parse_scores(pl.col(name))).to_series().cast(pl.Float64)
    nps_named = any(word in name.lower() for word in NPS_WORDS)
    scale = score_scale(numbers.fill_null(float("nan")).to_numpy(), nps_named)
    text = frame.get_column(name).cast(pl.String).str.strip_chars()
    present = text.is_not_null() & (text != "")
    bad = present & frame.select(score_values(pl.col(name), scale)).to_series().is_null()
    if not bad.any():
        return scale, []
    return scale, [
        f"score column '{name}': {bad.sum()} of {present.sum()} rows hold no score on the "
        f"{describe_scale(scale)} scale ({_examples(text.filter(bad), name)}); they are left out "
        "of score impact and score metrics"
    ]


def _examples(values: pl.Series, column: str, count: int = 3) -> str:
    """A few of the values, quoted whole: a value cut short could keep part of an identifier
    that the redaction of the warning (`cxtext.pii`) no longer recognises; a long one is
    named by its length. None of a `column` of people's names (`--date-col Kundenavn`): a
    name has no shape the redaction finds, and warnings reach run.json and the store."""
    if person_column(column):
        return "people's names, not quoted"
    shown = values.unique(maintain_order=True).head(count).to_list()
    return "e.g. " + ", ".join(
        f"'{value}'" if len(value) <= EXAMPLE_CHARS else f"a text of {len(value)} characters"
        for value in shown
    )


def find_text_column(frame: pl.DataFrame) -> str:
    """The column that holds the free-text comments: by a known name, else by its content;
    never a column of people's names or contacts (`person_column`: "Kundenavn" of full names
    reads more like free text than short comments do, and a comment is quoted as written)."""
    columns = [c for c in frame.columns if c != ROW_COLUMN]
    if not columns:  # '{}' or '[{}, {}]': records without a field
        raise InputError("the input has no columns: its records hold no fields")
    candidates = [c for c in columns if not person_column(c)]
    by_key = {name_key(c): c for c in candidates}
    for name in TEXT_COLUMN_NAMES:
        if name_key(name) in by_key:
            return by_key[name_key(name)]
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
        available = ", ".join(columns)
        people = " (columns of people's names or contacts are never read as comments)"
        raise InputError(
            f"no text column found; name it with --text-col (columns: {available})"
            + (people if len(candidates) < len(columns) else "")
        )
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
    # ids like 'R_3PtNz8Yq1X2mKcB' have letters and variety too, but free text has spaces
    spaced = values.str.contains(r"\s").mean() or 0.0
    if (words.mean() or 0) < 2 or letter_share < 0.5 or spaced < MIN_SPACED_SHARE:
        return 0.0
    return float(words.mean() or 0) * distinct * letter_share
