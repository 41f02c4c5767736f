"""Finding the id, date, score, segment and channel columns; unusable ones are named, not used."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from cxtext.config import ColumnOptions
from cxtext.errors import InputError
from cxtext.io.columns import resolve_columns
from cxtext.scores import parse_scores, score_scale

COMMENTS = [
    "Appen crasher hver gang jeg åbner mine fakturaer",
    "Kön i telefonen är alldeles för lång",
    "Ingen ringer tilbake selv om de lover det",
    "Regningen var højere end aftalt",
    "Leveransen försenades utan besked",
    "Montøren kom aldri, og ingen sa fra",
]


def frame(**columns: list) -> pl.DataFrame:
    return pl.DataFrame(columns).with_row_index("_row", offset=1)


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("ResponseId", "id"),
        ("Respondent ID", "id"),
        ("RecordedDate", "date"),
        ("Start Date", "date"),
        ("Submitted At", "date"),
        ("Review Created (UTC)", "date"),
        ("stars", "score"),
        ("rating", "score"),
        ("NPS", "score"),
        ("anbefaling", "score"),
        ("betyg", "score"),
        ("karakter", "score"),
        ("Kundetype", "segment"),
        ("Kanal", "channel"),
        ("Henvendelse via", "channel"),  # a Danish utility's CRM export
        ("Henvendelseskanal", "channel"),
        ("Kontaktväg", "channel"),
    ],
)
def test_role_found_by_its_export_name(name: str, role: str) -> None:
    values = {
        "id": [f"R_{i}x" for i in range(6)],
        "date": [f"2026-05-0{i + 1} 10:22:13" for i in range(6)],
        "score": ["9", "3", "7", "4", "5", "1"],
        "segment": ["Privat", "Erhverv"] * 3,
        "channel": ["telefon", "chat"] * 3,
    }
    columns = resolve_columns(frame(**{"svar": COMMENTS, name: values[role]}), ColumnOptions())
    assert getattr(columns, role) == name
    assert columns.found_by[role] == "name"


def test_a_name_that_only_starts_with_via_is_no_channel() -> None:
    data = frame(svar=COMMENTS, Viaplay=["ja", "nej"] * 3)
    assert resolve_columns(data, ColumnOptions()).channel is None


def test_roles_found_by_content_when_names_say_nothing() -> None:
    data = frame(
        q1=["c1", "c2", "c3", "c4", "c5", "c6"],
        q2=["04.05.2026", "05.05.2026", "06.05.2026", "07.05.2026", "08.05.2026", "09.05.2026"],
        q3=["10", "0", "8", "9", "6", "3"],
        q4=COMMENTS,
        q5=["Privat", "Erhverv", "Privat", "Privat", "Erhverv", "Privat"],
    )
    columns = resolve_columns(data, ColumnOptions())
    assert columns.roles() == {
        "text": "q4",
        "id": "q1",
        "date": "q2",
        "score": "q3",
        "segment": "q5",
        "channel": None,
        "respondent": None,  # by name only: repeated tokens say nothing of whom
    }
    assert columns.score_scale == "nps"
    assert set(columns.found_by.values()) == {"name or content", "content"}


def test_a_list_or_object_column_is_no_segment(tmp_path) -> None:
    """A Parquet list column and a struct-in-a-list arrive as JSON text with a few repeated
    values: they were taken as the segment, and segments.csv ranked themes per '["a", "b"]'."""
    from cxtext.io.read import read_input

    path = tmp_path / "nested.parquet"
    pl.DataFrame(
        {
            "tags": [["app"], [], ["app", "faktura"]] * 2,
            "svar": [[{"q": "nps", "v": 9}], [{"q": "nps", "v": 3}]] * 3,
            "kommentar": COMMENTS,
        }
    ).write_parquet(path)
    raw = read_input(path)
    assert raw.frame.get_column("tags").to_list()[:2] == ['["app"]', "[]"]
    assert resolve_columns(raw.frame, ColumnOptions()).segment is None
    with_plan = raw.frame.with_columns(plan=pl.Series(["Privat", "Erhverv"] * 3))
    assert resolve_columns(with_plan, ColumnOptions()).segment == "plan"


def test_scale_from_the_scores_and_from_an_nps_name() -> None:
    assert score_scale(np.array([1.0, 5, 3, 4])) == "rating"
    assert score_scale(np.array([0.0, 10, 3, 9])) == "nps"
    assert score_scale(np.array([1.0, 5, 3, 4]), nps_named=True) == "nps"  # low NPS answers
    assert score_scale(np.array([1.0, 7, 3, 6.5])) == "other"


def test_scores_with_decimal_commas_and_labels_are_numbers() -> None:
    values = pl.Series(["9", "8,5", " 7 ", "10 - Extremely likely", "0 = Not at all", "vet ej"])
    parsed = values.to_frame("v").select(parse_scores(pl.col("v"))).to_series().to_list()
    assert parsed == [9.0, 8.5, 7.0, 10.0, 0.0, None]


def test_scores_typed_out_of_the_scale_top_are_read() -> None:
    """A Danish spreadsheet's "Anbefaling" typed by hand: '9/10' and '4 af 5' were no score
    (a third of the rows left out of impact, with a warning); a fraction of another top, a
    date or a word still is none."""
    values = pl.Series(["9/10", "7 / 10", "4 af 5", "8 av 10", "9 ud af 10", "6 out of 10"])
    odd = pl.Series(["3/4", "12/10/2025", "ni", "9/100"])
    parsed = pl.concat([values, odd]).to_frame("v").select(parse_scores(pl.col("v")))
    assert parsed.to_series().to_list() == [9.0, 7.0, 4.0, 8.0, 9.0, 6.0, None, None, None, None]


def test_an_id_column_given_with_repeated_values_is_named_in_a_warning() -> None:
    """--id-col on a column that repeats (a customer number, a score) was used silently:
    120 comments went into the store under 6 ids."""
    kunde = ["K1", "K2", "K1", "K3", "K2", "K4"]
    columns = resolve_columns(frame(svar=COMMENTS, kunde=kunde), ColumnOptions(id="kunde"))
    assert columns.id == "kunde"
    assert columns.warnings == (
        "id column 'kunde': 2 of 6 values repeat; comments that share an id count as one "
        "respondent (follow_up.csv, theme respondents) and cannot be told apart in exports "
        "and the store",
    )
    distinct = frame(svar=COMMENTS, kunde=[f"K{i}" for i in range(6)])
    assert resolve_columns(distinct, ColumnOptions(id="kunde")).warnings == ()


def test_dates_that_do_not_parse_are_named_with_the_rows_affected() -> None:
    dates = ["2026-05-04", "igår", "2026-05-06", "31.02.2026", "2026-05-08", ""]
    columns = resolve_columns(frame(svar=COMMENTS, dato=dates), ColumnOptions())
    assert columns.date == "dato"
    assert columns.warnings == (
        "date column 'dato': 2 of 5 rows have no readable date (e.g. 'igår', '31.02.2026'); "
        "they are left out of trends and journey metrics",
    )


def test_nordic_dates_with_month_names_and_short_years_raise_no_warning() -> None:
    dates = ["1. juli 2026", "13. januar 2026", "3 mars 2026", "2. okt. 2026", "13.07.26"]
    dates += ["13/07/26"]
    columns = resolve_columns(frame(svar=COMMENTS, dato=dates), ColumnOptions())
    assert (columns.date, columns.warnings) == ("dato", ())


def test_a_date_column_that_does_not_parse_at_all_is_named_and_not_used() -> None:
    dates = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"]
    columns = resolve_columns(frame(svar=COMMENTS, Dato=dates), ColumnOptions())
    assert columns.date is None
    assert columns.warnings == (
        "column 'Dato' looks like the date but 6 of 6 values are not dates; not used",
    )


def test_scores_out_of_range_are_named_with_the_rows_affected() -> None:
    scores = ["9", "99", "7", "11", "10", "vet ikke"]
    columns = resolve_columns(frame(svar=COMMENTS, NPS=scores), ColumnOptions())
    assert (columns.score, columns.score_scale) == ("NPS", "nps")
    assert columns.warnings == (
        "score column 'NPS': 3 of 6 rows hold no score on the NPS 0-10 scale "
        "(e.g. '99', '11', 'vet ikke'); they are left out of score impact and score metrics",
    )


def test_a_named_option_is_checked_too() -> None:
    data = frame(svar=COMMENTS, when=["2026-05-04", "x", "2026-05-06", "y", "2026-05-08", "z"])
    columns = resolve_columns(data, ColumnOptions(date="when"))
    assert columns.date == "when" and columns.found_by["date"] == "option"
    assert columns.warnings[0].startswith("date column 'when': 3 of 6 rows")


def test_repeated_ids_and_bookkeeping_columns_are_not_taken() -> None:
    data = frame(
        svar=COMMENTS,
        id=["a", "a", "b", "b", "c", "c"],
        Finished=["True"] * 3 + ["False"] * 3,
        UserLanguage=["DA", "SV", "NB", "DA", "SV", "NB"],
    )
    columns = resolve_columns(data, ColumnOptions())
    assert (columns.id, columns.segment) == (None, None)
    assert columns.warnings == ("column 'id' looks like the id but 3 of 6 values repeat; not used",)


@pytest.mark.parametrize("name", ["priority", "Prioritet", "status", "assignee", "Handläggare"])
def test_a_helpdesk_tickets_bookkeeping_is_no_segment(name: str) -> None:
    """A Swedish bank's helpdesk export (JSONL tickets) had its 'priority' column taken as the
    segment: segments.csv and the report ranked fixes for 'low', 'normal' and 'high'."""
    values = ["low", "normal", "high", "normal", "low", "high"]
    columns = resolve_columns(frame(description=COMMENTS, **{name: values}), ColumnOptions())
    assert (columns.text, columns.segment) == ("description", None)


@pytest.mark.parametrize("name", ["requester.name", "Kundenavn", "Förnamn", "kontakt_email"])
def test_a_column_of_peoples_names_is_no_segment(name: str) -> None:
    """With 'priority' set aside, the same tickets' 'requester.name' became the segment:
    segments.csv and the report's segment filter listed customers by name."""
    values = ["Anna Svensson", "", "Erik Lind", "", "Anna Svensson", "Erik Lind"]
    columns = resolve_columns(frame(description=COMMENTS, **{name: values}), ColumnOptions())
    assert columns.segment is None
    for segment in ("Segmentnavn", "Location Name", "Butiksnavn", "Produktnamn"):
        named = resolve_columns(frame(description=COMMENTS, **{segment: values}), ColumnOptions())
        assert named.segment == segment


@pytest.mark.parametrize("name", ["[ID]", "ID", "Respondent", "nr"])
def test_free_text_under_an_id_name_is_not_the_id(name: str) -> None:
    """A column of comments renamed '[ID]' beside the comment column was taken as the id by
    its name (its values distinct): every output carried a comment as each row's id."""
    other = list(reversed(COMMENTS))
    columns = resolve_columns(frame(svar=COMMENTS, **{name: other}), ColumnOptions())
    assert (columns.text, columns.id) == ("svar", None)
    assert columns.warnings == (
        f"column '{name}' looks like the id but 6 of 6 values are text, not short ids; not used",
    )


@pytest.mark.parametrize(
    "ids",
    [
        [f"R_{i}a2b3c" for i in range(6)],
        [f"3f2b8c1e-0d4a-4b7e-9c61-5a8e2f7d90{i:02d}" for i in range(6)],
        [f"KU {1000 + i}" for i in range(6)],
    ],
)
def test_short_tokens_under_an_id_name_are_the_id(ids: list[str]) -> None:
    columns = resolve_columns(frame(svar=COMMENTS, **{"[ID]": ids}), ColumnOptions())
    assert (columns.id, columns.found_by["id"], columns.warnings) == ("[ID]", "name", ())


def test_a_list_of_comments_under_an_id_header_is_the_text(tmp_path) -> None:
    from cxtext.io.read import read_input

    path = tmp_path / "svar.csv"
    path.write_text("\n".join(["[ID]", *COMMENTS]) + "\n", encoding="utf-8")
    columns = resolve_columns(read_input(path).frame, ColumnOptions())
    assert (columns.text, columns.id) == ("[ID]", None)


def test_a_text_column_given_twice_is_refused() -> None:
    """Each answer was analysed twice, as two questions: 6 rows read, 12 written."""
    with pytest.raises(InputError, match=r"^--text-col 'svar' is given twice"):
        resolve_columns(frame(svar=COMMENTS), ColumnOptions(text=("svar", "svar")))


def test_a_one_to_six_grade_is_a_mean_score_not_nps() -> None:
    """A Norwegian municipality's "Hvor fornøyd er du totalt sett? (1-6)" was read as NPS: every
    answer a detractor, NPS -100 with or without any theme, so every fix showed impact +0.0."""
    grades = [1, 2, 6, 5, 3, 4] * 4
    data = frame(**{"Hva kan vi gjøre bedre?": COMMENTS * 4, "Fornøydhet (1-6)": grades})
    columns = resolve_columns(data, ColumnOptions())
    assert columns.score == "Fornøydhet (1-6)"
    assert columns.score_scale == "other"
    assert score_scale(np.array([1.0, 7, 3, 6] * 5)) == "other"  # a 1-7 agreement scale
    assert score_scale(np.array([1.0, 6, 3, 4] * 5), nps_named=True) == "nps"
    assert score_scale(np.array([1.0, 6, 3, 4])) == "nps"  # four low NPS answers: too few


def test_a_one_to_six_grade_run_ranks_fixes_by_their_cost_to_the_mean(tmp_path) -> None:
    """End to end: the grade is the score, impacts are on the mean and not all zero."""
    import cxtext

    complaints = [
        ("Byggesaken min har ligget i åtte måneder uten at noen svarer", 1),
        ("Ingen svarer på telefonen på servicetorget, jeg ringte fem ganger", 2),
        ("Søppelet ble ikke hentet på tre uker og dunken er full", 1),
        ("Skjemaet på nettsiden virker ikke, jeg får feilmelding hver gang", 2),
        ("Hjemmetjenesten kom ikke til avtalt tid og mor ventet hele dagen", 1),
        ("Veldig hyggelig og hjelpsom saksbehandler, takk for god hjelp", 6),
        ("Rask og grei behandling av søknaden om barnehageplass", 5),
        ("Fint at vi kan følge saken på Min side", 5),
    ]
    rows = complaints * 4
    data = pl.DataFrame(
        {
            "Hva kan vi gjøre bedre?": [text for text, _ in rows],
            "Hvor fornøyd er du totalt sett? (1-6)": [grade for _, grade in rows],
        }
    )
    result = cxtext.analyze(data, out=tmp_path / "out")
    assert result.run["columns"]["score_scale"] == "other"
    ranked = result.themes.filter(pl.col("rank").is_not_null())
    assert ranked.height >= 1
    assert set(ranked.get_column("impact_metric")) == {"mean"}
    assert (ranked.get_column("impact") < 0).any()
