"""Normalise comment text, set the id, and mark no-content answers ("-", "ok", "inget")."""

from __future__ import annotations

import polars as pl

from cxtext.io.columns import ResolvedColumns
from cxtext.io.contract import ADDED_COMMENT_COLUMNS, COMMENT_COLUMNS, ROW_COLUMN, reject_rows

# Answers that carry no feedback, in the five languages; compared after lower-casing and
# stripping punctuation. They stay in the output, marked, and are never put in a theme.
NO_CONTENT_ANSWERS = frozenset(
    {
        # en
        "n/a",
        "na",
        "nil",
        "none",
        "nothing",
        "no",
        "nope",
        "ok",
        "okay",
        "fine",
        "all good",
        "nothing to add",
        "no comment",
        "no comments",
        "nothing more to add",
        "not applicable",
        "dont know",
        "don't know",
        "idk",
        # da
        "ingen",
        "ingen kommentar",
        "ingen kommentarer",
        "ingen bemærkninger",
        "intet",
        "intet at tilføje",
        "nej",
        "ved ikke",
        "har ingen kommentar",
        "ikke noget",
        "ikke relevant",
        "ingenting",
        "nix",
        # sv
        "inget",
        "inget att tillägga",
        "inga kommentarer",
        "ingen åsikt",
        "vet inte",
        "nej tack",
        "inget mer",
        # nb
        "nei",
        "nei takk",
        "vet ikke",
        "ikke noe",
        "ikke noe å tilføye",
        "har ingen kommentarer",
        # nn
        "ikkje noko",
        "veit ikkje",
        "ingen merknad",
        "ingenting å seie",
        "ikkje noko å leggje til",
    }
)

NO_CONTENT_KEY = r"[^\w/']+"


def clean_comments(
    frame: pl.DataFrame, columns: ResolvedColumns
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add `id`, `text` and `no_content`; rows with no comment text at all become rejects."""
    frame = _protect_contract_names(frame, columns)
    text_source = columns.text if columns.text in frame.columns else "text"
    text = normalise_text(pl.col(text_source).cast(pl.String))
    frame = frame.with_columns(text.alias("text"))
    empty = pl.col("text").is_null() | (pl.col("text") == "")
    rejects = reject_rows(frame, empty, "empty comment", text_source)
    frame = frame.filter(~empty)
    id_expr = (
        pl.col(columns.id).cast(pl.String).fill_null(pl.col(ROW_COLUMN).cast(pl.String))
        if columns.id
        else pl.col(ROW_COLUMN).cast(pl.String)
    )
    frame = frame.with_columns(
        id_expr.alias("id"), is_no_content(pl.col("text")).alias("no_content")
    )
    kept = [c for c in frame.columns if c not in {"id", "text", columns.text}]
    return frame.select("id", "text", *kept), rejects


def normalise_text(text: pl.Expr) -> pl.Expr:
    """Unicode NFC, control characters and runs of whitespace to one space, trimmed."""
    return (
        text.str.normalize("NFC")
        .str.replace_all(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]", "")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


def is_no_content(text: pl.Expr) -> pl.Expr:
    """True for answers with no feedback: a known no-content phrase or no letters at all."""
    key = text.str.to_lowercase().str.replace_all(NO_CONTENT_KEY, " ").str.strip_chars()
    no_letters = ~text.str.contains(r"[^\W\d_]")
    return key.is_in(list(NO_CONTENT_ANSWERS)) | no_letters | (key == "")


def _protect_contract_names(frame: pl.DataFrame, columns: ResolvedColumns) -> pl.DataFrame:
    """Rename input columns that clash with contract names, except the text and id columns."""
    contract = set(COMMENT_COLUMNS) | set(ADDED_COMMENT_COLUMNS)
    own = {columns.text, columns.id}
    renames = {c: f"{c}_input" for c in frame.columns if c in contract and c not in own}
    return frame.rename(renames)
