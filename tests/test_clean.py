"""Clean stage: normalised text, ids, no-content answers kept and marked, empty ones rejected."""

from __future__ import annotations

import polars as pl
import pytest

from cxtext.clean import clean_comments, is_no_content, normalise_text
from cxtext.config import ColumnOptions
from cxtext.io.columns import ResolvedColumns, resolve_columns
from tests.support import demo_rows


def columns(text: str = "comment", id: str | None = None) -> ResolvedColumns:
    return ResolvedColumns(text=text, id=id, date=None, score=None, segment=None)


def raw_frame(comments: list[str | None], **other: list) -> pl.DataFrame:
    data = {"comment": comments, **other}
    return pl.DataFrame(data, schema_overrides={"comment": pl.String}).with_row_index(
        "_row", offset=1
    )


def marked(texts: list[str]) -> list[bool]:
    return pl.DataFrame({"t": texts}).select(is_no_content(pl.col("t"))).to_series().to_list()


NO_CONTENT = [
    "-",
    "n/a",
    "N/A",
    "ok",
    "OK.",
    "Ingen kommentar",
    "ingen kommentarer!",
    "inget",
    "Inget att tillägga",
    "nei",
    "Nei takk",
    "...",
    "?",
    "1234",
    "Nothing to add",
    "ved ikke",
    "ikkje noko",
    "Nej tack",
    "👍",
    "😡😡😡",
    "❤️",  # U+2764 U+FE0F: the variation selector is a mark, not a letter
    "❤️❤️ 👍🏽",
    "#VALUE!",  # a failed formula in an Excel export, English, Danish and Swedish
    "#I/T",
    "#VÄRDEFEL!",
]

# Answers of this kind found in corpora/demo_feedback.csv.
NO_CONTENT_IN_DEMO = ["har ikke noe å tilføye", "vet ej", "nothing really"]

REAL_COMMENTS = [
    "Nej, det virker ikke",
    "Ingen ringer tilbage",
    "Inget svar på min mejl",
    "Nei til flere gebyrer",
    "ok produkt men overpriced",
    "No reply after two weeks",
    "Appen crasher når jeg åbner mine fakturaer",
    "Altfor dyrt",
    "Fornøyd",
    "#FAIL",  # a hashtag is a customer's word, not a spreadsheet error
    "#1 på service",
]


@pytest.mark.parametrize("answer", NO_CONTENT)
def test_no_content_answers_are_marked(answer: str) -> None:
    assert marked([answer]) == [True]


@pytest.mark.parametrize("answer", NO_CONTENT_IN_DEMO)
def test_no_content_answers_from_the_demo_corpus_are_marked(answer: str) -> None:
    assert marked([answer]) == [True]


@pytest.mark.parametrize("comment", REAL_COMMENTS)
def test_real_comments_are_not_marked(comment: str) -> None:
    assert marked([comment]) == [False]


def test_no_content_rows_are_kept_and_marked() -> None:
    data = raw_frame(["Ingen kommentar", "Fakturaen er forkert", "-", "inget", "nei", "..."])
    cleaned, rejects = clean_comments(data, columns())
    assert cleaned.height == 6
    assert rejects.height == 0
    assert cleaned.get_column("no_content").to_list() == [True, False, True, True, True, True]
    assert cleaned.get_column("text").to_list()[1] == "Fakturaen er forkert"


def test_empty_and_blank_comments_become_rejects_with_reason() -> None:
    data = raw_frame(["Fin service", "", "   \t ", None, "\u200b", "Dårlig app"])
    cleaned, rejects = clean_comments(data, columns())
    assert cleaned.get_column("text").to_list() == ["Fin service", "Dårlig app"]
    assert cleaned.get_column("_row").to_list() == [1, 6]
    assert rejects.columns == ["row", "reason", "raw"]
    assert rejects.get_column("row").to_list() == [2, 3, 4, 5]
    assert set(rejects.get_column("reason")) == {"empty comment"}
    assert rejects.get_column("raw").to_list() == ["", "   \t ", "", "\u200b"]
    assert cleaned.height + rejects.height == data.height  # nothing dropped silently


def test_whitespace_and_invisible_characters_are_normalised() -> None:
    text = "  Appen\tcrasher\n\n hele\u00a0tiden\u200b.\x07  Ring\r\ntilbage "
    result = pl.select(normalise_text(pl.lit(text))).item()
    assert result == "Appen crasher hele tiden. Ring tilbage"


def test_text_is_unicode_nfc() -> None:
    decomposed = "Bla\u030abær og o\u0308l"  # "Blåbær og öl" typed with combining marks
    result = pl.select(normalise_text(pl.lit(decomposed))).item()
    assert result == "Blåbær og öl"
    assert len(result) == len("Blåbær og öl")


def test_id_from_id_column_falls_back_to_row_number() -> None:
    data = raw_frame(["Hej", "Hallo", "Hei"], kunde=["k-17", None, "k-19"])
    cleaned, _ = clean_comments(data, columns(id="kunde"))
    assert cleaned.get_column("id").to_list() == ["k-17", "2", "k-19"]


def test_id_is_row_number_without_id_column() -> None:
    data = raw_frame(["Hej", "", "Hei"])
    cleaned, _ = clean_comments(data, columns())
    assert cleaned.get_column("id").to_list() == ["1", "3"]


def test_output_starts_with_id_and_text_and_keeps_other_columns() -> None:
    data = raw_frame(["  Hej  "], kanal=["web"], lang=["dansk"])
    cleaned, _ = clean_comments(data, columns())
    assert cleaned.columns[:2] == ["id", "text"]
    assert "comment" not in cleaned.columns  # the text column becomes `text`
    assert cleaned.row(0, named=True)["kanal"] == "web"
    # an input column named like a contract column is kept under another name
    assert cleaned.row(0, named=True)["lang_input"] == "dansk"


def test_input_text_column_called_text() -> None:
    data = pl.DataFrame({"text": ["  Chatten  er langsom", " "]}).with_row_index("_row", offset=1)
    cleaned, rejects = clean_comments(data, columns(text="text"))
    assert cleaned.get_column("text").to_list() == ["Chatten er langsom"]
    assert rejects.get_column("row").to_list() == [2]


@pytest.mark.parametrize("name", ["id", "ID", "Id", "KundeID", "kunde_id", "Kunde ID"])
def test_the_id_column_becomes_id_once_whatever_its_case(name: str) -> None:
    """The id column is found under each spelling and becomes `id`; it is not passed through
    again under its own name (`ID` was, `id` was not)."""
    rows = demo_rows(30)
    source = pl.DataFrame(
        {name: [f"K-{row['id']}" for row in rows], "kommentar": [r["comment"] for r in rows]}
    ).with_row_index("_row", offset=1)
    found = resolve_columns(source, ColumnOptions())
    assert found.id == name
    cleaned, _ = clean_comments(source, found)
    assert cleaned.columns == ["id", "text", "_row", "respondent", "no_content"]
    assert cleaned.get_column("id").to_list() == [f"K-{row['id']}" for row in rows]
