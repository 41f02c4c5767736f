"""PII redaction: personal data in comments becomes typed placeholders before anything else sees it.

Runs right after cleaning, so embeddings, themes, reports and exports only ever see the
placeholders [EMAIL], [PHONE], [ID], [CARD], [IBAN], [ACCOUNT], [IP], [BOOKING]. Rules, in the
order they are applied:

- e-mail: local@domain.tld.
- IBAN: a known country code, check digits and that country's exact length, with or without
  spaces; mod-97 must hold. A failed IBAN is kept whole (its digits are not read as a phone).
- Domestic bank account (`account.py`): Norwegian 11 digits ("1234.56.78903", "1234 56 78903",
  unbroken) with the MOD11 control; Swedish clearing and account ("5000-1001000", "8327-9,
  914 257 663-3") checked as the clearing number's bank type says (Bankgirot); Danish reg.nr.
  and kontonr. ("reg.nr. 1234 kontonr. 0001234567"), which carry no check digit, only after an
  account word; 6-10 digits right after an account's name ("kontonummer 914 257 663-3"), not
  a date or an amount. An 11-digit number that is a fødselsnummer stays an ID.
- IP address (`patterns.IP_ADDRESS`): IPv4 or IPv6 as Python's `ipaddress` reads one, after
  the dotted phone numbers; a version or section number ("version 4.12.0.1", "kap. 7.2.4.5")
  is kept.
- Booking reference (`patterns.BOOKING_REFERENCE`): six capitals and digits, at least two
  letters and a digit ("K7XQ2M", "453R6W"), not a flight number ("SK1234"), not an amount or
  size ("500EUR", "128GB"). An airline's PNR opens the booking with the passenger's surname;
  real Norwegian airline reviews quote them ("The ticket with Norwegian QVOGF2").
- Number runs: digit groups joined by single spaces or hyphens ("12 34 56 78", "070-123 45 67"),
  optionally led by "+CC" / "(+CC)" and holding a trunk "(0)". Decimals ("1.299", "12,50") and
  dotted dates ("12.03.2024") never form one run. Runs under eight digits are never PII. Each run
  is read, in this order, as:
  - ID, Norwegian fødselsnummer / D-nummer (day + 40): 11 digits (or 6+5), a real date and both
    mod-11 control digits.
  - ID, Swedish personnummer / samordningsnummer (day + 60): YYMMDD-NNNN, YYMMDD+NNNN,
    YYMMDDNNNN, YYYYMMDD(-)NNNN; a real date and Luhn on the last ten digits.
  - ID, Danish CPR DDMMYY-SSSS or DDMMYYSSSS: a real date (century from the 7th digit). CPR
    numbers need not pass modulus 11 since 2007, so the date is the whole check. Ten-digit order
    numbers that happen to hold a real date are redacted too: the safe side.
  - CARD: an issuer prefix with one of its network's lengths (Visa 4, Mastercard 51-55 and
    2221-2720, Amex 34/37, Dankort 5019, Maestro, ...), Luhn, written as one block, in fours, or
    4-6-5 / 4-6-4 (an IMEI passes Luhn but fits no network).
  - PHONE: "+CC ..." with 8-15 digits; "00CC ..." international; Danish / Norwegian eight digits
    starting 2-9 as "12345678", "12 34 56 78", "1234 5678", "912 34 567" (not "2021-2023" or
    "2018 2024": hyphenated or year-led 4+4 runs are ranges); Swedish (and British) national
    numbers with the trunk 0 and an area code ("08-12 34 56", "031-123 45 67", "070-1234567",
    "01632 960418"), or a bare "07x" mobile of ten digits; other bare runs starting with 0 need a
    phone word; North American "212-555-0147".
- Shape and checksum come first: an ID, a card, "+CC ..." and "00" + a Nordic country code
  are redacted whatever word stands beside them ("Ordre 4111 1111 1111 1111", "Kundenummer
  +45 12 34 56 78", "Saken gjelder 15038510190"). Context only decides runs that no
  checksum settles (bare eight-digit and trunk-0 numbers).
- Context (`context.py`): the nearest cue word among the six words before the number (same
  sentence), else among the four after, decides ambiguous runs:
  - a reference word (ordre, order, ordrenummer, sag, sak, saka, saksnummer, ärende, case,
    ticket, faktura, invoice, kundenummer, kundnummer, bestilling, tracking, cvr, org.nr, ean,
    art. nr., str./størrelse, "#", ...) up to three words before keeps a number that no
    checksum settles ("ordre 12345678", "case #4455667788", "sag 20231234"); a bare
    eight-digit run is also kept with
    such a word further back or just after it ("12345678 er mit ordrenummer");
  - an amount word (kr, kroner, sek, nok, dkk, €, pris, beløb, ...) keeps phone-like runs;
  - a phone word (tlf, tfn, telefon, mobil, ring, ringe, call, phone, sms, kontakt, fax,
    "nummer") makes a bare run a phone number even when it reads as a date or starts with 0;
  - an ID word (cpr, personnummer, fødselsnummer, d-nummer, samordningsnummer) makes a
    trunk-0 ten-digit run an ID rather than a phone number.
  - A bare eight-digit run with no cue is a phone number unless it reads as a date (YYYYMMDD or
    DDMMYYYY): "20240312" stays.
Prices ("1.299 kr", "kr 12 500"), dates, percentages ("40-50-60%"), postal codes ("2100",
"113 56", "0150") and amounts ("12 500 000 kr") never match a layout above and survive.
Every other text column that reaches an output (input columns passed through, rejected raw
rows) is redacted the same way (`redact_columns`), except that a cell of the id column or of
another passed-through column that is one identifier and nothing else becomes a stable
pseudonym ("ID-3f9a1c02b7d41e55a0": keyed HMAC-SHA256, never an unkeyed hash, see
`pseudonym.py`), so ids stay unique and can be joined back by whoever holds the key. A
column's cells are read with its input name as the context word ("Kundenr": customer numbers
stay, "Telefon": phone numbers). Outside
the comment, a cell that is a bare number is also read in the forms a spreadsheet strips: a CPR
number born on day 1-9 stored as 101901234, a Swedish mobile as 701234567 or 46701234567
(`numeric.py`); number columns (Excel, Parquet float64 or int64) are read the same way.
Column names, rejected rows' raw lines (`redact_rejects`), warnings that quote cells and cells
of nested JSON are read by `fields.py`.
Not covered: phone numbers with dots ("12.34.56.78"), numbers glued to letters ("Tlf12345678"),
Norwegian H-numbers and synthetic (month + 40 / + 80) numbers, a Danish account number without
its reg.nr. or without an account word, and names or street addresses in free text (a column
of people's names, known by its header, leaves as pseudonyms: `redact_columns`' `names`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import get_args

import polars as pl

from cxtext.io import roles
from cxtext.pii.detect import Kind, PiiMatch, find_pii
from cxtext.pii.fields import (
    RAW_CHARS,
    fields_before,
    redact_fields,
    redact_input,
    redact_json,
    redact_warnings,
    replaced,
)
from cxtext.pii.numeric import BARE_NUMBER, MAX_EXACT_FLOAT, numeric_digits, stripped_identifier
from cxtext.pii.patterns import PREFILTER
from cxtext.pii.pseudonym import COLUMN_KINDS, Pseudonyms, run_pseudonyms

__all__ = [
    "COLUMN_KINDS",
    "KINDS",
    "PLACEHOLDERS",
    "PiiMatch",
    "Pseudonyms",
    "find_pii",
    "redact_columns",
    "redact_fields",
    "redact_input",
    "redact_input_columns",
    "redact_pii",
    "redact_rejects",
    "redact_text",
    "redact_warnings",
    "run_pseudonyms",
]

ADDRESS_SHARE = 0.9  # of a column's distinct values, for its dotted cells to be IP addresses
ADDRESS_SHAPE = r"^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)$"  # IPv4 or IPv6
KINDS: tuple[Kind, ...] = get_args(Kind)  # "email", "phone", ... in `detect.Kind`'s order
PLACEHOLDERS: dict[str, str] = {kind: f"[{kind.upper()}]" for kind in KINDS}


def redact_text(text: str) -> tuple[str, list[str]]:
    """`text` with each piece of PII replaced by its placeholder, and the kinds found (in
    `KINDS` order, each once)."""
    return replaced(text, find_pii(text))


def redact_pii(frame: pl.DataFrame, column: str = "text") -> pl.DataFrame:
    """Replace `column` with its redacted text and add `pii`: the kinds found, comma-separated,
    null when none. Only rows a vectorised pre-filter flags go through Python."""
    redacted, kinds = _redact_series(frame.get_column(column), Cells(numbers=False))
    return frame.with_columns(redacted, kinds)


def redact_columns(
    frame: pl.DataFrame,
    skip: Iterable[str] = (),
    pseudonyms: Pseudonyms | None = None,
    free_text: Iterable[str] = (),
    headers: Mapping[str, str] | None = None,
    names: Iterable[str] = (),
) -> pl.DataFrame:
    """Every text and number column but those in `skip` redacted in place (input columns
    passed through to outputs: a `contact` column's e-mail is PII as much as the comment's).
    Outside the `free_text` columns a cell that is a bare number is also read in the forms a
    spreadsheet strips (a CPR number without its leading zero, see `numeric.py`), and with
    `pseudonyms` a cell that is one identifier and nothing else (an id column of CPR numbers)
    becomes its pseudonym, in column order, then row order. A number column becomes text only
    when it held an identifier. Outside `free_text`, a cell is read under its column's name
    (`headers`: the input name of a renamed column, "id" -> "Kundenr"), so a column named
    like a reference keeps numbers no checksum settles, as "kundenr 14441181" does in a
    comment. A column in `names` holds people's names or contacts (`roles.person_column`): no
    checksum finds a name, so each of its cells leaves as a pseudonym (`_person_column`). A
    column whose cells are IP addresses (by its header, else its values) makes each cell
    that is one IP-n: "83.12.17.35" would read as a dotted phone number elsewhere."""
    skipped, free, headers, people = set(skip), set(free_text), headers or {}, set(names)
    pseudonyms = pseudonyms or (run_pseudonyms(None) if people else None)
    columns = [
        name
        for name, dtype in frame.schema.items()
        if name not in skipped and (dtype == pl.String or dtype.is_numeric())
    ]
    if pseudonyms is not None and pseudonyms.numbered:  # a keyed digest meets no input id
        pseudonyms.reserve(
            value
            for name in columns
            if name not in free and frame.schema[name] == pl.String
            for value in frame.get_column(name).unique().drop_nulls().str.strip_chars()
        )
    kinds = {name: roles.person_kind(headers.get(name, name)) for name in people}
    return frame.with_columns(
        _person_column(frame.get_column(name), pseudonyms, kinds[name])
        if name in people and pseudonyms is not None
        else _redact_column(
            frame.get_column(name),
            Cells(None, numbers=False)
            if name in free
            else Cells(
                pseudonyms,
                numbers=True,
                context=headers.get(name, name),
                addresses=_holds_addresses(frame.get_column(name)),
            ),
        )
        for name in columns
    )


def redact_input_columns(
    frame: pl.DataFrame,
    pseudonyms: Pseudonyms,
    skip: Iterable[str],
    free_text: Iterable[str] = (),
    headers: Mapping[str, str] | None = None,
) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """An input's columns as every command lets them out (`analyze`'s passed-through columns,
    `langid`'s rows): `redact_columns` on all but `skip`, with the columns of people's names
    found by their input header (`headers`: "respondent" -> "Kundenavn", else the frame's own
    name) among the columns not skipped and not `free_text`. Returns the frame and those
    name columns. One place decides which columns are personal, for every command."""
    skip, free_text = tuple(skip), tuple(free_text)
    names = roles.person_columns(frame.columns, headers, (*skip, *free_text))
    redacted = redact_columns(frame, skip, pseudonyms, free_text, headers, names)
    return redacted, names


def _person_column(column: pl.Series, pseudonyms: Pseudonyms, kind: str) -> pl.Series:
    """A column of people's names or contacts of `kind` (`roles.person_kind`) as pseudonyms,
    one per distinct non-blank cell in order of first appearance: an IP address's own in a
    column of them (by header or values), else the identifier's own for a cell that is one
    (EMAIL-2 in a Telefon column), else one of the column's kind keyed by the cell's text
    (NAME-n; PHONE-n for "ring efter kl. 16" in a Telefon column; LOCATION-n for a latitude).
    A blank cell stays blank, and so does a contact column's placeholder for nothing given
    ("ingen", "-", "N/A": `roles.placeholders`); a name column's cell is always a pseudonym."""
    text = column.cast(pl.String)
    distinct = pl.Series(
        [v for v in text.unique(maintain_order=True).to_list() if v and v.strip()],
        dtype=pl.String,
    )
    if kind != "name":
        distinct = distinct.filter(~roles.placeholders(distinct))
    addresses = kind == "ip" or (kind not in ("phone", "email") and _holds_addresses(distinct))
    named = {}
    for value in distinct.to_list():
        if addresses and _address(value) is not None:
            named[value] = pseudonyms.of("ip", value)
        else:
            named[value] = pseudonyms.of_cell(value) or pseudonyms.of_text(kind, value.strip())
    return text.replace_strict(named, default=text, return_dtype=pl.String)


def _address(value: str) -> str | None:
    """`value` as an IPv4 or IPv6 address (`ipaddress`), None when it is none."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _holds_addresses(column: pl.Series) -> bool:
    """Whether a text column's distinct non-blank values are IP addresses, nearly all
    (`ADDRESS_SHARE`): its dotted cells are addresses, not phone numbers."""
    if column.dtype != pl.String:
        return False
    values = column.str.strip_chars().unique().drop_nulls()
    values = values.filter(values != "")
    shaped = values.filter(values.str.contains(ADDRESS_SHAPE))  # hex ids parse no further
    if values.is_empty() or len(shaped) < ADDRESS_SHARE * len(values):
        return False
    parsed = sum(_address(value) is not None for value in shaped.to_list())
    return parsed >= ADDRESS_SHARE * len(values)


def redact_rejects(rejects: pl.DataFrame, columns: Iterable[str] = ()) -> pl.DataFrame:
    """rejects.csv's text columns redacted as records (`redact_fields`: a raw line is cells
    joined by its delimiter), then each raw line cut to `RAW_CHARS`: cut before, an
    identifier's first half would stay (an e-mail's local part, a CPR's birth date). With the
    input's `columns`, a raw line also ends before its first column of people's names
    (`roles.name_field`): a malformed row's fields match no column, and a name has no shape
    to find."""
    name_field = roles.name_field(columns)
    records = [name for name, dtype in rejects.schema.items() if dtype == pl.String]
    redacted = rejects.with_columns(
        _redact_series(rejects.get_column(name), Cells(records=True))[0] for name in records
    )
    if "raw" not in redacted.columns:
        return redacted
    raw = pl.col("raw")
    if name_field is not None:
        raw = raw.map_elements(lambda line: fields_before(line, name_field), pl.String)
    return redacted.with_columns(raw.str.slice(0, RAW_CHARS))


@dataclass(frozen=True)
class Cells:
    """How a column's cells are read: `pseudonyms` for a cell that is one identifier (None:
    placeholders), whether a bare number (and each leaf of a JSON text cell) is read in its
    spreadsheet-stripped forms too, whether a cell is a record of fields (a raw line), and
    the column name its cells are read under (`find_pii`'s context), and whether a cell that
    is an IP address is one (a column of them: `_holds_addresses`)."""

    pseudonyms: Pseudonyms | None = None
    numbers: bool = True
    records: bool = False
    context: str = ""
    addresses: bool = False


def _redact_column(column: pl.Series, cells: Cells) -> pl.Series:
    """One column redacted; a number column stays as it was unless it held an identifier."""
    if column.dtype == pl.String:
        return _redact_series(column, cells)[0]
    digits = numeric_digits(column)
    redacted = _redact_series(digits, cells)[0]
    if redacted.equals(digits):
        return column
    return pl.select(
        pl.when(redacted == digits).then(column.cast(pl.String)).otherwise(redacted)
    ).to_series()


def _redact_series(texts: pl.Series, cells: Cells) -> tuple[pl.Series, pl.Series]:
    """The texts redacted, and the kinds found per text (`pii`)."""
    candidates = texts.str.contains(PREFILTER).fill_null(False).arg_true()
    redacted = texts.clone()
    kinds = pl.Series("pii", [None] * len(texts), dtype=pl.String)
    if len(candidates):
        results = [_redact_cell(text, cells) for text in texts.gather(candidates).to_list()]
        redacted = redacted.scatter(candidates, [text for text, _ in results])
        kinds = kinds.scatter(candidates, [",".join(found) or None for _, found in results])
    return redacted, kinds


def _redact_cell(text: str, cells: Cells) -> tuple[str, list[str]]:
    """A cell's pseudonym (or placeholder) when it is one identifier, else its redacted text;
    a JSON array or object leaf by leaf."""
    if cells.records:
        return redact_fields(text)
    if cells.numbers and text.lstrip()[:1] in ("[", "{"):
        walked = redact_json(text, lambda leaf: _redact_leaf(leaf, cells))
        if walked is not None:
            return walked, []
    if cells.addresses and _address(text) is not None:
        return (cells.pseudonyms.of("ip", text) if cells.pseudonyms else PLACEHOLDERS["ip"]), ["ip"]
    bare = BARE_NUMBER.fullmatch(text) if cells.numbers else None
    if bare and (number := _number_cell(bare.group(1), cells)):
        return number
    matches = find_pii(text, cells.context)  # once: for the pseudonym and placeholders alike
    pseudonyms = cells.pseudonyms
    pseudonym = pseudonyms.of_cell(text, matches) if pseudonyms is not None else None
    return (pseudonym, []) if pseudonym is not None else replaced(text, matches)


def _redact_leaf(value: object, cells: Cells) -> object:
    """One value of a JSON text cell, read as a cell of its own."""
    if isinstance(value, str):
        return _redact_cell(value, cells)[0]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    whole = isinstance(value, int) or (value.is_integer() and value < MAX_EXACT_FLOAT)
    digits = str(int(value)) if whole else ""
    number = _number_cell(digits, cells) if 8 <= len(digits) <= 17 else None
    return number[0] if number else value


def _number_cell(digits: str, cells: Cells) -> tuple[str, list[str]] | None:
    """A number's pseudonym (or placeholder) when it is an identifier in a form a
    spreadsheet may have stripped, with its kind; else None."""
    found = stripped_identifier(digits, cells.context)
    if found is None:
        return None
    kind, form = found
    return (cells.pseudonyms.of(kind, form) if cells.pseudonyms else PLACEHOLDERS[kind]), [kind]
