"""Write tests/fixtures/pii_hard_cases.csv: identifiers with no context word and beside the
reference words that used to rescue them, in da, sv, nb, nn and en, plus look-alikes.

    python scripts/make_pii_hard_set.py [--seed 2026] [--out tests/fixtures/pii_hard_cases.csv]

Check digits are computed here from the published rules (CPR date, Luhn for personnummer and
cards, the two modulus-11 digits of a fødselsnummer, IBAN mod 97), independently of
`cxtext.pii`, so the set can catch the detector's mistakes. Look-alikes are numbers of the same
length that fail the shape or the checksum, references that no checksum settles (eight-digit
order numbers beside "ordre"), amounts, dates and times. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "pii_hard_cases.csv"

CONTEXTS = {
    "da": ["", "kundenummer", "ordre", "sag", "reference"],
    "sv": ["", "kundnummer", "order", "ärende", "referens"],
    "nb": ["", "kundenummer", "ordre", "sak", "referanse"],
    "nn": ["", "kundenummer", "ordre", "sak", "referanse"],
    "en": ["", "customer number", "order", "case", "reference"],
}
FRAMES = {
    "da": [
        "{ctx} {num} – fakturaen er forkert igen",
        "Jeg har skrevet {ctx} {num} tre gange uden svar",
        "Hvorfor står {ctx} {num} på brevet fra jer?",
    ],
    "sv": [
        "{ctx} {num} – fakturan är fel igen",
        "Jag har skrivit {ctx} {num} tre gånger utan svar",
        "Varför står {ctx} {num} på brevet från er?",
    ],
    "nb": [
        "{ctx} {num} – fakturaen er feil igjen",
        "Jeg har skrevet {ctx} {num} tre ganger uten svar",
        "Hvorfor står {ctx} {num} på brevet fra dere?",
    ],
    "nn": [
        "{ctx} {num} – fakturaen er feil igjen",
        "Eg har skrive {ctx} {num} tre gonger utan svar",
        "Kvifor står {ctx} {num} på brevet frå dykk?",
    ],
    "en": [
        "{ctx} {num} – the invoice is wrong again",
        "I have written {ctx} {num} three times without an answer",
        "Why does {ctx} {num} appear on your letter?",
    ],
}


def luhn_digit(body: str) -> str:
    """The digit that makes body + digit pass Luhn."""
    total = 0
    for position, char in enumerate(reversed(body)):
        value = int(char)
        if position % 2 == 0:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return str((10 - total % 10) % 10)


def random_date(rng: random.Random, first: int, last: int) -> tuple[int, int, int]:
    year = rng.randint(first, last)
    month = rng.randint(1, 12)
    return year, month, rng.randint(1, calendar.monthrange(year, month)[1])


def cpr(rng: random.Random) -> str:
    """DDMMYY-SSSS of someone born 1940-1999 (7th digit 0-3: 1900s); no modulus 11."""
    year, month, day = random_date(rng, 1940, 1999)
    serial = f"{rng.randint(0, 3)}{rng.randint(0, 999):03d}"
    separator = rng.choice(["-", ""])
    return f"{day:02d}{month:02d}{year % 100:02d}{separator}{serial}"


def personnummer(rng: random.Random) -> str:
    """YYMMDD-NNNC or YYYYMMDDNNNC (Luhn on the last ten); samordningsnummer adds 60 to the day."""
    year, month, day = random_date(rng, 1940, 1999)
    day += 60 if rng.random() < 0.25 else 0
    body = f"{year % 100:02d}{month:02d}{day:02d}{rng.randint(0, 999):03d}"
    number = body + luhn_digit(body)
    if rng.random() < 0.3:
        return f"{year // 100}{number}"
    return f"{number[:6]}-{number[6:]}"


def fodselsnummer(rng: random.Random) -> str:
    """DDMMYYIIIKK with both modulus-11 control digits (D-nummer: day + 40)."""
    weights_1, weights_2 = (3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        year, month, day = random_date(rng, 1940, 1999)
        day += 40 if rng.random() < 0.25 else 0
        digits = [int(c) for c in f"{day:02d}{month:02d}{year % 100:02d}{rng.randint(0, 499):03d}"]
        controls = []
        for weights in (weights_1, weights_2):
            control = 11 - sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
            control = 0 if control == 11 else control
            digits.append(control)
            controls.append(control)
        if 10 not in controls:
            number = "".join(map(str, digits))
            return number if rng.random() < 0.7 else f"{number[:6]} {number[6:]}"


def card(rng: random.Random) -> str:
    """Visa, Mastercard, Dankort (16, in fours or one block) or Amex (15, 4-6-5)."""
    prefix, length = rng.choice([("4", 16), ("5", 16), ("5019", 16), ("37", 15), ("34", 15)])
    if prefix == "5":
        prefix = str(rng.randint(51, 55))
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    number = body + luhn_digit(body)
    if length == 15:
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    return " ".join(number[i : i + 4] for i in range(0, 16, 4)) if rng.random() < 0.7 else number


IBAN_BBAN = {"DK": 14, "SE": 20, "NO": 11, "FI": 14, "DE": 18}


def iban(rng: random.Random) -> str:
    country = rng.choice(sorted(IBAN_BBAN))
    bban = "".join(str(rng.randint(0, 9)) for _ in range(IBAN_BBAN[country]))
    check = 98 - int("".join(str(int(c, 36)) for c in bban + country + "00")) % 97
    compact = f"{country}{check:02d}{bban}"
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def phone(rng: random.Random) -> str:
    """A number with a Nordic country code, written as people write them."""
    digits = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))  # noqa: E731
    return rng.choice(
        [
            f"+45 {rng.randint(2, 9)}{digits(1)} {digits(2)} {digits(2)} {digits(2)}",
            f"+46 70 {digits(3)} {digits(2)} {digits(2)}",
            f"+47 {rng.randint(4, 9)}{digits(2)} {digits(2)} {digits(3)}",
            f"0045 {rng.randint(2, 9)}{digits(7)}",
            f"+358 40 {digits(3)} {digits(4)}",
        ]
    )


POSITIVES = {
    "ID": [cpr, personnummer, fodselsnummer],
    "CARD": [card],
    "IBAN": [iban],
    "PHONE": [phone],
}


def look_alike(rng: random.Random) -> str:
    """A number that fails an identifier's shape or checksum, or no identifier at all."""
    kind = rng.choice(["ten", "eleven", "card", "iban", "amount", "date", "time"])
    if kind == "ten":  # no DDMMYY date and no YYMMDD date: day 32-59 both ways
        day, month, year = rng.randint(32, 59), rng.randint(1, 12), rng.randint(32, 59)
        return f"{day}{month:02d}{year}{rng.randint(0, 9999):04d}"
    if kind == "eleven":  # a fødselsnummer with its last control digit off by one
        number = fodselsnummer(rng).replace(" ", "")
        return number[:10] + str((int(number[10]) + 1) % 10)
    if kind == "card":
        number = card(rng).replace(" ", "")
        number = number[:-1] + str((int(number[-1]) + 1) % 10)
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    if kind == "iban":
        good = iban(rng)
        wrong = (int(good[2:4]) + 1) % 100
        return f"{good[:2]}{wrong:02d}{good[4:]}"
    if kind == "amount":
        return rng.choice(
            [f"{rng.randint(1, 99)}.{rng.randint(100, 999)} kr", f"{rng.randint(1, 99)} 500 kr"]
        )
    if kind == "date":
        year, month, day = random_date(rng, 2019, 2026)
        return rng.choice([f"{year}-{month:02d}-{day:02d}", f"{day:02d}.{month:02d}.{year}"])
    return f"kl. {rng.randint(7, 21):02d}:{rng.choice(['00', '15', '30', '45'])}"


def reference(rng: random.Random) -> str:
    """An eight-digit order or case number: no checksum settles it, the word beside it does."""
    return f"{rng.randint(2, 9)}{rng.randint(0, 9_999_999):07d}"


def rows(seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    out = []
    for lang, contexts in CONTEXTS.items():
        frames = FRAMES[lang]
        for kind, makers in POSITIVES.items():
            for maker in makers:
                for index, context in enumerate(contexts):
                    frame = frames[index % len(frames)]
                    number = maker(rng)
                    text = _fill(frame, context, number)
                    note = (
                        f"{maker.__name__} {'no context' if not context else 'beside ' + context}"
                    )
                    out.append(_row(text, lang, _fill(frame, context, f"[{kind}]"), note))
        for index in range(12):
            context = contexts[index % len(contexts)]
            frame = frames[index % len(frames)]
            number = look_alike(rng)
            out.append(_row(_fill(frame, context, number), lang, None, "keep: look-alike"))
        for context in contexts[2:]:
            text = _fill(frames[0], context, reference(rng))
            out.append(_row(text, lang, None, f"keep: reference beside {context}"))
    return out


def _fill(frame: str, context: str, number: str) -> str:
    text = frame.format(ctx=context, num=number).replace("  ", " ").strip()
    return text[0].upper() + text[1:]


def _row(text: str, lang: str, expected: str | None, note: str) -> dict[str, str]:
    return {"text": text, "lang": lang, "expected": expected or text, "note": note}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    cases = rows(args.seed)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["text", "lang", "expected", "note"])
        writer.writeheader()
        writer.writerows(cases)
    keep = sum(case["note"].startswith("keep") for case in cases)
    print(
        f"wrote {len(cases)} cases ({len(cases) - keep} identifiers, {keep} to keep) to {args.out}"
    )


if __name__ == "__main__":
    main()
