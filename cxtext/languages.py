"""The languages cxtext reads, and which one stands in where a language lacks a resource.

Danish, Swedish, Norwegian Bokmål and Nynorsk, and English (often mixed into Nordic comments).
Nynorsk has no lemma table and no stop-word list of its own, and its writers are a minority in
almost any file: Bokmål, the closest, stands in for it.
"""

from __future__ import annotations

LANGUAGES = ("da", "sv", "nb", "nn", "en")
LANGUAGE_NAMES = {
    "da": "Danish",
    "sv": "Swedish",
    "nb": "Norwegian Bokmål",
    "nn": "Norwegian Nynorsk",
    "en": "English",
}
AUTO_LABEL = "auto"  # --label-language: the run's most common language
LABEL_LANGUAGES = (*LANGUAGES, AUTO_LABEL)
FALLBACK = {"nn": "nb"}


def with_fallback(lang: str) -> str:
    """The language whose resources `lang` uses: its fallback, or itself."""
    return FALLBACK.get(lang, lang)
