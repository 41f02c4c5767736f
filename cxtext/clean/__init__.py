"""Normalise comment text (a helpdesk message to its own words), set the id, and mark
no-content answers ("-", "ok", "inget")."""

from __future__ import annotations

import polars as pl

from cxtext.clean.messages import message_bodies
from cxtext.io.columns import ResolvedColumns
from cxtext.io.contract import ADDED_COMMENT_COLUMNS, COMMENT_COLUMNS, ROW_COLUMN, reject_rows
from cxtext.io.questions import QUESTION_COLUMN, RESPONDENT_COLUMN
from cxtext.io.respondents import ROW_MARK, with_fallback
from cxtext.io.roles import placeholder_key

# An answer carries no feedback when every word is from this vocabulary (five languages) and one
# of them says "nothing": "Ingen kommentar", "inget att tillägga", "har ikke noe å tilføye",
# "ikkje noko å seie", "Nothing more to add", "n/a", "ok". Such answers stay in the output,
# marked, and are never put in a theme.
NOTHING_WORDS = frozenset(
    """
    n/a na nil none nothing no nope ok okay fine idk nix nej nei ingen intet inget inga ingenting
    nada nothin ved vet veit know
    """.split()
)
NEGATORS = frozenset("ikke ikkje inte ej not".split())
QUANTITIES = frozenset("noget noe noko något nogen nokon någon anything".split())
FILLER_WORDS = (
    NEGATORS
    | QUANTITIES
    | frozenset(
        """
    to add more comment comments really else at all i have dont don't know not applicable good
    relevant further thanks thank you
    har ikke noget noe nogen kommentar kommentarer bemærkning bemærkninger tilføje tilføye
    yderligere ytterligere mere mer meir at å att til tillägga lägga legge leggje seie sige si
    säga ved vet veit inte ikkje noko nokon ej just nu lige nå no for mig meg mig mitt min
    merknad merknader synpunkter åsikt kommentera kommentere kommentere tak tack takk
    """.split()
    )
)

NO_CONTENT_KEY = r"[^\w/']+"
# A spreadsheet's error value where a formula failed: no customer wrote it. Excel's own, in
# English, Danish, Swedish and Norwegian (each localises them).
SPREADSHEET_ERRORS = frozenset(
    """
    #VALUE! #N/A #REF! #DIV/0! #NAME? #NUM! #NULL! #SPILL! #CALC! #GETTING_DATA #FIELD! #BLOCKED!
    #VÆRDI! #I/T #REFERENCE! #DIVISION/0! #NAVN? #NUL! #VÄRDEFEL! #SAKNAS! #REFERENS! #NAMN?
    #OGILTIGT! #SKÄRNING! #VERDI! #SPILL!
    """.split()
)


def _id_text(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Ids as text; a float column's whole numbers without ".0" (a Parquet id column turns
    float once one cell is empty)."""
    if not dtype.is_float():
        return column.cast(pl.String)
    whole = column.cast(pl.Int64, strict=False).cast(pl.String)
    return pl.when(column == column.round(0)).then(whole).otherwise(column.cast(pl.String))


def clean_comments(
    frame: pl.DataFrame, columns: ResolvedColumns
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add `id` (the id, or the row number), `respondent` (the customer key, else the id),
    `text` and `no_content` in place of the id, respondent and comment columns; rows with no
    comment text at all become rejects (with several questions, naming the question: row 4's
    "empty comment" did not say which of its answers was missing)."""
    frame = _protect_contract_names(frame, columns)
    text_source = columns.text if columns.text in frame.columns else "text"
    # a helpdesk message's own words: no HTML, quoted reply chain or signature (`clean/messages.py`)
    bodies = message_bodies(frame.get_column(text_source).cast(pl.String))
    frame = frame.with_columns(bodies.alias("text")).with_columns(normalise_text(pl.col("text")))
    empty = pl.col("text").is_null() | (pl.col("text") == "")
    reason = (
        pl.concat_str(pl.lit("empty answer to '"), pl.col(QUESTION_COLUMN), pl.lit("'"))
        if columns.questions
        else "empty comment"
    )
    rejects = reject_rows(frame, empty, reason, text_source)
    frame = frame.filter(~empty)
    row = pl.col(ROW_COLUMN).cast(pl.String)
    id_expr = row
    if columns.id:
        given = _id_text(pl.col(columns.id), frame.schema[columns.id])
        # a blank id cell is no id (its answers became "-q1", "-q2" of a respondent ""): the
        # row number stands in, marked "row-3" where "3" is another row's id
        id_expr = with_fallback(frame, given, row, ROW_MARK)
    respondent = id_expr  # the same in every answer of one respondent
    if columns.respondent and columns.respondent != columns.id:
        key = _id_text(pl.col(columns.respondent), frame.schema[columns.respondent])
        # blank or a placeholder ("0", "ukendt"): filled with the comment's id once ids are
        # redacted (`fill_respondents`), so anonymous cases are not one customer
        respondent = pl.when(~placeholder_key(key)).then(key)
    # the comment, id and respondent columns become `text`, `id` and `respondent` and are not
    # passed through again (an `ID` or `kunde_id` column was kept beside `id`, `id` was not)
    own = {"id", "text", RESPONDENT_COLUMN, columns.text, columns.id, columns.respondent}
    kept = [c for c in frame.columns if c not in own]
    frame = frame.with_columns(
        id_expr.alias("id"),
        respondent.alias(RESPONDENT_COLUMN),
        is_no_content(pl.col("text")).alias("no_content"),
    )
    return frame.select("id", "text", *kept, RESPONDENT_COLUMN, "no_content"), rejects


def normalise_text(text: pl.Expr) -> pl.Expr:
    """Unicode NFC, control characters and runs of whitespace to one space, trimmed."""
    return (
        text.str.normalize("NFC")
        .str.replace_all(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]", "")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


def comment_words(text: pl.Expr) -> pl.Expr:
    """A comment's words in lower case, one space apart: what is left when case, punctuation,
    symbols and spacing are set aside. Two comments with the same words say the same thing
    (`is_no_content` reads these words; `themes.copies.copy_key` keeps emoji too)."""
    return text.str.to_lowercase().str.replace_all(NO_CONTENT_KEY, " ").str.strip_chars()


def is_no_content(text: pl.Expr) -> pl.Expr:
    """True for answers with no feedback: a known no-content phrase, no letters at all, or a
    spreadsheet's error value."""
    words = comment_words(text).str.split(" ").list.eval(pl.element().filter(pl.element() != ""))
    vocabulary = list(NOTHING_WORDS | FILLER_WORDS)
    only_vocabulary = words.list.eval(pl.element().is_in(vocabulary)).list.all()
    says_nothing = words.list.eval(pl.element().is_in(list(NOTHING_WORDS))).list.any() | (
        words.list.eval(pl.element().is_in(list(NEGATORS))).list.any()
        & words.list.eval(pl.element().is_in(list(QUANTITIES))).list.any()
    )
    # letters, not word characters: the emoji variation selector in "❤️" is a mark, which
    # `\w` counts, so a heart alone was content while "👍" alone was not
    no_letters = ~text.str.contains(r"\p{L}")
    short = words.list.len() <= 8
    spreadsheet_error = text.str.to_uppercase().is_in(list(SPREADSHEET_ERRORS))
    return no_letters | spreadsheet_error | (short & only_vocabulary & says_nothing)


def _protect_contract_names(frame: pl.DataFrame, columns: ResolvedColumns) -> pl.DataFrame:
    """Rename input columns that clash with contract names, except the text and id columns."""
    return frame.rename(contract_renames(frame.columns, columns))


def contract_renames(names: list[str], columns: ResolvedColumns) -> dict[str, str]:
    """Input column -> its new name, for input columns that clash with contract names (a
    `sentiment` or `channel` column of the input becomes `sentiment_input`); the text and id
    columns keep theirs. `ResolvedColumns.renamed` makes the roles follow."""
    contract = set(COMMENT_COLUMNS) | set(ADDED_COMMENT_COLUMNS)
    own = {columns.text, columns.id, columns.respondent}
    taken = set(names)
    renames = {}
    for name in names:
        if name in contract and name not in own:
            new, suffix = f"{name}_input", 2
            while new in taken:  # the input may hold `text_input` as well as `text`
                new, suffix = f"{name}_input_{suffix}", suffix + 1
            renames[name] = new
            taken.add(new)
    return renames
