"""The channel a comment is about (phone, chat, e-mail, web, app, store, letter, social)."""

from __future__ import annotations

from collections.abc import Sequence

from cxtext.journey.evidence import keyword_hits
from cxtext.taxonomy import Taxonomy

NO_CHANNEL = "none"


def detect_channels(texts: Sequence[str], langs: Sequence[str], taxonomy: Taxonomy) -> list[str]:
    """The channel whose cue words a comment mentions most; `none` when it mentions none.

    Ties go to the channel listed first in the taxonomy.
    """
    channels = [c for c in taxonomy.channels if c != NO_CHANNEL]
    if not channels:
        return [NO_CHANNEL] * len(texts)
    hits = keyword_hits(texts, langs, [taxonomy.channels[c].keywords for c in channels])
    best = hits.argmax(axis=1)
    return [channels[b] if hits[row, b] > 0 else NO_CHANNEL for row, b in enumerate(best)]
