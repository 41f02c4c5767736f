"""Domestic bank account numbers (Norway, Sweden, Denmark): the check digit decides where the
country has one, an account word beside the number where it has none.

- Norway: 11 digits, written 4.2.5 with dots or spaces ("1234.56.78903") or unbroken; the
  last digit is the MOD11 control over the first ten (weights 5,4,3,2,7,6,5,4,3,2; a control
  of 10 is never issued). A fødselsnummer carries that same control and more, so an 11-digit
  number that passes the fødselsnummer checks stays an ID.
- Sweden: a clearing number (1000-9999; Swedbank's 8xxx with a fifth, Luhn check digit:
  "8327-9") and an account number after a dash, comma or space. The bank the clearing number
  belongs to sets the check (Bankgirot, "Bankernas kontonummer"): type 1 is modulus 11 over
  the last three (comment 1) or all four (comment 2) clearing digits and the seven account
  digits; type 2 is Luhn over a ten-digit account (comment 1), modulus 11 over Handelsbanken's
  nine (comment 2), or Luhn over Swedbank's and Plusgirot's up to ten (comment 3).
- Denmark: a reg.nr. (4 digits) and a kontonr. (6-10 digits) have no public check digit, so
  the shape counts only after an account word ("reg.nr.", "konto", "kontonr.", "account").
  The same rule catches a Swedish clearing number the table does not know.

A random eleven-digit number passes a modulus-11 check one time in eleven, so without an
account word one up to three words after an order or customer-number word is kept ("Ordre
12345678903"), as numbers no checksum settles are.
"""

from __future__ import annotations

import re

from cxtext.pii.context import AMOUNT_WORDS, SENTENCE_END, WORD, number_cue
from cxtext.pii.numbers import fodselsnummer_valid, luhn_valid

NORWEGIAN_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
ACCOUNT_WORDS_BEFORE = 4  # an account word this many words before the number, same sentence
REFERENCE_REACH = 3  # an order word this close keeps a number with no account word

# Norwegian 4.2.5, dots or spaces used alike ("1234.56.78903", "1234 56 78903"), or unbroken.
NORWEGIAN_ACCOUNT = re.compile(
    r"(?<![\w.,/+\-\u2013])(?<!\d[ \u00a0])(?:\d{4}([. \u00a0])\d{2}\1\d{5}|\d{11})"
    r"(?![\w+%]|[.,]\d|[ \u00a0]\d)"
)
# Swedish clearing number and account: "5000-1001000", "8327-9, 914 257 663-3",
# "6000-123 456 789", "3300 750509 2556". The account's groups are read whole, then checked.
SWEDISH_ACCOUNT = re.compile(
    r"(?<![\w.,/+\-\u2013])(?P<clearing>[1-9]\d{3}(?:[-\u2013]\d)?)"
    r"(?:,[ \u00a0]?|[ \u00a0]?[-\u2013][ \u00a0]?|[ \u00a0])"
    r"(?P<account>\d+(?:[ \u00a0\-\u2013]\d+)*)(?![\w+%]|[.,]\d)"
)
# Danish reg.nr. and kontonr., maybe with the account word between them:
# "1234-0001234567", "1234 1234567890", "reg.nr. 1234 kontonr. 0001234567".
ACCOUNT_NAMES = (
    r"(?:konto(?:[ \u00a0.\-]?nr\.?|nummer|nummeret|numret)?|account(?: number| no\.?)?)"
)
ACCOUNT_NAME = re.compile(rf"\b{ACCOUNT_NAMES}", re.IGNORECASE)
DANISH_ACCOUNT = re.compile(
    r"(?<![\w.,/+\-\u2013])(?P<clearing>\d{4})"
    r"(?:[ \u00a0]?[-/\u2013][ \u00a0]?|,?[ \u00a0]"
    rf"|,?[ \u00a0]+(?:(?:og|och|and)[ \u00a0]+)?{ACCOUNT_NAMES}:?[ \u00a0]*)"
    r"(?P<account>\d{6,10})(?![\w+%]|[.,]\d)",
    re.IGNORECASE,
)

# An account number alone right after its name ("kontonummer 914 257 663-3", "konto nr.
# 1234567890", "account number is 12345678"): 6-10 digits in groups, no clearing number.
ACCOUNT_AFTER_NAME = re.compile(
    rf"\b(?:bank|løn|lön|lønns|spare|spar|nem|person)?{ACCOUNT_NAMES}"
    r"(?:[ \u00a0]+(?:er|är|is|:))?[ \u00a0]*:?[ \u00a0]*"
    r"(?P<account>(?<![\w.,/+\-\u2013])\d+(?:[ \u00a0\-\u2013]\d+)*)(?![\w+%]|[.,]\d)",
    re.IGNORECASE,
)
ACCOUNT_DIGITS = (6, 10)
# Cheap gates before the patterns: each country's shape holds four digits in a row, an
# account alone after its name six digits, and a Danish account or one alone after its name
# needs one of these stems in the text.
FOUR_DIGITS = re.compile(r"\d{4}")
SIX_DIGITS = re.compile(r"\d(?:[ \u00a0\-\u2013]?\d){5}")
ACCOUNT_STEMS = ("konto", "reg", "clearing", "account", "acct")
DATE_SHAPE = re.compile(
    r"\d{4}[-\u2013]\d{1,2}[-\u2013]\d{1,2}|\d{1,2}[-\u2013]\d{1,2}[-\u2013]\d{2,4}"
)

ACCOUNT_WORDS = frozenset(
    """
    reg reg. reg.nr reg.nr. regnr regnr. reg-nr reg.-nr. reg.no registreringsnummer
    registreringsnr konto kontoen kontot kontonr kontonr. kontonummer kontonummeret kontonumret
    kontonumer clearing clearingnr clearingnummer clearingnumret account acct bankkonto
    bankkontoen bankkontot nemkonto nemkontoen
    """.split()
)
ACCOUNT_STARTS = ("kontonum", "bankkonto", "clearingn", "registreringsn", "lønkonto",
                  "lönekonto", "lønnskonto", "sparekonto", "sparkonto", "nemkonto")  # fmt: skip

# Swedish clearing ranges (first, last, type, comment), after Bankgirot's table. 3300 and
# 3782 are Nordea's personkonto (type 2): listed before the Nordea ranges that hold them.
SWEDISH_BANKS: tuple[tuple[int, int, int, int], ...] = (
    (3300, 3300, 2, 1), (3782, 3782, 2, 1),  # Nordea personkonto
    (1100, 1199, 1, 1), (1400, 2099, 1, 1), (3000, 3399, 1, 1), (3410, 3999, 1, 1),  # Nordea
    (4000, 4999, 1, 2),  # Nordea
    (1200, 1399, 1, 1), (2400, 2499, 1, 1),  # Danske Bank
    (2300, 2399, 1, 2),  # Ålandsbanken
    (3400, 3409, 1, 1), (9060, 9069, 1, 1), (9020, 9029, 1, 2),  # Länsförsäkringar
    (5000, 5999, 1, 1), (9120, 9124, 1, 1), (9130, 9149, 1, 1),  # SEB
    (6000, 6999, 2, 2),  # Handelsbanken
    (7000, 7999, 1, 1),  # Swedbank
    (8000, 8999, 2, 3),  # Swedbank, five-digit clearing
    (9040, 9049, 1, 2), (9070, 9079, 1, 1), (9100, 9109, 1, 2), (9150, 9169, 1, 2),
    (9170, 9179, 1, 1), (9180, 9189, 2, 1), (9190, 9199, 1, 2), (9230, 9239, 1, 1),
    (9250, 9259, 1, 1), (9260, 9269, 1, 2), (9270, 9279, 1, 1), (9280, 9289, 1, 1),
    (9300, 9349, 2, 1), (9390, 9399, 1, 2), (9400, 9449, 1, 1), (9460, 9469, 1, 1),
    (9470, 9479, 1, 2), (9500, 9549, 2, 3), (9550, 9569, 1, 2), (9570, 9579, 2, 1),
    (9580, 9589, 1, 1), (9590, 9599, 1, 2), (9630, 9639, 1, 1), (9640, 9649, 1, 2),
    (9650, 9659, 1, 2), (9660, 9669, 1, 2), (9670, 9679, 1, 2), (9680, 9689, 1, 1),
    (9700, 9709, 1, 2), (9710, 9719, 1, 2), (9750, 9759, 1, 2), (9780, 9789, 1, 2),
    (9880, 9889, 1, 2), (9890, 9899, 2, 1), (9960, 9969, 2, 3),
)  # fmt: skip


def norwegian_account_valid(digits: str) -> bool:
    """Norwegian kontonummer: 11 digits, the last the MOD11 control of the first ten."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(digits, NORWEGIAN_WEIGHTS, strict=False)) % 11
    control = (11 - remainder) % 11
    return control != 10 and control == int(digits[10])


def swedish_account_valid(clearing: str, account: str) -> bool | None:
    """Swedish clearing and account digits checked as their bank's type says; None when no
    check settles it (a clearing number in no bank's range, or a Swedbank clearing number
    whose own check digit holds beside an account that fails Luhn)."""
    if len(clearing) == 5 and not (clearing[0] == "8" and luhn_valid(clearing)):
        return False
    bank = _swedish_bank(int(clearing[:4]))
    if bank is None:
        return None
    kind, comment = bank
    if kind == 1:
        if len(account) != 7:
            return False
        return modulus_11_valid((clearing[1:4] if comment == 1 else clearing[:4]) + account)
    if comment == 1:
        return len(account) == 10 and luhn_valid(account)
    if comment == 2:
        return len(account) == 9 and modulus_11_valid(account)
    if 7 <= len(account) <= 10 and luhn_valid(account):
        return True
    # Swedbank's clearing check digit already marks an account ("8327-9, 914 257 663-3");
    # an account digit slipped in typing it out is left to the account word.
    return None if len(clearing) == 5 and 7 <= len(account) <= 10 else False


def modulus_11_valid(digits: str) -> bool:
    """Bankgirot's modulus 11: weights 1, 2, ..., 10, 1, ... from the right, sum divisible by 11."""
    total = sum(int(d) * (index % 10 + 1) for index, d in enumerate(reversed(digits)))
    return total % 11 == 0


def _swedish_bank(clearing: int) -> tuple[int, int] | None:
    for first, last, kind, comment in SWEDISH_BANKS:
        if first <= clearing <= last:
            return kind, comment
    return None


def account_word_before(text: str, start: int) -> bool:
    """An account word ("konto", "reg.nr.", "clearing", "account") among the few words before
    text[start], in the same sentence."""
    before = text[max(0, start - 80) : start]
    ends = list(SENTENCE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    for word in WORD.findall(before.lower())[-ACCOUNT_WORDS_BEFORE:]:
        word = word.strip(",;:()[]\"'")
        if word in ACCOUNT_WORDS or word.rstrip(".:") in ACCOUNT_WORDS:
            return True
        if word.startswith(ACCOUNT_STARTS):
            return True
    return False


def find_accounts(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each bank account number in `text`: "account", or "id" for an
    11-digit number that is a fødselsnummer, however it is written."""
    found: list[tuple[int, int, str]] = []
    worded = any(stem in text.lower() for stem in ACCOUNT_STEMS)
    shapes = (NORWEGIAN_ACCOUNT, SWEDISH_ACCOUNT, DANISH_ACCOUNT)[: 3 if worded else 2]
    for pattern in shapes if FOUR_DIGITS.search(text) else ():
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end, _ in found):
                continue
            kind = _account_kind(text, match, pattern)
            if kind:
                found.append((match.start(), match.end(), kind))
    for match in ACCOUNT_AFTER_NAME.finditer(text) if worded and SIX_DIGITS.search(text) else ():
        start, end = match.span("account")
        if any(s < end and start < e for s, e, _ in found) or not _bare_account(text, match):
            continue
        found.append((start, end, "account"))
    return sorted(found)


def _bare_account(text: str, match: re.Match[str]) -> bool:
    """An account number alone after its name: 6-10 digits, not a date ("kontoen 2024-03-12")
    nor an amount ("konto 12 500 000 kr")."""
    digits = re.sub(r"\D", "", match.group("account"))
    if not ACCOUNT_DIGITS[0] <= len(digits) <= ACCOUNT_DIGITS[1]:
        return False
    if DATE_SHAPE.fullmatch(match.group("account")):
        return False
    following = WORD.findall(text[match.end() : match.end() + 20].lower())
    return not (following and following[0].strip(",;:") in AMOUNT_WORDS)


def _account_kind(text: str, match: re.Match[str], pattern: re.Pattern[str]) -> str | None:
    """The kind of one candidate, or None to keep it."""
    worded = account_word_before(text, match.start())
    if pattern is DANISH_ACCOUNT:  # no check digit: the account word decides
        return "account" if worded or ACCOUNT_NAME.search(match.group()) else None
    if pattern is NORWEGIAN_ACCOUNT:
        digits = re.sub(r"\D", "", match.group())
        if fodselsnummer_valid(digits):
            return "id"
        valid: bool | None = norwegian_account_valid(digits)
    else:
        account = re.sub(r"\D", "", match.group("account"))
        valid = swedish_account_valid(match.group("clearing").replace("-", ""), account)
        if valid is None:  # a clearing number no bank has: the account word decides
            return "account" if worded and 7 <= len(account) <= 10 else None
    if not valid:
        return None
    cue, distance = number_cue(text, match.start(), match.end())
    if not worded and cue == "reference" and distance <= REFERENCE_REACH:
        return None  # "ordre 1234-1234567": one number in eleven passes a modulus-11 check
    return "account"
