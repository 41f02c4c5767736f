"""The language model's word and n-gram indexes: sorted keys kept per machine, or dicts."""

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cxtext.language.lookup import SortedKeys
from cxtext.language.model import LanguageModel

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo_feedback.csv"


@pytest.fixture(scope="module")
def texts() -> list[str]:
    comments = pl.read_csv(DEMO)["comment"].drop_nulls().to_list()
    return [*comments, "Jeg vil gerne reservére et bord", "Кундесервис", "ikkje"]


def uses_dicts(model: LanguageModel) -> bool:
    return model._index is not None and model._sorted_grams is None


def test_sorted_keys_look_up_like_a_dict() -> None:
    index = {"ab": 0, "abc": 1, "å": 2, "b": 3}
    keys = SortedKeys.from_dict(index)
    words = ["a", "ab", "abc", "abcd", "å", "ä", "b", "bb", ""]
    assert keys.rows_of(words).tolist() == [index.get(w, -1) for w in words]
    assert keys.rows_of([]).tolist() == []
    assert keys.to_dict() == index


def test_cached_sorted_keys_score_as_the_dicts(
    texts: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CXTEXT_CACHE", str(tmp_path))
    built = LanguageModel()  # an empty cache: dicts, whose sorted keys are then kept
    cached = LanguageModel()
    assert uses_dicts(built) and not uses_dicts(cached)
    assert cached._index is None and cached._sorted_words is not None
    scores, counts = cached.score(texts)
    expected, expected_counts = built.score(texts)
    assert np.array_equal(scores, expected) and np.array_equal(counts, expected_counts)
    # one text at a time reads the same as the batch, through either index
    assert np.array_equal(np.vstack([cached.score([t])[0] for t in texts[:40]]), expected[:40])


def test_a_damaged_cache_falls_back_to_the_dicts_and_is_rebuilt(
    texts: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CXTEXT_CACHE", str(tmp_path))
    expected = LanguageModel().score(texts)[0]
    kept = sorted((tmp_path / "langid").glob("lookup-*"))
    assert len(kept) == 5
    for path in kept:  # cut short, or the same size with garbage rows
        data = path.read_bytes()
        path.write_bytes(
            data[: len(data) // 2]
            if "keys" in path.name
            else data[:128] + b"\xff" * (len(data) - 128)
        )
    damaged = LanguageModel()
    assert uses_dicts(damaged)
    assert np.array_equal(damaged.score(texts)[0], expected)
    rebuilt = LanguageModel()
    assert not uses_dicts(rebuilt)
    assert np.array_equal(rebuilt.score(texts)[0], expected)


def test_an_unwritable_cache_uses_the_dicts(
    texts: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = LanguageModel().score(texts)[0]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("CXTEXT_CACHE", str(blocker))
    model = LanguageModel()
    assert uses_dicts(model)
    assert np.array_equal(model.score(texts)[0], expected)


def test_a_large_batch_switches_to_the_ngram_dict_with_the_same_scores(
    texts: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CXTEXT_CACHE", str(tmp_path))
    expected = LanguageModel().score(texts)[0]
    monkeypatch.setattr("cxtext.language.model.GRAM_DICT_FROM", 5)
    model = LanguageModel()
    assert model._sorted_grams is not None
    assert np.array_equal(model.score(texts)[0], expected)
    assert model._sorted_grams is None and len(model._grams) == len(model._gram_table)
