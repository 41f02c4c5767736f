"""Words for what a person reads: counts ('1 comment', '2 comments') and quotes cut whole."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """'1 comment', '0 comments', '2 comments' (nouns whose plural adds an 's')."""
    return f"{count} {noun if count == 1 else noun + 's'}"


def no_usable_rows(rejected: int, unit: str = "row") -> str:
    """'no usable rows: all 3 rows were rejected' (or 'the only row was'; `unit` 'answer' with
    several open questions): a run's error line when every row it read was rejected."""
    every = f"the only {unit} was" if rejected == 1 else f"all {counted(rejected, unit)} were"
    return f"no usable rows: {every} rejected"


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis when cut
    ("Vart berre send vidar…" was a demo quote cut mid-word); a text whose last space comes
    before 60% of `limit` (one long word, a URL) is cut at `limit`."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if text[limit - 1].isspace():
        space = limit - 1
    if space >= 0.6 * limit:
        cut = cut[:space]
    return cut.rstrip(" \n,;:–-") + "…"
