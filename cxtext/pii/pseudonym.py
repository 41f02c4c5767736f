"""Pseudonyms for identifiers that fill a whole cell of the id column or a passed-through column.

A customer key that is a CPR number, a phone number or an e-mail cannot go out as itself, and
as the placeholder "[ID]" on every row the ids collide: follow_up.csv names nobody. So a cell
that is exactly one identifier (as `find_pii` decides: shape and checksum) becomes a pseudonym,
one per distinct value, the same in every output:

- with a key: KIND-<first 18 hex digits of HMAC-SHA256(key, canonical value)>, e.g.
  "ID-3f9a1c02b7d41e55a0". The key is `CXTEXT_PSEUDONYM_KEY` (at least 16 characters), else, with
  `--state DIR`, a random one made on the first run and kept in DIR/pseudonym.key (mode 0600),
  so scheduled runs agree. Whoever holds the key computes the same pseudonym over their own
  CRM and joins back; without it a pseudonym cannot be reversed. An unkeyed hash would not do:
  there are about 4e8 CPR numbers, hashed in seconds, so a table of them all reverses any one.
- with neither: KIND-<n>, numbered per kind by first appearance (the id column first, then the
  other columns, each in input order): unique and deterministic, but only within one run.

The canonical value is the digits alone for IDs, cards and phone numbers ("010190-1234" ->
"0101901234", "+45 12 34 56 78" -> "4512345678"), letters upper-cased and digits for an IBAN
or a booking reference,
the address lower-cased for an e-mail. 72 bits keep the chance that two of a million distinct
identifiers share a pseudonym under 1 in 10^9.

A column of people's names or contacts (`redact_columns`' `names`: "requester.name",
"Kundenavn", "Telefon") holds cells no checksum settles: each distinct one there becomes a
pseudonym of the column's kind (`roles.person_kind`: NAME, PHONE, EMAIL, IP, LOCATION,
ADDRESS) the same way, keyed by the cell's text with its spaces collapsed and its case folded
("ring efter kl. 16" in a Telefon column: PHONE-<digest>).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import re
import secrets
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Literal, get_args

from cxtext.errors import InputError
from cxtext.pii.detect import Kind, PiiMatch, find_pii

KEY_VARIABLE = "CXTEXT_PSEUDONYM_KEY"
KEY_FILE = "pseudonym.key"  # in the --state folder
MIN_KEY_CHARS = 16  # a short key can be guessed together with the identifier
# hex digits (72 bits). Never read as PII again: no number run starts after "ID-" or a letter,
# and 18 is no length of an IBAN whose country code is hex (BE is 16, BA and EE are 20).
DIGEST_CHARS = 18
# What a column of people's names or contacts holds besides the kinds `find_pii` finds
ColumnKind = Literal["name", "location", "address"]
COLUMN_KINDS: tuple[ColumnKind, ...] = get_args(ColumnKind)


class Pseudonyms:
    """One pseudonym per distinct identifier: a keyed HMAC, or a number per kind without a key.

    `source` says where the key came from ('CXTEXT_PSEUDONYM_KEY', 'state', or 'numbered')."""

    def __init__(self, key: str | None, source: str) -> None:
        self.source = source
        self._key = key.encode("utf-8") if key else None
        self._numbers: dict[tuple[str, str], str] = {}
        self._counts: Counter[str] = Counter()
        self._taken: set[str] = set()

    @property
    def numbered(self) -> bool:
        """Numbered per run (no key): names an input may already use."""
        return self._key is None

    def reserve(self, values: Iterable[str]) -> None:
        """Values already in the columns being pseudonymised: a numbered pseudonym skips them,
        so an input id that is literally "ID-3" never shares a name with a CPR number."""
        self._taken.update(values)

    def of(self, kind: Kind | ColumnKind, value: str) -> str:
        """The pseudonym of one identifier of `kind`."""
        return self._named(kind, canonical_value(kind, value))

    def of_text(self, kind: Kind | ColumnKind, value: str) -> str:
        """The pseudonym of a cell of a column of `kind` that is no identifier ("ring efter
        kl. 16" in a Telefon column), keyed by its text as a name is."""
        return self._named(kind, canonical_value("name", value))

    def _named(self, kind: Kind | ColumnKind, canonical: str) -> str:
        prefix = kind.upper()
        if self._key is not None:
            digest = hmac.new(self._key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()
            return f"{prefix}-{digest[:DIGEST_CHARS]}"
        if (kind, canonical) not in self._numbers:
            self._counts[kind] += 1
            while f"{prefix}-{self._counts[kind]}" in self._taken:
                self._counts[kind] += 1
            self._numbers[kind, canonical] = f"{prefix}-{self._counts[kind]}"
        return self._numbers[kind, canonical]

    def of_cell(self, text: str, matches: list[PiiMatch] | None = None) -> str | None:
        """The pseudonym of a cell that is one identifier and nothing else (around spaces),
        else None; `matches`: `find_pii(text)` when already at hand."""
        matches = find_pii(text) if matches is None else matches
        start, end = len(text) - len(text.lstrip()), len(text.rstrip())
        if len(matches) != 1 or (matches[0].start, matches[0].end) != (start, end):
            return None
        return self.of(matches[0].kind, text[start:end])


def canonical_value(kind: Kind | ColumnKind, value: str) -> str:
    """The form an identifier is keyed by, whatever way it was written."""
    if kind in COLUMN_KINDS:  # "Anna  Jensen" and "anna jensen" are one person
        return " ".join(value.split()).casefold()
    if kind == "email":
        return value.strip().lower()
    if kind == "ip":  # "2A02:AA7::1" and "2a02:aa7:0:0:0:0:0:1" are one address
        return str(ipaddress.ip_address(value.strip()))
    if kind in ("iban", "booking"):
        return re.sub(r"[^0-9A-Z]", "", value.upper())
    return re.sub(r"\D", "", value)


def run_pseudonyms(state: Path | None) -> Pseudonyms:
    """The pseudonyms of one run: keyed by `CXTEXT_PSEUDONYM_KEY`, else by the state folder's
    own key (made on first use), else numbered."""
    key = os.environ.get(KEY_VARIABLE)
    if key is not None:
        if len(key.strip()) < MIN_KEY_CHARS:
            raise InputError(
                f"{KEY_VARIABLE} must hold at least {MIN_KEY_CHARS} characters "
                "(a short key lets anyone with the outputs guess the identifiers back)"
            )
        return Pseudonyms(key.strip(), KEY_VARIABLE)
    if state is not None:
        return Pseudonyms(state_key(state), "state")
    return Pseudonyms(None, "numbered")


def state_key(folder: Path) -> str:
    """The state folder's pseudonym key, made once (32 random bytes as hex, readable by the
    owner only); set it as `CXTEXT_PSEUDONYM_KEY` to compute the same pseudonyms elsewhere."""
    path = folder / KEY_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{KEY_FILE}.{os.getpid()}.tmp"
        tmp.unlink(missing_ok=True)  # left by a killed run: it may not be 0600
        descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32))  # no line end: the file is the key, as is
        os.replace(tmp, path)  # the state is locked: no other run makes one at the same time
    key = path.read_text("utf-8").strip()
    if len(key) < MIN_KEY_CHARS:
        raise InputError(f"{path} holds no usable pseudonym key: restore it from a backup")
    return key
