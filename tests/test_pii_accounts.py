"""Domestic bank account numbers: check digits per country, the account word where none exists,
and the identifiers and look-alikes around them."""

from __future__ import annotations

import polars as pl
import pytest

from cxtext.pii import Pseudonyms, redact_columns, redact_pii, redact_text
from cxtext.pii.account import norwegian_account_valid, swedish_account_valid


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("12345678903", True),  # control 3 over 1234567890, as NAV's own test has it
        ("12345678904", False),
        ("53097215134", True),
        ("53097215135", False),
        ("1234567890", False),  # ten digits
    ],
)
def test_norwegian_control_digit(digits: str, valid: bool) -> None:
    assert norwegian_account_valid(digits) is valid


@pytest.mark.parametrize(
    ("clearing", "account", "valid"),
    [
        ("1200", "0000010", True),  # type 1, comment 1: the last three clearing digits count
        ("1200", "0000011", False),
        ("9150", "0000010", True),  # type 1, comment 2 (Skandia): all four count
        ("9020", "0100000", True),  # type 1, comment 2 (Länsförsäkringar)
        ("6000", "100000010", True),  # type 2, comment 2 (Handelsbanken): nine digits, mod 11
        ("6000", "10000001", False),  # eight digits: no Handelsbanken account
        ("9180", "1000000008", True),  # type 2, comment 1: Luhn over ten digits
        ("80001", "1000000008", False),  # Swedbank clearing whose own check digit fails
        ("83279", "3562243976", True),  # type 2, comment 3: Swedbank, clearing and account Luhn
        ("83279", "9142576633", None),  # clearing check holds, account does not: word decides
        ("9999", "1234567", None),  # a clearing number no bank has
    ],
)
def test_swedish_check_per_bank_type(clearing: str, account: str, valid: bool | None) -> None:
    assert swedish_account_valid(clearing, account) is valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kontonummer 1234.56.78903", "kontonummer [ACCOUNT]"),
        ("Overfør til 1234 56 78903 i dag", "Overfør til [ACCOUNT] i dag"),
        ("konto 8327-9, 914 257 663-3", "konto [ACCOUNT]"),
        ("Swedbank 8327-9, 914 257 663-3", "Swedbank 8327-9, 914 257 663-3"),
        ("reg.nr. 1234 kontonr. 0001234567", "reg.nr. [ACCOUNT]"),
        ("Kontonummer: 9999-1234567", "Kontonummer: [ACCOUNT]"),  # unknown clearing, worded
        ("9999-1234567 blev sendt", "9999-1234567 blev sendt"),
        ("1234-0001234567 er mit nummer", "1234-0001234567 er mit nummer"),  # no word: kept
        # a fødselsnummer passes the account control too: it stays an ID, however written
        ("kontonr 1503.85.10190", "kontonr [ID]"),
        ("Saken gjelder 15038510190", "Saken gjelder [ID]"),
        # one in eleven passes modulus 11 by chance: an order word keeps an unworded one
        ("Ordre 12345678903 kom aldri", "Ordre 12345678903 kom aldri"),
        ("Ordre 12345678903 til kontoen min", "Ordre 12345678903 til kontoen min"),
        ("Kundenr 1234-8532495, konto 4567-8532495", "Kundenr 1234-8532495, konto [ACCOUNT]"),
        # an account number alone right after its name, however the name is spelled
        ("Reg nr 1234 konto nr 1234567890", "Reg nr [ACCOUNT]"),
        ("clearingnr 8327-9 kontonr 914 257 663-3", "clearingnr 8327-9 kontonr [ACCOUNT]"),
        ("Lønkonto: 1234567", "Lønkonto: [ACCOUNT]"),
        ("kontonummer 914 257 663-3 tack", "kontonummer [ACCOUNT] tack"),
        # ... but not a date, an amount or a five-digit number after it
        ("kontonummer 2024-03-12", "kontonummer 2024-03-12"),
        ("Kontoen 12 500 000 kr er væk", "Kontoen 12 500 000 kr er væk"),
        ("Min konto 15000 kr", "Min konto 15000 kr"),
    ],
)
def test_account_numbers_in_text(text: str, expected: str) -> None:
    assert redact_text(text)[0] == expected


def test_frame_pass_reads_an_account_split_by_a_comma() -> None:
    """The vectorised pre-filter lets "1234, 3854033" through: seven digits after a comma."""
    frame = pl.DataFrame({"text": ["Nordea 1234, 3854033 tack", "Ingen siffror här"]})
    redacted = redact_pii(frame)
    assert redacted.get_column("text").to_list() == ["Nordea [ACCOUNT] tack", "Ingen siffror här"]
    assert redacted.get_column("pii").to_list() == ["account", None]


def test_account_column_becomes_one_pseudonym_per_account() -> None:
    """Text or a spreadsheet's number: a column of account numbers is pseudonymised."""
    frame = pl.DataFrame(
        {
            "Kontonummer": ["1234.56.78903", "12345678903", "5309.72.15134"],
            "konto_tal": [12345678903, 53097215134, 12345678904],
        }
    )
    out = redact_columns(frame, pseudonyms=Pseudonyms(None, "numbered"))
    assert out.get_column("Kontonummer").to_list() == ["ACCOUNT-1", "ACCOUNT-1", "ACCOUNT-2"]
    assert out.get_column("konto_tal").to_list() == ["ACCOUNT-1", "ACCOUNT-2", "12345678904"]
