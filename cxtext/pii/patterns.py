"""The regular expressions that find PII candidates; validation happens on the matches only."""

from __future__ import annotations

import re

from cxtext.pii.numbers import IBAN_LENGTHS

EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")

# One alternative per country with its exact length, so an IBAN written in groups of four ends
# where its country says and never swallows the next word.
IBAN = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    + "|".join(
        rf"{code}\d{{2}}(?:[ \u00a0-]?[A-Za-z0-9]){{{length - 4}}}"
        for code, length in sorted(IBAN_LENGTHS.items())
    )
    + r")(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# What is left of an IBAN that failed mod-97: its number part is not a phone number.
IBAN_HEAD = re.compile(r"[A-Za-z]{2}\d{2}[ \u00a0]?$")

# An IP address, as survey tools record each respondent's (Qualtrics' IPAddress, SurveyMonkey's
# IP Address): personal data under GDPR, as it points to a subscriber. IPv4 is four numbers
# 0-255 joined by dots (a port may follow), not a Danish phone in pairs (`DOTTED_PHONE`, read
# first) nor inside a longer dotted number ("1.2.3.4.5") or a word ("v1.2.3.4");
# IPv6 is hex groups joined by colons, with a group of three or more characters or a letter,
# so a time "12:30:45" is none. Either is confirmed by Python's `ipaddress`.
OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IP_ADDRESS = re.compile(
    rf"(?<![\w.:])(?:(?:{OCTET}\.){{3}}{OCTET}(?!\w|\.\d|:[A-Fa-f:])"
    r"|(?=[0-9A-Fa-f:]*(?:[A-Fa-f]|[0-9A-Fa-f]{3}))"
    r"(?:[0-9A-Fa-f]{1,4}:|:){2,7}:?[0-9A-Fa-f]{0,4}(?![\w:]|\.\w))"
)

# An app's version or a document's section in four parts ("version 4.12.0.1", "jf. kap.
# 7.2.4.5", a heading "3.5.2.3 Nye oppgåver") reads as IPv4: one after a version or section
# word, or one of small numbers that opens the text before a capital, is kept (18 of 7,368 UD
# dev sentences, all Norwegian section numbers, were [IP] without this; none after).
NOT_AN_ADDRESS_BEFORE = re.compile(
    r"(?i)(?:version|versjon|versionen|versjonen|build|ver\.?|kap\.?|kapittel|kapitel|kapitlet"
    r"|avsnitt|afsnit|afsnittet|punkt|pkt\.?|section|chapter|§)\s*$"
)
HEADING_NUMBER = re.compile(r"\s*\d{1,2}(?:\.\d{1,2}){3} [A-ZÆØÅÄÖ]")

# Swedish personnummer for people aged 100 or more: YYMMDD+NNNN.
PERSONNUMMER_PLUS = re.compile(r"(?<![\w+-])\d{6}\+\d{4}(?![\w+])")

# A national ID written as a birth date and a serial, the date in parts or the serial after a
# dot, which the number runs below do not join: "01.01.90 12480", "01 01 90 12480",
# "010190.12480", "24-03-12 1234". The digits must pass a checksum (`detect.dated_id_valid`).
DATED_ID = re.compile(
    r"(?<![\w.,/+\-\u2013])"
    r"(?:\d{2}([ .\-/])\d{2}\1\d{2}|\d{6}(?=\.))"
    r"[ .\-\u2013]?\d{4,5}"
    r"(?![\w+%]|[.,]\d)"
)

# A Danish or Norwegian eight-digit number written in pairs with dots: "12.34.56.78". Four
# pairs are no date, price or version; a leading 0 or 1 is no national number.
DOTTED_PHONE = re.compile(r"(?<![\w.,/+\-\u2013])[2-9]\d(?:\.\d{2}){3}(?![\w+%]|[.,]\d)")

# A number run: digit groups joined by one space or hyphen, optionally led by "+CC", "(+CC)"
# or followed by a trunk "(0)". Decimals ("1.299", "12,50"), percentages and words with digits
# ("A4", "3rd", "SKU1234") never start or end a run; a capitalised word glued to the end (a
# missing space: "0764924279Ringt mig") does not make the number part of a word.
SEPARATOR = r"[ \u00a0\-\u2013]"
NEXT_WORD = r"[A-ZÆØÅÄÖÜ][a-zæøåäöüé]"
NUMBER_RUN = re.compile(
    r"(?<!\d[.,])(?<![\w/+\-\u2013])"
    r"(?:\(\+\d{1,3}\)[ \u00a0]?|\+)?"
    rf"\d+(?:(?:{SEPARATOR}|[ \u00a0]?\(0\)[ \u00a0]?)\d+)*"
    rf"(?!(?!{NEXT_WORD})[\w+%]|[.,]\d)"
)
GROUP = re.compile(r"\d+")

# A booking reference (an airline's PNR, a travel or ticket booking): six capitals and digits with
# at least two letters and a digit, "K7XQ2M", "Q2W8RT", "453R6W". With the passenger's surname it
# opens the booking (name, passport, phone), so it is redacted as an identifier is. Not a
# flight number ("SK1234", "DY1302": two characters and four digits), not an amount or a size
# ("500EUR", "128GB": digits then letters), not a masked date ("XXXX18": a character three
# times in a row, which a random code rarely has), not part of a longer code ("SM-G991B").
BOOKING_REFERENCE = re.compile(
    r"(?<![\w/.@\-\u2013])"
    r"(?=[A-Z0-9]{6}(?![\w@\-]))"
    r"(?=(?:[0-9]*[A-Z]){2})(?=[A-Z]*[0-9])"
    r"(?![A-Z0-9]{2}[0-9]{4})(?![0-9]+[A-Z]+(?!\w))(?![A-Z0-9]{0,3}([A-Z0-9])\1\1)"
    r"[A-Z0-9]{6}"
)

# Rows without any of these cannot hold PII and skip the Python pass: an "@", an IP address, a
# possible IBAN start, eight digits with only separators between them (dots and slashes too: a
# dated ID; commas too: a Swedish account "1234, 1234567"), a capital and a digit close
# together (a booking reference), or an account word before digits ("reg.nr. 5470 og kontonr.
# 1234567", "Lønkonto: 123456": words between, or too few digits for the eight). ASCII word
# boundaries and digit classes: a Unicode \b takes Rust's regex off its fast engine (20k
# reviews: 7 ms with them, 310 ms with \b and \D).
PREFILTER = (
    r"@|\d\.\d{1,3}\.\d{1,3}\.\d|[0-9A-Fa-f]:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:"
    r"|[A-Za-z]{2}\d{2}|\d(?:[ \u00a0\-\u2013+()./,]{0,4}\d){7}"
    r"|[A-Z][A-Z0-9]{0,4}[0-9]|[0-9][A-Z0-9]{0,4}[A-Z]"
    r"|(?i:konto|account|acct|clearing|(?-u:\b)reg(?:(?-u:\b)|nr|istrering))[^0-9]{0,40}[0-9]{3}"
)
