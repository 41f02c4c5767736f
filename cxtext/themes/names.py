"""Short names for discovered themes, built from the theme's own words.

A name is the phrase that best sets a theme apart: content-lemma 1-3-grams scored by
class-based TF-IDF (share of the theme's comments holding the phrase, times how rare it is in
other themes), weighted by how many of the theme's most central comments hold it. A one-word
winner is completed by the best phrase that contains it, or by a second word chosen with
maximal marginal relevance (high score, not already said). The name is shown in the words
customers used most often for that phrase ("card hasn't arrived"), never as a comment's
first words. Names are in `label_language` when the theme has comments in it (and the run
enough: LABEL_SHARE), else in its main language; within one call every name is unique.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice, repeat

import numpy as np

from cxtext.io.contract import OUTLIER_THEME
from cxtext.languages import LANGUAGES
from cxtext.themes.keywords import Written, written_words
from cxtext.vectors import centroid

MAX_GRAM = 3  # content words in a candidate phrase
MAX_NAME_WORDS = 5  # words in a name as shown (stop words between content words count)
CANDIDATES = 15  # phrases tried in turn when a better-placed theme took a name
CENTRAL = 10  # most central comments a name is checked against
BORROW_SIMILARITY = 0.4  # cosine of a theme centroid to label-language comments it may borrow
LABEL_SHARE = 0.1  # share of the run's comments in the label language below which each theme
# is named in its own main language: in 3,516 Danish news comments, 32 stray English ones named
# a theme of 495 Danish comments "Knows more about not working" (held-out set `da_fb`)
EXTEND_SHARE = 0.35  # a phrase containing a one-word winner replaces it at this share of its score


@dataclass
class _Phrases:
    """Per theme: how many comments hold each phrase and how the phrase was written."""

    comments: Counter[str] = field(default_factory=Counter)
    counts: dict[str, Counter[tuple[str, ...]]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    central: dict[str, Counter[tuple[str, ...]]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    spellings: dict[tuple[str, ...], Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    starts: set[str] = field(default_factory=set)  # every comment's first 1-5 words, any theme
    parts: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    spread: dict[str, dict[tuple[str, ...], set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    words: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    @cached_property
    def totals(self) -> Counter[tuple[str, ...]]:
        """Comments holding each phrase, over all themes: summed once when names are ranked
        (summed per theme, it cost 200 s of the 100k bench's 420 themes)."""
        totals: Counter[tuple[str, ...]] = Counter()
        for counter in self.counts.values():
            totals.update(counter)
        return totals


def name_themes(
    texts: Sequence[str],
    langs: Sequence[str],
    theme_ids: Sequence[str],
    embeddings: np.ndarray,
    label_language: str = "en",
    known: dict[str, str] | None = None,
    parts: Sequence[str] | None = None,
    known_lemmas: Sequence[list[str]] | None = None,
    written: Mapping[tuple[str, str], Written] | None = None,
) -> dict[str, str]:
    """{theme_id: name} for every theme in `theme_ids` (outliers excluded) that `known` does
    not name already; unique, and unlike any known name (compared case-blind). Known themes
    still count as the other themes a name must set its theme apart from.

    `parts`: for groups of themes, each comment's theme; a group's name is then checked
    against how many of its themes use the phrase, not against its central comments.
    `known_lemmas`: each comment's content lemmas when at hand (then names are shown in their
    lemmas). `written`: texts already split for their keywords (`keywords.lemmas`), by (text,
    language): only the others are split again for names shown as written.
    """
    known = known or {}
    ids = np.asarray(theme_ids, dtype=object)
    themes = sorted({t for t in ids if t != OUTLIER_THEME and t not in known})
    if not themes:
        return {}
    label_language = label_language if label_language in LANGUAGES else "en"
    documents, language = _documents(ids, langs, embeddings, themes, label_language)
    phrases = {
        lang: _collect(texts, pairs, lang, parts, known_lemmas, written)
        for lang, pairs in documents.items()
    }
    starts = _starts(texts)
    for collected in phrases.values():
        collected.starts = starts
    ranked = {t: _ranked_names(phrases[language[t]], t) for t in themes}
    taken = [known[t] for t in set(ids) if t in known]
    return _unique(ranked, {t: int((ids == t).sum()) for t in themes}, taken)


def _documents(
    ids: np.ndarray,
    langs: Sequence[str],
    embeddings: np.ndarray,
    themes: list[str],
    label_language: str,
) -> tuple[dict[str, list[tuple[int, str, bool]]], dict[str, str]]:
    """Per language, the (row, theme, central) triples names are built from, and the
    language each theme is named in.

    Every theme's comments count in their own language, as the background other themes
    stand out from. A theme is named from its `label_language` comments; one without any
    borrows the run's label-language comments nearest its centroid (the space is
    language-neutral) when they are close (`BORROW_SIMILARITY`); else it is named in its most
    common language. A label language under LABEL_SHARE of the run's comments is passed over:
    every theme is named in its most common language.
    """
    langs = np.asarray(langs, dtype=object)
    label_rows = np.flatnonzero((langs == label_language) & (ids != OUTLIER_THEME))
    known = sum(lang in LANGUAGES for lang in langs)
    # a label language only a few of the run's comments are in does not name its themes
    naming = label_language if len(label_rows) >= max(1, LABEL_SHARE * known) else None
    documents: dict[str, list[tuple[int, str, bool]]] = defaultdict(list)
    language: dict[str, str] = {}
    for theme_id in sorted({t for t in ids if t != OUTLIER_THEME}):
        members = np.flatnonzero(ids == theme_id)
        middle = centroid(embeddings[members])
        order = members[np.argsort(-(embeddings[members] @ middle), kind="stable")]
        lang, central = _theme_language(langs[order], naming) or label_language, set()
        for row in order:
            if langs[row] in LANGUAGES:
                in_name = langs[row] == lang and len(central) < CENTRAL
                central.update([row] if in_name else [])
                documents[str(langs[row])].append((int(row), theme_id, in_name))
        if theme_id in themes and lang != label_language and naming:
            similarity = embeddings[label_rows] @ middle
            near = label_rows[np.argsort(-similarity, kind="stable")[:CENTRAL]]
            if similarity.max() >= BORROW_SIMILARITY:
                documents[label_language] += [(int(row), theme_id, True) for row in near]
                lang = label_language
        language[theme_id] = lang
    return {lang: documents[lang] for lang in sorted(set(language.values()))}, language


def _theme_language(member_langs: np.ndarray, label_language: str | None) -> str | None:
    """`label_language` when the theme has a comment in it, else its most common language."""
    counts = Counter(str(lang) for lang in member_langs if lang in LANGUAGES)
    if label_language in counts or not counts:
        return label_language
    return min(counts, key=lambda lang: (-counts[lang], lang))


def _collect(
    texts: Sequence[str],
    pairs: list[tuple[int, str, bool]],
    lang: str,
    parts: Sequence[str] | None = None,
    known_lemmas: Sequence[list[str]] | None = None,
    written: Mapping[tuple[str, str], Written] | None = None,
) -> _Phrases:
    """Phrase counts per theme. With `known_lemmas` (each comment's content lemmas, e.g. from
    a state's cache) no text is split, and phrases are shown in their lemmas."""
    phrases = _Phrases()
    rows = [row for row, _, _ in pairs]
    keys = [texts[row] if known_lemmas is None else tuple(known_lemmas[row]) for row in rows]
    # a text's phrases are read once, at its first row, and counted for all its rows there;
    # kept (as the set of its phrases) only until its last row
    left = Counter(keys)
    phrases_of: dict = {}

    def from_tokens(key: str, words: tuple) -> set[tuple[str, ...]]:
        return _grams(*words, phrases.spellings, left[key])

    def from_lemmas(key: tuple[str, ...], _: None) -> set[tuple[str, ...]]:
        return _lemma_grams(key)  # the key is the text's content lemmas

    contents: Iterable = (
        _content(texts, rows, lang, written or {})
        if known_lemmas is None
        else repeat(None, len(rows))
    )
    read = from_tokens if known_lemmas is None else from_lemmas
    in_part: dict[tuple[str, str], set] = defaultdict(set)  # a group's phrases per theme of it
    for (row, theme_id, central), key, words in zip(pairs, keys, contents, strict=True):
        phrases.comments[theme_id] += 1
        if central:
            phrases.words[theme_id].update(_plain(texts[row]).split())
        seen = phrases_of.get(key)
        if seen is None:
            seen = phrases_of[key] = read(key, words)
        left[key] -= 1
        if not left[key]:
            del phrases_of[key]
        phrases.counts[theme_id].update(seen)
        if central and parts is None:
            phrases.central[theme_id].update(seen)
        if parts is not None:
            phrases.parts[theme_id].add(parts[row])
            in_part[theme_id, parts[row]] |= seen
    for (theme_id, part), grams in in_part.items():  # once per phrase of a part, not per row
        spread = phrases.spread[theme_id]
        for gram in grams:
            spread[gram].add(part)
    return phrases


def _grams(
    content: list[tuple[int, str]],
    spell: Callable[[int, int], str],
    spellings: dict[tuple[str, ...], Counter[str]],
    times: int,
) -> set[tuple[str, ...]]:
    """The content-lemma 1-3-grams of one text; each written form counted `times` (its rows).
    `content`: (token index, lemma) per content word; `spell(i, j)`: how content words i to j
    were written."""
    seen: set[tuple[str, ...]] = set()
    for start in range(len(content)):
        for n in range(1, MAX_GRAM + 1):
            if start + n > len(content):
                break
            gram = tuple(lemma for _, lemma in content[start : start + n])
            first, last = content[start][0], content[start + n - 1][0]
            if len(set(gram)) < n or last - first + 1 > MAX_NAME_WORDS:
                continue
            spellings[gram][spell(start, start + n - 1) or " ".join(gram)] += times
            seen.add(gram)
    return seen


def _lemma_grams(lemmas: tuple[str, ...]) -> set[tuple[str, ...]]:
    """`_grams` of a text known by its content lemmas alone: each lemma is a word, so every
    n-gram fits in a name, and it is shown in its lemmas (no spellings are kept)."""
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


def _starts(texts: Sequence[str]) -> set[str]:
    """The first 1-5 words of every comment, outliers and other languages included."""
    starts = set()
    for text in texts:
        words = _plain(text[:200]).split()
        starts.update(" ".join(words[:k]) for k in range(1, MAX_NAME_WORDS + 1))
    return starts


def _content(
    texts: Sequence[str], rows: list[int], lang: str, written: Mapping[tuple[str, str], Written]
) -> Iterator[tuple[list[tuple[int, str]], Callable[[int, int], str]]]:
    """Per row: its content words (token index, lemma) and how a span of them was written
    (spaCy's `Span.text` of their tokens, lower-cased). Texts not in `written` are split here."""
    distinct = dict.fromkeys(texts[row] for row in rows)
    missing = [text for text in distinct if (text, lang) not in written]
    split = dict(zip(missing, written_words(missing, lang), strict=True))
    for row in rows:
        text = texts[row]
        lemmas, where = split[text] if text in split else written[text, lang]
        yield list(zip(where[::3], lemmas, strict=True)), _spelling(text, where)


def _spelling(text: str, where: Sequence[int]) -> Callable[[int, int], str]:
    """How content words `first` to `last` were written: the text from the first's token to
    the end of the last's, lower-cased (a text's tokens and their spaces join back to it)."""
    return lambda first, last: text[where[3 * first + 1] : where[3 * last + 2]].lower()


def _scores(phrases: _Phrases, theme_id: str) -> list[tuple[float, tuple[str, ...]]]:
    """c-TF-IDF of each phrase of the theme (document frequencies), checked against the
    central comments; best first."""
    totals = phrases.totals
    mean_comments = sum(phrases.comments.values()) / max(1, len(phrases.comments))
    size = phrases.comments[theme_id] or 1
    central, spread = phrases.central[theme_id], phrases.spread[theme_id]
    n_central = max(1, min(CENTRAL, size))
    n_parts = max(1, len(phrases.parts[theme_id]))

    def support(gram: tuple[str, ...]) -> float:
        """Share of the central comments (of a group's themes) holding the phrase."""
        return len(spread[gram]) / n_parts if spread else central[gram] / n_central

    scored = [
        (count / size * math.log(1 + mean_comments / totals[gram]) * (0.5 + support(gram)), gram)
        for gram, count in phrases.counts[theme_id].items()
    ]
    return sorted(scored, key=lambda item: (-item[0], item[1]))


def _ranked_names(phrases: _Phrases, theme_id: str) -> list[tuple[float, str]]:
    """Candidate names for one theme, best first (the first is the name unless taken).

    A name starts from a phrase at least two of the theme's comments hold (any phrase in a
    theme of fewer than four); words said once may still complete it."""
    scored = _scores(phrases, theme_id)
    counts, small = phrases.counts[theme_id], phrases.comments[theme_id] < 4
    starts = islice(((s, g) for s, g in scored if counts[g] >= 2 or small), CANDIDATES)
    names = [(score, _compose(phrases, scored, score, gram)) for score, gram in starts]
    if not names:  # no content word twice: the central comments' most common words
        common = [w for w, _ in phrases.words[theme_id].most_common(2)]
        names = [(0.0, " ".join(common).capitalize())] if common else []
    if names and len(names[0][1].split()) < MAX_NAME_WORDS:  # last resorts: best name + a word
        said = set(_plain(names[0][1]).split())
        words = islice(
            (
                g[0]
                for _, g in scored
                if len(g) == 1 and not any(_related(g[0], word) for word in said)
            ),
            3,
        )
        names += [(0.0, f"{names[0][1]} {_display(phrases, (word,)).lower()}") for word in words]
    frequent = sorted((g for g in counts if len(g) == 1), key=lambda g: (-counts[g], g))
    if len(frequent) >= 2:
        names.append((0.0, f"{_display(phrases, frequent[0])} {' '.join(frequent[1]).lower()}"))
    # a name that reads as the beginning of a comment ("Snooze alarm" when a customer wrote
    # just that) only when no other candidate is left: it would pass for a cut-off comment
    return sorted(names, key=lambda item: _plain(item[1]) in phrases.starts)


def _compose(
    phrases: _Phrases, scored: list[tuple[float, tuple[str, ...]]], score: float, gram: tuple
) -> str:
    if len(gram) == 1:
        longer = next(((s, g) for s, g in scored if len(g) > 1 and gram[0] in g), None)
        if longer and longer[0] >= EXTEND_SHARE * score:
            gram = longer[1]
        else:
            second = _second_word(scored, gram, score)
            if second:
                return _display(phrases, gram) + " " + _display(phrases, second).lower()
    return _display(phrases, gram)


def _second_word(
    scored: list[tuple[float, tuple[str, ...]]], gram: tuple[str, ...], score: float
) -> tuple[str, ...] | None:
    """Maximal marginal relevance: the best-scoring word not part of, nor a form of, `gram`."""
    return next((g for _, g in scored if len(g) == 1 and not _related(g[0], gram[0])), None)


def _related(word: str, other: str) -> bool:
    return word[:4] == other[:4]


def _display(phrases: _Phrases, gram: tuple[str, ...]) -> str:
    """The phrase as customers wrote it most often, unless that is how comments begin (then
    the next spelling, or its lemmas): a name must not read as a cut-off comment."""
    spellings = sorted(phrases.spellings[gram].items(), key=lambda item: (-item[1], item[0]))
    options = [" ".join(spelling.split()) for spelling, _ in spellings] + [" ".join(gram)]
    spelling = next((o for o in options if _plain(o) not in phrases.starts), options[0])
    return spelling[:1].upper() + spelling[1:]


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", text.lower()))


def _unique(
    ranked: dict[str, list[tuple[float, str]]], sizes: dict[str, int], taken: Iterable[str]
) -> dict[str, str]:
    """Each theme takes its best name not yet taken, larger themes choosing first."""
    used = {name.casefold() for name in taken}
    names: dict[str, str] = {}
    for theme_id in sorted(ranked, key=lambda t: (-sizes[t], t)):
        options = [name for _, name in ranked[theme_id]] or [f"Theme {theme_id}"]
        name = next((n for n in options if n.casefold() not in used), None)
        if name is None:
            name = next(
                f"{options[0]} ({k})"
                for k in range(2, 10_000)
                if f"{options[0]} ({k})".casefold() not in used
            )
        used.add(name.casefold())
        names[theme_id] = name
    return names
