"""Recognise known CX themes from the taxonomy's theme library (examples in five languages).

Comments and library examples are compared in a language-neutral space: each set has its own
per-language mean removed. A comment joins the library theme whose centroid and nearest
examples it is closest to; centroids are then refined with the comments they won, so the
library adapts to the company's own wording.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxtext.embed.base import Embedder
from cxtext.embed.cache import embed_reference
from cxtext.embed.language_neutral import remove_language_signal
from cxtext.taxonomy import Taxonomy

NEAREST_EXAMPLES = 3
REFINE_ROUNDS = 1


@dataclass(frozen=True)
class ThemeLibrary:
    """Library themes with their example vectors in the language-neutral space."""

    theme_ids: list[str]
    example_theme: np.ndarray  # index into theme_ids per example
    example_vectors: np.ndarray

    def centroids(self) -> np.ndarray:
        sums = np.zeros((len(self.theme_ids), self.example_vectors.shape[1]), np.float32)
        np.add.at(sums, self.example_theme, self.example_vectors)
        return _normalise(sums)


def load_library(taxonomy: Taxonomy, embedder: Embedder, model: str) -> ThemeLibrary | None:
    """Embed the library's examples (cached); None when the taxonomy has no themes."""
    texts, owners, langs = [], [], []
    theme_ids = list(taxonomy.themes)
    for index, theme in enumerate(taxonomy.themes.values()):
        for lang, examples in sorted(theme.examples.items()):
            texts += examples
            owners += [index] * len(examples)
            langs += [lang] * len(examples)
    if not texts:
        return None
    vectors = embed_reference(texts, embedder, model)
    vectors = remove_language_signal(vectors, langs)
    return ThemeLibrary(theme_ids, np.asarray(owners), vectors)


def match_library(
    comments: np.ndarray, library: ThemeLibrary, min_score: float
) -> tuple[np.ndarray, np.ndarray]:
    """Best library theme per comment (-1 when below `min_score`) and its score."""
    base = library.centroids()
    centroids = base
    for _ in range(REFINE_ROUNDS + 1):
        best, score = _score(comments, centroids, library)
        won = np.where(score >= min_score, best, -1)
        centroids = _refine(base, comments, won)
    return won, score


def _score(
    comments: np.ndarray, centroids: np.ndarray, library: ThemeLibrary
) -> tuple[np.ndarray, np.ndarray]:
    """Half centroid similarity, half mean similarity of the nearest examples of each theme."""
    to_centroid = comments @ centroids.T
    to_examples = comments @ library.example_vectors.T
    nearest = np.full_like(to_centroid, -1.0)
    for index in range(len(library.theme_ids)):
        sims = to_examples[:, library.example_theme == index]
        k = min(NEAREST_EXAMPLES, sims.shape[1])
        nearest[:, index] = np.sort(sims, axis=1)[:, -k:].mean(axis=1)
    combined = 0.5 * to_centroid + 0.5 * nearest
    best = combined.argmax(axis=1)
    return best, combined[np.arange(len(comments)), best]


def _refine(base: np.ndarray, comments: np.ndarray, won: np.ndarray) -> np.ndarray:
    """Move each centroid toward the comments it won (library examples keep half the weight)."""
    refined = base.copy()
    for index in range(len(base)):
        members = comments[won == index]
        if len(members):
            refined[index] = base[index] + _normalise(members.mean(axis=0, keepdims=True))[0]
    return _normalise(refined)


def _normalise(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
