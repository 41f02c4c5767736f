"""Sentiment stage: neg/neu/pos and a score in [-1, 1] per comment, from the text alone.

Two layers, both offline and linear in the number of comments: how close a comment's embedding
is to example comments of each sentiment (`anchors`), and negation-aware cue words per language
(`lexicon`). A tuned linear map (`model`) turns them into probabilities; the label is the most
probable sentiment and the score is P(pos) - P(neg). A survey score column is never read here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from cxtext.embed import Embedder
from cxtext.frames import scatter_content
from cxtext.sentiment.anchors import SENTIMENTS, load_anchors
from cxtext.sentiment.lexicon import FEATURES, asks_for_something, lexical_rows
from cxtext.sentiment.model import load_weights, sentiment_features

__all__ = ["assign_sentiment", "clear_tone", "score_sentiment"]

CLEAR_SCORE = 0.5  # |P(pos) - P(neg)| from which a comment is clearly praise or a complaint


def score_sentiment(
    texts: Sequence[str],
    langs: Sequence[str],
    embeddings: np.ndarray,
    embedder: Embedder,
    cues: np.ndarray | None = None,
) -> tuple[list[str], list[float]]:
    """neg/neu/pos and a score in [-1, 1] per text; embeddings are the comments' own (one row per
    text); `cues` their `lexical_rows` when cached. Texts without a letter ("-") are neutral."""
    if len(texts) != len(langs) or len(texts) != len(embeddings):
        raise ValueError("texts, langs and embeddings must have one entry per comment")
    if len(texts) == 0:
        return [], []
    features, negated_complaints = sentiment_features(
        texts, langs, embeddings, load_anchors(embedder), cues
    )
    probabilities = load_weights().probabilities(features, negated_complaints)
    scores = np.clip(probabilities[:, 2] - probabilities[:, 0], -1.0, 1.0).round(4)
    labels = [SENTIMENTS[index] for index in probabilities.argmax(axis=1)]
    for index, text in enumerate(texts):
        if not any(char.isalpha() for char in text):
            labels[index], scores[index] = "neu", 0.0
    return labels, [float(score) for score in scores]


def assign_sentiment(
    frame: pl.DataFrame,
    embeddings: np.ndarray,
    embedder: Embedder,
    cues: np.ndarray | None = None,
) -> pl.DataFrame:
    """Add `sentiment` and `sentiment_score`; `embeddings` (and `cues`, see `score_sentiment`)
    have one row per content comment (no_content false) in frame order; no-content rows get
    'neu' and 0.0."""
    content = frame.filter(~pl.col("no_content"))
    labels, scores = score_sentiment(
        content.get_column("text").to_list(),
        content.get_column("lang").to_list(),
        embeddings,
        embedder,
        cues,
    )
    return scatter_content(
        frame,
        {
            "sentiment": pl.Series("sentiment", labels, dtype=pl.String),
            "sentiment_score": pl.Series("sentiment_score", scores, dtype=pl.Float64),
        },
        defaults={"sentiment": "neu", "sentiment_score": 0.0},
    )


def clear_tone(frame: pl.DataFrame, cues: np.ndarray | None = None) -> np.ndarray:
    """Per content comment of a frame with sentiment: 1 for clear praise without a wish
    ("could you also add ..."), 0.5 for a milder positive comment without a wish, -1 for a
    clear complaint, 0 otherwise. Themes respect it (`themes.library.tone_allows`): clear
    praise joins no complaint or wish theme, a positive comment no wish theme, a complaint no
    praise theme. A wish here is one the writer asks for (`lexicon.asks_for_something`): "kom
    med bra förslag" names a suggestion, asks for none. `cues`: the comments' `lexical_rows`
    when at hand."""
    content = frame.filter(~pl.col("no_content"))
    texts, langs = content.get_column("text").to_list(), content.get_column("lang").to_list()
    if cues is None:
        cues = lexical_rows(texts, langs)
    wishes = cues[:, FEATURES.index("wish")] > 0 if len(cues) else np.zeros(0, dtype=bool)
    label = content.get_column("sentiment").to_numpy()
    score = content.get_column("sentiment_score").to_numpy()
    # only a positive comment's wish matters below: read again whether it asks for something
    named = np.flatnonzero(wishes & (label == "pos"))
    wishes[named] = asks_for_something([texts[i] for i in named], [langs[i] for i in named])
    positive = (label == "pos") & ~wishes
    praise = positive & (score >= CLEAR_SCORE)
    complaint = (label == "neg") & (score <= -CLEAR_SCORE)
    return 0.5 * positive + 0.5 * praise - 1.0 * complaint
