"""Survey-tool exports as a Nordic CX team downloads them, respondent columns and all: the
score beside Qualtrics' NPS group, every open question, and no IP address, e-mail, name or
position of a respondent in any output file."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import polars as pl
import pytest

import cxtext
from cxtext.config import ColumnOptions
from cxtext.io.columns import resolve_columns
from cxtext.io.read import read_input
from cxtext.io.roles import person_column
from cxtext.journey.channel import channels_of_values
from cxtext.outputs.exports import export_run
from cxtext.pii import redact_text
from cxtext.pii.audit import output_texts
from cxtext.taxonomy import load_taxonomy

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
QUALTRICS = EXPORTS / "qualtrics_numeric.csv"


def test_qualtrics_nps_group_is_not_the_score() -> None:
    """With "Use numeric values" the group is 1-3 and was read as the score: every theme's
    impact came out 0.0."""
    raw = read_input(QUALTRICS)
    columns = resolve_columns(raw.frame, ColumnOptions())
    assert raw.layout == "qualtrics" and raw.frame.height == 30
    assert (columns.text, columns.id, columns.score) == ("Q2_TEXT", "ResponseId", "Q1")
    assert columns.score_scale == "nps"


def test_qualtrics_second_text_question_is_named() -> None:
    """Q3_TEXT, answered by a third in short words, is named with the options to analyse it."""
    columns = resolve_columns(read_input(QUALTRICS).frame, ColumnOptions())
    assert columns.other_texts == ("Q3_TEXT",)
    assert any("--text-col 'Q3_TEXT'" in warning for warning in columns.warnings)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Netbanken spærrer mig ude fra 198.51.100.7 hver morgen", False),
        ("Appen når inte servern på 2001:db8:4f1a::2b", False),
        ("Appen crasher efter version 4.12.0.1, kl. 12:30:45", True),
        ("Gebyret står ikkje i vilkåra, jf. kap. 7.2.4.5", True),  # a section, not an address
        ("3.5.2.3 Nye gebyr er ikkje varsla", True),  # a heading's number
        ("Ring på 82.55.60.91 efter kl. 16", False),  # a Danish phone, as before
    ],
)
def test_ip_addresses_in_a_comment_are_redacted(text: str, kept: bool) -> None:
    redacted, kinds = redact_text(text)
    assert (redacted == text) is kept
    if not kept and "Ring" not in text:
        assert kinds == ["ip"] and "[IP]" in redacted


@pytest.fixture(scope="module")
def qualtrics_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[cxtext.result.Result, Path]:
    folder = tmp_path_factory.mktemp("qualtrics")
    result = cxtext.analyze(QUALTRICS, out=folder / "out", store=folder / "cx.duckdb", seed=42)
    export_run(folder / "out", "xlsx", folder / "run.xlsx")
    return result, folder


def test_qualtrics_run_reads_every_answer_row(qualtrics_run) -> None:
    result, _ = qualtrics_run
    assert (result.run["rows_read"], result.run["rows_written"]) == (30, 30)
    assert result.run["rows_rejected"] == 0
    assert result.themes.get_column("impact").drop_nulls().abs().sum() > 0


def test_no_respondent_contact_or_position_leaves_the_run(qualtrics_run) -> None:
    """IP addresses (IPv4 and IPv6), e-mails, names and the position, in every file."""
    _, folder = qualtrics_run
    raw = read_input(QUALTRICS).frame
    planted = [
        *raw.get_column("IPAddress").to_list(),
        *raw.get_column("RecipientEmail").to_list(),
        *raw.get_column("RecipientLastName").unique().to_list(),
        *raw.get_column("LocationLatitude").to_list(),
        *raw.get_column("LocationLongitude").to_list(),
    ]
    texts = output_texts([folder])
    assert len(texts) >= 15
    leaks = {
        path: value
        for path, text in texts.items()
        for value in planted
        if re.search(rf"(?<![\w.:]){re.escape(value)}(?![\w:]|\.\d)", text)
    }
    assert leaks == {}
    comments = pl.read_csv(folder / "out" / "comments.csv")
    assert comments.get_column("IPAddress").str.starts_with("IP-").all()


@pytest.mark.parametrize(
    ("header", "names_people"),
    [
        ("Vilken kanal använde du? - Telefon", False),  # a ticked SurveyMonkey option
        ("Hvordan kontaktede du os? - E-mail", False),
        ("RecipientEmail", True),
        ("First Name", True),
        ("LocationLatitude", True),  # where the IP address places the respondent
    ],
)
def test_a_question_option_is_no_column_of_people(header: str, names_people: bool) -> None:
    """The option's cells ("Telefon") left as NAME-17, and the channel question with them."""
    assert person_column(header) is names_people


def test_microsoft_forms_answers_are_dated_when_completed(tmp_path: Path) -> None:
    """Microsoft Forms' XLSX: the date is 'Completion time', when the answer was sent, not
    'Start time' (which Forms writes first, and content alone picked); Name and Email are
    people."""
    comments = pl.read_csv(EXPORTS / "plain.csv").get_column("comment").to_list()[:12]
    book = openpyxl.Workbook()
    sheet = book.active
    question = "Hvor sannsynlig er det at du vil anbefale oss til en venn eller kollega?"
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", question, "Hvorfor?"])
    for i, comment in enumerate(comments):
        start = datetime(2026, 11, 2 + 2 * i, 9, 30)
        sheet.append([i + 1, start, start + timedelta(days=1), "anonymous", "", i % 11, comment])
    book.save(tmp_path / "forms.xlsx")
    columns = resolve_columns(read_input(tmp_path / "forms.xlsx").frame, ColumnOptions())
    assert (columns.text, columns.id, columns.date) == ("Hvorfor?", "ID", "Completion time")
    assert columns.score == question and columns.score_scale == "nps"
    assert person_column("Email") and person_column("Name")


SURVEYMONKEY_CHECKBOX = EXPORTS / "surveymonkey_checkbox.csv"


def test_surveymonkey_checkbox_question_is_one_column() -> None:
    """A checkbox question's options (one column each) become one column of the ticked labels;
    "Other (please specify)" text and a matrix question's rows stay columns of their own."""
    frame = read_input(SURVEYMONKEY_CHECKBOX).frame
    question = "Vilken kanal använde du?"
    assert frame.get_column(question).to_list() == [
        "Telefon",
        "Webb",
        "E-post",
        "Telefon; Webb",
        None,
        "Webb; E-post",
    ]
    options = [name for name in frame.columns if name.startswith(f"{question} - ")]
    assert options == [f"{question} - Other (please specify)"]
    assert "Hur nöjd är du med följande? - Personalen" in frame.columns
    assert resolve_columns(frame, ColumnOptions()).channel == question


def test_surveymonkey_checkbox_channel_is_read_from_every_row(tmp_path: Path) -> None:
    """Before, the channel was the `- Telefon` option: rows ticking only Webb or E-post, whose
    comments name no channel, got `none`."""
    result = cxtext.analyze(SURVEYMONKEY_CHECKBOX, out=tmp_path / "out", seed=42)
    assert (result.run["rows_read"], result.run["rows_written"]) == (6, 6)
    comments = pl.read_csv(tmp_path / "out" / "comments.csv")
    assert comments.get_column("channel").to_list() == [
        "phone",
        "web",  # "Webb" ticked, the comment names no channel
        "email",
        "phone",  # "Telefon; Webb": the first ticked option
        "store",  # none ticked, the comment names the store
        "web",  # "Webb; E-post"
    ]


def test_joined_options_are_their_first_channel() -> None:
    taxonomy = load_taxonomy()
    values = ["Webb; E-post", "Övrigt; E-post", "Övrigt", None]
    assert channels_of_values(values, taxonomy) == ["web", "email", "none", "none"]
