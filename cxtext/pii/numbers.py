"""Checksums and date checks for the numbers PII redaction looks for; digits only, no separators."""

from __future__ import annotations

import calendar

# Registry lengths of IBANs (country code -> characters). Check digits alone do not say where an
# IBAN written with spaces ends; the length does.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20,
    "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18,
    "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IS": 26, "IT": 27, "JO": 30,
    "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
    "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28,
    "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VG": 24, "XK": 20,
}  # fmt: skip

CPR_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
FODSELSNUMMER_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
FODSELSNUMMER_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod-10) check used by payment cards and Swedish personnummer."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def is_date(year: int, month: int, day: int) -> bool:
    """True when the day exists in that month of that year."""
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def cpr_date_valid(digits: str) -> bool:
    """Danish CPR DDMMYYSSSS: the date exists, in the century the 7th digit gives."""
    day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    return is_date(cpr_century(year, int(digits[6])) + year, month, day)


def cpr_century(year: int, seventh: int) -> int:
    """The CPR office's century rule: the 7th digit and the two-digit year give the century."""
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if year <= 36 else 1900
    return 2000 if year <= 57 else 1800


def cpr_mod11_valid(digits: str) -> bool:
    """The modulus-11 check CPR numbers carried before 2007 (newer ones may fail it)."""
    return sum(int(d) * w for d, w in zip(digits, CPR_WEIGHTS, strict=True)) % 11 == 0


def personnummer_valid(digits: str) -> bool:
    """Swedish personnummer / samordningsnummer (day + 60), 10 or 12 digits; Luhn on the last 10."""
    if len(digits) == 12:
        century, digits = int(digits[:2]), digits[2:]
        if century not in (18, 19, 20):
            return False
        year = century * 100 + int(digits[:2])
    elif len(digits) == 10:
        year = 2000 + int(digits[:2])  # a leap year for "00": the century is unknown
    else:
        return False
    month, day = int(digits[2:4]), int(digits[4:6])
    if day > 60:
        day -= 60
    return is_date(year, month, day) and luhn_valid(digits)


def fodselsnummer_valid(digits: str) -> bool:
    """Norwegian fødselsnummer or D-nummer (day + 40): valid date and both mod-11 controls."""
    if len(digits) != 11:
        return False
    values = [int(d) for d in digits]
    for weights, position in ((FODSELSNUMMER_WEIGHTS_1, 9), (FODSELSNUMMER_WEIGHTS_2, 10)):
        control = 11 - sum(v * w for v, w in zip(values, weights, strict=False)) % 11
        if control == 11:
            control = 0
        if control != values[position]:
            return False
    day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    if day > 40:
        day -= 40
    return is_date(fodselsnummer_century(year, int(digits[6:9])) + year, month, day)


def fodselsnummer_century(year: int, individual: int) -> int:
    """Skatteetaten's rule: the individual number (digits 7-9) and the year give the century."""
    if individual < 500:
        return 1900
    if individual < 750 and year >= 54:
        return 1800
    if year < 40:
        return 2000
    return 1900 if individual >= 900 else 1800


def iban_valid(compact: str) -> bool:
    """IBAN without spaces: known country, that country's length, and mod-97 == 1."""
    compact = compact.upper()
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


# Issuer prefixes (IIN ranges, first digits as integers of that many digits) and the lengths
# each network issues. An IMEI ("35..." with 15 digits) passes Luhn but fits no network.
CARD_NETWORKS: tuple[tuple[int, int, int, frozenset[int]], ...] = (
    (1, 4, 4, frozenset({13, 16, 19})),  # Visa, Visa/Dankort
    (2, 51, 55, frozenset({16})),  # Mastercard
    (4, 2221, 2720, frozenset({16})),  # Mastercard 2-series
    (4, 2200, 2204, frozenset(range(16, 20))),  # Mir
    (2, 34, 34, frozenset({15})),  # American Express
    (2, 37, 37, frozenset({15})),
    (3, 300, 305, frozenset({14, 16, 19})),  # Diners Club
    (2, 36, 36, frozenset({14, 16, 19})),
    (2, 38, 39, frozenset({14, 16, 19})),
    (4, 3528, 3589, frozenset(range(16, 20))),  # JCB
    (4, 5019, 5019, frozenset({16})),  # Dankort
    (2, 50, 50, frozenset(range(13, 20))),  # Maestro
    (2, 56, 69, frozenset(range(13, 20))),  # Maestro, Discover, UnionPay
)


def card_valid(digits: str) -> bool:
    """Payment card: an issuer prefix with one of its network's lengths, and Luhn."""
    for width, low, high, lengths in CARD_NETWORKS:
        if low <= int(digits[:width]) <= high and len(digits) in lengths:
            return luhn_valid(digits)
    return False


def looks_like_date(digits: str) -> bool:
    """Eight digits that read as YYYYMMDD or DDMMYYYY in 1900-2099 (kept: dates are not PII)."""
    if len(digits) != 8:
        return False
    for year, month, day in (
        (int(digits[:4]), int(digits[4:6]), int(digits[6:])),
        (int(digits[4:]), int(digits[2:4]), int(digits[:2])),
    ):
        if 1900 <= year <= 2099 and is_date(year, month, day):
            return True
    return False
