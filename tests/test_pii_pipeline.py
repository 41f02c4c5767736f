"""PII is redacted before embedding and in every output and export, in every text column;
--keep-pii adds the original comment to comments.csv only."""

from __future__ import annotations

import polars as pl
import pytest

import cxtext
from cxtext.outputs.exports import export_run
from cxtext.pii.audit import leaks, output_texts

EMAIL = "jens.hansen@example.dk"
PHONE = "+45 20 30 40 50"
CONTACT = "karin.berg@example.se"
# Identifiers beside words that sound harmless (issue #23): each must leave no trace.
IDENTIFIERS = [
    ("Min faktura til {} er forkert, jeg vil have pengene tilbage", "010190-1234"),
    ("Kundenummer {} - fakturaen er forkert igen", "010190-1234"),
    ("Saken gjelder {} og ingen svarer på telefonen", "15038510190"),
    ("Ärendet gäller {} och ingen har ringt tillbaka", "811218-9876"),
    ("Ordre {} blev trukket to gange på mit kort", "4111 1111 1111 1111"),
    ("Kundenummer {} er mit, ring venligst", "+45 12 34 56 78"),
    # an airline's booking reference opens the booking with the surname (user22's NPS export)
    ("Flyet ble kansellert.\nBookingreferanse {}, ingen har ringt", "K7XQ2M"),
    # domestic bank account numbers (a Swedish bank's ticket export): NO, SE, DK
    ("Refusjonen skal til kontonummer {}, ikke kortet", "5309.72.15134"),
    ("Pengarna drogs från {} utan att jag godkänt det", "8327-9, 356 224 397-6"),
    ("Skicka pengarna till {} så fort som möjligt", "4567-8532495"),
    ("Udbetal til reg.nr. {} hurtigst muligt", "1234 kontonr. 0001234567"),
]
ACCOUNT = "1264.82.44264"  # a passed-through Kontonummer column: one pseudonym per account
BOOKING = "ZP4L9A"  # a passed-through booking column: one pseudonym per booking
LOOK_ALIKES = ["ordre 23456789", "sag 20231234", "1.299 kr", "2024-03-12", "fly SK1234",
               "ordrenummer 66321989056"]  # fmt: skip
COMMENTS = [
    f"Ring mig på {PHONE}, I har trukket to gange på min faktura",
    f"Send svar til {EMAIL}, jeg har ventet i tre uger på min refusion",
    "Fakturaen er umulig at læse, hvad betaler jeg for?",
    "Ventetiden i telefonen er alt for lang",
    "Ingen kommentar",
    *(template.format(value) for template, value in IDENTIFIERS),
    "Jeg venter stadig på ordre 23456789, sag 20231234, betalt 1.299 kr den 2024-03-12, "
    "fly SK1234, ordrenummer 66321989056",
] * 3


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[cxtext.result.Result, object]:
    folder = tmp_path_factory.mktemp("pii")
    out = folder / "out"
    frame = pl.DataFrame(
        {
            "id": [str(i) for i in range(len(COMMENTS))],
            "comment": COMMENTS,
            "contact": [f"{CONTACT} / {PHONE}"] * len(COMMENTS),
            "booking": [BOOKING] * len(COMMENTS),
            "Kontonummer": [ACCOUNT] * len(COMMENTS),
        }
    )
    result = cxtext.analyze(frame, out=out, id_col="id", keep_pii=True, store=folder / "cx.duckdb")
    export_run(out, "xlsx", folder / "run.xlsx")
    export_run(out, "journey-json", folder / "journey.json")
    return result, folder


def test_comment_text_is_redacted_with_typed_placeholders(run) -> None:
    result, _ = run
    texts = " ".join(result.comments.get_column("text"))
    assert EMAIL not in texts and "20 30 40 50" not in texts
    assert "[EMAIL]" in texts and "[PHONE]" in texts and "[ID]" in texts and "[CARD]" in texts
    assert "Bookingreferanse [BOOKING]" in texts
    assert "kontonummer [ACCOUNT]" in texts and "reg.nr. [ACCOUNT]" in texts
    assert result.run["pii_redacted"]["account"] == 12
    assert result.run["pii_redacted"]["id"] == 12


def test_no_identifier_reaches_any_output_or_export(run) -> None:
    _, folder = run
    texts = output_texts([folder])
    texts.pop(str(folder / "out" / "comments.csv"))  # holds text_original (--keep-pii)
    assert {"comments.parquet", "report.html", "cx.duckdb", "run.xlsx"} <= {
        name.rsplit("/", 1)[-1] for name in texts
    }
    accounts = ["356 224 397-6", "0001234567", ACCOUNT]  # parts of accounts, whole ones
    for value in [EMAIL, PHONE, CONTACT, BOOKING, *accounts, *(v for _, v in IDENTIFIERS)]:
        assert leaks(value, texts) == [], value


def test_other_text_columns_are_redacted_too(run) -> None:
    result, folder = run
    contact = set(result.comments.get_column("contact"))
    assert contact == {"[EMAIL] / [PHONE]"}
    assert set(result.comments.get_column("booking")) == {"BOOKING-1"}
    assert set(result.comments.get_column("Kontonummer")) == {"ACCOUNT-1"}
    csv = pl.read_csv(folder / "out" / "comments.csv")
    assert set(csv.get_column("contact")) == {"[EMAIL] / [PHONE]"}


def test_look_alikes_survive(run) -> None:
    result, _ = run
    texts = " ".join(result.comments.get_column("text"))
    assert all(value in texts for value in LOOK_ALIKES)


def test_keep_pii_keeps_the_original_in_comments_csv_only(run) -> None:
    _, folder = run
    comments = pl.read_csv(folder / "out" / "comments.csv")
    assert comments.columns[:3] == ["id", "text", "text_original"]
    assert EMAIL in " ".join(comments.get_column("text_original"))
    assert "text_original" not in pl.read_parquet(folder / "out" / "comments.parquet").columns
