"""Names of discovered theme groups: a short phrase the group's themes share, as they wrote it.

A group's name is taken from its own themes' names: each 1-3 content-word span of a child
theme's name (at most `MAX_GROUP_WORDS` words as shown, stop words between content words
included) is a candidate, shown as that name spells it, so a name is never a lemma ("Pend
long") nor a stop word alone ("No the"). A span of two or more content words is a candidate
only where two of the group's theme names hold it: one theme's phrase names that theme.
A single word too: where the group's themes share no word ("Good", "Damen" and "Ingenting"
named loose groups, adjectives and stray nouns without a tagger to tell), the group is named
as its largest theme, a name a person already reads as a noun phrase.
Candidates are scored by class-based TF-IDF over groups: the mean share of each child theme's
comments in the label language holding the phrase (their content lemmas), times log(1 + mean
comments per group / comments holding it in all groups), times 0.5 + the share of the group's
themes whose name holds it, so a word the child names share beats one a single big theme says.
A winning word grows into the best phrase holding it (at `EXTEND_SHARE` of its score, as theme
names do: "Credit card"), or else takes the best other word two names hold (at `PAIR_SHARE`:
"Car and tires"). A group of one theme is named as its theme. Larger groups choose first; a
name taken passes to the next candidate, then to a child theme's name, so names are unique.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from cxtext.io.contract import OUTLIER_THEME
from cxtext.themes.keywords import comment_lemmas, written_words
from cxtext.themes.names import EXTEND_SHARE, unique_names
from cxtext.themes.phrases import MAX_GRAM, lemma_grams

MAX_GROUP_WORDS = 4  # words in a group name as shown
ALL = "\x00all"  # the key of every group's counts together (no group id is this)
NAMED_WEIGHT = 0.5  # floor of the child-name factor
PAIR_SHARE = 0.5  # a second word joins the first at this share of its score
AND = {"da": "og", "nb": "og", "nn": "og", "sv": "och", "en": "and"}  # "Car and tires"


def name_groups(
    parents: Mapping[str, str],
    theme_names: Mapping[str, str],
    texts: Sequence[str],
    langs: Sequence[str],
    theme_ids: Sequence[str],
    label_language: str,
    known: Mapping[str, str],
    lemmas: Sequence[list[str]] | None = None,
) -> dict[str, str]:
    """{group id: name} for every group in `parents` ({theme id: group id}) that `known` does
    not name; unique and unlike any known name (case-blind). `theme_names`: each theme's name;
    `lemmas`: each comment's content lemmas when at hand (else the texts are split here)."""
    ids = np.asarray(theme_ids, dtype=object)
    sizes = Counter(t for t in ids if t != OUTLIER_THEME)
    children: dict[str, list[str]] = defaultdict(list)
    for theme_id in sorted(parents, key=lambda t: (-sizes[t], t)):
        children[parents[theme_id]].append(theme_id)
    unnamed = [g for g in children if g not in known]
    if not unnamed:
        return {}
    spans = _name_spans({t: theme_names[t] for g in unnamed for t in children[g]}, label_language)
    if lemmas is None:
        lemmas = comment_lemmas(texts, langs)
    candidates = {gram for g in unnamed for t in children[g] for gram in spans[t]}
    counts = _theme_counts(ids, parents, lemmas, candidates, langs, label_language)
    mean = counts[ALL][()] / max(1, len(children))
    ranked = {
        g: [
            (0.0, name)
            for name in _ranked(children[g], spans, theme_names, counts, mean, label_language)
        ]
        for g in unnamed
    }
    group_sizes = {g: sum(sizes[t] for t in children[g]) for g in unnamed}
    return unique_names(ranked, group_sizes, known.values())


def _name_spans(names: Mapping[str, str], lang: str) -> dict[str, dict[tuple[str, ...], str]]:
    """Per theme: each content-lemma 1-3-gram of its name and how the name writes it (from
    its first content word to its last, up to MAX_GROUP_WORDS words)."""
    theme_order = sorted(names)
    found = written_words([names[t] for t in theme_order], lang)
    spans: dict[str, dict[tuple[str, ...], str]] = {}
    for theme_id, (content, where) in zip(theme_order, found, strict=True):
        name, own = names[theme_id], {}
        for first in range(len(content)):
            for last in range(first, min(first + MAX_GRAM, len(content))):
                shown = name[where[3 * first + 1] : where[3 * last + 2]]
                if len(shown.split()) <= MAX_GROUP_WORDS:
                    own.setdefault(tuple(content[first : last + 1]), shown)
        spans[theme_id] = own
    return spans


def _theme_counts(
    ids: np.ndarray,
    parents: Mapping[str, str],
    lemmas: Sequence[list[str]],
    candidates: set[tuple[str, ...]],
    langs: Sequence[str],
    label_language: str,
) -> dict[str, Counter]:
    """Per theme with a group: its comments in the label language (all of them where it has
    none) holding each candidate phrase, and the number of those comments (under the empty
    phrase); under `ALL`, every group's such comments together."""
    in_label = np.asarray(langs, dtype=object) == label_language
    own = {t for t in parents if not in_label[ids == t].any()}  # counted in their languages
    counts: dict[str, Counter] = defaultdict(Counter)
    for theme_id, words, label in zip(ids, lemmas, in_label, strict=True):
        if theme_id not in parents or not (label or theme_id in own):
            continue
        held = lemma_grams(words) & candidates
        counts[theme_id].update(held | {()})
        counts[ALL].update(held | {()})
    return counts


def _ranked(
    children: list[str],
    spans: Mapping[str, dict[tuple[str, ...], str]],
    theme_names: Mapping[str, str],
    counts: Mapping[str, Counter],
    mean: float,
    lang: str,
) -> list[str]:
    """The group's candidate names, best first; a group of one theme starts with its name,
    and every group ends with its themes' names, largest first. `mean`: comments per group."""
    fallback = [theme_names[t] for t in children]
    if len(children) == 1:
        return fallback
    shown: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for theme_id in children:
        for gram, spelling in spans[theme_id].items():
            shown[gram][spelling] += counts[theme_id][()]
    scored = {}
    for gram in shown:
        share = sum(counts[t][gram] / max(1, counts[t][()]) for t in children) / len(children)
        named = sum(gram in spans[t] for t in children)
        if share and named > 1:  # a word or phrase one theme's name holds is that theme's
            idf = math.log(1 + mean / counts[ALL][gram])
            scored[gram] = share * idf * (NAMED_WEIGHT + named / len(children))
    order = sorted(scored, key=lambda g: (-scored[g], g))
    if order and len(order[0]) == 1:  # a word grows into the best phrase two names hold
        longer = next((g for g in order if len(g) > 1 and order[0][0] in g), None)
        if longer and scored[longer] >= EXTEND_SHARE * scored[order[0]]:
            order.insert(0, longer)
    spellings = [min(shown[g], key=lambda s: (-shown[g][s], s)) for g in order]
    if order and len(order[0]) == 1:  # and the next best other word two names hold
        other = next((i for i, g in enumerate(order) if _pairs(g, order[0], spans, children)), 0)
        if other and scored[order[other]] >= PAIR_SHARE * scored[order[0]]:
            pair = f"{spellings[0]} {AND.get(lang, 'and')} {spellings[other].lower()}"
            spellings.insert(0, pair)
    return [s[:1].upper() + s[1:] for s in dict.fromkeys(spellings)] + fallback


def _pairs(
    gram: tuple[str, ...],
    first: tuple[str, ...],
    spans: Mapping[str, dict[tuple[str, ...], str]],
    children: list[str],
) -> bool:
    """Can a word join the group's first word in its name ("Car and tires")? When it is
    another word (not a form of it) and two of the group's theme names hold it."""
    other = len(gram) == 1 and gram[0][:4] != first[0][:4]
    return other and sum(gram in spans[t] for t in children) > 1
