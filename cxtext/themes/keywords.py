"""Theme keywords per language: spaCy lemmas without stop words, ranked by class-based TF-IDF."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import cache

import spacy
from spacy.language import Language

KEYWORD_LANGUAGES = ("da", "sv", "nb", "nn", "en")
LEMMA_TABLE = {"nn": "nb"}  # Nynorsk has no lookup table of its own; Bokmål's is the closest
WORD = re.compile(r"^[^\W\d_][\w\-]*$")


@cache
def _pipeline(lang: str) -> Language:
    """A blank spaCy pipeline with a lookup lemmatizer from spacy-lookups-data, where one exists."""
    nlp = spacy.blank(lang)
    table_lang = LEMMA_TABLE.get(lang, lang)
    try:
        lookup = spacy.blank(table_lang)
        lookup.add_pipe("lemmatizer", config={"mode": "lookup"})
        lookup.initialize()
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.get_pipe("lemmatizer").lookups = lookup.get_pipe("lemmatizer").lookups
    except Exception:  # no table for this language: keep lower-cased tokens
        pass
    return nlp


@cache
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for the language plus English (often mixed into Nordic comments)."""
    words = set(spacy.blank(lang).Defaults.stop_words) | set(spacy.blank("en").Defaults.stop_words)
    if lang == "nn":
        words |= set(spacy.blank("nb").Defaults.stop_words)
    return frozenset(w.lower() for w in words)


def lemmas(texts: Sequence[str], lang: str) -> list[list[str]]:
    """Lower-cased content lemmas of each text (no stop words, numbers or one-letter tokens)."""
    lang = lang if lang in KEYWORD_LANGUAGES else "en"
    nlp, stops = _pipeline(lang), stop_words(lang)
    result = []
    for doc in nlp.pipe((text[: nlp.max_length - 1] for text in texts), batch_size=256):
        words = []
        for token in doc:
            lemma = (token.lemma_ or token.text).lower()
            if len(lemma) > 2 and WORD.match(lemma) and not {lemma, token.lower_} & stops:
                words.append(lemma)
        result.append(words)
    return result


def theme_keywords(
    texts: Sequence[str],
    langs: Sequence[str],
    theme_ids: Sequence[str],
    top_n: int = 6,
) -> dict[str, dict[str, list[str]]]:
    """Keywords per theme and language: {theme_id: {lang: [lemma, ...]}}, best first.

    A lemma shared by several languages of one theme (e.g. "app") is kept only where it
    scores highest, so the same word is not repeated across languages.
    """
    by_lang: dict[str, list[int]] = defaultdict(list)
    for index, lang in enumerate(langs):
        if lang in KEYWORD_LANGUAGES:
            by_lang[lang].append(index)
    scored: dict[str, dict[str, list[tuple[float, str]]]] = defaultdict(dict)
    for lang, indices in sorted(by_lang.items()):
        docs = lemmas([texts[i] for i in indices], lang)
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for index, words in zip(indices, docs, strict=True):
            counts[theme_ids[index]].update(set(words))
        for theme_id, ranked in _class_tfidf(counts).items():
            scored[theme_id][lang] = ranked
    return {theme_id: _dedupe(per_lang, top_n) for theme_id, per_lang in scored.items()}


def _class_tfidf(counts: dict[str, Counter[str]]) -> dict[str, list[tuple[float, str]]]:
    """BERTopic's c-TF-IDF: tf within the theme times log(1 + mean words per theme / frequency)."""
    totals: Counter[str] = Counter()
    for counter in counts.values():
        totals.update(counter)
    mean_words = sum(totals.values()) / max(1, len(counts))
    ranked = {}
    for theme_id, counter in counts.items():
        size = sum(counter.values()) or 1
        scores = [
            (count / size * math.log(1 + mean_words / totals[word]), word)
            for word, count in counter.items()
        ]
        ranked[theme_id] = sorted(scores, key=lambda item: (-item[0], item[1]))
    return ranked


def _dedupe(per_lang: dict[str, list[tuple[float, str]]], top_n: int) -> dict[str, list[str]]:
    best_lang: dict[str, tuple[float, str]] = {}
    for lang, ranked in per_lang.items():
        for score, word in ranked[: top_n * 2]:
            if word not in best_lang or score > best_lang[word][0]:
                best_lang[word] = (score, lang)
    return {
        lang: words
        for lang in sorted(per_lang)
        if (
            words := [w for _, w in per_lang[lang] if best_lang.get(w, (0, lang))[1] == lang][
                :top_n
            ]
        )
    }
