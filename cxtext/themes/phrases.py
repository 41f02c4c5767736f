"""The phrases theme names are built from: per theme, how many comments hold each
content-lemma 1-3-gram, how many of its central comments do, and how customers wrote it.

A text is split once however many rows hold it; the
first 1-5 words of every comment are kept too, so that a name never reads as a cut-off comment
(`cxtext.themes.names`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from cxtext.themes.keywords import Written, without_placeholders, written_words

MAX_GRAM = 3  # content words in a candidate phrase
MAX_NAME_WORDS = 5  # words in a name as shown (stop words between content words count)


@dataclass
class Phrases:
    """Per theme: how many comments hold each phrase and how the phrase was written."""

    comments: Counter[str] = field(default_factory=Counter)
    counts: dict[str, Counter[tuple[str, ...]]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    central: dict[str, Counter[tuple[str, ...]]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    # plain dicts, not Counters: a Counter costs ~6 µs to make, and there is one per phrase
    spellings: dict[tuple[str, ...], dict[str, int]] = field(default_factory=dict)
    starts: set[str] = field(default_factory=set)  # every comment's first 1-5 words, any theme
    words: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    noun: Callable[[str], bool] | None = None  # is a word a noun (`clauses.Clauses.noun`)?
    fillers: frozenset[str] = frozenset()  # words a name may leave out (`Clauses.determiners`)

    @cached_property
    def totals(self) -> Counter[tuple[str, ...]]:
        """Comments holding each phrase, over all themes: summed once when names are ranked
        (summed per theme, it cost 200 s of the 100k bench's 420 themes)."""
        totals: Counter[tuple[str, ...]] = Counter()
        for counter in self.counts.values():
            totals.update(counter)
        return totals


def collect_phrases(
    texts: Sequence[str],
    pairs: list[tuple[int, str, bool]],
    lang: str,
    written: Mapping[tuple[str, str], Written] | None = None,
) -> Phrases:
    """Phrase counts per theme over `pairs` (row, theme id, one of the theme's central
    comments?), all in `lang`; `written`: texts already split (the others are split here)."""
    phrases = Phrases()
    rows = [row for row, _, _ in pairs]
    keys = [texts[row] for row in rows]
    # a text's phrases are read once, at its first row, and counted for all its rows there;
    # kept (as the set of its phrases) only until its last row
    left = Counter(keys)
    phrases_of: dict = {}

    contents = _content(texts, rows, lang, written or {})
    for (row, theme_id, central), key, words in zip(pairs, keys, contents, strict=True):
        phrases.comments[theme_id] += 1
        if central:
            phrases.words[theme_id].update(plain(without_placeholders(texts[row])).split())
        seen = phrases_of.get(key)
        if seen is None:
            seen = phrases_of[key] = _grams(key, *words, phrases.spellings, left[key])
        left[key] -= 1
        if not left[key]:
            del phrases_of[key]
        phrases.counts[theme_id].update(seen)
        if central:
            phrases.central[theme_id].update(seen)
    return phrases


def _grams(
    text: str,
    lemmas: list[str],
    where: Sequence[int],
    spellings: dict[tuple[str, ...], dict[str, int]],
    times: int,
) -> set[tuple[str, ...]]:
    """The content-lemma 1-3-grams of one text; each written form counted `times` (its rows).
    `lemmas`, `where`: the text's `Written` (per content word its token's index, first and end
    character)."""
    seen: set[tuple[str, ...]] = set()
    count = len(lemmas)
    for start in range(count):
        token = where[3 * start]
        for last in range(start, min(start + MAX_GRAM, count)):
            if where[3 * last] - token + 1 > MAX_NAME_WORDS:  # token indices only grow
                break
            gram = tuple(lemmas[start : last + 1])
            if last > start and len(set(gram)) <= last - start:
                continue
            spelling = _spelling(text, where, start, last) or " ".join(gram)
            written = spellings.get(gram)
            if written is None:
                written = spellings[gram] = {}
            written[spelling] = written.get(spelling, 0) + times
            seen.add(gram)
    return seen


def lemma_grams(lemmas: Sequence[str]) -> set[tuple[str, ...]]:
    """The content-lemma 1-3-grams of a text known by its content lemmas alone (a group's
    comments, `cxtext.themes.group_names`), no lemma twice in one."""
    # pairs and triples of different lemmas compared directly, without a set per n-gram
    seen: set[tuple[str, ...]] = {(lemma,) for lemma in lemmas}
    if MAX_GRAM >= 2:
        seen.update(g for g in zip(lemmas, lemmas[1:], strict=False) if g[0] != g[1])
    if MAX_GRAM >= 3:
        triples = zip(lemmas, lemmas[1:], lemmas[2:], strict=False)
        seen.update(g for g in triples if g[0] != g[1] != g[2] != g[0])
    for n in range(4, MAX_GRAM + 1):
        seen.update(
            g for g in zip(*(lemmas[i:] for i in range(n)), strict=False) if len(set(g)) == n
        )
    return seen


def comment_starts(texts: Sequence[str]) -> set[str]:
    """The first 1-5 words of every comment, outliers and other languages included."""
    starts = set()
    for text in texts:
        words = plain(text[:200]).split()
        starts.update(" ".join(words[:k]) for k in range(1, MAX_NAME_WORDS + 1))
    return starts


def _content(
    texts: Sequence[str], rows: list[int], lang: str, written: Mapping[tuple[str, str], Written]
) -> Iterator[Written]:
    """Per row: its content lemmas and their spans (`Written`). Texts not in `written` are split
    here."""
    distinct = dict.fromkeys(texts[row] for row in rows)
    missing = [text for text in distinct if (text, lang) not in written]
    split = dict(zip(missing, written_words(missing, lang), strict=True))
    for row in rows:
        text = texts[row]
        yield split[text] if text in split else written[text, lang]


def _spelling(text: str, where: Sequence[int], first: int, last: int) -> str:
    """How content words `first` to `last` were written: the text from the first's token to
    the end of the last's, lower-cased (a text's tokens and their spaces join back to it)."""
    return text[where[3 * first + 1] : where[3 * last + 2]].lower()


def plain(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", text.lower()))
