"""The state's lemma cache: append-only parquet parts, merged past a limit, crash-safe, and one
version of the lemmatiser kept."""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path

import polars as pl
import pytest

from cxtext.state import language_key, lemmas_with_cache
from cxtext.state import lemmas as lemma_cache
from cxtext.state.lemmas import MAX_PARTS, LemmaStore
from cxtext.themes.keywords import comment_lemmas

VERSION = "rules 1, test lemmatiser"
WEEK1 = [
    ("Ring mig op igen", "da"),
    ("Fakturaen er uforståelig", "da"),
    ("Appen krasjar hela tiden", "sv"),
    ("Ring mig op igen", "da"),  # the same comment twice in one file
]
WEEK2 = [
    *WEEK1,
    ("Öppettiderna är för korta", "sv"),
    ("Fakturaen er uforståelig", "nb"),  # read as Norwegian in this file's mix
    ("", "en"),  # no words: an empty list, kept as one
]


def lemmatize(texts: list[str], langs: list[str]) -> list[list[str]]:
    """A deterministic stand-in lemmatiser (the cache, not spaCy, is under test): the words,
    lowercased and tagged with the language, so a comment's lemmas differ per language."""
    pairs = zip(texts, langs, strict=True)
    return [[f"{lang}/{word.lower()}" for word in text.split()] for text, lang in pairs]


class Counting:
    """`lemmatize`, remembering each (text, language) it was asked for."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def __call__(self, texts: list[str], langs: list[str]) -> list[list[str]]:
        self.asked.extend(zip(texts, langs, strict=True))
        return lemmatize(texts, langs)


def run(week: list[tuple[str, str]], state: Path, counting: Counting | None = None):
    texts, langs = [text for text, _ in week], [lang for _, lang in week]
    return lemmas_with_cache(texts, langs, state, VERSION, counting or Counting())


def uncached(week: list[tuple[str, str]]) -> list[list[str]]:
    return lemmatize([text for text, _ in week], [lang for _, lang in week])


def test_runs_on_a_state_give_the_lemmas_of_a_run_without_one(tmp_path: Path) -> None:
    counting = Counting()
    assert run(WEEK1, tmp_path, counting) == uncached(WEEK1)
    assert sorted(counting.asked) == sorted(set(WEEK1))
    assert run(WEEK2, tmp_path, counting) == uncached(WEEK2)
    assert sorted(counting.asked[3:]) == sorted(set(WEEK2) - set(WEEK1))
    assert run(list(reversed(WEEK2)), tmp_path, counting) == uncached(list(reversed(WEEK2)))
    assert len(counting.asked) == len(set(WEEK2))  # the third run came from the state alone
    assert lemmas_with_cache(["a b"], ["da"], None, VERSION, lemmatize) == [["da/a", "da/b"]]


def test_a_run_appends_a_part_and_leaves_the_earlier_parts_as_they_were(tmp_path: Path) -> None:
    run(WEEK1, tmp_path)
    store = LemmaStore(tmp_path, VERSION)
    [first] = store.parts()
    before = (first.stat().st_ino, first.read_bytes())
    run(WEEK2, tmp_path)
    assert [path.name for path in store.parts()] == ["part-1.parquet", "part-2.parquet"]
    assert (first.stat().st_ino, first.read_bytes()) == before
    new = set(WEEK2) - set(WEEK1)
    added = pl.read_parquet(store.parts()[1])
    assert sorted(added["key"]) == sorted(language_key(text, lang) for text, lang in new)
    run(WEEK2, tmp_path)  # nothing new: nothing written
    assert len(store.parts()) == 2
    assert [path.name for path in tmp_path.iterdir()] == [store.folder.name]


def test_parts_past_the_limit_are_merged_into_one(tmp_path: Path) -> None:
    weeks = [[(f"Kommentar nummer {n}", "da")] for n in range(MAX_PARTS + 2)]
    store = LemmaStore(tmp_path, VERSION)
    for week in weeks[:MAX_PARTS]:
        run(week, tmp_path)
    assert len(store.parts()) == MAX_PARTS
    run(weeks[MAX_PARTS], tmp_path)
    [merged] = store.parts()
    assert pl.read_parquet(merged).height == MAX_PARTS + 1
    run(weeks[MAX_PARTS + 1], tmp_path)
    assert len(store.parts()) == 2
    counting = Counting()
    everything = [comment for week in weeks for comment in week]
    assert run(everything, tmp_path, counting) == uncached(everything)
    assert counting.asked == []


def test_a_run_killed_while_writing_a_part_leaves_a_readable_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(WEEK1, tmp_path)

    def killed(path: Path, write) -> None:
        """Write the temporary file as `replace_atomically` does, then die before the rename."""
        write(path.with_name(f".{path.stem}.99999.tmp{path.suffix}"))
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(lemma_cache, "replace_atomically", killed)
        with pytest.raises(KeyboardInterrupt):
            run(WEEK2, tmp_path)
    store = LemmaStore(tmp_path, VERSION)
    assert [path.name for path in store.parts()] == ["part-1.parquet"]
    assert len(list(store.folder.iterdir())) == 2  # the part and the leftover temporary file
    counting = Counting()
    assert run(WEEK2, tmp_path, counting) == uncached(WEEK2)
    assert sorted(counting.asked) == sorted(set(WEEK2) - set(WEEK1))
    assert run(WEEK2, tmp_path, Counting()) == uncached(WEEK2)


def test_a_merge_killed_before_the_old_parts_were_deleted_reads_each_comment_once(
    tmp_path: Path,
) -> None:
    run(WEEK1, tmp_path)
    run(WEEK2, tmp_path)
    store = LemmaStore(tmp_path, VERSION)
    both = pl.read_parquet(store.parts())
    both.write_parquet(store.folder / "part-3.parquet")  # merged, the old parts still there
    counting = Counting()
    assert run(WEEK2, tmp_path, counting) == uncached(WEEK2)
    assert counting.asked == []
    for n in range(MAX_PARTS - 2):  # up to one part past the limit
        run([(f"Ny kommentar {n}", "da")], tmp_path)
    [merged] = store.parts()
    assert pl.read_parquet(merged)["key"].is_unique().all()


def test_a_new_lemmatiser_version_replaces_the_old_cache(tmp_path: Path) -> None:
    run(WEEK1, tmp_path)
    old = LemmaStore(tmp_path, VERSION).folder
    other_cache = tmp_path / "lemmas-extra-0123456789ab.parquet"  # not a version of `lemmas`
    other_cache.write_bytes(b"kept")
    counting = Counting()
    assert lemmas_with_cache(["Ring mig"], ["da"], tmp_path, "rules 2", counting) == [
        ["da/ring", "da/mig"]
    ]
    assert counting.asked == [("Ring mig", "da")]
    assert not old.exists() and other_cache.exists()
    assert LemmaStore(tmp_path, "rules 2").folder.is_dir()


def test_a_cache_in_the_old_single_file_format_is_dropped(tmp_path: Path) -> None:
    """Its keys were "<lang>:<comment_key>", which cannot be turned into language keys."""
    old = tmp_path / f"lemmas-{hashlib.sha256(VERSION.encode()).hexdigest()[:12]}.parquet"
    pl.DataFrame(
        {"key": ["da:0123456789abcdef0123"], "lemmas": [["stale"]]},
        schema={"key": pl.String, "lemmas": pl.List(pl.String)},
    ).write_parquet(old)
    counting = Counting()
    assert run(WEEK1, tmp_path, counting) == uncached(WEEK1)
    assert sorted(counting.asked) == sorted(set(WEEK1))
    assert not old.exists()


def test_a_rerun_gets_the_spans_of_cached_comments_as_a_fresh_split_gives_them(
    tmp_path: Path,
) -> None:
    """Names shown as written need every comment's spans; a rerun reads the seen comments'
    spans from the state instead of splitting them again (real tokenizer and lemma tables)."""
    week1 = [("Ring mig op igen, tak", "da"), ("Appen krasjar hela tiden", "sv"), ("ok", "xx")]
    week2 = [*week1, ("Öppettiderna är för korta", "sv")]
    texts, langs = [t for t, _ in week2], [g for _, g in week2]
    fresh: dict = {}
    expected = comment_lemmas(texts, langs, fresh)
    first: dict = {}
    run1 = [t for t, _ in week1], [g for _, g in week1]
    lemmas_with_cache(*run1, tmp_path, VERSION, partial(comment_lemmas, written=first), first)
    counting, rerun = Counting(), {}

    def lemmatize(new_texts: list[str], new_langs: list[str]) -> list[list[str]]:
        counting(new_texts, new_langs)
        return comment_lemmas(new_texts, new_langs, rerun)

    assert lemmas_with_cache(texts, langs, tmp_path, VERSION, lemmatize, rerun) == expected
    assert counting.asked == [("Öppettiderna är för korta", "sv")]
    assert rerun.keys() == fresh.keys() == {(t, g) for t, g in week2 if g != "xx"}
    for pair, (found, spans) in fresh.items():
        assert rerun[pair][0] == found and rerun[pair][1] == spans
