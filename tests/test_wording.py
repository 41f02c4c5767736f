"""Quotes cut for a reader end on a whole word, on the demo's real comments."""

from __future__ import annotations

import polars as pl
import pytest

from cxtext.wording import shorten
from tests.support import DEMO_CORPUS

COMMENTS = pl.read_csv(DEMO_CORPUS).get_column("comment").to_list()


@pytest.mark.parametrize("limit", [40, 89, 120])
def test_a_long_comment_is_cut_after_a_whole_word(limit: int) -> None:
    """The terminal's quotes were cut at 87 characters: "Vart berre send vidar…"."""
    long = [text for text in COMMENTS if len(text) > limit]
    assert long  # the demo has comments longer than every limit tried
    for text in long:
        short = shorten(text, limit)
        kept = short.removesuffix("…")
        assert short.endswith("…") and len(short) <= limit, short
        assert text.startswith(kept), short
        assert not text[len(kept)].isalnum(), short  # the next character ends the word


def test_a_short_comment_and_one_long_word_are_kept_or_cut_at_the_limit() -> None:
    assert shorten(COMMENTS[0], 240) == COMMENTS[0]
    url = "https://example.com/" + "a" * 100
    assert shorten(url, 40) == url[:39] + "…"
