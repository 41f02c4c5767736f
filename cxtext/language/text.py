"""Word tokens and diacritic folding shared by the detector and its build script."""

from __future__ import annotations

import itertools
import re

# Raised when `tokenize` changes what it keeps, so that scores cached in a state folder are redone
TOKENS_VERSION = 2  # 2: masks are no tokens
TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
ADDRESS = re.compile(
    r"\S*(?:https?://|www\.|@)\S*|\S+\.(?:com|org|net|pdf|jpg|png|docx?|xlsx?)\b", re.I
)
# What every ADDRESS match contains: a quick search for it spares most texts the slow pattern.
_ADDRESS_HINT = re.compile(r"https?://|www\.|@|\.(?:com|org|net|pdf|jpg|png|docx?|xlsx?)\b", re.I)
# Masks an export or cxtext's PII redaction writes in place of words ('XXXX XXXX', 'XX/XX/XXXX',
# '[EMAIL]'): no evidence of any language. 8 of 1,638 English CFPB complaints, many masks, read
# as Danish, at confidence 1.0, from the character n-grams of 'xxxx'.
MASK = re.compile(r"(?<![^\W\d_])[Xx]{2,}(?![^\W\d_])|\[[A-Z]+\]")

# Two usual ways of typing Nordic letters without them: "aa/ae/oe" and the bare vowel.
_FOLD_DOUBLE = str.maketrans(
    {"å": "aa", "æ": "ae", "ø": "oe", "ä": "ae", "ö": "oe", "é": "e", "ü": "ue"}
)
_FOLD_SINGLE = str.maketrans(
    {"å": "a", "æ": "ae", "ø": "o", "ä": "a", "ö": "o", "é": "e", "ü": "u"}
)
_DIACRITICS = frozenset("åæøäöéü")


def tokenize(text: str) -> list[str]:
    """Lower-cased letter tokens; digits, punctuation, symbols, web/e-mail addresses and masks
    go."""
    return TOKEN.findall(_without_addresses(text).lower())


def _without_addresses(text: str) -> str:
    text = text.replace("’", "'")
    text = ADDRESS.sub(" ", text) if _ADDRESS_HINT.search(text) else text
    # substring tests first: a regular expression search on every text cost 5% of the speed
    masked = "xx" in text or "XX" in text or "[" in text
    return MASK.sub(" ", text) if masked else text


QUOTED = re.compile(r'«[^«»]*»|"[^"]*"|“[^“”]*”|„[^„“”]*[“”]')
_QUOTE_MARKS = frozenset('«"“„')


def tokenize_quoted(text: str) -> tuple[list[str], list[int]]:
    """Tokens, and the positions of those inside quotation marks: a title or a quoted message
    ("Error, try again") says less about the writer's language. A text that is all quote, or
    has none, gets no positions."""
    if _QUOTE_MARKS.isdisjoint(text):
        return tokenize(text), []
    tokens: list[str] = []
    inside: list[int] = []
    position = 0
    for match in QUOTED.finditer(text):
        tokens += tokenize(text[position : match.start()])
        quote = tokenize(match.group())
        inside += range(len(tokens), len(tokens) + len(quote))
        tokens += quote
        position = match.end()
    tokens += tokenize(text[position:])
    return tokens, inside if len(inside) < len(tokens) else []


_OPENERS = " \t\r\n\"'«“„(*-–—"
_SENTENCE_ENDS = frozenset(".!?:;")


def capitalised_inside(text: str) -> list[int]:
    """Positions (as `tokenize` counts them) of words written with a capital letter inside a
    sentence: names, brands and titles ("find filmen Louder Than Bombs"), which need not be in
    the writer's language, with up to two small words between two capitalised ones ("Church of
    the Truly Warped"). None in a text written all in capitals, where case says nothing."""
    if text[1:].islower() or text.isupper():
        return []
    text = _without_addresses(text)
    marked = []  # capitalised words inside a sentence
    end = 0
    for k, match in enumerate(TOKEN.finditer(text)):
        if match.group()[0].isupper():
            gap = text[end : match.start()].rstrip(_OPENERS)
            if (gap[-1] not in _SENTENCE_ENDS) if gap else k > 0:
                marked.append(k)
        end = match.end()
    positions = list(marked)
    for left, right in itertools.pairwise(marked):
        if 1 < right - left <= 3:
            positions += range(left + 1, right)
    return sorted(positions)


def folded_spellings(word: str) -> set[str]:
    """Spellings of `word` typed without Nordic diacritics (empty when it has none)."""
    if not _DIACRITICS.intersection(word):
        return set()
    return {word.translate(_FOLD_DOUBLE), word.translate(_FOLD_SINGLE)}


_ACCENT = str.maketrans({"é": "e"})


def without_accent(word: str) -> str:
    """`word` without the acute accent, which Danish and Norwegian both write optionally ("idé",
    "kontrollér", "annullér"): it says nothing about which of the two a word is."""
    return word.translate(_ACCENT) if "é" in word else word


def char_ngrams(word: str, sizes: tuple[int, ...] = (2, 3, 4, 5)) -> list[str]:
    """Character n-grams of a word padded with boundary marks."""
    padded = f"<{word}>"
    return [padded[i : i + n] for n in sizes for i in range(len(padded) - n + 1)]
