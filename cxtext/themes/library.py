"""Recognise known CX themes from the taxonomy's theme library (examples in five languages).

Comments and library examples are compared in a language-neutral space: each set has its own
per-language mean removed. A comment joins the library theme whose centroid and nearest
examples it is closest to; centroids are then refined with the comments they won, so the
library adapts to the company's own wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cxtext.embed.base import Embedder
from cxtext.embed.cache import embed_reference
from cxtext.embed.language_neutral import remove_language_signal
from cxtext.frames import distinct_keys
from cxtext.taxonomy import Taxonomy
from cxtext.vectors import CHUNK_ROWS, nearest_mean, normalise

NEAREST_EXAMPLES = 3
REFINE_ROUNDS = 1
CENTROID_WEIGHT = 0.5  # weight of the similarity to the theme's centroid
NEAREST_WEIGHT = 0.5  # weight of the mean similarity to the theme's nearest examples
LEXICAL_WEIGHT = 0.7  # weight of the nearest examples by character n-grams (dev NMI 0.74 → 0.80)


@dataclass(frozen=True)
class ThemeLibrary:
    """Library themes with their example vectors in the language-neutral space."""

    theme_ids: list[str]
    example_theme: np.ndarray  # index into theme_ids per example
    example_vectors: np.ndarray
    example_texts: list[str]
    polarities: tuple[str, ...] = ()  # per theme: problem | wish | praise (empty: not known)

    def centroids(self) -> np.ndarray:
        sums = np.zeros((len(self.theme_ids), self.example_vectors.shape[1]), np.float32)
        np.add.at(sums, self.example_theme, self.example_vectors)
        return normalise(sums)


def load_library(
    taxonomy: Taxonomy,
    embedder: Embedder,
    model: str,
    keep_in: Path | None = None,
    used: set[str] | None = None,
) -> ThemeLibrary | None:
    """Embed the library's examples (cached; also in `keep_in`, see `embed_reference`, and
    `used` gets the cache key); None when the taxonomy has no themes."""
    texts, owners, langs = [], [], []
    theme_ids = list(taxonomy.themes)
    for index, theme in enumerate(taxonomy.themes.values()):
        for lang, examples in sorted(theme.examples.items()):
            texts += examples
            owners += [index] * len(examples)
            langs += [lang] * len(examples)
    if not texts:
        return None
    vectors = embed_reference(texts, embedder, model, keep_in, used)
    vectors = remove_language_signal(vectors, langs)
    polarities = tuple(theme.polarity for theme in taxonomy.themes.values())
    return ThemeLibrary(theme_ids, np.asarray(owners), vectors, texts, polarities)


def match_library(
    comments: np.ndarray,
    texts: list[str],
    library: ThemeLibrary,
    min_score: float,
    tone: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Best library theme per comment (-1 when below `min_score`) and its score.

    Meaning (embeddings) and wording (character n-grams, which catch "faktura", "kø",
    "åbningstid" in any inflection) both vote; the n-gram part is fixed, the embedding part is
    refined on the comments. `tone` (per comment, `sentiment.clear_tone`): clear praise (1)
    joins only praise themes, a clear complaint (-1) no praise theme.
    """
    base = library.centroids()
    centroids = base
    # each distinct (text, tone, vector) is scored once; refining still weighs every comment
    first, inverse = _distinct_rows(comments, texts, tone)
    distinct = comments[first]
    lexical = lexical_nearest(texts, library, rows=first)
    if tone is not None and library.polarities:
        lexical[~tone_allows(tone[first], library.polarities)] = -np.inf
    chunks = _chunks(len(distinct))
    # the nearest examples do not move with the centroids: found once for every round
    nearest = [nearest_per_theme(distinct[c] @ library.example_vectors.T, library) for c in chunks]
    for _ in range(REFINE_ROUNDS + 1):
        best, score = _score(distinct, centroids, chunks, nearest, lexical)
        won = np.where(score >= min_score, best, -1)[inverse]
        centroids = _refine(base, comments, won)
    return won, score[inverse]


def library_theme_scores(
    comments: np.ndarray, texts: list[str], library: ThemeLibrary, themes: np.ndarray
) -> np.ndarray:
    """Each comment's score for its given library theme (`themes`: index into `theme_ids`, -1
    for none, scored 0) on `match_library`'s scale: centroid and nearest-example halves plus
    the lexical vote (fitted on all `texts`), with the library's own centroids. A scheduled run
    scores a comment that joins a stored library theme so, as a first run does, and evidence
    quotes rank the members of both by one measure."""
    scores = np.zeros(len(comments))
    wanted = np.flatnonzero(themes >= 0)
    if not len(wanted):
        return scores
    lexical = lexical_nearest(texts, library, rows=wanted)
    centroids = library.centroids()
    for part in _chunks(len(wanted)):
        rows, picked = wanted[part], themes[wanted[part]]
        within = np.arange(len(rows))
        nearest = nearest_per_theme(comments[rows] @ library.example_vectors.T, library)
        scores[rows] = library_score(
            np.einsum("ij,ij->i", comments[rows], centroids[picked]),
            nearest[within, picked],
            lexical[part][within, picked],
        )
    return scores


def library_score(
    centroid_similarity: np.ndarray, nearest_similarity: np.ndarray, lexical_vote: np.ndarray
) -> np.ndarray:
    """The one formula by which a comment fits a library theme: the weighted sum of its
    similarity to the theme's centroid, to the theme's nearest examples and the lexical vote
    (`lexical_nearest`). First runs (`match_library`) and scheduled runs
    (`library_theme_scores`) both score with it, so their scores share one scale."""
    return (
        CENTROID_WEIGHT * centroid_similarity
        + NEAREST_WEIGHT * nearest_similarity
        + LEXICAL_WEIGHT * lexical_vote
    )


def _distinct_rows(
    comments: np.ndarray, texts: list[str], tone: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct (text, tone, vector), and each row's index among them
    (the 100k bench input holds 40,703 distinct texts)."""
    return distinct_keys(
        (text, None if tone is None else float(tone[row]), comments[row].tobytes())
        for row, text in enumerate(texts)
    )


def tone_allows(tone: np.ndarray, polarities: Sequence[str | None]) -> np.ndarray:
    """(comments × themes): may the comment join the theme? Clear praise (tone 1) joins only
    praise themes, a milder positive comment without a wish (0.5) no wish theme, a clear
    complaint (-1) no praise theme; a theme of unknown polarity (None, a discovered one) takes
    any comment."""
    praise = np.array([p == "praise" for p in polarities], dtype=bool)
    wish = np.array([p == "wish" for p in polarities], dtype=bool)
    known = np.array([p is not None for p in polarities], dtype=bool)
    allowed = np.ones((len(tone), len(polarities)), dtype=bool)
    allowed[np.ix_(tone >= 1, known & ~praise)] = False
    allowed[np.ix_(tone > 0, wish)] = False
    allowed[np.ix_(tone < 0, praise)] = False
    return allowed


def lexical_nearest(
    texts: list[str], library: ThemeLibrary, rows: np.ndarray | None = None
) -> np.ndarray:
    """(comments × themes): TF-IDF cosine of character 3-5-grams to each theme's nearest
    examples; the vocabulary and weights are fitted on the examples and these comments
    (`tfidf`: scikit-learn's `TfidfVectorizer` to the bit, without importing it; the examples'
    counts come from a per-machine cache). Each distinct text is weighed once, its repeats
    counted in the idf: the same numbers as a fit on every row, with 40,703 rows in place of
    100,000 on the 100k bench input (an example text met again is the same row: dropping it
    adds no n-gram, so the vocabulary's order is kept). `rows`: the comments whose votes are
    wanted (default all; every text still counts in the fit)."""
    from cxtext.themes.ngrams import nearest_ngram_means
    from cxtext.themes.tfidf import count_ngrams, example_counts, stack, weigh

    distinct, inverse, repeats = np.unique(
        np.asarray(texts, dtype=object), return_inverse=True, return_counts=True
    )
    first: dict[str, int] = {}
    example_rows = np.array(
        [first.setdefault(text, len(first)) for text in library.example_texts], dtype=np.int64
    )
    start = len(first)
    vocabulary, counts = example_counts(list(first))
    counts = stack(counts, count_ngrams(distinct.tolist(), vocabulary, extra={}))
    weighted = weigh(counts, np.r_[np.bincount(example_rows, minlength=start), repeats])
    inverse = inverse.reshape(-1)
    wanted = inverse if rows is None else inverse[rows]
    # only the distinct texts whose votes are wanted
    needed, back = np.unique(wanted, return_inverse=True)
    votes = nearest_ngram_means(
        weighted,
        start + needed,
        weighted.head(start),
        example_rows,
        library.example_theme,
        len(library.theme_ids),
        NEAREST_EXAMPLES,
    )
    return votes[back.reshape(-1)]


def nearest_per_theme(similarity: np.ndarray, library: ThemeLibrary) -> np.ndarray:
    """Mean of the NEAREST_EXAMPLES highest similarities within each theme's examples."""
    return nearest_mean(similarity, library.example_theme, len(library.theme_ids), NEAREST_EXAMPLES)


def _chunks(rows: int) -> list[slice]:
    """Row slices of about CHUNK_ROWS, cut as `np.array_split` cuts them."""
    parts = np.array_split(np.arange(rows), max(1, rows // CHUNK_ROWS + 1))
    return [slice(p[0], p[-1] + 1) for p in parts if len(p)] or [slice(0, 0)]


def _score(
    comments: np.ndarray,
    centroids: np.ndarray,
    chunks: list[slice],
    nearest: list[np.ndarray],
    lexical: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """`library_score` against every theme (`nearest` per chunk); best theme and score chunk
    by chunk, so no (comments × themes) sum is held whole (168 MB each at 100k comments and
    420 themes)."""
    best = np.zeros(len(comments), dtype=np.int64)
    score = np.zeros(len(comments), dtype=lexical.dtype)
    for rows, similar in zip(chunks, nearest, strict=True):
        combined = library_score(comments[rows] @ centroids.T, similar, lexical[rows])
        best[rows] = combined.argmax(axis=1)
        score[rows] = combined[np.arange(len(combined)), best[rows]]
    return best, score


def _refine(base: np.ndarray, comments: np.ndarray, won: np.ndarray) -> np.ndarray:
    """Move each centroid toward the comments it won (library examples keep half the weight)."""
    refined = base.copy()
    for index in range(len(base)):
        members = comments[won == index]
        if len(members):
            refined[index] = base[index] + normalise(members.mean(axis=0))
    return normalise(refined)
