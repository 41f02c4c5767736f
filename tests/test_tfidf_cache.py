"""The library examples' n-gram counts cached per machine (`themes.tfidf.example_counts`): a
later run reads them back, and a file cut short, of another version or not matching its texts
is counted again and replaced, never trusted and never a crash."""

from __future__ import annotations

import numpy as np
import pytest

from cxtext.taxonomy import load_taxonomy
from cxtext.themes import tfidf

EXAMPLES = [
    "Fakturaen er uforståelig",
    "Ingen svarer i telefonen",
    "Kundtjänst svarar aldrig i telefon",
    "The invoice is impossible to read",
    "Ventetiden i telefonen er alt for lang",
]


@pytest.fixture
def cache(monkeypatch, tmp_path):  # noqa: ANN001, ANN201
    monkeypatch.setenv("CXTEXT_CACHE", str(tmp_path))
    return tmp_path


def _same(left, right) -> bool:  # noqa: ANN001
    (vocabulary, counts), (other, others) = left, right
    return vocabulary == other and all(
        np.array_equal(getattr(counts, part), getattr(others, part))
        for part in ("indptr", "indices", "data")
    )


def _counted(texts: list[str]):  # noqa: ANN202
    vocabulary: dict[str, int] = {}
    return vocabulary, tfidf.count_ngrams(texts, vocabulary)


def test_counts_are_cached_and_read_back(cache) -> None:
    first = tfidf.example_counts(EXAMPLES)
    (stored,) = cache.glob("ngrams-*.npz")
    assert _same(first, _counted(EXAMPLES))
    written = stored.stat().st_mtime_ns
    assert _same(tfidf.example_counts(EXAMPLES), first)
    assert stored.stat().st_mtime_ns == written  # read, not written again


def _damage_cut_short(path) -> None:  # noqa: ANN001
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _damage_garbage(path) -> None:  # noqa: ANN001
    path.write_bytes(b"not a numpy archive")


def _damage_other_version(path) -> None:  # noqa: ANN001
    with np.load(path) as stored:
        parts = dict(stored)
    np.savez(path, **{**parts, "version": tfidf.CACHE_VERSION + 1})


def _damage_other_texts(path) -> None:  # noqa: ANN001
    with np.load(path) as stored:
        parts = dict(stored)
    np.savez(path, **{**parts, "indptr": parts["indptr"][:-1]})  # one text fewer


def _damage_other_vocabulary(path) -> None:  # noqa: ANN001
    with np.load(path) as stored:
        parts = dict(stored)
    np.savez(path, **{**parts, "lengths": parts["lengths"][:-1]})


@pytest.mark.parametrize(
    "damage",
    [
        _damage_cut_short,
        _damage_garbage,
        _damage_other_version,
        _damage_other_texts,
        _damage_other_vocabulary,
    ],
)
def test_a_damaged_cache_is_counted_again_and_replaced(cache, damage) -> None:
    tfidf.example_counts(EXAMPLES)
    (stored,) = cache.glob("ngrams-*.npz")
    damage(stored)
    assert _same(tfidf.example_counts(EXAMPLES), _counted(EXAMPLES))
    with np.load(stored) as replaced:  # a valid file again
        assert int(replaced["version"]) == tfidf.CACHE_VERSION
        assert len(replaced["indptr"]) == len(EXAMPLES) + 1


def test_other_examples_get_their_own_file(cache) -> None:
    tfidf.example_counts(EXAMPLES)
    assert _same(tfidf.example_counts(EXAMPLES[:3]), _counted(EXAMPLES[:3]))
    assert len(list(cache.glob("ngrams-*.npz"))) == 2


def test_a_cache_that_cannot_be_written_only_costs_the_counting(monkeypatch, tmp_path) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("")
    monkeypatch.setenv("CXTEXT_CACHE", str(blocked / "cache"))  # no folder can be made there
    assert _same(tfidf.example_counts(EXAMPLES), _counted(EXAMPLES))


def test_the_shipped_library_votes_the_same_from_a_damaged_cache(cache) -> None:
    """The lexical votes of real library examples are the same whether the counts are
    counted, read back, or counted again after damage."""
    from cxtext.themes.library import ThemeLibrary, lexical_nearest

    taxonomy = load_taxonomy()
    texts, owners = [], []
    for index, theme in enumerate(taxonomy.themes.values()):
        for _, examples in sorted(theme.examples.items()):
            texts += examples
            owners += [index] * len(examples)
    library = ThemeLibrary(
        list(taxonomy.themes), np.asarray(owners), np.zeros((len(texts), 2)), texts
    )
    comments = ["Fakturan var fel igen", "Ingen svarar i telefon", "Leveransen kom aldrig"]
    counted = lexical_nearest(comments, library)
    assert np.array_equal(lexical_nearest(comments, library), counted)
    (stored,) = cache.glob("ngrams-*.npz")
    _damage_cut_short(stored)
    assert np.array_equal(lexical_nearest(comments, library), counted)
