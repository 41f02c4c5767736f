"""Finding the comment column: by a known name, else by what the column holds; options win."""

from __future__ import annotations

import polars as pl
import pytest

from cxtext.config import ColumnOptions
from cxtext.errors import InputError
from cxtext.io.columns import content_score, find_text_column, resolve_columns

COMMENTS = [
    "Appen crasher hver gang jeg åbner mine fakturaer",
    "Kön i telefonen är alldeles för lång",
    "Ingen ringer tilbake selv om de lover det",
]


def frame(**columns: list) -> pl.DataFrame:
    return pl.DataFrame(columns).with_row_index("_row", offset=1)


@pytest.mark.parametrize("name", ["Kommentar", "Svar", "Tilbakemelding", "comment", "Fritekst"])
def test_text_column_found_by_name(name: str) -> None:
    data = frame(**{"id": ["1", "2", "3"], name: ["ok", "-", "Fin"], "kanal": ["web"] * 3})
    assert find_text_column(data) == name  # by name even when the answers are short


def test_name_match_ignores_case_spaces_and_underscores() -> None:
    data = frame(**{"Respondent": ["a", "b", "c"], "FRI_TEKST": COMMENTS})
    assert find_text_column(data) == "FRI_TEKST"


def test_text_column_found_by_name_part() -> None:
    data = frame(**{"id": ["1", "2", "3"], "Kommentar til kundeservice": COMMENTS})
    assert find_text_column(data) == "Kommentar til kundeservice"


def test_text_column_found_by_content_when_names_are_unhelpful() -> None:
    data = frame(
        q1=["9", "3", "7"],
        q2=["DK", "SE", "NO"],
        q3=COMMENTS,
        q4=["2026-01-05", "2026-01-06", "2026-01-07"],
    )
    assert find_text_column(data) == "q3"


def test_name_part_of_an_id_or_date_column_does_not_beat_the_real_comments() -> None:
    # A survey-tool export: "ResponseId" contains "response", but the comments are in Q2_TEXT.
    data = frame(
        ResponseId=["R_1a2b3c", "R_9z8y7x", "R_5k4j3h"],
        RecordedDate=["2026-01-05 10:01:00"] * 3,
        Q1=["9", "3", "7"],
        Q2_TEXT=COMMENTS,
    )
    assert find_text_column(data) == "Q2_TEXT"


NAMES = [
    "Anne-Marie Kjærgaard Østergaard Hansen",
    "Lars Erik Nyström Holmberg",
    "Ingrid Marie Solberg Dahl",
    "Karoline Bjørnstad Wessel Berg",
]
SHORT = ["Lang ventetid", "Forkert faktura", "Appen crasher", "Pakken kom sent"]


def test_a_column_of_people_s_names_is_never_the_comment() -> None:
    """Full names read more like free text than short comments: "Kundenavn" was picked and
    its names quoted as comments in every output. Nor is it "another open question"."""
    question = "Hvad kan vi gøre bedre?"
    data = frame(**{"id": ["1", "2", "3", "4"], question: SHORT, "Kundenavn": NAMES})
    assert content_score(data.get_column("Kundenavn")) > content_score(data.get_column(question))
    assert find_text_column(data) == question
    assert find_text_column(data.rename({question: "Kundekommentar"})) == "Kundekommentar"
    columns = resolve_columns(data.rename({question: "Kommentar"}), ColumnOptions())
    assert (columns.text, columns.other_texts, columns.warnings) == ("Kommentar", (), ())
    with pytest.raises(InputError, match="id, Kundenavn.*people's names or contacts are never"):
        find_text_column(data.drop(question))


def test_content_score_prefers_free_text() -> None:
    assert content_score(pl.Series(COMMENTS)) > content_score(pl.Series(["DK", "SE", "NO"]))
    assert content_score(pl.Series([1, 2, 3])) == 0.0
    assert content_score(pl.Series(["12345", "2026-01-01", "R_1a2b"])) == 0.0
    assert content_score(pl.Series([None, None], dtype=pl.String)) == 0.0


def test_no_text_like_column_is_an_input_error() -> None:
    data = frame(id=["1", "2"], score=["5", "7"], country=["DK", "SE"])
    with pytest.raises(InputError, match="no text column found.*--text-col.*id, score, country"):
        find_text_column(data)


def test_explicit_text_option_wins_over_a_known_name() -> None:
    data = frame(comment=["ok", "fin", "-"], notat=COMMENTS)
    resolved = resolve_columns(data, ColumnOptions(text="notat"))
    assert resolved.text == "notat"


def test_resolve_columns_keeps_the_metadata_roles() -> None:
    data = frame(svar=COMMENTS, kunde=["a", "b", "c"], dato=["x"] * 3, nps=["1"] * 3, seg=["b"] * 3)
    resolved = resolve_columns(
        data, ColumnOptions(id="kunde", date="dato", score="nps", segment="seg")
    )
    assert (resolved.text, resolved.id, resolved.date, resolved.score, resolved.segment) == (
        "svar",
        "kunde",
        "dato",
        "nps",
        "seg",
    )


@pytest.mark.parametrize("role", ["text", "id", "date", "score", "segment"])
def test_unknown_column_option_is_an_input_error(role: str) -> None:
    data = frame(comment=COMMENTS, id=["1", "2", "3"])
    with pytest.raises(InputError, match=f"--{role}-col 'missing' is not a column") as info:
        resolve_columns(data, ColumnOptions(**{role: "missing"}))
    assert "columns are: comment, id" in str(info.value)  # the internal row column is not offered


@pytest.mark.parametrize("role", ["date", "segment", "channel"])
def test_a_column_named_for_another_role_is_not_taken_as_the_comment(role: str) -> None:
    data = frame(comment=["2026-01-05", "2026-01-06", "2026-01-07"], uddybning=COMMENTS)
    assert resolve_columns(data, ColumnOptions(**{role: "comment"})).text == "uddybning"
    with pytest.raises(InputError, match=f"--{role}-col 'comment' is also a --text-col"):
        resolve_columns(data, ColumnOptions(text="comment", **{role: "comment"}))


# A kommune survey: two open questions, many left blank or answered "-", "nei".
PRAISE = ["Biblioteket er flott og personalet er hjelpsomt", "-", "Fin brøyting i vinter",
          "nei", "Svømmehallen er rein og god", "Eg likar dei nye sykkelvegane"]  # fmt: skip
WISHES = ["Det tek altfor lang tid å få svar på byggesøknaden", "Betre brøyting av fortaua",
          "nei", "Vanskelig å finne riktig skjema på nettsiden", "",
          "Lengre opningstid på biblioteket i helgane"]  # fmt: skip


def test_a_second_open_question_left_out_is_named_with_the_options_to_take_it() -> None:
    """The "bedre på" answers, the complaints, were left out of the themes without a word."""
    data = frame(**{"Respondent": ["1", "2", "3", "4", "5", "6"],
                    "Hva er du mest fornøyd med?": PRAISE,
                    "Hva kan kommunen bli bedre på?": WISHES})  # fmt: skip
    columns = resolve_columns(data, ColumnOptions())
    (warning,) = columns.warnings
    first, other = (columns.text, "Hva kan kommunen bli bedre på?")
    if first == other:
        other = "Hva er du mest fornøyd med?"
    assert warning == (
        f"column '{other}' holds free-text answers too and is not analysed; to analyse each "
        f"open question give them all: --text-col '{first}' --text-col '{other}'"
    )
    given = ColumnOptions(text=["Hva er du mest fornøyd med?", "Hva kan kommunen bli bedre på?"])
    assert resolve_columns(data, given).warnings == ()
    segments = data.with_columns(pl.Series("Bydel", ["Nord", "Sør", "Nord", "Øst", "Sør", "Øst"]))
    assert (
        resolve_columns(segments.drop("Hva kan kommunen bli bedre på?"), ColumnOptions()).warnings
        == ()
    )
