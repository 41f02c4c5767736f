"""A column of people's names (by its header: "requester.name", "Kundenavn") leaves every
command and output file only as pseudonyms, NAME-n per distinct name; a column named for
something else ("Location Name") passes through as it is."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import cxtext
from cxtext.api import detect_file_languages
from cxtext.io.roles import person_column
from cxtext.outputs.exports import export_run
from cxtext.pii import Pseudonyms, redact_columns
from cxtext.pii.audit import leaks, output_texts
from cxtext.pii.fields import fields_before
from cxtext.summary import columns_line
from tests.support import run_cli

PLAIN = Path(__file__).parent / "fixtures" / "exports" / "plain.csv"
REQUESTERS = ["Mette Kjærgaard", "Lars-Erik Nyström", "Ingrid Solberg"]
# the customer key: a name, written with other spacing and case on a later row
CUSTOMERS = ["Anders Holm", "Birgitte Dahl", "anders  holm", "Sofie Lindqvist", "Jonas Berg"]
LOCATIONS = ["Aarhus C", "Göteborg Nordstan", "Oslo City"]
MALFORMED = "Karoline Bjørnstad,Petter Wessel,Oslo City"  # names in a row with a broken quote


@pytest.mark.parametrize(
    ("header", "names_people"),
    [
        ("requester.name", True),
        ("Kundenavn", True),
        ("Förnamn", True),
        ("Customer Name", True),
        ("Etternavn", True),
        ("RecipientFirstName", True),  # Qualtrics: two role words before the name
        ("E-mail", True),
        ("Email Address", True),  # Google Forms, SurveyMonkey
        ("Kundeadresse", True),
        ("Hemadress", True),
        ("Location Name", False),
        ("Butiksadress", False),  # a store's address is a segment
        ("Web address", False),
        ("Butiksnavn", False),
        ("Produktnamn", False),
        ("Segmentnavn", False),
    ],
)
def test_person_column_by_header(header: str, names_people: bool) -> None:
    assert person_column(header) is names_people


def with_names(frame: pl.DataFrame) -> pl.DataFrame:
    """The real export with a requester, a customer-name and a location column added."""
    rows = frame.height
    return frame.with_columns(
        pl.Series("requester.name", [REQUESTERS[i % len(REQUESTERS)] for i in range(rows)]),
        pl.Series("Kundenavn", [CUSTOMERS[i % len(CUSTOMERS)] for i in range(rows)]),
        pl.Series("Location Name", [LOCATIONS[i % len(LOCATIONS)] for i in range(rows)]),
    )


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[cxtext.result.Result, Path]:
    folder = tmp_path_factory.mktemp("names")
    frame = with_names(pl.read_csv(PLAIN))
    frame.write_csv(folder / "input.csv")
    with (folder / "input.csv").open("a", encoding="utf-8") as handle:  # a malformed row
        handle.write(f'c9002,"Ingen svar,5,2026-01-05,private,phone,{MALFORMED}\n')
    result = cxtext.analyze(
        folder / "input.csv",
        out=folder / "out",
        respondent_col="Kundenavn",
        state=folder / "state",
        store=folder / "cx.duckdb",
    )
    export_run(folder / "out", "xlsx", folder / "run.xlsx")
    export_run(folder / "out", "journey-json", folder / "journey.json")
    languages = detect_file_languages(folder / "input.csv")
    languages.rows.write_csv(folder / "langid.csv")
    languages.rejects.write_csv(folder / "langid.rejects.csv")
    return result, folder


def test_no_name_reaches_any_output_file(run) -> None:
    _, folder = run
    files = [p for p in folder.iterdir() if p.name != "input.csv"]
    texts = output_texts(files)
    assert {"comments.parquet", "report.html", "cx.duckdb", "run.xlsx", "langid.csv"} <= {
        name.rsplit("/", 1)[-1] for name in texts
    }
    for name in [*REQUESTERS, *CUSTOMERS, "Kjærgaard", "Nyström", "Bjørnstad", "Wessel"]:
        assert leaks(name, texts) == [], name


def test_a_rejected_rows_raw_line_ends_before_the_first_name_column(run) -> None:
    _, folder = run
    rejects = pl.read_csv(folder / "out" / "rejects.csv")
    assert rejects.get_column("raw").to_list() == ["c9002,Ingen svar,5,2026-01-05,private,phone,…"]
    langid = pl.read_csv(folder / "langid.rejects.csv")
    assert langid.get_column("raw").to_list() == rejects.get_column("raw").to_list()


def test_names_become_stable_pseudonyms(run) -> None:
    result, folder = run
    comments = result.comments
    requesters = comments.get_column("requester.name").to_list()
    # one pseudonym per distinct name, the same on every row that names that person
    assert len(set(requesters)) == len(REQUESTERS)
    assert all(value.startswith("NAME-") for value in requesters)
    assert requesters[0] == requesters[len(REQUESTERS)] != requesters[1]
    customers = comments.get_column("respondent").to_list()  # the key's column, renamed
    assert customers[0] == customers[2]  # "Anders Holm" and "anders  holm": one person
    assert len(set(customers)) == len(CUSTOMERS) - 1
    parquet = pl.read_parquet(folder / "out" / "comments.parquet")
    assert parquet.get_column("requester.name").to_list() == requesters
    langid = pl.read_csv(folder / "langid.csv")
    assert langid.get_column("requester.name").str.starts_with("NAME-").all()


def test_respondents_are_counted_on_the_pseudonyms(run) -> None:
    result, _ = run
    assert result.comments.get_column("respondent").str.starts_with("NAME-").all()
    assert result.run["respondents"] == len(CUSTOMERS) - 1
    assert result.themes.get_column("respondents").max() <= len(CUSTOMERS) - 1


def test_location_name_is_a_segment_and_untouched(run) -> None:
    result, _ = run
    assert set(result.comments.get_column("Location Name")) == set(LOCATIONS)


def test_run_json_and_columns_line_name_the_columns(run) -> None:
    result, folder = run
    run_json = json.loads((folder / "out" / "run.json").read_text("utf-8"))
    # as the input names them: the customer key "Kundenavn" is comments.csv's `respondent`
    assert run_json["name_columns"] == ["requester.name", "Kundenavn"]
    assert run_json["pii_redacted_columns"]["requester.name"] == {"name": result.comments.height}
    line = columns_line(run_json)
    assert "names as pseudonyms 'requester.name', 'Kundenavn'" in line


@pytest.mark.parametrize(
    ("line", "count", "cut"),
    [
        ("c1;Ingen svar;5;Anna Holm;Oslo", 3, "c1;Ingen svar;5;…"),
        ('c1,"Svar, men sent",5,Anna Holm', 3, 'c1,"Svar, men sent",…'),  # cut sooner
        ("c1,Ingen svar", 3, "c1,Ingen svar"),  # the row ends before the name column
        ("Anna Holm\tc1\tIngen svar", 0, "…"),
    ],
)
def test_fields_before(line: str, count: int, cut: str) -> None:
    assert fields_before(line, count) == cut


@pytest.fixture(scope="module")
def roles_run(tmp_path_factory) -> Path:
    """Role flags naming columns of people's names: segment, channel, date and score."""
    folder = tmp_path_factory.mktemp("name_roles")
    rows = pl.read_csv(PLAIN).height
    frame = pl.read_csv(PLAIN).with_columns(
        pl.Series("Kundenavn", [CUSTOMERS[i % len(CUSTOMERS)] for i in range(rows)]),
        pl.Series("requester.name", [REQUESTERS[i % len(REQUESTERS)] for i in range(rows)]),
        pl.Series("Förnamn", [name.split()[0] for name in REQUESTERS for _ in range(10)][:rows]),
        pl.Series("Customer Name", [REQUESTERS[-1 - i % 3] for i in range(rows)]),
    )
    frame.write_csv(folder / "input.csv")
    result = cxtext.analyze(
        folder / "input.csv",
        out=folder / "out",
        segment_col="Kundenavn",
        channel_col="Customer Name",
        date_col="requester.name",
        score_col="Förnamn",
        state=folder / "state",
        store=folder / "cx.duckdb",
    )
    assert result.run["columns"]["segment"] == "Kundenavn"
    export_run(folder / "out", "xlsx", folder / "run.xlsx")
    return folder


def test_a_role_flag_on_a_name_column_leaks_no_name(roles_run) -> None:
    """--segment-col Kundenavn: segments.csv's segments are the pseudonyms; a date or score
    column of names is warned about without quoting a cell."""
    texts = output_texts([p for p in roles_run.iterdir() if p.name != "input.csv"])
    assert {"segments.csv", "report.html", "cx.duckdb", "run.xlsx"} <= {
        name.rsplit("/", 1)[-1] for name in texts
    }
    for name in [*REQUESTERS, *CUSTOMERS, "Mette", "Ingrid", "Holm", "Nyström"]:
        assert leaks(name, texts) == [], name
    segments = pl.read_csv(roles_run / "out" / "segments.csv").get_column("segment")
    assert segments.str.starts_with("NAME-").all()
    assert segments.n_unique() == len(CUSTOMERS) - 1  # "anders  holm" is Anders Holm
    warnings = json.loads((roles_run / "out" / "run.json").read_text("utf-8"))["warnings"]
    assert any("date column 'requester.name'" in w and "not quoted" in w for w in warnings)


def test_a_text_column_of_names_is_refused(tmp_path) -> None:
    frame = pl.read_csv(PLAIN).with_columns(
        pl.Series("Kundenavn", [CUSTOMERS[i % len(CUSTOMERS)] for i in range(30)])
    )
    frame.write_csv(tmp_path / "input.csv")
    for command in (
        ["analyze", str(tmp_path / "input.csv"), "--out", str(tmp_path / "out")],
        ["langid", str(tmp_path / "input.csv"), "-o", str(tmp_path / "langid.csv")],
    ):
        done = run_cli(*command, "--text-col", "Kundenavn")
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1 and "people's names" in done.stderr, done.stderr
        assert "Anders" not in done.stdout + done.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "langid.csv").exists()


def test_analyze_and_langid_let_an_inputs_columns_out_alike(tmp_path) -> None:
    """`langid` and `analyze` each built their own redaction of the input's columns; one helper
    (`redact_input_columns`) now decides for both which columns are personal: the same file's
    name and e-mail columns leave either command as the same pseudonyms, never as written."""
    rows = pl.read_csv(PLAIN).height
    emails = [f"{name.split()[0].lower()}.{i}@example.dk" for i, name in enumerate(CUSTOMERS)]
    frame = pl.read_csv(PLAIN).with_columns(
        pl.Series("Kundenavn", [CUSTOMERS[i % len(CUSTOMERS)] for i in range(rows)]),
        pl.Series("E-mail", [emails[i % len(emails)] for i in range(rows)]),
        pl.Series("Note", [f"svar til {emails[i % len(emails)]}" for i in range(rows)]),
    )
    frame.write_csv(tmp_path / "input.csv")
    for command in (
        ["analyze", str(tmp_path / "input.csv"), "--out", str(tmp_path / "out")],
        ["langid", str(tmp_path / "input.csv"), "-o", str(tmp_path / "langid.csv")],
    ):
        done = run_cli(*command)
        assert done.returncode == 0, done.stderr
        assert not [v for v in [*CUSTOMERS, *emails] if v in done.stdout + done.stderr]
    texts = output_texts([tmp_path / "out", tmp_path / "langid.csv"])
    assert "langid.csv" in {name.rsplit("/", 1)[-1] for name in texts}
    assert [v for v in ["Anders", "Birgitte", "Lindqvist", *emails] if leaks(v, texts)] == []
    passed = ["id", "Kundenavn", "E-mail", "Note"]
    analyzed = pl.read_csv(tmp_path / "out" / "comments.csv", infer_schema=False)
    langid = pl.read_csv(tmp_path / "langid.csv", infer_schema=False)
    assert analyzed.height == langid.height == rows
    assert analyzed.select(passed).sort("id").equals(langid.select(passed).sort("id"))
    assert analyzed.get_column("Kundenavn").str.starts_with("NAME-").all()
    assert analyzed.get_column("E-mail").str.starts_with("EMAIL-").all()
    assert analyzed.get_column("Note").str.starts_with("svar til [EMAIL]").all()


def test_a_contact_column_s_pseudonyms_name_its_kind() -> None:
    """A Telefon cell of free text ("ring efter kl. 16") became NAME-n, an IP address in
    two-digit groups ("83.12.17.35", a dotted phone number elsewhere) PHONE-n, and a latitude
    NAME-n. Each now names what the column holds; "ingen" names nobody and stays."""
    frame = pl.DataFrame(
        {
            "Telefon": ["+45 12 34 56 78", "ring efter kl. 16", "ingen", "Ring efter  kl. 16",
                        "jens@example.dk", None],
            "IP Address": ["83.12.17.35", "2A02:AA7::1", "83.12.17.35", "2a02:aa7:0:0:0:0:0:1",
                           "10.0.0.1", ""],
            "LocationLatitude": [55.6761, 56.1629, 55.6761, None, 57.0488, 55.4038],
            "Kundenavn": ["Anders Holm", "ingen", "anders  holm", "Sofie Lindqvist", None, ""],
        }
    )  # fmt: skip
    redacted = redact_columns(frame, pseudonyms=Pseudonyms(None, "numbered"), names=frame.columns)
    assert redacted.get_column("Telefon").to_list() == [
        "PHONE-1", "PHONE-2", "ingen", "PHONE-2", "EMAIL-1", None
    ]  # fmt: skip
    assert redacted.get_column("IP Address").to_list() == [
        "IP-1", "IP-2", "IP-1", "IP-2", "IP-3", ""
    ]  # fmt: skip
    assert redacted.get_column("LocationLatitude").to_list() == [
        "LOCATION-1", "LOCATION-2", "LOCATION-1", None, "LOCATION-3", "LOCATION-4"
    ]  # fmt: skip
    # a name column's every cell is a pseudonym: "ingen" could be someone's name there
    assert redacted.get_column("Kundenavn").to_list() == [
        "NAME-1", "NAME-2", "NAME-1", "NAME-3", None, ""
    ]  # fmt: skip


def test_a_column_of_ip_addresses_by_its_values_is_read_as_one() -> None:
    """A column named for no contact ("Kilde") whose values are IP addresses: its dotted
    cells are addresses; the same cell in a Telefon column stays a phone number."""
    addresses = ["83.12.17.35", "192.168.10.20", "83.12.17.35", "10.0.0.1"]
    frame = pl.DataFrame({"Kilde": addresses, "Telefon": ["83.12.17.35"] * 4})
    redacted = redact_columns(frame, pseudonyms=Pseudonyms(None, "numbered"), names=["Telefon"])
    assert redacted.get_column("Kilde").to_list() == ["IP-1", "IP-2", "IP-1", "IP-3"]
    assert set(redacted.get_column("Telefon")) == {"PHONE-1"}
    placeholders = redact_columns(frame.select("Kilde")).get_column("Kilde")
    assert set(placeholders) == {"[IP]"}


def test_no_contact_or_position_leaves_a_run(tmp_path) -> None:
    """Through the command: a phone column's free text, IP addresses in two-digit groups and
    a respondent's position leave only as pseudonyms of their kind."""
    rows = pl.read_csv(PLAIN).height
    phones = ["+45 12 34 56 78", "ring efter kl. 16", "ingen", "22 33 44 55"]
    ips = ["83.12.17.35", "83.12.17.36", "2a02:aa7::1", "192.168.10.20"]
    frame = pl.read_csv(PLAIN).with_columns(
        pl.Series("Telefon", [phones[i % 4] for i in range(rows)]),
        pl.Series("IP Address", [ips[i % 4] for i in range(rows)]),
        pl.Series("LocationLatitude", [55.6761 + i % 4 for i in range(rows)]),
    )
    frame.write_csv(tmp_path / "input.csv")
    done = run_cli("analyze", str(tmp_path / "input.csv"), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    comments = pl.read_csv(tmp_path / "out" / "comments.csv")
    assert set(comments.get_column("Telefon")) == {"PHONE-1", "PHONE-2", "PHONE-3", "ingen"}
    assert comments.get_column("IP Address").str.starts_with("IP-").all()
    assert comments.get_column("LocationLatitude").str.starts_with("LOCATION-").all()
    texts = output_texts([tmp_path / "out"])
    for value in [*phones[:2], "22 33 44 55", *ips, "55.6761", "56.6761"]:
        assert leaks(value, texts) == [], value
    run = json.loads((tmp_path / "out" / "run.json").read_text("utf-8"))
    assert run["pii_redacted_columns"]["LocationLatitude"] == {"location": rows}
