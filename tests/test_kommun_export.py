"""A Swedish municipality's first week: an XLSX export of citizens' comments ("synpunkter")
with Swedish headers, a title row, empty comments and personnummer in the text, run with
`--label-language sv`. Real demo comments; the file is built the way the e-service exports it."""

from __future__ import annotations

import datetime
from pathlib import Path

import polars as pl
import pytest

from cxtext.pii.audit import leaks, output_texts
from tests.support import demo_rows, run_cli

ROWS = 90
DEPARTMENTS = [
    "Socialförvaltningen",
    "Tekniska förvaltningen",
    "Utbildningsförvaltningen",
    "Kultur- och fritidsförvaltningen",
    "Kommunstyrelseförvaltningen",
]
CHANNELS = {"phone": "Telefon", "email": "E-post", "web": "Webbformulär", "app": "App"}
PERSONNUMMER = "121212-1212"  # Skatteverket's test person, Luhn-valid
PHONE = "070-123 45 67"
CALL_ME = f" Ring mig på {PHONE}."


@pytest.fixture(scope="module")
def kommun(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """synpunkter.xlsx as the municipality exports it, analysed with Swedish labels."""
    from openpyxl import Workbook

    folder = tmp_path_factory.mktemp("kommun")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Synpunkter 2026 – export från e-tjänsten"])
    sheet.append([])
    sheet.append(["Ärendenummer", "Inkom datum", "Kanal", "Förvaltning", "Synpunkt", "Betyg 1-5"])
    for index, row in enumerate(demo_rows(ROWS)):
        text = row["comment"]
        if index % 15 == 4:
            text = f"Mitt personnummer är {PERSONNUMMER}. {text}"
        if index % 12 == 3:
            text += CALL_ME
        if index % 29 == 7:
            text = None  # an empty cell: a reject, not a comment
        received = datetime.datetime(2026, 9, 1, 8) + datetime.timedelta(days=index % 40)
        sheet.append(
            [
                f"KS-2026-{index + 1:04d}",
                received,
                CHANNELS.get(row["channel"], "Besök"),
                DEPARTMENTS[index % len(DEPARTMENTS)],
                text,
                max(1, round(int(row["score"]) / 2)),
            ]
        )
    source = folder / "synpunkter.xlsx"
    workbook.save(source)
    out = folder / "out"
    done = run_cli("analyze", str(source), "--label-language", "sv", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_follow_up_says_which_department_should_call_and_when(kommun: Path) -> None:
    """follow_up.csv named the caller's owner as a taxonomy silo ('customer_service') and
    dropped Förvaltning, Kanal and Inkom datum: nobody could route it. Now the lead answer's
    date, segment and channel columns follow, under their input names."""
    follow_up = pl.read_csv(kommun / "follow_up.csv", infer_schema=False)
    comments = pl.read_csv(kommun / "comments.csv", infer_schema=False)
    assert follow_up.columns[-3:] == ["Inkom datum", "Förvaltning", "Kanal"]
    asked = follow_up.filter(pl.col("follow_up") == "asks to be contacted")
    assert asked.height >= 5
    lead = asked.join(comments, on="id", suffix="_comment")
    for column in ("Inkom datum", "Förvaltning", "Kanal"):
        assert lead.get_column(column).to_list() == lead.get_column(f"{column}_comment").to_list()
    assert set(asked.get_column("Förvaltning")) <= set(DEPARTMENTS)


def test_no_personnummer_or_phone_in_any_output(kommun: Path) -> None:
    texts = output_texts([kommun])
    assert leaks(PERSONNUMMER, texts) == [] and leaks(PHONE, texts) == []


def test_the_workbook_names_owners_phases_and_kano_in_swedish(kommun: Path, tmp_path: Path) -> None:
    """The 'Fix first' sheet read 'Går inte att ringa | customer_service | get_help | basic'
    beside a Swedish report; now its names are the report's ('Kundtjänst', 'Få hjälp')."""
    from openpyxl import load_workbook

    done = run_cli("export", str(kommun), "--to", "xlsx", "-o", str(tmp_path / "s.xlsx"))
    assert done.returncode == 0, done.stderr
    rows = list(load_workbook(tmp_path / "s.xlsx", read_only=True)["Fix first"].values)
    width = len(rows[0])  # read-only sheets drop a row's empty trailing cells
    body = [list(row) + [None] * (width - len(row)) for row in rows[1:]]
    fixes = pl.DataFrame(body, schema=list(rows[0]), orient="row")
    themes = pl.read_csv(kommun / "themes.csv").filter(pl.col("rank").is_not_null()).sort("rank")
    assert fixes.get_column("label").to_list() == themes.get_column("label").to_list()
    html = (kommun / "report.html").read_text(encoding="utf-8")
    for row in fixes.head(5).iter_rows(named=True):
        assert f"Ägare: {row['silo']}" in html and f">{row['phase']}<" in html
        assert f">{row['kano']}<" in html
    ids = {*themes.get_column("silo"), *themes.get_column("phase"), *themes.get_column("kano")}
    assert not ids & {*fixes.get_column("silo"), *fixes.get_column("phase")}
    assert "Baskrav" in fixes.get_column("kano").to_list()
    # the other sheets keep the ids, as the CSVs do
    assert set(themes.get_column("silo")) & {"customer_service", "operations", "finance"}
