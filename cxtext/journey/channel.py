"""The channel a comment is about (phone, chat, e-mail, web, app, store, letter, social): the
one it names, else the one it came through when the input has a channel column."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cxtext.journey.evidence import keyword_hits
from cxtext.taxonomy import Taxonomy

NO_CHANNEL = "none"


def detect_channels(
    texts: Sequence[str],
    langs: Sequence[str],
    taxonomy: Taxonomy,
    came_through: Sequence[str | None] | None = None,
    hits: np.ndarray | None = None,
) -> list[str]:
    """The channel whose cue words a comment mentions most; else the channel it came through
    (`came_through`: the input's channel column, see `channels_of_values`); else `none`.

    Ties go to the channel listed first in the taxonomy. `hits`: the texts' cue-word counts
    per `named_channel_ids`, when already at hand.
    """
    named = _named_channels(texts, langs, taxonomy, hits)
    if came_through is None:
        return named
    fallback = channels_of_values(came_through, taxonomy)
    return [n if n != NO_CHANNEL else f for n, f in zip(named, fallback, strict=True)]


def channels_of_values(values: Sequence[str | None], taxonomy: Taxonomy) -> list[str]:
    """An input channel column's values as taxonomy channels: a value that is a channel's id
    or its name in any language ("Telefon", "E-post"), else the channel whose cue words it
    holds ("phone call", "webshop"), else `none`. A value of options joined by "; " (a
    SurveyMonkey checkbox question, "Webb; E-post") is its first option that is a channel."""
    names = {c: c for c in taxonomy.channels if c != NO_CHANNEL}
    for channel_id in names.copy():
        names |= {name.lower(): channel_id for name in taxonomy.channels[channel_id].name.values()}
    options = {str(v).strip().lower(): _options(v) for v in values if v is not None}
    parts = {part for found in options.values() for part in found}
    distinct = sorted(parts - set(names))
    named = _named_channels(distinct, ["en"] * len(distinct), taxonomy)
    for language in ("da", "sv", "nb", "nn"):  # a cue word of any language will do
        again = _named_channels(distinct, [language] * len(distinct), taxonomy)
        named = [n if n != NO_CHANNEL else a for n, a in zip(named, again, strict=True)]
    names |= dict(zip(distinct, named, strict=True))
    chosen = {
        value: next((names[p] for p in found if names[p] != NO_CHANNEL), NO_CHANNEL)
        for value, found in options.items()
    }
    return [NO_CHANNEL if v is None else chosen[str(v).strip().lower()] for v in values]


def _options(value: object) -> list[str]:
    """A channel cell's options, lower case: its "; "-joined parts, else the whole cell."""
    text = str(value).strip().lower()
    parts = [part.strip() for part in text.split("; ") if part.strip()]
    return parts or [text]


def named_channel_ids(taxonomy: Taxonomy) -> list[str]:
    """The channels a comment can name (all but `none`), in taxonomy order."""
    return [c for c in taxonomy.channels if c != NO_CHANNEL]


def _named_channels(
    texts: Sequence[str],
    langs: Sequence[str],
    taxonomy: Taxonomy,
    hits: np.ndarray | None = None,
) -> list[str]:
    """`hits`: the texts' cue-word counts per `named_channel_ids`, when already at hand."""
    channels = named_channel_ids(taxonomy)
    if not channels:
        return [NO_CHANNEL] * len(texts)
    if hits is None:
        hits = keyword_hits(texts, langs, [taxonomy.channels[c].keywords for c in channels])
    best = hits.argmax(axis=1)
    return [channels[b] if hits[row, b] > 0 else NO_CHANNEL for row, b in enumerate(best)]
