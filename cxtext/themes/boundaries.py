"""Whole phrases for theme names: a name is completed where its theme's comments nearly always
go on the same way past its ends (branching at a phrase boundary).

A name such as "Apply for a new" is cut mid-phrase: in the theme's comments that hold it, one
next word follows most of its occurrences ("card"). Such a name is extended by the words that
dominate its next positions (each in CLOSED_SHARE of the occurrences, said in at least
MIN_FOLLOW comments) up to the first content word among them, within MAX_NAME_WORDS. On the
left only a content word right before the name is added ("Debit" -> "Direct debit"): function
words before a phrase ("to", "my", "i'd") are where it opens, and taking the content word
before them made "Want to report fraudulent activity" of "Fraudulent activity". A name still
cut after that is tried after the whole ones. Stop words are the tokenizer's (the language's,
its fallback's and English's), the same that decide which words a name is built from; nothing
here knows a language's grammar.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from cxtext.themes.clauses import Clauses
from cxtext.themes.keywords import WORD
from cxtext.themes.phrases import MAX_NAME_WORDS, plain

CLOSED_SHARE = 0.6  # one next (previous) word in this share of a span's occurrences: not a boundary
MIN_FOLLOW = 2  # comments that must say that word: one comment alone shows no habit (at 1 the
# demo's names ran on as one customer wrote: "Money is instant giving", "App would be fun like")
PROPER_SHARE = 0.5  # share of a word's uses inside a sentence written capitalised: a proper noun
SENTENCE_END = re.compile(r"[.!?:;\n]+")


class Contexts:
    """The plain words of one theme's comments (each distinct text once, with its count),
    indexed by word, to find where a name's words stand together."""

    def __init__(self, texts: Iterable[str]) -> None:
        counted = Counter(texts)
        self.comments = [tuple(plain(text).split()) for text in counted]
        self.weights = list(counted.values())
        self.where: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for index, words in enumerate(self.comments):
            for position, word in enumerate(words):
                self.where[word].append((index, position))
        self.proper = _proper_nouns(counted)

    def neighbours(self, span: tuple[str, ...], side: int) -> Counter[str | None]:
        """Comments' next (`side` 1) or previous (-1) word after each occurrence of `span`;
        None where the comment ends there."""
        found: Counter[str | None] = Counter()
        for index, position in self.where.get(span[0], ()):
            words = self.comments[index]
            if words[position : position + len(span)] != span:
                continue
            at = position + len(span) if side > 0 else position - 1
            found[words[at] if 0 <= at < len(words) else None] += self.weights[index]
        return found

    def chain(self, span: tuple[str, ...], side: int, limit: int) -> list[str]:
        """The words that dominate the positions past `span` on one side, nearest first (at
        most `limit`): each follows the span so far in CLOSED_SHARE of its occurrences."""
        words: list[str] = []
        while len(words) < limit:
            found = self.neighbours(span, side)
            total = sum(found.values())
            word, count = next(((w, c) for w, c in found.most_common() if w is not None), ("", 0))
            if not word or count < MIN_FOLLOW or count < CLOSED_SHARE * total:
                break
            words.append(word)
            span = span + (word,) if side > 0 else (word, *span)
        return words


def _proper_nouns(counted: Counter[str]) -> frozenset[str]:
    """Words (lower-cased) that the comments write capitalised inside a sentence in at least
    PROPER_SHARE of such uses, at least twice: names of places and people ("Notting Hill")
    rather than what happened. All-capital words ("ATM") and "I" are not counted."""
    uses: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for text, rows in counted.items():
        for sentence in SENTENCE_END.split(text):
            for word in re.findall(r"[^\W\d_][\w']*", sentence)[1:]:
                if word.isupper() or word.split("'")[0] == "I":
                    continue
                key = word.lower()
                uses[key] += rows
                capitalised[key] += rows * word[0].isupper()
    return frozenset(
        word for word, count in capitalised.items() if count >= max(2, PROPER_SHARE * uses[word])
    )


def whole_names(
    names: list[tuple[float, str]],
    contexts: Contexts,
    stops: frozenset[str],
    starts: set[str],
    clauses: Clauses | None = None,
    written_together: Callable[[list[str]], list[bool]] | None = None,
) -> list[tuple[float, str]]:
    """`names` (best first) each completed to a whole phrase and cut before a clause boundary
    (`clauses.head`: "Electrical plug do they use" -> "Electrical plug"); then, each after the
    others: names that are not `written_together` in the theme's comments (words glued from
    different comments), names of proper nouns alone, names still cut; names
    that run over a clause boundary or are a question's tail before those, and a name that
    reads as a comment's first words last of all (as before)."""
    clauses = clauses or Clauses("en")
    completed = []
    for score, name in names:
        whole = complete(name, contexts, stops, clauses)
        whole = name if plain(whole) in starts else whole
        shorter = clauses.head(whole) if clauses.is_fragment(whole) else ""
        completed.append((score, shorter if shorter and plain(shorter) not in starts else whole))
    names_written = [name for _, name in completed]
    together = dict(zip(names_written, (written_together or _all)(names_written), strict=True))
    return sorted(
        completed,
        key=lambda item: (
            plain(item[1]) in starts,
            len(plain(item[1]).split()) < 2,
            clauses.is_fragment(item[1])
            or _question_tail(item[1], contexts, clauses)
            or _bare_word(item[1], clauses),
            not together[item[1]],
            _all_proper(item[1], contexts, stops),
            is_cut(item[1], contexts, stops, clauses),
        ),
    )


def _question_tail(name: str, contexts: Contexts, clauses: Clauses) -> bool:
    """Is `name` the rest of a question ("Long is delivery" of "how long is delivery"): a
    clause opener stands before it in CLOSED_SHARE of its occurrences and a stop word (the
    question's verb) follows its first word?"""
    span = tuple(plain(name).split())
    if len(span) < 3 or span[1] not in clauses.stops:
        return False
    before = contexts.neighbours(span, -1)
    word, count = next(iter(before.most_common(1)), (None, 0))
    return word in clauses.openers and count >= CLOSED_SHARE * sum(before.values())


def _all(names: list[str]) -> list[bool]:
    return [True] * len(names)


def _bare_word(name: str, clauses: Clauses) -> bool:
    """Is `name` one word that is no noun ("Wrong", "Cancelled"): no label alone."""
    words = plain(name).split()
    return len(words) == 1 and not clauses.noun(words[0])


def _all_proper(name: str, contexts: Contexts, stops: frozenset[str]) -> bool:
    """Are all of `name`'s content words proper nouns ("Notting hill" names a place, not
    what happened there)?"""
    content = [word for word in plain(name).split() if _is_content(word, stops)]
    return bool(content) and all(word in contexts.proper for word in content)


def complete(
    name: str, contexts: Contexts, stops: frozenset[str], clauses: Clauses | None = None
) -> str:
    """`name` completed where it is cut: on the right up to the first content word of its
    dominant continuation (stop words on the way, "for a new" -> "card"), on the left by a
    content word that nearly always stands right before it ("debit" -> "direct"); within
    MAX_NAME_WORDS words; never across a clause boundary ("plug" -> "do they use")."""
    span = tuple(plain(name).split())
    if not span:
        return name
    chain = contexts.chain(span, 1, MAX_NAME_WORDS - len(span))
    right = _to_content(_clause(chain, clauses or Clauses("en")), stops)
    left = _to_content(contexts.chain(span + tuple(right), -1, 1), stops)
    if right:
        name = f"{name} {' '.join(right)}"
    if left and len(span) + len(right) < MAX_NAME_WORDS:
        name = f"{left[0].capitalize()} {name[:1].lower()}{name[1:]}"
    return name


def is_cut(
    name: str, contexts: Contexts, stops: frozenset[str], clauses: Clauses | None = None
) -> bool:
    """Does `name` start or end on a stop word, or would `complete` change it were there no
    word limit?"""
    span = tuple(plain(name).split())
    if not span:
        return False
    if _is_stop(span[0], stops) or _is_stop(span[-1], stops):
        return True
    right = _clause(contexts.chain(span, 1, MAX_NAME_WORDS), clauses or Clauses("en"))
    return bool(_to_content(right, stops) or _to_content(contexts.chain(span, -1, 1), stops))


def _clause(chain: list[str], clauses: Clauses) -> list[str]:
    """`chain` up to the first word that opens a new clause."""
    end = next((i for i, word in enumerate(chain) if clauses.stops_chain(word)), len(chain))
    return chain[:end]


def _to_content(chain: list[str], stops: frozenset[str]) -> list[str]:
    """`chain` up to its first content word; [] without one (a name does not end on a stop
    word)."""
    first = next((i for i, word in enumerate(chain) if _is_content(word, stops)), -1)
    return chain[: first + 1]


def _is_content(word: str, stops: frozenset[str]) -> bool:
    """A word names are built from (as `keywords.content_words` reads them): letters, three
    or more, not a stop word."""
    return len(word) > 2 and bool(WORD.match(word)) and not _is_stop(word, stops)


def _is_stop(word: str, stops: frozenset[str]) -> bool:
    """A stop word, or a contraction of them ("i'd", "hasn't": spaCy's tokens "i" "'d", "has"
    "n't"; a name's words are whole words, as `plain` reads them)."""
    if word in stops or "'" not in word:
        return word in stops
    head, tail = (word[:-3], "n't") if word.endswith("n't") else word.split("'", 1)
    return head in stops and (tail if tail == "n't" else f"'{tail}") in stops
