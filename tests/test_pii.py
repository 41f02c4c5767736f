"""PII redaction: what is redacted, what must survive, and the targets on the fixture set."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
import pytest

from cxtext.pii import KINDS, redact_pii, redact_text
from cxtext.pii.numbers import (
    card_valid,
    cpr_date_valid,
    cpr_mod11_valid,
    fodselsnummer_valid,
    iban_valid,
    looks_like_date,
    luhn_valid,
    personnummer_valid,
)
from cxtext.pii.scoring import gold_spans, score_cases

FIXTURE = Path(__file__).parent / "fixtures" / "pii_cases.csv"
HARD_FIXTURE = Path(__file__).parent / "fixtures" / "pii_hard_cases.csv"


def redacted(text: str) -> str:
    return redact_text(text)[0]


# ---- the fixture set: the targets -----------------------------------------------------


@pytest.fixture(scope="module")
def cases() -> pl.DataFrame:
    return pl.read_csv(FIXTURE, schema_overrides={"text": pl.String, "expected": pl.String})


def test_fixture_covers_every_language_and_kind(cases: pl.DataFrame) -> None:
    assert cases.height >= 300
    assert set(cases.get_column("lang")) == {"da", "sv", "nb", "nn", "en"}
    for lang in ("da", "sv", "nb", "nn", "en"):
        assert cases.filter(pl.col("lang") == lang).height >= 50
    placeholders = " ".join(cases.get_column("expected"))
    for kind in KINDS:
        assert placeholders.count(f"[{kind.upper()}]") >= 20
    survivors = cases.filter(pl.col("text") == pl.col("expected"))
    assert survivors.height >= 100  # hard negatives and invalid numbers


def test_fixture_meets_recall_and_precision_targets(cases: pl.DataFrame) -> None:
    score = score_cases(list(zip(cases["text"], cases["expected"], strict=True)))
    assert score.recall() >= 0.99, score.errors
    assert score.precision() >= 0.95, score.errors
    for kind in KINDS:
        assert score.recall(kind) >= 0.95, (kind, score.errors)
        assert score.precision(kind) >= 0.95, (kind, score.errors)


def test_identifiers_beside_reference_words_are_redacted_and_look_alikes_kept() -> None:
    """The hard set (scripts/make_pii_hard_set.py): no context word, or a reference word."""
    hard = pl.read_csv(HARD_FIXTURE, schema_overrides={"text": pl.String, "expected": pl.String})
    assert set(hard.get_column("lang")) == {"da", "sv", "nb", "nn", "en"}
    for word in ("kundenummer", "kundnummer", "ordre", "order", "sag", "sak", "ärende"):
        assert hard.filter(pl.col("text").str.to_lowercase().str.contains(word)).height >= 5
    score = score_cases(list(zip(hard["text"], hard["expected"], strict=True)))
    assert score.recall() >= 0.99, score.errors
    look_alikes = hard.filter(pl.col("text") == pl.col("expected")).get_column("text")
    kept = sum(redact_text(text)[0] == text for text in look_alikes)
    assert kept >= 0.95 * len(look_alikes)


def test_frame_pass_redacts_every_case_as_the_text_pass_does(cases: pl.DataFrame) -> None:
    """The vectorised pre-filter lets through every comment with PII: `redact_pii` on the
    fixtures' texts equals `redact_text` on each ("Reg.nr. 5470 og kontonr. 1234567" has
    no eight digits in a row, and was skipped)."""
    hard = pl.read_csv(HARD_FIXTURE, schema_overrides={"text": pl.String, "expected": pl.String})
    texts = pl.concat([cases.select("text"), hard.select("text")])
    framed = redact_pii(texts).get_column("text").to_list()
    assert framed == [redact_text(text)[0] for text in texts.get_column("text")]


def test_gold_spans_come_from_the_expected_text() -> None:
    text = "Ring 12 34 56 78 eller skriv til a.b@example.dk."
    expected = "Ring [PHONE] eller skriv til [EMAIL]."
    assert gold_spans(text, expected) == {(5, 16, "phone"), (33, 47, "email")}


# ---- each kind, in each language ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Skriv til anna.jensen@example.dk i morgen.", "Skriv til [EMAIL] i morgen."),
        ("Mejla k.nilsson+kundtjanst@example.se!", "Mejla [EMAIL]!"),
        ("E-posten min er Ola_88@mail.example.no.", "E-posten min er [EMAIL]."),
        ("Mail me at søren@example.com, thanks", "Mail me at [EMAIL], thanks"),
        ("Følg os på @firma og example.com", "Følg os på @firma og example.com"),
    ],
)
def test_email(text: str, expected: str) -> None:
    assert redacted(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ring til mig på 23 45 67 89.", "Ring til mig på [PHONE]."),  # da
        ("Mit mobilnummer er 40112233", "Mit mobilnummer er [PHONE]"),
        ("Tlf. 3177 9931 – spørg efter Karen", "Tlf. [PHONE] – spørg efter Karen"),
        ("Ring +45 23 45 67 89 eller 0045 23456789", "Ring [PHONE] eller [PHONE]"),
        ("(+45) 70 10 20 30 svarer aldrig", "[PHONE] svarer aldrig"),
        ("Ring mig på 070-174 06 05 efter fem", "Ring mig på [PHONE] efter fem"),  # sv
        ("Mitt nummer: 0701740699", "Mitt nummer: [PHONE]"),
        ("Växeln 08-123 45 67 svarar inte", "Växeln [PHONE] svarar inte"),
        ("Ring +46 (0)8 123 45 67", "Ring [PHONE]"),
        ("Ring meg på 912 34 567 etter jobb", "Ring meg på [PHONE] etter jobb"),  # nb
        ("Mobilnummeret mitt er 41234567.", "Mobilnummeret mitt er [PHONE]."),
        ("De kan nå meg på +47 912 34 567.", "De kan nå meg på [PHONE]."),  # nn
        ("Call +44 (0)20 7946 0958 or +1 415 555 0132", "Call [PHONE] or [PHONE]"),  # en
        ("Call me at 212-555-0147 please", "Call me at [PHONE] please"),
        # a missing space before the next sentence (real Swedish reviews)
        ("Ringt från 0764924279Ringt mig igen", "Ringt från [PHONE]Ringt mig igen"),
        ("Mitt nummer er 41234567Takk", "Mitt nummer er [PHONE]Takk"),
        ("Ring på 98.76.54.32, ikke før ti", "Ring på [PHONE], ikke før ti"),  # pairs, dots
    ],
)
def test_phone(text: str, expected: str) -> None:
    assert redacted(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mit CPR-nummer er 150385-1234.", "Mit CPR-nummer er [ID]."),  # da: date with hyphen
        ("CPR: 1503851004", "CPR: [ID]"),  # bare, passes modulus 11
        ("Hun bad om mit cpr 1503851234 i telefonen", "Hun bad om mit cpr [ID] i telefonen"),
        ("Mitt personnummer är 121212-1212.", "Mitt personnummer är [ID]."),  # sv: Tolvan
        ("Jag uppgav 19121212-1212 i kassan", "Jag uppgav [ID] i kassan"),
        ("Mormor har 121212+1212 som personnummer", "Mormor har [ID] som personnummer"),
        ("Samordningsnummer 701063-2391 fungerar inte", "Samordningsnummer [ID] fungerar inte"),
        ("Fødselsnummeret mitt er 15038512363.", "Fødselsnummeret mitt er [ID]."),  # nb
        ("Eg har D-nummer 55119912317 og kjem ikkje inn", "Eg har D-nummer [ID] og kjem ikkje inn"),
        ("My ID is 150385 12363, please delete it", "My ID is [ID], please delete it"),  # en
        # the birth date written in parts or the serial after a dot: a checksum decides
        ("Fødselsnummer 15.03.85 12363 står feil", "Fødselsnummer [ID] står feil"),
        ("Fnr: 15 03 85 12363.", "Fnr: [ID]."),
        ("Skriv 150385.12363 i skjemaet", "Skriv [ID] i skjemaet"),
        ("Eg har D-nummer 55.11.99-12317", "Eg har D-nummer [ID]"),
        ("CPR 15.03.85-1004 blev vist på siden", "CPR [ID] blev vist på siden"),
        ("Mitt personnummer är 12.12.12 1212.", "Mitt personnummer är [ID]."),
    ],
)
def test_national_id(text: str, expected: str) -> None:
    assert redacted(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kortet 4111 1111 1111 1111 blev trukket to gange", "Kortet [CARD] blev trukket to gange"),
        ("Kortnummer 5555-5555-5555-4444 fungerar inte", "Kortnummer [CARD] fungerar inte"),
        ("Amex 3782 822463 10005 ble avvist", "Amex [CARD] ble avvist"),
        ("Charged on 4111111111111111 twice", "Charged on [CARD] twice"),
    ],
)
def test_card(text: str, expected: str) -> None:
    assert redacted(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Overfør til DK50 0040 0440 1162 43, tak.", "Overfør til [IBAN], tak."),
        ("IBAN: SE4550000000058398257466", "IBAN: [IBAN]"),
        ("Kontoen er NO93 8601 1117 947 i Bergen", "Kontoen er [IBAN] i Bergen"),
        ("Refund GB29 NWBK 6016 1331 9268 19 please", "Refund [IBAN] please"),
        ("Pengane til de89370400440532013000 no", "Pengane til [IBAN] no"),
    ],
)
def test_iban(text: str, expected: str) -> None:
    assert redacted(text) == expected


# ---- what must survive --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Jeg venter stadig på ordre 23456789.",
        "Mit ordrenummer er 87654321 og der er gået tre uger.",
        "Ordernummer 87654321 kom aldrig fram.",
        "Sag 20231234 er ikke løst.",
        "Saka 20247196 er ikkje avslutta.",
        "Case #4455667788 was closed.",
        "Ärendenummer: 3345671290",
        "Fakturanummer 45678123 har feil beløp.",
        "Kundenummer 34567890, og jeg har været kunde i 12 år.",
        "12345678 er mit ordrenummer",
        "Prisen var 1.299 kr, nu 1.499 kr.",
        "Jeg betalte kr 12 500 for en sofa.",
        "Det kostade 12 995 kronor.",
        "Huset kosta 3 950 000 kr.",
        "Værdien var 25000000 kr ifølge vurderingen.",
        "Levering 12.03.2024, kom 2024-03-28, klaget 12/03/2024.",
        "Bestilt 20240312, ikke mottatt.",
        "Jeg bor i 2100 København Ø; du bor på 113 56 Stockholm; hun i 0150 Oslo.",
        "Vi var kunder fra 2015-2023.",
        "Åbent 0800-1600, men ingen svarer.",
        "Str. 38 40 42 44 var udsolgt.",
        "Vores CVR 34567812 står forkert.",
        "Organisationsnummer 556036-0793 ska stå på fakturan.",
        "Bankgiro 5050-1055 fungerar inte.",
        "Kollinummer 00370730253133330005 finns inte.",
        "Version 4.12.3 crasher.",
        "Modell SKU12345678ABC og varenr 12345678abc fandtes ikke.",
        "Opladeren stopper ved 40-50-60-55% hver gang.",
        "Mødet 12.03.24 1430 blev aflyst.",  # a date and a time: no CPR checksum holds
        "Server 10.20.30.40 og version 1.20.30.40 svarede ikke.",  # no 8-digit number starts 1
        "Leveret 01.02.23 12345 gange?",
        # a date and its time, as a complaint system exports them: no Swedish "0501-20 26 14"
        "Oprettet 05-01-2026 14:03, lukket 2026-01-09 08:15, rykket 09-01-2026 9.30.",
        "Ringde 03-02-2026 14 38 och igen 2026-02-03 15:02.",
    ],
)
def test_references_prices_dates_and_amounts_survive(text: str) -> None:
    assert redact_text(text) == (text, [])


@pytest.mark.parametrize(
    "text",
    [
        "CPR-nummeret 320190-1234 findes ikke.",  # day 32
        "CPR 310490-1234 er forkert.",  # 31 April
        "Mitt personnummer 850709-9806 avvisas.",  # Luhn fails
        "Fødselsnummeret 15038512364 vert avvist.",  # second control digit wrong
        "Fødselsnummeret 15.03.85 12364 vert avvist.",  # the same, the date in parts
        "Kortnummer 4111 1111 1111 1112 godtas ikke.",  # Luhn fails
        "The IBAN DK51 0040 0440 1162 43 does not exist.",  # mod-97 fails
        "IMEI 356938035643809 is blocked.",  # Luhn holds, but no card network issues it
    ],
)
def test_invalid_numbers_are_not_ids_or_cards(text: str) -> None:
    assert redact_text(text) == (text, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # shape and checksum decide; a word beside the number never rescues it
        ("Min faktura til 010190-1234 er forkert", "Min faktura til [ID] er forkert"),
        ("Kundenummer 010190-1234 - fakturaen er feil", "Kundenummer [ID] - fakturaen er feil"),
        ("Saken gjelder 15038510190 og ingen svarer", "Saken gjelder [ID] og ingen svarer"),
        ("Ärendet gäller 811218-9876", "Ärendet gäller [ID]"),
        ("Ordre 4111 1111 1111 1111", "Ordre [CARD]"),
        ("Kundenummer +45 12 34 56 78", "Kundenummer [PHONE]"),
        ("Reference 0047 912 34 567 is mine", "Reference [PHONE] is mine"),
        ("Brevet havde 1503851234 øverst.", "Brevet havde [ID] øverst."),  # no mod 11 since 2007
        ("Sag 0101901234 og ordre 23456789", "Sag [ID] og ordre 23456789"),
    ],
)
def test_identifiers_are_redacted_beside_any_word(text: str, expected: str) -> None:
    assert redacted(text) == expected


def test_a_phone_word_wins_over_a_reference_further_back() -> None:
    text = "Ordre 12345678 kom aldrig – ring mig på 23 45 67 89."
    assert redacted(text) == "Ordre 12345678 kom aldrig – ring mig på [PHONE]."


def test_kinds_are_reported_once_in_a_fixed_order() -> None:
    text = "IBAN DK50 0040 0440 1162 43, ring 23456789 eller 34567890, mail a@example.dk"
    assert redact_text(text)[1] == ["email", "phone", "iban"]


# ---- the checksums ------------------------------------------------------------------------------


def test_checksums() -> None:
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert card_valid("378282246310005") and not card_valid("0000000000000000")
    assert cpr_date_valid("2902004234")  # 7th digit 4 and year 00: 29 Feb 2000
    assert not cpr_date_valid("2902001234")  # 7th digit 1: 1900, no leap year
    assert cpr_mod11_valid("1503851004") and not cpr_mod11_valid("1503851005")
    assert personnummer_valid("1212121212") and personnummer_valid("191212121212")
    assert personnummer_valid("7010632391")  # samordningsnummer: day 63 = 3
    assert not personnummer_valid("1212121213")
    assert fodselsnummer_valid("15038512363") and fodselsnummer_valid("55119912317")
    assert not fodselsnummer_valid("15038512364")
    assert iban_valid("DK5000400440116243") and not iban_valid("DK5100400440116243")
    assert not iban_valid("DK50004004401162")  # too short for Denmark
    assert looks_like_date("20240312") and looks_like_date("12032024")
    assert not looks_like_date("23456789")


# ---- the stage ----------------------------------------------------------------------------------


def test_redact_pii_replaces_text_and_adds_kinds() -> None:
    frame = pl.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "text": ["Ring 23 45 67 89", "Ordre 23456789 mangler", None, "Mail a@example.dk"],
        }
    )
    result = redact_pii(frame)
    assert result.columns == ["id", "text", "pii"]
    assert result.get_column("text").to_list() == [
        "Ring [PHONE]",
        "Ordre 23456789 mangler",
        None,
        "Mail [EMAIL]",
    ]
    assert result.get_column("pii").to_list() == ["phone", None, None, "email"]


def test_redact_pii_on_another_column_and_an_empty_frame() -> None:
    frame = pl.DataFrame({"comment": ["Kort 4111 1111 1111 1111 og DK50 0040 0440 1162 43"]})
    result = redact_pii(frame, "comment")
    assert result.row(0) == ("Kort [CARD] og [IBAN]", "card,iban")
    empty = redact_pii(pl.DataFrame({"text": []}, schema={"text": pl.String}))
    assert empty.height == 0 and empty.schema["pii"] == pl.String


def test_clean_comments_are_fast() -> None:
    texts = ["Leveringen var for sen og kundeservice svarede ikke på min mail"] * 20_000
    frame = pl.DataFrame({"text": texts + ["Ring 23 45 67 89"] * 200})
    started = time.perf_counter()
    result = redact_pii(frame)
    assert time.perf_counter() - started < 1.0  # >= 20k comments/s with lots of room
    assert result.get_column("pii").drop_nulls().len() == 200


def test_a_phone_written_in_groups_like_a_date_is_still_a_phone() -> None:
    """The date-and-time rule reads the groups as the layout writes them: "0501-20 26 14"
    (Mariestad) is no year-first date."""
    assert redact_text("Ring 0501-20 26 14 efter kl 17") == ("Ring [PHONE] efter kl 17", ["phone"])
