"""Lexical layer: negation-aware polarity words, intensifiers and wish markers per language."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from cxtext.config import MODELS_DIR
from cxtext.languages import LANGUAGES

LEXICON_PATH = MODELS_DIR / "sentiment" / "lexicon.toml"
CUE_RULES = 5  # bump when the cue counting changes what it returns for the same lexicon
# no_wish: phrases with a wish word that state no wish ("om man önskar", "if desired");
# again: a return ("igen", "again") that turns a wish just before it into loyalty;
# gladly: "gärna/gerne/gjerne", a wish with a modal or an imperative ("skulle gärna se",
# "skriv gärna"), praise with a verb in the present tense ("handlar gärna", "anbefaler gerne");
# opening_wish: a wish only where it opens a sentence ("Inför ett bonusprogram!");
# named_wish: a noun that names a wish ("förslag", "möjlighet att"): a wish marker for the
# sentiment, but a request only where it opens a sentence or follows a colon ("Förslag: ...").
CATEGORIES = (
    "positive",
    "negative",
    "negation",
    "intensifiers",
    "wish",
    "contrast",
    "no_wish",
    "again",
    "gladly",
    "opening_wish",
    "named_wish",
)
SENTENCE_ENDS = frozenset(".!?\n")
CLAUSE_ENDS = SENTENCE_ENDS | {":"}  # a named wish asks after a colon too ("Tips: möjlighet att")
# Nordic present tense ends in -r; these -r verbs still make "gärna" a wish ("ni får gärna")
PRESENT_WISH_VERBS = frozenset({"får", "ser"})
# Between its verb and "gärna" stand a subject after an inverted verb or an object ("handlar jag
# gärna", "anlitar dem gärna"); in a subordinate clause "gärna" comes before the verb, after the
# subject or the subordinator ("att jag gärna rekommenderar", "som gärna hjälper").
PRONOUNS = frozenset(
    {
        *("jag", "du", "han", "hon", "vi", "ni", "de", "dom", "man", "den", "det"),
        *("mig", "dig", "honom", "henne", "oss", "er", "dem", "sig"),
        *("jeg", "hun", "os", "jer", "meg", "deg", "dere", "seg"),
        *("eg", "ho", "me", "dei", "dykk"),
    }
)
SUBORDINATORS = frozenset(
    {
        *("att", "som", "när", "om", "eftersom", "vilket", "där"),
        *("at", "når", "hvis", "fordi", "hvor", "der", "viss", "kor"),
    }
)
AGAIN_SCOPE = 6  # "would love to shop here again": the return within this many words
# Which word lists a comment in each language is read with (Danish and Norwegian share many
# words, and Nordic comments often switch to English); unknown languages get every list.
LANGUAGE_LISTS = {
    "da": ("da", "nb", "en"),
    "nb": ("nb", "da", "nn", "en"),
    "nn": ("nn", "nb", "en"),
    "sv": ("sv", "en"),
    "en": ("en",),
}
# English polarity words a Nordic comment is also read with: long ones, and a few short ones
# that are no Nordic word ("fast" is "though" in Swedish, "bad" is "bath", "love" is "promise").
BORROWED_MIN_LENGTH = 5
BORROWED_SHORT = frozenset({"nice", "good", "easy", "rude", "poor", "slow", "best", "cool"})
NEGATION_SCOPE = 3  # words after a negation that it turns around
# A praise word within this many words after a wish marker is the wish's, not praise: "hadde
# vært (veldig) fint med", "would be nice if", "vore smidigt om", "ville være rart hvis".
WISH_PRAISE_SCOPE = 2
INTENSIFIER_BOOST = 0.5
NEGATED_NEGATIVE = 0.5  # "not bad" is mildly positive, "not good" is plainly negative
POSITIVE_EMOJI = frozenset("😊🙂😀😃😄😁👍🙏❤👌🥰😍⭐💯🎉🤩😎💪👏✨♥💚💙")
NEGATIVE_EMOJI = frozenset("😡😠😒😞😤👎🤬😢😭🙄💩😩😫😖😣🤮😕☹")
TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
# Compounds: "superhyggelig" reads as intensifier + word, "påminnelseavgift" by its last part.
COMPOUND_INTENSIFIERS = ("super", "kjempe", "mega", "jätte", "rigtig", "pisse", "skikkelig")
MIN_COMPOUND_HEAD = 4
MIN_COMPOUND_MODIFIER = 3
# A compound is two words; a derivational prefix is no word: "förväntade" (expected) is no
# kind of "väntade" (waited), "forventet" no "ventet", "mistillid" (distrust) no "tillid".
BOUND_PREFIXES = frozenset({"för", "for", "över", "over", "mis", "miss"})
# The suffix "-lös/-løs" (-less) is no head: "respektlöst", "meningsløst" are not "solved".
SUFFIX_HEADS = frozenset({"löst", "løst"})
POLARITY = frozenset({"positive", "negative"})

FEATURES = (
    "positive",
    "negative",
    "wish",
    "contrast",
    "negation",
    "question",
    "exclamation",
    "shouting",
    "mixed",
)


@dataclass
class Matcher:
    """Word lists compiled for matching: exact words, prefixes (`word*`) and phrases."""

    words: dict[str, set[str]] = field(default_factory=dict)
    prefixes: dict[str, set[str]] = field(default_factory=dict)
    phrases: dict[str, list[tuple[tuple[str, ...], bool, str]]] = field(default_factory=dict)
    compounds: bool = True  # read an unknown word by its last part (Nordic compounds)
    _tokens: dict[str, frozenset[str]] = field(default_factory=dict)  # categories seen per word

    def add(self, entry: str, category: str) -> None:
        self._tokens.clear()
        is_prefix = entry.endswith("*")
        tokens = tuple(TOKEN.findall(entry.rstrip("*").lower()))
        if not tokens:
            return
        if len(tokens) > 1:
            self.phrases.setdefault(tokens[0], []).append((tokens, is_prefix, category))
            self.phrases[tokens[0]].sort(key=lambda item: -len(item[0]))
        elif is_prefix:
            self.prefixes.setdefault(tokens[0], set()).add(category)
        else:
            self.words.setdefault(tokens[0], set()).add(category)

    def match(self, tokens: list[str], start: int) -> tuple[int, frozenset[str]]:
        """Categories of the longest entry that starts at `start`, and how many tokens it spans."""
        token = tokens[start]
        for phrase, is_prefix, category in self.phrases.get(token, ()):
            end = start + len(phrase)
            if end <= len(tokens) and _phrase_matches(phrase, tokens[start:end], is_prefix):
                return len(phrase), frozenset({category})
        if token not in self._tokens:
            self._tokens[token] = self._token_categories(token)
        return 1, self._tokens[token]

    def _token_categories(self, token: str) -> frozenset[str]:
        categories = self._word_categories(token)
        shortest = MIN_COMPOUND_MODIFIER + MIN_COMPOUND_HEAD
        if categories or not self.compounds or len(token) < shortest:
            return categories
        for intensifier in COMPOUND_INTENSIFIERS:
            if token.startswith(intensifier):
                head = self._word_categories(token[len(intensifier) :]) & POLARITY
                if head:
                    return head | {"intensified"}
        for split in range(MIN_COMPOUND_MODIFIER, len(token) - MIN_COMPOUND_HEAD + 1):
            if token[:split] in BOUND_PREFIXES or token[split:] in SUFFIX_HEADS:
                continue
            head = self._word_categories(token[split:]) & POLARITY
            if head:
                return head
        return categories

    def _word_categories(self, token: str) -> frozenset[str]:
        categories = set(self.words.get(token, ()))
        for length in range(len(token), 1, -1):
            categories |= self.prefixes.get(token[:length], set())
        return frozenset(categories)


def _phrase_matches(phrase: tuple[str, ...], tokens: list[str], is_prefix: bool) -> bool:
    if is_prefix:
        return list(phrase[:-1]) == tokens[:-1] and tokens[-1].startswith(phrase[-1])
    return list(phrase) == tokens


@cache
def load_matcher(lang: str, path: Path = LEXICON_PATH) -> Matcher:
    """The compiled word lists a comment in `lang` is read with."""
    with path.open("rb") as handle:
        lexicon = tomllib.load(handle)
    matcher = Matcher(compounds=lang != "en")
    for source in LANGUAGE_LISTS.get(lang, LANGUAGES):
        for category in CATEGORIES:
            for entry in lexicon[source].get(category, []):
                if source == "en" != lang and not _borrowable(entry, category):
                    continue
                matcher.add(entry, category)
    return matcher


def _borrowable(entry: str, category: str) -> bool:
    """Whether an English entry is also read in a Nordic comment (code-switching)."""
    word = entry.rstrip("*")
    return category in POLARITY and (len(word) >= BORROWED_MIN_LENGTH or word in BORROWED_SHORT)


def lexical_features(texts: Sequence[str], langs: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """One row of FEATURES per text (word counts damped with log1p), and per text the number of
    negated complaint words ("ikke dårlig"), which the model reads as "no complaint here"."""
    cues = [_cues(text, load_matcher(lang)) for text, lang in zip(texts, langs, strict=True)]
    rows = [_features(text, cue) for text, cue in zip(texts, cues, strict=True)]
    features = np.asarray(rows, dtype=np.float64).reshape(len(texts), len(FEATURES))
    # Only where nothing else complains: "not a broken one" beside "cracked" is still a complaint.
    negated = [cue.negated_negative if cue.negative == 0 else 0.0 for cue in cues]
    return features, np.asarray(negated, dtype=np.float64)


def lexical_rows(texts: Sequence[str], langs: Sequence[str]) -> np.ndarray:
    """`lexical_features` as one float64 row per text (the features, then the negated
    complaint words), for per-comment caches."""
    features, negated = lexical_features(texts, langs)
    return np.column_stack([features, negated])


def cues_version() -> str:
    """What `lexical_rows` depends on besides the text and its language: the lexicon file and
    this code's rules."""
    digest = hashlib.sha256(LEXICON_PATH.read_bytes()).hexdigest()
    return f"lexicon {digest} rules {CUE_RULES} features {FEATURES}"


def polarity(text: str, lang: str) -> tuple[float, float]:
    """Positive and negative evidence of one text, after negation and intensifiers."""
    cues = _cues(text, load_matcher(lang))
    return cues.positive, cues.negative


def _features(text: str, cues: Cues) -> list[float]:
    letters = [char for char in text if char.isalpha()]
    upper = sum(char.isupper() for char in letters)
    shouting = float(len(letters) >= 8 and upper / len(letters) > 0.6)
    mixed = min(cues.positive, cues.negative) if cues.contrast else 0.0
    return [
        np.log1p(cues.positive),
        np.log1p(cues.negative),
        np.log1p(cues.wish),
        float(cues.contrast > 0),
        np.log1p(cues.negations),
        float("?" in text),
        min(text.count("!"), 3) / 3,
        shouting,
        np.log1p(mixed),
    ]


def _gladly_is_wish(
    tokens: list[str], index: int, clause_starts: set[int], matcher: Matcher
) -> bool:
    """Whether "gärna/gerne/gjerne" at `index` asks for something: yes with a modal or an
    imperative ("skulle gärna se", "skriv gärna"), no with a verb in the present tense, which
    ends in -r in the Nordic languages ("köper gärna igen", "handlar jag gärna", "att jag gärna
    använder"). Pronouns and negations between the verb and "gärna" are skipped."""
    if index in clause_starts:
        return True  # "Gärna snabbare svar!": a wish with no verb
    verb = index - 1
    while verb >= 0 and (tokens[verb] in PRONOUNS or _is_negation(tokens, verb, matcher)):
        if verb in clause_starts:
            verb = -1  # the clause opens with its subject: the verb follows "gärna"
            break
        verb -= 1
    if verb < 0 or tokens[verb] in SUBORDINATORS:
        verb = index + 1  # a subordinate clause: "gärna" before its verb
    word = tokens[verb] if verb < len(tokens) else ""
    return not word.endswith("r") or word in PRESENT_WISH_VERBS or word in PRONOUNS


def _is_negation(tokens: list[str], index: int, matcher: Matcher) -> bool:
    return "negation" in matcher.match(tokens, index)[1]


class Cues(NamedTuple):
    """What the word lists found in one text."""

    positive: float
    negative: float
    wish: float
    contrast: float
    negations: float  # negation words that turned no polarity word around ("no one answered")
    negated_negative: float
    requests: float  # the wish markers that ask for something (not a named wish mid-sentence)


def asks_for_something(texts: Sequence[str], langs: Sequence[str]) -> np.ndarray:
    """Per text: does the writer ask for something? A wish marker does, except a noun that names
    a wish inside a sentence, which mostly reports one ("kom med bra förslag", "bra med
    möjlighet att ..."); "Förslag: ..." and "mitt förslag" ask. The sentiment features count
    every wish marker; this decides only whether a positive comment may join a wish theme."""
    asked = [
        _cues(text, load_matcher(lang)).requests > 0
        for text, lang in zip(texts, langs, strict=True)
    ]
    return np.asarray(asked, dtype=bool)


def _openings(lowered: str, found: list[re.Match[str]]) -> tuple[set[int], set[int]]:
    """Indices of the words that open a sentence, and of those that open a sentence or follow
    a colon."""
    ends = [0, *(match.end() for match in found)]
    gaps = [lowered[ends[index] : match.start()] for index, match in enumerate(found)]
    sentences = {i for i, gap in enumerate(gaps) if i == 0 or not SENTENCE_ENDS.isdisjoint(gap)}
    clauses = {i for i, gap in enumerate(gaps) if i == 0 or not CLAUSE_ENDS.isdisjoint(gap)}
    return sentences, clauses


def _cues(text: str, matcher: Matcher) -> Cues:
    """Walk the words once: polarity sums, wish and contrast markers, free negations."""
    lowered = text.lower()
    found = list(TOKEN.finditer(lowered))
    tokens = [match.group() for match in found]
    openings, headed = _openings(lowered, found)
    positive = sum(char in POSITIVE_EMOJI for char in text)
    negative = sum(char in NEGATIVE_EMOJI for char in text)
    wish = contrast = free_negations = negated_negative = requests = 0.0
    asked = 0.0  # whether the last wish marker asked for something (1) or named a wish (0)
    wish_at = -AGAIN_SCOPE - 1  # token index of the last wish marker
    wish_end = -WISH_PRAISE_SCOPE - 1  # token index just after the last wish marker
    negated_for = 0  # tokens left in the current negation's scope
    negator_weight = 0.0  # polarity the negation word itself added, undone if it negates
    boost = 1.0
    index = 0
    while index < len(tokens):
        span, categories = matcher.match(tokens, index)
        if "gladly" in categories:
            wished = _gladly_is_wish(tokens, index, headed, matcher)
            categories = categories | {"wish" if wished else "positive"}
        if "opening_wish" in categories and index in openings:
            categories = categories | {"wish"}
        if "named_wish" in categories:
            asks = float(index in headed)
            categories = categories | {"wish"}
        else:
            asks = float("wish" in categories)
        if "wish" in categories:
            wish, wish_at, wish_end = wish + 1, index, index + span
            requests, asked = requests + asks, asks
        elif "again" in categories and index - wish_at <= AGAIN_SCOPE:
            wish, wish_at = wish - 1, -AGAIN_SCOPE - 1  # "kommer gerne igen": loyalty, no wish
            requests -= asked
        in_wish = 0 <= index - wish_end < WISH_PRAISE_SCOPE
        index += span
        if "contrast" in categories:
            contrast += 1
            negated_for = 0
        if "negation" in categories:
            negated_for, boost = NEGATION_SCOPE + 1, 1.0
            free_negations += 1
            negator_weight = 1.0 if "negative" in categories else 0.0
            negative += negator_weight
        elif categories & {"positive", "negative"}:
            sign = 1.0 if "positive" in categories else -1.0
            if "positive" in categories and "negative" in categories:
                sign = 0.0
            if negated_for > 0:
                negative -= negator_weight
                free_negations -= 1
                negator_weight = 0.0
                negated_for = 0
                sign = -sign
                if sign > 0:
                    sign *= NEGATED_NEGATIVE
                    negated_negative += 1
            if "intensified" in categories:
                boost += INTENSIFIER_BOOST
            if sign > 0 and in_wish:
                sign = 0.0
            if sign > 0:
                positive += sign * boost
            elif sign < 0:
                negative += -sign * boost
            boost = 1.0
        if "intensifiers" in categories and not categories & {"positive", "negative"}:
            boost = 1.0 + INTENSIFIER_BOOST
        negated_for = max(negated_for - 1, 0)
    return Cues(
        positive, negative, wish, contrast, max(free_negations, 0.0), negated_negative, requests
    )
