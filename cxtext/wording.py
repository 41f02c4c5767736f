"""Counts in words for what a person reads: '1 comment', '2 comments'."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """'1 comment', '0 comments', '2 comments' (nouns whose plural adds an 's')."""
    return f"{count} {noun if count == 1 else noun + 's'}"
