"""Cue words around a number: is it a reference (order, case, invoice), an amount, an ID, a phone?

The nearest cue word among the six words before a number decides (the sentence it is in only);
without one, a cue among the four words after it ("12345678 er mit ordrenummer"). A "#" right
before a number makes it a reference ("case #4455667788").
"""

from __future__ import annotations

import re
from typing import Literal

Cue = Literal["reference", "amount", "id", "phone"]

WORDS_BEFORE = 6
WORDS_AFTER = 4
WINDOW_CHARS = 80

# Exact words, then word starts (compounds: "ordrenummer", "ärendenumret", "kundnr").
REFERENCE_WORDS = frozenset(
    """
    ordre order ordren ordern orderen ordrer orders sag sagen sager sagens sak saken saka saker
    sakene sakane sakens case cases
    ticket ref ref.nr refnr reference faktura fakturaen fakturan fakturaer invoice invoices
    bestilling bestillingen beställning beställningen
    ärende ärendet arende kvittering kvitto receipt pakke pakken paket paketet package parcel
    forsendelse forsendelsen sändning sändningen försändelse shipment tracking sporing
    member membership nr.ordre vare varenr artikel artikkel art.nr bilag
    reklamation reklamasjon reklamationen reklamasjonen claim returnering retur return rma
    art art. artnr art.no item sku model modell varenr.
    booking bookingnummer bokning bokningsnummer bestillingsnummer booking-id
    """.split()
)
REFERENCE_STARTS = (
    "ordre", "order", "bestilling", "beställning", "sagsn", "sagsnr", "saksn", "saksnr",
    "ärende", "arende", "fakturan", "fakturanr", "invoice", "kundenum", "kundenr", "kundnum",
    "kundnr", "referen", "referan", "ticket", "tracking", "sporing", "kolli",
    "forsendelses", "sändnings", "kvittering", "kvitto", "receipt", "varenum", "artikelnum",
    "artikkelnum", "reklamations", "reklamasjons", "retur", "booking", "boknings", "case",
    "journal", "police", "polise", "försäkrings", "forsikrings", "aftale", "avtale", "kontrakt",
    "contract", "abonnement", "abonnemang", "subscription", "serie", "serial", "imei", "medlems",
    "member", "cvr", "se-nr", "org.nr", "orgnr", "org-nr", "organisations", "organisasjons",
    "foretaksn", "företagsn", "moms", "vat", "ean", "gtin", "stregkode", "streckkod", "strekkode",
    "barcode", "størrelse", "storlek", "storleik", "size", "str.",
)  # fmt: skip
AMOUNT_WORDS = frozenset(
    """
    kr kr. kr, kroner kronor krone krona sek dkk nok eur euro euros € $ usd £ gbp ,- .- :-
    pris prisen priset price beløb beløbet belopp beloppet beløp beløpet amount total totalt
    betalt betalte betalade paid pay betale betala koster kostade kostet cost costs
    """.split()
)
ID_WORDS = frozenset(
    """
    cpr cpr-nr cpr-nummer cprnr cpr-nummeret pnr p-nr personnr personnummer personnumret
    personnummeret personnummern fnr f.nr fødselsnummer fødselsnummeret fødselsnr fodselsnummer
    d-nummer d-nr dnummer samordningsnummer samordningsnumret samordningsnr ssn personal
    identity
    """.split()
)
PHONE_WORDS = frozenset(
    """
    tlf tlf. tlf.nr tlfnr tel tel. telefon telefonen telefonnummer telefonnummeret telefonnumret
    telefonnr mobil mobilen mobilnummer mobilnummeret mobilnumret mobilnr mob mob. ring ringe
    ringer ringede ringa ringt ringde ringte ringja ringje ringjer ringd ringes ringas call
    called calling phone phoned phones mobile cell cellphone sms sms'e sms:a text texted
    whatsapp kontakt kontakta kontakte kontakter kontaktes kontaktas contact contacted reach
    tfn tfn. telnr tel.nr gsm puh puh. fax telephone hotline switchboard växel växeln sentralbord
    nås nåes opkald opkaldet opringning uppringd uppringning ringd ringdes oppringt oppringing
    nummeret numret nummer number tlf-nr tel.nr tel-nr telefonnr. mobilnr.
    """.split()
)
CPR_STARTS = ("cpr", "personnum", "fødselsnum", "fodselsnum", "samordningsnum")
PHONE_STARTS = ("telefon", "mobil", "tlf")
# "nummer"/"number" alone leans to phone only when nothing more specific is near.
WEAK_PHONE_WORDS = frozenset({"nummeret", "numret", "nummer", "number"})

WORD = re.compile(r"[\w#€$£+.,:'/-]+")
# A sentence ends at "!", "?" or a full stop after a word (not an abbreviation like "tlf." or
# "nr.") followed by a capital letter.
SENTENCE_END = re.compile(r"[!?](?=\s)|(?:(?<=[^\W\d_]{4})|(?<=\d))\.(?=\s+[A-ZÆØÅÄÖ])")
NUMBER_WORDS = frozenset("number no no. nr nr. id nummer nummeret numret".split())
NUMBER_HEADS = frozenset("customer kunde kund member medlem account client klient".split())
# A record's own id ("Contact ID", "kunde-id", "Sags-ID", "userid" as a helpdesk or survey tool
# names it) is a reference, though "contact" alone leans to a phone: "id" only, since "contact
# number" is one.
RECORD_HEADS = NUMBER_HEADS | frozenset(
    """contact kontakt user bruger användare bruker brukar requester respondent recipient
    sag sags sak saks ärende ärendets""".split()
)
RECORD_ID = re.compile(r"(?P<head>[^\W\d_]+)[-_.]?id")


def cue_of_word(word: str) -> Cue | None:
    """The kind of cue one lower-cased word gives, or None."""
    word = word.strip(",;:()[]\"'")
    for form in (word, word.rstrip(".")):
        if not form:
            return None
        record = RECORD_ID.fullmatch(form)
        if record and record.group("head") in RECORD_HEADS:
            return "reference"
        if form in ID_WORDS or form.startswith(CPR_STARTS):
            return "id"
        if form in PHONE_WORDS and form not in WEAK_PHONE_WORDS:
            return "phone"
        if form.startswith(PHONE_STARTS):
            return "phone"
        if form in REFERENCE_WORDS or form.startswith(REFERENCE_STARTS):
            return "reference"
        if form in AMOUNT_WORDS:
            return "amount"
    return None


def number_cue(text: str, start: int, end: int) -> tuple[Cue | None, int]:
    """The cue that decides how the number at text[start:end] is read, and how far it is: the
    words between cue and number before it (0: right next to it), six or more after it."""
    before = text[max(0, start - WINDOW_CHARS) : start]
    if before.rstrip().endswith("#"):
        return "reference", 0
    ends = list(SENTENCE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    words = [w.lower() for w in WORD.findall(before)[-WORDS_BEFORE:]]
    weak = None
    for distance, word in enumerate(reversed(words)):
        cue = cue_of_word(word)
        if cue:
            return cue, distance
        if word.strip(",;:.") in WEAK_PHONE_WORDS and weak is None:
            weak = distance
        previous = words[-distance - 2] if distance + 1 < len(words) else ""
        head = previous.strip(",;:")
        if word.strip(",;:") in NUMBER_WORDS and head in NUMBER_HEADS:
            return "reference", distance + 1
        if word.strip(",;:.") == "id" and head in RECORD_HEADS:
            return "reference", distance + 1
    after = text[end : end + WINDOW_CHARS]
    after_end = SENTENCE_END.search(after)
    if after_end:
        after = after[: after_end.start()]
    # A cue after the number counts as farther away than any cue before it.
    for index, word in enumerate(WORD.findall(after.lower())[:WORDS_AFTER]):
        cue = cue_of_word(word)
        if cue:
            return cue, WORDS_BEFORE + index
        if word.strip(",;:.") in WEAK_PHONE_WORDS and weak is None:
            weak = WORDS_BEFORE + index
    return ("phone", weak) if weak is not None else (None, WORDS_BEFORE + WORDS_AFTER)
