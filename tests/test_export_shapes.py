"""Survey exports as the tools write them, read with no column options: every role is found.

The files in tests/fixtures/exports/ follow each tool's documented layout (written by
scripts/make_export_fixtures.py from real demo comments).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import cxtext
from cxtext.config import ColumnOptions
from cxtext.io.columns import resolve_columns
from cxtext.io.read import read_input
from cxtext.outputs.journey_metrics import journey_metrics

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
QUALTRICS_NPS = "Hvor sandsynligt er det, at du vil anbefale os til en ven eller kollega?"
MONKEY_NPS = "Hur sannolikt är det att du skulle rekommendera oss till en vän eller kollega?"
TYPEFORM_NPS = "How likely are you to recommend Nordbank to a friend or colleague?"
FORMS_NPS = "Hvor sannsynlig er det at du vil anbefale oss til en venn?"

# file: (layout, text, id, date, score, segment, scale)
SHAPES = {
    "plain.csv": (None, "comment", "id", "date", "score", "segment", "nps"),
    "qualtrics.csv": ("qualtrics", "Q2", "ResponseId", "RecordedDate", "Q1", "Q3", "nps"),
    "surveymonkey.csv": (
        "surveymonkey",
        "Vad kan vi göra bättre?",
        "Respondent ID",
        "End Date",
        MONKEY_NPS,
        "Vilken typ av kund är du?",
        "nps",
    ),
    "title_rows.xlsx": (
        "title rows",
        "Kommentar",
        "Respondent",
        "Dato",
        "Anbefaling (0-10)",
        "Kundetype",
        "nps",
    ),
    "nordic_excel.csv": (None, "Kommentar", "Løbenr", "Dato", "Karakter", "Kundetype", "rating"),
    "unicode_text.txt": (None, "Kommentar", "Svars-ID", "Datum", "Betyg", "Kundtyp", "rating"),
    "typeform.csv": (
        None,
        "What is the main reason for your score?",
        "#",
        "Submit Date (UTC)",
        TYPEFORM_NPS,
        "Which plan are you on?",
        "nps",
    ),
    "trustpilot.csv": (
        None,
        "Review Content",
        "Review ID",
        "Review Created (UTC)",
        "Review Stars",
        "Location Name",
        "rating",
    ),
    "google_forms.csv": (
        None,
        "Hva kan vi gjøre bedre?",
        None,
        "Tidsmerke",
        FORMS_NPS,
        "Er du privat- eller bedriftskunde?",
        "nps",
    ),
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_every_role_is_found_with_no_options(name: str) -> None:
    layout, text, id_, date, score, segment, scale = SHAPES[name]
    raw = read_input(EXPORTS / name)
    columns = resolve_columns(raw.frame, ColumnOptions())
    assert raw.layout == layout
    assert raw.frame.height == 30 and raw.rejects.is_empty()  # header rows are not answers
    found = (columns.text, columns.id, columns.date, columns.score, columns.segment)
    assert found == (text, id_, date, score, segment)
    assert columns.score_scale == scale
    assert columns.warnings == ()


def test_qualtrics_question_texts_are_kept_and_its_header_rows_are_not_answers() -> None:
    raw = read_input(EXPORTS / "qualtrics.csv")
    assert raw.questions["Q1"] == QUALTRICS_NPS
    assert not raw.frame.get_column("Q1").str.contains("ImportId|anbefale").any()
    assert raw.frame.get_column("RecordedDate").str.starts_with("2026-").all()


def test_surveymonkey_option_columns_are_named_by_question_and_option() -> None:
    raw = read_input(EXPORTS / "surveymonkey.csv")
    assert "Vilken typ av kund är du? - Other (please specify)" in raw.frame.columns
    assert raw.frame.get_column("Respondent ID").str.contains(r"^\d+$").all()


def test_nordic_excel_csv_keeps_letters_and_decimal_commas() -> None:
    raw = read_input(EXPORTS / "nordic_excel.csv")
    assert raw.frame.get_column("Kommentar").str.contains("[æøå]").any()
    assert raw.frame.get_column("Varighed (min)").str.contains(r"^\d+,\d$").all()


def test_a_column_option_wins_over_what_is_found() -> None:
    raw = read_input(EXPORTS / "surveymonkey.csv")
    columns = resolve_columns(raw.frame, ColumnOptions(date="Start Date", segment="Collector ID"))
    assert (columns.date, columns.segment) == ("Start Date", "Collector ID")
    assert columns.found_by["date"] == "option" and columns.found_by["score"] == "name"


@pytest.mark.parametrize("name", list(SHAPES))
def test_each_shape_runs_end_to_end_with_no_options(name: str) -> None:
    """Trends, segment priorities, impact and journey metrics, on the score's own scale."""
    _, text, id_, date, score, segment, scale = SHAPES[name]
    result = cxtext.analyze(EXPORTS / name, seed=42)
    run = result.run
    assert (run["rows_read"], run["rows_rejected"], run["warnings"]) == (30, 0, [])
    roles = {k: run["columns"][k] for k in ("text", "id", "date", "score", "segment")}
    assert roles == {"text": text, "id": id_, "date": date, "score": score, "segment": segment}
    assert run["columns"]["score_scale"] == scale
    assert result.tables["trends"].get_column("comments").sum() > 0
    assert result.tables["segments"].get_column("segment").n_unique() >= 2
    metric = "nps" if scale == "nps" else "mean"
    assert result.themes.get_column("impact_metric").unique().to_list() == [metric]
    assert result.themes.get_column("impact").is_not_null().any()
    metrics = set(journey_metrics(result).get_column("metric"))
    assert metrics == {"volume", "negative_percent", "nps" if scale == "nps" else "csat"}
    if id_ is not None:
        ids = read_input(EXPORTS / name).frame.get_column(id_).to_list()
        assert result.comments.get_column("id").is_in(ids).all()
