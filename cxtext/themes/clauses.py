"""Clause boundaries in theme names: a name is a label, not a piece of a sentence.

A name built from the words customers wrote can run over a clause boundary: "Card if i live"
(a subordinator), "Countries you support", "Electrical plug do they use" (a subject pronoun
and its verb), "Card, but the money" (punctuation, a clause's "but"), "Holiday and bit
concerned", "Try and confirm" ("and" opening a second phrase rather than joining two words),
or open on a wish rather than its topic ("Need to activate", "Tried to withdraw"). Without a
part-of-speech tagger (spaCy's pipelines are not installed) the boundaries are read from
closed word classes per language (subordinators, relative and question words, "but",
subject pronouns, coordinators, the infinitive marker) and from how the run's comments use
a word: a verb is a word that mostly follows a subject pronoun or the infinitive marker
("you support", "to cook"; "you accent", a typo for "your", is no clause), a wish verb one
that the infinitive marker mostly follows ("need to", "want to"). Words that are also common
prepositions are left out ("om", "i" in the Nordic languages; Danish "at" is both "that"
and "to").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from cxtext.languages import with_fallback
from cxtext.themes.keywords import stop_words

ENGLISH_OPENERS = (
    "if because when whenever while although though unless until since whether that which who"
    " whom whose where why how what but"
)
OPENERS = {  # words that open a clause (subordinators, relative and question words, "but")
    "en": ENGLISH_OPENERS,
    "da": "hvis fordi når mens selvom skønt som hvor hvordan hvorfor hvad hvem hvilken hvilket"
    " hvilke men",
    "sv": "eftersom därför när medan fast ifall som hur varför vad vem vilken vilket vilka men",
    "nb": "hvis dersom fordi når mens som hvordan hvorfor hva hvem hvilken hvilket hvilke men",
    "nn": "viss dersom fordi når medan som korleis kvifor kva kven men",
}
PRONOUNS = {  # subject pronouns: one before a verb is a clause ("you support")
    "en": "i you he she we they",
    "da": "jeg du han hun vi man",
    "sv": "jag du han hon vi ni man",
    "nb": "jeg du han hun vi dere man",
    "nn": "eg du han ho vi me dei dykk man",
}
COORDINATORS = {"en": "and or", "da": "og eller", "sv": "och eller", "nb": "og eller"}
INFINITIVE = {"en": "to", "da": "at", "sv": "att", "nb": "å", "nn": "å"}
NORDIC_NOT_ENGLISH = {"i"}  # English "I" is "in" in Danish, Swedish and Norwegian
PUNCTUATION = ",;:.!?()"
VERB_SHARE = 0.25  # share of a word's uses after a subject pronoun or "to" that makes it a verb
# (BANKING77, CLINC150: nouns 0-0.16 "card", "account", "transfer"; verbs 0.5-1 "use", "cook")
WISH_SHARE = 0.5  # share of a verb's uses followed by "to" that makes it a wish ("need to")


class Clauses:
    """Where a name in `lang` runs over a clause boundary, read with how the run's comments in
    that language (`texts`) use their words."""

    def __init__(self, lang: str, texts: Iterable[str] = ()) -> None:
        self.lang = lang
        own = lang if lang in OPENERS else with_fallback(lang)
        self.openers = frozenset(OPENERS.get(own, "").split()) | set(ENGLISH_OPENERS.split())
        pronouns = set(PRONOUNS.get(own, "").split())
        if own != "en":  # English mixed into Nordic comments
            pronouns |= set(PRONOUNS["en"].split()) - NORDIC_NOT_ENGLISH
        self.pronouns = frozenset(pronouns)
        coordinators = set(COORDINATORS.get(with_fallback(lang), "").split())
        self.coordinators = frozenset(coordinators | set(COORDINATORS["en"].split()))
        self.marker = INFINITIVE.get(own, "to")
        self.stops = stop_words(lang)
        self.uses: Counter[str] = Counter()
        self.after_subject: Counter[str] = Counter()  # after a subject pronoun or the marker
        self.before_marker: Counter[str] = Counter()
        for text, rows in Counter(texts).items():  # each distinct text read once
            self._count(_words(text), rows)

    def _count(self, words: list[str], rows: int) -> None:
        for word in words:
            self.uses[word] += rows
        for before, word in zip(words, words[1:], strict=False):
            if before == self.marker or _pronoun(before) in self.pronouns:
                self.after_subject[word] += rows
            if word == self.marker:
                self.before_marker[before] += rows

    def verb(self, word: str, unseen: bool = True) -> bool:
        """Mostly after a subject pronoun or the infinitive marker in the run's comments;
        `unseen`: what a word the comments do not hold is taken for."""
        uses = self.uses[word]
        return self.after_subject[word] >= VERB_SHARE * uses if uses else unseen

    def wish(self, word: str) -> bool:
        """A verb the infinitive marker mostly follows ("need", "want", "tried")."""
        uses = self.uses[word]
        return bool(uses) and self.verb(word) and self.before_marker[word] >= WISH_SHARE * uses

    def is_fragment(self, name: str) -> bool:
        """Does `name` open on a wish ("Need to") or run over a clause boundary: punctuation
        between its words, a clause opener after its first word, a subject pronoun before a
        verb or "to" (or contracted: "i'm"), a coordinator that joins more than two words or
        two verbs?"""
        tokens = name.split()
        return self._wish(tokens) or self._boundary(tokens) is not None

    def head(self, name: str) -> str:
        """`name` without a wish it opens on and cut before its first clause boundary, without
        the stop words it then starts or ends on; "" where fewer than two words are left."""
        tokens = name.split()
        if self._wish(tokens):
            tokens = tokens[2:]
        end = self._boundary(tokens)
        kept = [_words(token) for token in (tokens if end is None else tokens[:end])]
        while kept and (not kept[-1] or kept[-1][-1] in self.stops):
            kept.pop()
        if len(kept) < 2 or not kept[0] or kept[0][0] in self.stops:
            return ""
        text = " ".join(tokens[: len(kept)]).rstrip(PUNCTUATION)
        return text[:1].upper() + text[1:]

    def stops_chain(self, word: str) -> bool:
        """Is `word` a clause boundary a name must not be completed across ("do they use")?"""
        return word in self.openers or _pronoun(word) in self.pronouns

    def _wish(self, tokens: list[str]) -> bool:
        words = [" ".join(_words(token)) for token in tokens[:2]]
        return len(words) == 2 and words[1] == self.marker and self.wish(words[0])

    def _boundary(self, tokens: list[str]) -> int | None:
        """Index of the first of `tokens` (a name split on spaces) that opens a new clause."""
        words = [" ".join(_words(token)) for token in tokens]
        for position in range(1, len(tokens)):
            word, after = words[position], words[position + 1 : position + 2]
            pronoun = _pronoun(word)
            if tokens[position - 1][-1] in PUNCTUATION or pronoun in self.openers:
                return position
            if pronoun in self.pronouns and (pronoun != word or self._verb_after(after)):
                return position
            if word in self.coordinators and self._joins_clauses(words, position):
                return position
        return None

    def _verb_after(self, after: list[str]) -> bool:
        """Is the word after a subject pronoun a verb or the infinitive marker ("you to
        flip")?"""
        return bool(after) and (after[0] == self.marker or self.verb(after[0]))

    def _joins_clauses(self, words: list[str], position: int) -> bool:
        """Does the coordinator at `position` join more than two words, or two verbs ("try
        and confirm")?"""
        before, after = words[:position], words[position + 1 :]
        if self._content(before) > 1 or self._content(after) > 1:
            return True
        return bool(after) and self.verb(before[-1], False) and self.verb(after[-1], False)

    def _content(self, words: list[str]) -> int:
        return sum(len(word) > 2 and word not in self.stops for word in words)


def _pronoun(word: str) -> str:
    """The word before an apostrophe: "i'm" -> "i", "you're" -> "you"."""
    return word.split("'", 1)[0]


def _words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())
