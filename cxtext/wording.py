"""Counts in words for what a person reads: '1 comment', '2 comments'."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """'1 comment', '0 comments', '2 comments' (nouns whose plural adds an 's')."""
    return f"{count} {noun if count == 1 else noun + 's'}"


def no_usable_rows(rejected: int, unit: str = "row") -> str:
    """'no usable rows: all 3 rows were rejected' (or 'the only row was'; `unit` 'answer' with
    several open questions): a run's error line when every row it read was rejected."""
    every = f"the only {unit} was" if rejected == 1 else f"all {counted(rejected, unit)} were"
    return f"no usable rows: {every} rejected"
