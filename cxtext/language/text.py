"""Word tokens and diacritic folding shared by the detector and its build script."""

from __future__ import annotations

import re

TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
ADDRESS = re.compile(
    r"\S*(?:https?://|www\.|@)\S*|\S+\.(?:com|org|net|pdf|jpg|png|docx?|xlsx?)\b", re.I
)

# Two usual ways of typing Nordic letters without them: "aa/ae/oe" and the bare vowel.
_FOLD_DOUBLE = str.maketrans(
    {"å": "aa", "æ": "ae", "ø": "oe", "ä": "ae", "ö": "oe", "é": "e", "ü": "ue"}
)
_FOLD_SINGLE = str.maketrans(
    {"å": "a", "æ": "ae", "ø": "o", "ä": "a", "ö": "o", "é": "e", "ü": "u"}
)
_DIACRITICS = frozenset("åæøäöéü")


def tokenize(text: str) -> list[str]:
    """Lower-cased letter tokens; digits, punctuation, symbols and web/e-mail addresses go."""
    text = text.lower().replace("’", "'")
    if "." in text or "@" in text:
        text = ADDRESS.sub(" ", text)
    return TOKEN.findall(text)


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
    the writer's language. None in a text written all in capitals, where case says nothing."""
    if text[1:].islower() or not any(ch.islower() for ch in text):
        return []
    text = text.replace("’", "'")
    if "." in text or "@" in text:
        text = ADDRESS.sub(" ", text)
    positions = []
    for k, match in enumerate(TOKEN.finditer(text)):
        if match.group()[0].isupper():
            before = text[: match.start()].rstrip(_OPENERS)
            if before and before[-1] not in _SENTENCE_ENDS:
                positions.append(k)
    return positions


def folded_spellings(word: str) -> set[str]:
    """Spellings of `word` typed without Nordic diacritics (empty when it has none)."""
    if not _DIACRITICS.intersection(word):
        return set()
    return {word.translate(_FOLD_DOUBLE), word.translate(_FOLD_SINGLE)}


def char_ngrams(word: str, sizes: tuple[int, ...] = (2, 3, 4, 5)) -> list[str]:
    """Character n-grams of a word padded with boundary marks."""
    padded = f"<{word}>"
    return [padded[i : i + n] for n in sizes for i in range(len(padded) - n + 1)]
