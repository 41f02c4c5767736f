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


def folded_spellings(word: str) -> set[str]:
    """Spellings of `word` typed without Nordic diacritics (empty when it has none)."""
    if not _DIACRITICS.intersection(word):
        return set()
    return {word.translate(_FOLD_DOUBLE), word.translate(_FOLD_SINGLE)}


def char_ngrams(word: str, sizes: tuple[int, ...] = (2, 3, 4, 5)) -> list[str]:
    """Character n-grams of a word padded with boundary marks."""
    padded = f"<{word}>"
    return [padded[i : i + n] for n in sizes for i in range(len(padded) - n + 1)]
