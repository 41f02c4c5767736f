"""Exact cosine neighbours handed to UMAP (theme fits above 4,096 comments, the map)."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from cxtext.embed import load_embedder
from cxtext.neighbours import nearest_neighbours, seeded_umap

COMMENTS = [
    "Jeg kan ikke finde jeres telefonnummer nogen steder",
    "Jag kan inte hitta ert telefonnummer någonstans",
    "I cannot find your phone number anywhere",
    "Fakturaen er umulig at forstå",
    "Fakturan går inte att förstå",
    "The invoice is impossible to understand",
    "Appen lukker hver gang jeg åbner den",
    "Appen kraschar hela tiden",
]


def test_neighbours_are_the_most_similar_rows_itself_first() -> None:
    vectors = load_embedder().embed(COMMENTS)
    indices, distances = nearest_neighbours(vectors, 3)
    assert indices[:, 0].tolist() == list(range(len(COMMENTS)))
    assert np.allclose(distances[:, 0], 0.0, atol=1e-6)
    similarity = vectors @ vectors.T
    for row in range(len(COMMENTS)):
        expected = np.argsort(-similarity[row], kind="stable")[:3]
        assert set(indices[row]) == set(expected)
        assert np.all(np.diff(distances[row]) >= 0)
    # the phone complaint's nearest other comments are the phone complaints in other languages
    assert set(indices[0, 1:]) == {1, 2}


def test_neighbours_in_chunks_equal_one_block(monkeypatch) -> None:
    vectors = np.random.default_rng(0).standard_normal((300, 16)).astype(np.float32)
    whole = nearest_neighbours(vectors, 10)
    monkeypatch.setattr("cxtext.neighbours.CHUNK_ROWS", 7)
    chunked = nearest_neighbours(vectors, 10)
    assert np.array_equal(whole[0], chunked[0])
    assert np.array_equal(whole[1], chunked[1])


def test_seeded_umap_on_given_neighbours_is_deterministic() -> None:
    vectors = np.random.default_rng(1).standard_normal((200, 24)).astype(np.float32)
    first = seeded_umap(vectors, 15, 2, 0.1, seed=3).fit_transform(vectors)
    again = seeded_umap(vectors, 15, 2, 0.1, seed=3).fit_transform(vectors)
    assert first.shape == (200, 2)
    assert np.array_equal(first, again)


FIT_IN_A_FRESH_PROCESS = """
import sys
import os
import subprocess
import sys

import numpy as np
from cxtext.neighbours import keep_compiled_umap, seeded_umap
vectors = np.random.default_rng(3).normal(size=(300, 32)).astype(np.float32)
layout = seeded_umap(vectors, 10, 2, 0.1, 42, umap_search_below=4096).fit_transform(vectors)
print(keep_compiled_umap(), layout.astype(np.float32).tobytes().hex()[:4000])
"""


def test_umaps_compiled_code_is_kept_on_disk_and_gives_the_same_layout(tmp_path) -> None:
    """The first process compiles UMAP's numba functions into $CXTEXT_CACHE/numba; a second
    process loads them from there and lays the same points out the same way."""
    env = {**os.environ, "CXTEXT_CACHE": str(tmp_path)}
    env.pop("NUMBA_CACHE_DIR", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", FIT_IN_A_FRESH_PROCESS],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout.split()
        for _ in range(2)
    ]
    assert int(runs[0][0]) > 50  # UMAP's and PyNNDescent's jitted functions
    assert runs[0][1] == runs[1][1]
    kept = {path.suffix for path in (tmp_path / "numba").rglob("*")}
    assert {".nbi", ".nbc"} <= kept  # numba's index and compiled-code files
