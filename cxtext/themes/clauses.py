"""Clause boundaries in theme names: a name is a label, not a piece of a sentence.

A name built from the words customers wrote can run over a clause boundary: "Card if i live"
(a subordinator), "Countries you support", "Electrical plug do they use" (a subject pronoun
and its verb), "Card, but the money" (punctuation, a clause's "but"), "Holiday and bit
concerned", "Try and confirm" ("and" opening a second phrase rather than joining two words),
or open on a wish or request rather than its topic ("Need to activate", "Tried to withdraw",
"Tell me the temperature"). Without a
part-of-speech tagger (spaCy's pipelines are not installed) the boundaries are read from
closed word classes per language (subordinators, relative and question words, "but",
subject pronouns, coordinators, the infinitive marker) and from how the run's comments use
a word: a verb is a word that mostly follows a subject pronoun or the infinitive marker
("you support", "to cook"; "you accent", a typo for "your", is no clause), a wish verb one
that the infinitive marker mostly follows ("need to", "want to"), a noun one that ends a
phrase a determiner opens ("the traffic", "my workout playlist": a one-word name must be one).
Words that are also common
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
OBJECTS = {  # first-person object pronouns: a verb before one is a request ("tell me")
    "en": "me us",
    "da": "mig os",
    "sv": "mig oss",
    "nb": "meg oss",
    "nn": "meg oss",
}
COORDINATORS = {"en": "and or", "da": "og eller", "sv": "och eller", "nb": "og eller"}
DETERMINERS = {  # articles, possessives, demonstratives, quantifiers: a noun follows them
    # (not the words that are also pronouns or conjunctions: Danish "de larmede", "that is")
    "en": "a an the my your his her its our their this these those some any no every each many"
    " much",
    "da": "en et min mit mine din dit dine sin sit sine vores jeres deres denne dette disse"
    " nogle ingen",
    "sv": "en ett min mitt mina din ditt dina sin sitt sina vår vårt våra er ert era denna"
    " detta dessa några ingen inget inga",
    "nb": "en ei et min mi mitt mine din di ditt dine sin si sitt sine vår vårt våre deres"
    " denne dette disse noen ingen",
    "nn": "ein ei eit min mi mitt mine din di ditt dine sin si sitt sine vår vårt våre dykkar"
    " deira denne dette desse nokre ingen",
}
INFINITIVE = {"en": "to", "da": "at", "sv": "att", "nb": "å", "nn": "å"}
NORDIC_NOT_ENGLISH = {"i"}  # English "I" is "in" in Danish, Swedish and Norwegian
PUNCTUATION = ",;:.!?()"
VERB_SHARE = 0.25  # share of a word's uses after a subject pronoun or "to" that makes it a verb
# (BANKING77, CLINC150: nouns 0-0.16 "card", "account", "transfer"; verbs 0.5-1 "use", "cook")
WISH_SHARE = 0.5  # share of a verb's uses followed by "to" that makes it a wish ("need to")
NOUN_SHARE = 0.2  # share of a word's uses that end a phrase opened by a determiner (within
# two words: "the traffic", "my workout playlist"; not "the wrong amount") that makes it a noun


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
        self.objects = frozenset(OBJECTS.get(own, "").split()) | set(OBJECTS["en"].split())
        self.stops = stop_words(lang)
        self.uses: Counter[str] = Counter()
        self.after_subject: Counter[str] = Counter()  # after a subject pronoun or the marker
        self.before_marker: Counter[str] = Counter()
        self.determiners = frozenset(DETERMINERS.get(own, "").split()) | set(
            DETERMINERS["en"].split()
        )
        self.heads: Counter[str] = Counter()  # after a determiner, before no content word
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
        for position, word in enumerate(words):
            head = self._head(words, position + 1) if word in self.determiners else None
            if head:
                self.heads[head] += rows

    def _head(self, words: list[str], first: int) -> str | None:
        """The head of the phrase a determiner opens before `words[first]`: its last content
        word within two ("my workout playlist"), the one before no content word; None where
        a stop word follows the determiner."""
        if first >= len(words) or words[first] in self.stops:
            return None
        last = first
        if last + 1 < len(words) and words[last + 1] not in self.stops:
            last += 1
        return words[last]

    def verb(self, word: str, unseen: bool = True) -> bool:
        """Mostly after a subject pronoun or the infinitive marker in the run's comments;
        `unseen`: what a word the comments do not hold is taken for."""
        uses = self.uses[word]
        return self.after_subject[word] >= VERB_SHARE * uses if uses else unseen

    def noun(self, word: str) -> bool:
        """Ends a phrase a determiner opens in NOUN_SHARE of its uses ("the traffic", "my
        playlist"), and is no verb: a word that can name a theme alone ("Wrong", "Want",
        "Cancelled" cannot)."""
        uses = self.uses[word]
        return bool(uses) and self.heads[word] >= NOUN_SHARE * uses and not self.verb(word)

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
        """`name` without a wish or request it opens on (and the articles after it) and cut
        before its first clause boundary, without the stop words it then starts or ends on;
        "" where fewer than two words are left (or one noun, after a wish)."""
        tokens = name.split()
        wish = self._wish(tokens)
        if wish:  # and the articles after it: "Tell me the temperature" -> "Temperature"
            tokens = tokens[2:]
            while tokens and " ".join(_words(tokens[0])) in self.determiners:
                tokens = tokens[1:]
        end = self._boundary(tokens)
        kept = [_words(token) for token in (tokens if end is None else tokens[:end])]
        while kept and (not kept[-1] or kept[-1][-1] in self.stops):
            kept.pop()
        noun = wish and len(kept) == 1 and kept[0] == [kept[0][0]] and self.noun(kept[0][0])
        if (len(kept) < 2 and not noun) or not kept[0] or kept[0][0] in self.stops:
            return ""
        text = " ".join(tokens[: len(kept)]).rstrip(PUNCTUATION)
        return text[:1].upper() + text[1:]

    def stops_chain(self, word: str) -> bool:
        """Is `word` a clause boundary a name must not be completed across ("do they use")?"""
        return word in self.openers or _pronoun(word) in self.pronouns

    def _wish(self, tokens: list[str]) -> bool:
        words = [" ".join(_words(token)) for token in tokens[:2]]
        if len(words) < 2:
            return False
        wish = words[1] == self.marker and self.wish(words[0])
        return wish or words[1] in self.objects

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
