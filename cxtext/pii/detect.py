"""Find PII in one comment: e-mail, IBAN, IP address, bank account numbers, booking references,
then number runs read as ID, card or phone number."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Literal

from cxtext.pii.account import find_accounts
from cxtext.pii.context import Cue, number_cue
from cxtext.pii.numbers import (
    card_valid,
    cpr_date_valid,
    cpr_mod11_valid,
    fodselsnummer_valid,
    iban_valid,
    is_date,
    looks_like_date,
    personnummer_valid,
)
from cxtext.pii.patterns import (
    BOOKING_REFERENCE,
    DATED_ID,
    DOTTED_PHONE,
    EMAIL,
    GROUP,
    HEADING_NUMBER,
    IBAN,
    IBAN_HEAD,
    IP_ADDRESS,
    NOT_AN_ADDRESS_BEFORE,
    NUMBER_RUN,
    PERSONNUMMER_PLUS,
)

Kind = Literal["email", "phone", "id", "card", "iban", "account", "booking", "ip"]

# Phone layouts of an eight-digit Danish or Norwegian number: "12345678", "12 34 56 78",
# "1234 5678", "912 34 567". "12 500 000" (an amount) and "2024-03-12" (a date) are none.
NATIONAL_LAYOUTS = {(8,), (2, 2, 2, 2), (4, 4), (3, 2, 3)}
DATE_LAYOUTS = {(2, 2, 4), (4, 2, 2)}
CARD_LAYOUTS = {(4, 6, 5), (4, 6, 4)}
NORDIC_CODES = ("45", "46", "47", "298", "299", "354", "358")
SWEDISH_MOBILE = re.compile(r"07[02369]\d{7}")
REFERENCE_REACH = 3  # a reference cue this close (in words) keeps even a well-formed number


@dataclass(frozen=True)
class PiiMatch:
    """One piece of PII: where it is in the comment and what kind it is."""

    start: int
    end: int
    kind: Kind


def find_pii(text: str, context: str = "") -> list[PiiMatch]:
    """Every piece of PII in `text`, in order, without overlaps. `context` is read as if it
    stood before the text, for its cue words only: a cell under the column name "Kundenr"
    is read as "Kundenr: 14441181" is, a customer number and not a phone number."""
    if not context:
        return _find_pii(text)
    lead = f"{context}: "
    return [
        PiiMatch(match.start - len(lead), match.end - len(lead), match.kind)
        for match in _find_pii(lead + text)
        if match.start >= len(lead)
    ]


def _find_pii(text: str) -> list[PiiMatch]:
    found: list[PiiMatch] = []
    masked = text
    for pattern, kind in ((EMAIL, "email"), (IBAN, "iban")):
        for match in pattern.finditer(masked):
            if kind == "iban" and not iban_valid(re.sub(r"[\s\-]", "", match.group())):
                continue
            found.append(PiiMatch(match.start(), match.end(), kind))
            masked = _mask(masked, match.start(), match.end())
    for start, end, kind in find_accounts(masked):
        found.append(PiiMatch(start, end, kind))  # type: ignore[arg-type]
        masked = _mask(masked, start, end)
    for match in PERSONNUMMER_PLUS.finditer(masked):
        if personnummer_valid(match.group().replace("+", "")):
            found.append(PiiMatch(match.start(), match.end(), "id"))
            masked = _mask(masked, match.start(), match.end())
    for match in DATED_ID.finditer(masked):
        if dated_id_valid(re.sub(r"\D", "", match.group())):
            found.append(PiiMatch(match.start(), match.end(), "id"))
            masked = _mask(masked, match.start(), match.end())
    for match in DOTTED_PHONE.finditer(masked):
        found.append(PiiMatch(match.start(), match.end(), "phone"))
        masked = _mask(masked, match.start(), match.end())
    for match in IP_ADDRESS.finditer(masked):
        before = masked[max(0, match.start() - 12) : match.start()]
        heading = not before.strip() and HEADING_NUMBER.match(masked, match.start())
        if _ip_valid(match.group()) and not (NOT_AN_ADDRESS_BEFORE.search(before) or heading):
            found.append(PiiMatch(match.start(), match.end(), "ip"))
            masked = _mask(masked, match.start(), match.end())
    for match in BOOKING_REFERENCE.finditer(masked):
        found.append(PiiMatch(match.start(), match.end(), "booking"))
    for match in NUMBER_RUN.finditer(masked):
        kind = classify_number(masked, match.start(), match.end())
        if kind:
            found.append(PiiMatch(match.start(), match.end(), kind))
    return sorted(found, key=lambda m: m.start)


def _ip_valid(text: str) -> bool:
    """An IPv4 or IPv6 address, as Python's `ipaddress` reads one."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def dated_id_valid(digits: str) -> bool:
    """A birth date and serial written in parts ("01.01.90 12480") is an ID only by its
    checksum: both fødselsnummer controls, or CPR modulus 11, or personnummer Luhn. A CPR
    number's date alone, enough for an unbroken run, is not: "12.03.24 1430" may be a date
    and a time."""
    if len(digits) == 11:
        return fodselsnummer_valid(digits)
    if len(digits) == 10:
        return (cpr_date_valid(digits) and cpr_mod11_valid(digits)) or personnummer_valid(digits)
    return False


def classify_number(text: str, start: int, end: int) -> Kind | None:
    """The kind of PII the number run text[start:end] is, or None to keep it."""
    run = text[start:end]
    international = run.startswith(("+", "(+"))
    body = run.replace("(0)", " ")
    layout = tuple(len(g) for g in GROUP.findall(body))
    digits = "".join(GROUP.findall(body))
    if len(digits) < 8 or IBAN_HEAD.search(text, 0, start):
        return None
    if international:  # "+45 12 34 56 78": a phone beside any word, "Kundenummer" too
        return "phone" if 8 <= len(digits) <= 15 else None
    cue, distance = number_cue(text, start, end)
    # Shape and checksum first: a context word never rescues an ID, a card or a Nordic
    # "00CC" number ("Ordre 4111 1111 1111 1111", "Sak 15038510190" are still redacted).
    found = _identity_or_card(run, digits, layout, cue) or _nordic_international(digits, layout)
    if found:
        return found
    if cue == "reference" and (distance <= REFERENCE_REACH or layout == (8,)):
        return None
    return _phone(run, digits, layout, cue)


def _identity_or_card(
    run: str, digits: str, layout: tuple[int, ...], cue: Cue | None
) -> Kind | None:
    """National ID numbers (CPR, personnummer, fødselsnummer) and payment cards."""
    if layout in {(11,), (6, 5)} and fodselsnummer_valid(digits):
        return "id"
    if layout in {(12,), (8, 4)} and personnummer_valid(digits):
        return "id"
    if layout in {(10,), (6, 4)}:
        phone_like = cue == "phone" or SWEDISH_MOBILE.fullmatch(digits)
        if digits[0] == "0" and layout == (10,) and phone_like and cue != "id":
            return None  # "0701234567", "ring 0312345678": read as a phone number
        # CPR numbers need not pass modulus 11 since 2007: a real DDMMYY date is the shape.
        if personnummer_valid(digits) or cpr_date_valid(digits):
            return "id"
    if card_valid(digits) and _card_layout(layout):
        return "card"
    return None


def _nordic_international(digits: str, layout: tuple[int, ...]) -> Kind | None:
    """ "0045 12345678", "0047 912 34 567": the "00" prefix and a Nordic country code."""
    nordic = digits.startswith("00") and digits[2:].startswith(NORDIC_CODES)
    return "phone" if nordic and len(layout) > 1 and 10 <= len(digits) <= 17 else None


def _card_layout(layout: tuple[int, ...]) -> bool:
    """One block, groups of four (the last may be shorter), or the Amex/Diners 4-6-5 / 4-6-4."""
    if len(layout) == 1 or layout in CARD_LAYOUTS:
        return True
    return all(g == 4 for g in layout[:-1]) and 1 <= layout[-1] <= 4


def _phone(run: str, digits: str, layout: tuple[int, ...], cue: Cue | None) -> Kind | None:
    """Danish, Norwegian and Swedish numbers written nationally, and "00" international ones."""
    if cue == "amount" or layout in DATE_LAYOUTS or _date_and_hour(digits, layout):
        return None
    hyphenated = "-" in run or "\u2013" in run
    if digits.startswith("00"):  # international prefix: "0045 12345678", "0046 70 123 45 67"
        country_code = len(layout) > 1 or cue == "phone" or digits[2:].startswith(NORDIC_CODES)
        return "phone" if digits[2] != "0" and 10 <= len(digits) <= 17 and country_code else None
    if digits.startswith("0"):
        return "phone" if _swedish_layout(digits, layout, cue) else None
    if len(digits) == 8 and layout in NATIONAL_LAYOUTS and (digits[0] != "1" or cue == "phone"):
        if cue == "phone":
            return "phone"
        if layout == (8,):
            return None if looks_like_date(digits) else "phone"
        if layout == (4, 4) and (hyphenated or _is_year(digits[:4])):
            return None  # ranges: "2021-2023", "§ 6801-6809", "2018 till 2024"
        return "phone"
    if layout == (3, 3, 4) and (hyphenated or cue == "phone"):
        return "phone"  # North American "212-848-8400"
    return None


def _date_and_hour(digits: str, layout: tuple[int, ...]) -> bool:
    """A date with its time after it, "05-01-2026 14:03" (the run stops at the colon): a
    complaint system's date column read "05-01-2026 14" as a Swedish landline "0501-20 26 14",
    every case dated the 1st-9th of a month lost its date, and comments quoting one too."""
    time = layout[3:]
    if layout[:3] not in DATE_LAYOUTS or not 1 <= len(time) <= 2 or max(time) > 2:
        return False
    # read the way the layout writes it: "0501-20 26 14" is no date, a phone in Mariestad
    day_first = layout[:3] == (2, 2, 4)
    year, month, day = (digits[4:8], digits[2:4], digits[:2]) if day_first else (
        digits[:4], digits[4:6], digits[6:8])  # fmt: skip
    return 1900 <= int(year) <= 2099 and is_date(int(year), int(month), int(day))


def _is_year(digits: str) -> bool:
    """Four digits that read as a year of this or the last century."""
    return 1900 <= int(digits) <= 2099


def _swedish_layout(digits: str, layout: tuple[int, ...], cue: Cue | None) -> bool:
    """Numbers with a trunk 0: "070-123 45 67", "08-12 34 56", "031-123456", "0701234567";
    other unbroken runs need a phone word."""
    if not 8 <= len(digits) <= 11:
        return False
    if len(layout) == 1:
        return cue == "phone" or (
            len(digits) == 10 and SWEDISH_MOBILE.fullmatch(digits) is not None
        )
    area, rest = layout[0], layout[1:]
    if not 2 <= area <= 5:  # "08", "031", "0910", British "01634"
        return False
    if len(rest) == 1:
        return 5 <= rest[0] <= 8  # "0800-1600" is opening hours
    return all(2 <= g <= 4 for g in rest)


def _mask(text: str, start: int, end: int) -> str:
    """Hide a found span from later patterns without moving any position."""
    return text[:start] + "_" * (end - start) + text[end:]
