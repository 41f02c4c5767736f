"""Theme keywords per language: spaCy lemmas without stop words, ranked by class-based TF-IDF.

Comments are split by spaCy's rules (`cxtext.themes.tokenize`, read from a per-machine file)
and their words looked up in spaCy's lemma tables (`cxtext.themes.lemma_lookup`, SQLite): a
scheduled run lemmatising its new comments does not import spaCy once both files exist.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import accumulate

from cxtext.imports import spacy
from cxtext.languages import LANGUAGES, with_fallback
from cxtext.themes import tokenize
from cxtext.themes.lemma_lookup import lemma_lookup

# a text's content lemmas, and per content word: its token's index, first and end character
Written = tuple[list[str], array]
WORD = re.compile(r"^[^\W\d_][\w\-]*$")
MAX_TEXT = 1_000_000  # spaCy's default nlp.max_length
MASKED = re.compile(r"<([^\W\d_]+)>|\[([^\W\d_]+)\]")  # "<URL>", "[NAVN]": see _placeholder
LOOKUP_TEXTS = 2000  # texts tokenised before their words are looked up in the lemma table
LEMMA_RULES = 3  # bump when `lemmas` changes what it returns: cached lemmas are then redone


@cache
def lemma_table(lang: str) -> dict[str, str]:
    """spacy-lookups-data's `lemma_lookup` table as a plain dict ({} where there is none).

    It is exactly the table spaCy's lookup lemmatizer consults (token text → lemma), read
    straight from the JSON: spaCy's own `Lookups` hashes every entry into a Bloom-filtered
    table first, ~1.5 s per language on every run for the same answers.
    """
    util = spacy().util
    try:
        data = util.registry.lookups.get(with_fallback(lang))
        return dict(util.load_language_data(data["lemma_lookup"]))
    except Exception:  # no table for this language: keep lower-cased tokens
        return {}


@cache
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for the language, its fallback's and English's (often mixed into
    Nordic comments), lower-cased; kept with the tokenizer's rules."""
    return frozenset(tokenize.rules(lang)["stops"])


def lemmas(
    texts: Sequence[str], lang: str, written: dict[tuple[str, str], Written] | None = None
) -> list[list[str]]:
    """Lower-cased content lemmas of each text (no stop words, numbers or one-letter tokens).
    The lemma table is asked for the words of `LOOKUP_TEXTS` texts at a time (`lemma_lookup`).
    `written`: filled with each text's `Written` (under (text, lang)), for names shown as
    written, so that they need not split the text again."""
    lang = lang if lang in LANGUAGES else "en"
    result = []
    for start in range(0, len(texts), LOOKUP_TEXTS):
        batch = texts[start : start + LOOKUP_TEXTS]
        found = _written(batch, lang, MAX_TEXT - 1, written is not None)
        result += [lemmas for lemmas, _ in found]
        if written is not None:  # a text cut for spaCy's limit is split whole for names
            written.update(
                ((t, lang), w) for t, w in zip(batch, found, strict=True) if len(t) < MAX_TEXT - 1
            )
    return result


def written_words(texts: Sequence[str], lang: str) -> list[Written]:
    """Each text's `Written`: its content lemmas and where their tokens are in the text."""
    found = []
    for start in range(0, len(texts), LOOKUP_TEXTS):
        found += _written(texts[start : start + LOOKUP_TEXTS], lang, None, True)
    return found


def _written(texts: Sequence[str], lang: str, cut: int | None, spans: bool) -> list[Written]:
    """`Written` of each text (cut to `cut` characters); without `spans`, the lemmas alone."""
    split, stops = tokenize.tokenizer(lang), stop_words(lang)
    docs = [split.tokens(text[:cut]) for text in texts]
    table = lemma_lookup(lang, {word for tokens in docs for word, _ in tokens}, lemma_table)
    found: list[Written] = []
    for tokens in docs:
        content = content_words([word for word, _ in tokens], table, stops)
        where = array("i")
        if spans and content:
            starts = list(accumulate((len(word) + space for word, space in tokens), initial=0))
            for index, _ in content:
                where.extend((index, starts[index], starts[index] + len(tokens[index][0])))
        found.append(([lemma for _, lemma in content], where))
    return found


def content_words(words: Iterable[str], table: dict[str, str], stops: frozenset[str]) -> list:
    """(token index, lower-cased lemma) of each content word of a text's token texts: no stop
    words, numbers, tokens of one or two letters or PII placeholders ("[CARD]" named a theme
    "Card], iban")."""
    words = list(words)
    found = []
    for i, word in enumerate(words):
        lemma = (table.get(word) or word).lower()
        content = len(lemma) > 2 and WORD.match(lemma) and not {lemma, word.lower()} & stops
        if content and not _placeholder(words, i):
            found.append((i, lemma))
    return found


def without_placeholders(text: str) -> str:
    """The text without the placeholders `_placeholder` finds, for words read off it whole."""
    return MASKED.sub(lambda m: " " if _masked(m.group(1) or m.group(2)) else m.group(0), text)


def _masked(word: str) -> bool:
    """A placeholder's name: capitals, as cxtext.pii writes its own ("[ACCOUNT]", "[ID]") and
    exports mask theirs ("<URL>", "[NAVN]")."""
    return word.isupper() and len(word) > 1


def _placeholder(words: list[str], index: int) -> bool:
    """Is words[index] the name inside a placeholder: cxtext's own "[", "CARD", "]", or one in
    capitals that an export masked with: "<URL>", "<HASCHTAG>", "[NAVN]" (named 7 of 110 themes
    of 40,000 Swedish comments "Kvinna <url", "Haschtag> <url")?"""
    if not 0 < index < len(words) - 1:
        return False
    word, brackets = words[index], (words[index - 1], words[index + 1])
    return brackets in (("[", "]"), ("<", ">")) and _masked(word)


def lemmatizer_version() -> str:
    """What `lemmas` results depend on, to key cached lemmas by (without importing spaCy)."""
    from importlib.metadata import version

    return f"rules {LEMMA_RULES}, spacy {version('spacy')}, lookups {version('spacy-lookups-data')}"


def comment_lemmas(
    texts: Sequence[str],
    langs: Sequence[str],
    written: dict[tuple[str, str], Written] | None = None,
) -> list[list[str]]:
    """`lemmas` of each comment in its own language; [] where keywords skip the language.
    Each distinct text is lemmatised once per language (a 100k input repeats most texts).
    `written`: filled as `lemmas` fills it."""
    result: list[list[str]] = [[] for _ in texts]
    for lang, indices in sorted(_keyword_rows(langs).items()):
        distinct = list(dict.fromkeys(texts[i] for i in indices))
        found = dict(zip(distinct, lemmas(distinct, lang, written), strict=True))
        for index in indices:
            result[index] = list(found[texts[index]])
    return result


def theme_keywords(
    texts: Sequence[str],
    langs: Sequence[str],
    theme_ids: Sequence[str],
    top_n: int = 6,
    known_lemmas: Sequence[list[str]] | None = None,
) -> dict[str, dict[str, list[str]]]:
    """Keywords per theme and language: {theme_id: {lang: [lemma, ...]}}, best first.

    A lemma shared by several languages of one theme (e.g. "app") is kept only where it
    scores highest, so the same word is not repeated across languages. `known_lemmas`: the
    comments' `comment_lemmas`, when already at hand.
    """
    docs = comment_lemmas(texts, langs) if known_lemmas is None else known_lemmas
    scored: dict[str, dict[str, list[tuple[float, str]]]] = defaultdict(dict)
    for lang, indices in sorted(_keyword_rows(langs).items()):
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for index in indices:
            counts[theme_ids[index]].update(set(docs[index]))
        for theme_id, ranked in _class_tfidf(counts).items():
            scored[theme_id][lang] = ranked
    return {theme_id: _dedupe(per_lang, top_n) for theme_id, per_lang in scored.items()}


def _keyword_rows(langs: Sequence[str]) -> dict[str, list[int]]:
    """Row numbers per keyword language (other languages get no keywords)."""
    by_lang: dict[str, list[int]] = defaultdict(list)
    for index, lang in enumerate(langs):
        if lang in LANGUAGES:
            by_lang[lang].append(index)
    return by_lang


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
