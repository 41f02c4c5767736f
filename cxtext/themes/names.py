"""Short names for discovered themes, built from the theme's own words.

A name is the phrase that best sets a theme apart: content-lemma 1-3-grams scored by
class-based TF-IDF (share of the theme's comments holding the phrase, times how rare it is in
other themes), weighted by how many of the theme's most central comments hold it. A one-word
winner is completed by the best phrase that contains it, or stands alone where it is a noun
a quarter of the theme's comments say; a second word chosen by maximal marginal relevance is
a last resort. The name is shown in the words customers used most often for that phrase
("card hasn't arrived"), never as a comment's first words, and completed to a whole phrase
where its comments nearly always go on the same way (`cxtext.themes.boundaries`: "Link the
new" -> "Link the new card"); names whose words the comments do not write side by side
(`Together`) are tried after the others. Names are in
`label_language` when the theme has comments in it (and the run
enough: LABEL_SHARE), else in its main language; within one call every name is unique.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import islice

import numpy as np

from cxtext.io.contract import OUTLIER_THEME
from cxtext.languages import LANGUAGES
from cxtext.themes.boundaries import Contexts, whole_names
from cxtext.themes.clauses import Clauses
from cxtext.themes.keywords import Written, stop_words, written_words
from cxtext.themes.phrases import (
    MAX_NAME_WORDS,
    Phrases,
    collect_phrases,
    comment_starts,
    plain,
)
from cxtext.vectors import centroid

CANDIDATES = 15  # phrases tried in turn when a better-placed theme took a name
CENTRAL = 10  # most central comments a name is checked against
BORROW_SIMILARITY = 0.4  # cosine of a theme centroid to label-language comments it may borrow
LABEL_SHARE = 0.1  # share of the run's comments in the label language below which each theme
# is named in its own main language: in 3,516 Danish news comments, 32 stray English ones named
# a theme of 495 Danish comments "Knows more about not working" (held-out set `da_fb`)
EXTEND_SHARE = 0.35  # a phrase containing a one-word winner replaces it at this share of its score
INFLECTION = 3  # letters an ending adds to a lemma a name may show instead ("-s", "-ene")
MIN_SUPPORT = 3  # comments saying a word a name is completed with (not written beside it)
SINGLE_SHARE = 0.25  # share of a theme's comments holding a one-word winner that names it alone
MIN_TOGETHER = 2  # comments that must write each two neighbouring content words of a name side
# by side (stop words between): keywords glued from different comments named BANKING77 themes
# "Alternatives resolve", "Removed sepa", "Cancelled happend" (a misspelling said once)


def name_themes(
    texts: Sequence[str],
    langs: Sequence[str],
    theme_ids: Sequence[str],
    embeddings: np.ndarray,
    label_language: str = "en",
    known: dict[str, str] | None = None,
    written: Mapping[tuple[str, str], Written] | None = None,
) -> dict[str, str]:
    """{theme_id: name} for every theme in `theme_ids` (outliers excluded) that `known` does
    not name already; unique, and unlike any known name (compared case-blind). Known themes
    still count as the other themes a name must set its theme apart from.

    `written`: texts already split for their keywords (`keywords.lemmas`), by (text,
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
        lang: collect_phrases(texts, pairs, lang, written) for lang, pairs in documents.items()
    }
    starts = comment_starts(texts)
    clauses = {
        lang: Clauses(lang, (texts[row] for row, _, _ in triples))
        for lang, triples in documents.items()
    }
    for lang, collected in phrases.items():
        collected.starts, collected.noun = starts, clauses[lang].noun
        collected.fillers = clauses[lang].determiners
    ranked = {t: _ranked_names(phrases[language[t]], t) for t in themes}
    ranked = _whole(ranked, texts, documents, language, phrases, clauses)
    taken = [known[t] for t in set(ids) if t in known]
    return unique_names(ranked, {t: int((ids == t).sum()) for t in themes}, taken)


def _whole(
    ranked: dict[str, list[tuple[float, str]]],
    texts: Sequence[str],
    documents: dict[str, list[tuple[int, str, bool]]],
    language: dict[str, str],
    phrases: dict[str, Phrases],
    clauses: dict[str, Clauses],
) -> dict[str, list[tuple[float, str]]]:
    """Each theme's candidate names completed from the comments they were built from."""
    rows: dict[str, list[int]] = defaultdict(list)
    for lang, triples in documents.items():
        for row, theme_id, _ in triples:
            if theme_id in ranked and language[theme_id] == lang:
                rows[theme_id].append(row)
    return {
        theme_id: whole_names(
            names,
            Contexts(texts[row] for row in rows[theme_id]),
            stop_words(language[theme_id]),
            phrases[language[theme_id]].starts,
            clauses[language[theme_id]],
            Together(phrases[language[theme_id]], theme_id, language[theme_id]),
        )
        for theme_id, names in ranked.items()
    }


class Together:
    """Which names are written together in their theme's comments: each two neighbouring
    content words of one side by side, in its order, in MIN_TOGETHER comments (stop words
    between, as phrases are counted; where the name shows nothing between them, as customers
    wrote them at least once: "Thank help" of "thank you for your help" is no name), and a
    one-word name in as many. Called with all of a theme's names at once: they are split in
    one go (split one by one, naming BANKING77 took 5 s instead of 2)."""

    def __init__(self, phrases: Phrases, theme_id: str, lang: str) -> None:
        self.phrases, self.counts, self.lang = phrases, phrases.counts[theme_id], lang

    def __call__(self, names: list[str]) -> list[bool]:
        found = written_words([name.lower() for name in names], self.lang)
        return [self._together(words, list(where[::3])) for words, where in found]

    def _together(self, words: list[str], tokens: list[int]) -> bool:
        if len(words) < 2:
            return self.counts[tuple(words)] >= MIN_TOGETHER
        for pair, gap in zip(zip(words, words[1:], strict=False), np.diff(tokens), strict=True):
            if self.counts[pair] < MIN_TOGETHER:
                return False
            if gap == 1 and not _side_by_side(self.phrases, pair):
                return False
        return True


def _side_by_side(phrases: Phrases, gram: tuple[str, ...]) -> bool:
    """Did customers write `gram`'s words with nothing but articles, possessives or numbers
    between them?"""
    return any(
        len(_kept(phrases, spelling)) == len(gram) for spelling in phrases.spellings.get(gram, {})
    )


def _kept(phrases: Phrases, spelling: str) -> list[str]:
    """The words of a spelling a name cannot leave out: all but articles, possessives and
    numbers."""
    return [w for w in plain(spelling).split() if not (w in phrases.fillers or w.isdigit())]


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


def _scores(phrases: Phrases, theme_id: str) -> list[tuple[float, tuple[str, ...]]]:
    """c-TF-IDF of each phrase of the theme (document frequencies), checked against the
    central comments; best first."""
    totals = phrases.totals
    mean_comments = sum(phrases.comments.values()) / max(1, len(phrases.comments))
    size = phrases.comments[theme_id] or 1
    central, n_central = phrases.central[theme_id], max(1, min(CENTRAL, size))
    scored = [
        (
            count
            / size
            * math.log(1 + mean_comments / totals[gram])
            * (0.5 + central[gram] / n_central),
            gram,
        )
        for gram, count in phrases.counts[theme_id].items()
    ]
    return sorted(scored, key=lambda item: (-item[0], item[1]))


def _ranked_names(phrases: Phrases, theme_id: str) -> list[tuple[float, str]]:
    """Candidate names for one theme, best first (the first is the name unless taken).

    A name starts from a phrase at least two of the theme's comments hold (any phrase in a
    theme of fewer than four); words said once may still complete it."""
    scored = _scores(phrases, theme_id)
    counts, small = phrases.counts[theme_id], phrases.comments[theme_id] < 4
    grams = list(islice(((s, g) for s, g in scored if counts[g] >= 2 or small), CANDIDATES))
    names = [
        (score, name)
        for score, gram in grams
        for name in _compose(phrases, scored, score, gram, theme_id)
        if name
    ]
    if not names:  # no content word twice: the central comments' most common words
        common = [w for w, _ in phrases.words[theme_id].most_common(2)]
        names = [(0.0, " ".join(common).capitalize())] if common else []
    # last resorts: the best phrase (as written, even where it begins a comment) + a word
    best = _spelled(phrases, grams[0][1]) if grams else names[0][1] if names else ""
    if best and len(best.split()) < MAX_NAME_WORDS:
        said = set(plain(best).split())
        words = [
            (g, _spelled(phrases, g).lower())
            for _, g in scored
            if len(g) == 1 and not any(_related(g[0], word) for word in said)
        ]
        # words said twice first; then any, so that some name never begins a comment
        words = [w for g, w in words if counts[g] >= MIN_TOGETHER][:3] + [w for _, w in words[:3]]
        names += [(0.0, f"{best} {word}") for word in dict.fromkeys(words)]
    frequent = sorted((g for g in counts if len(g) == 1), key=lambda g: (-counts[g], g))
    if len(frequent) >= 2:  # both words as written most often, never lemmas
        names.append(
            (0.0, f"{_spelled(phrases, frequent[0])} {_spelled(phrases, frequent[1]).lower()}")
        )
    # a name that reads as the beginning of a comment ("Snooze alarm" when a customer wrote
    # just that) only when no other candidate is left: it would pass for a cut-off comment
    return sorted(names, key=lambda item: plain(item[1]) in phrases.starts)


def _compose(
    phrases: Phrases,
    scored: list[tuple[float, tuple[str, ...]]],
    score: float,
    gram: tuple,
    theme_id: str,
) -> list[str]:
    """The names a phrase gives, best first. A one-word winner grows into the best phrase
    containing it (at EXTEND_SHARE of its score); else it is named by the word alone where
    SINGLE_SHARE of the theme's comments say it ("Playlist", "Discount"), then by the best
    phrase containing it that MIN_TOGETHER comments write, then with the best other word (a
    pair no comment may write: tried after the written names, `boundaries.whole_names`)."""
    if len(gram) > 1:
        return [_display(phrases, gram)]
    counts = phrases.counts[theme_id]
    longer = [(s, g) for s, g in scored if len(g) > 1 and gram[0] in g]
    if longer and longer[0][0] >= EXTEND_SHARE * score:
        return [_display(phrases, longer[0][1])]
    names = []
    if counts[gram] >= SINGLE_SHARE * phrases.comments[theme_id]:
        names.append(_display(phrases, gram, phrases.noun))
    names += [_display(phrases, g) for _, g in longer[:1] if counts[g] >= MIN_TOGETHER]
    second = _second_word(scored, gram, counts)
    if second and _display(phrases, gram) and _display(phrases, second):
        names.append(_display(phrases, gram) + " " + _display(phrases, second).lower())
    return names


def _second_word(
    scored: list[tuple[float, tuple[str, ...]]], gram: tuple[str, ...], counts: Counter
) -> tuple[str, ...] | None:
    """Maximal marginal relevance: the best-scoring word not part of, nor a form of, `gram`,
    said in MIN_SUPPORT comments (a word said once or twice may be a misspelling: "happend")."""
    return next(
        (
            g
            for _, g in scored
            if len(g) == 1 and counts[g] >= MIN_SUPPORT and not _related(g[0], gram[0])
        ),
        None,
    )


def _related(word: str, other: str) -> bool:
    return word[:4] == other[:4]


def _display(
    phrases: Phrases, gram: tuple[str, ...], fits: Callable[[str], bool] | None = None
) -> str:
    """The phrase as customers wrote it most often, unless that is how comments begin (then
    the next spelling, or its lemmas where they read as written (`_lemmas_read`); else ""): a
    name must not read as a cut-off comment, nor show words no one wrote.
    `fits`: what else a spelling must be (a noun, for a one-word name: "Transactions")."""
    spellings = sorted(
        phrases.spellings.get(gram, {}).items(), key=lambda item: (-item[1], item[0])
    )
    options = [" ".join(spelling.split()) for spelling, _ in spellings]
    if len(gram) > 1 and _lemmas_read(phrases, gram, options):
        options.append(" ".join(gram))
    fits = fits or bool
    spelling = next((o for o in options if plain(o) not in phrases.starts and fits(plain(o))), "")
    return spelling[:1].upper() + spelling[1:]


def _spelled(phrases: Phrases, gram: tuple[str, ...]) -> str:
    """The phrase as customers wrote it most often, capitalised (a comment's start or not)."""
    written = phrases.spellings[gram]
    spelling = " ".join(max(written, key=written.__getitem__).split())
    return spelling[:1].upper() + spelling[1:]


def _lemmas_read(phrases: Phrases, gram: tuple[str, ...], spellings: list[str]) -> bool:
    """Do the lemmas of `gram` read as customers wrote it: each lemma a word the comments
    write, and a spelling that leaves out only articles, possessives or numbers between them
    and inflections of them ("Reserve table" of "reserve a table", "Transfer dollar" of
    "transfer 20 dollars"; not "Place bear" of "place were you born", "Thank help" of "thank
    you for your help", "Shop list" of "shopping list")?"""
    if not all(lemma in phrases.spellings.get((lemma,), {}) for lemma in gram):
        return False
    for spelling in spellings:
        kept = _kept(phrases, spelling)
        if len(kept) == len(gram) and all(map(_inflected, kept, gram)):
            return True
    return False


def _inflected(word: str, lemma: str) -> bool:
    """Is `word` `lemma` with an ending ("settings", "dollars"; not "shopping" of "shop")?"""
    return word.startswith(lemma) and len(word) - len(lemma) <= INFLECTION


def unique_names(
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
