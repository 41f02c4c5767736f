"""Does one edited comment reshuffle discovered themes? On the real demo corpus (508 comments,
five languages, real embedder) one appended word should keep the theme count and nearly every
comment's theme. Today it does not (docs/stability.md): the UMAP layout is refitted and moves as
a whole, and the Ward cut chosen on it moves with it (15 themes become 14; 0.86 kept)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from cxtext.config import REPO_ROOT, ThemeOptions
from cxtext.embed import load_embedder
from cxtext.themes.discover import WardCut, discover_themes
from scripts.eval_stability import kept_share

EDITED = 432  # the comment that gets " Thanks."; measured: 15 themes -> 14, 0.86 kept


@pytest.mark.xfail(strict=True, reason="discovery is not yet stable to one edit: docs/stability.md")
def test_one_appended_word_keeps_the_discovered_themes() -> None:
    texts = pl.read_csv(REPO_ROOT / "corpora" / "demo_feedback.csv")["comment"].to_list()
    edited = [t + " Thanks." if i == EDITED else t for i, t in enumerate(texts)]
    embedder = load_embedder()
    vectors = embedder.embed(texts, is_query=True)
    changed = vectors.copy()
    changed[EDITED] = embedder.embed([edited[EDITED]], is_query=True)[0]
    assert not np.array_equal(vectors[EDITED], changed[EDITED])
    options = ThemeOptions(use_library=False)
    before = discover_themes(texts, vectors, options, 0, WardCut())
    after = discover_themes(edited, changed, options, 0, WardCut())
    assert len(np.unique(before)) >= 5  # a real multi-theme corpus
    assert len(np.unique(after)) == len(np.unique(before))
    assert kept_share(before, after) >= 0.9
