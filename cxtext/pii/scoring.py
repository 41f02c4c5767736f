"""Entity-level recall and precision of the redaction against cases written as expected output."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import get_args

from cxtext.pii.detect import Kind, PiiMatch, find_pii

PLACEHOLDER = re.compile(rf"\[({'|'.join(kind.upper() for kind in get_args(Kind))})\]")


@dataclass
class Score:
    """True positives, false positives and false negatives per kind ("all" sums them)."""

    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def recall(self, kind: str = "all") -> float:
        found = self.tp[kind] + self.fn[kind]
        return self.tp[kind] / found if found else 1.0

    def precision(self, kind: str = "all") -> float:
        claimed = self.tp[kind] + self.fp[kind]
        return self.tp[kind] / claimed if claimed else 1.0


def gold_spans(text: str, expected: str) -> set[tuple[int, int, str]]:
    """The (start, end, kind) spans of `text` that `expected` replaces by placeholders."""
    parts = PLACEHOLDER.split(expected)
    pattern = "".join(re.escape(p) if i % 2 == 0 else "(.+?)" for i, p in enumerate(parts))
    match = re.fullmatch(pattern, text, re.DOTALL)
    if match is None:
        raise ValueError(f"expected output does not fit the text: {expected!r}")
    kinds = parts[1::2]
    return {(match.start(i + 1), match.end(i + 1), k.lower()) for i, k in enumerate(kinds)}


def score_cases(cases: list[tuple[str, str]]) -> Score:
    """Score find_pii on (text, expected) pairs: a hit needs the exact span and kind."""
    score = Score()
    for text, expected in cases:
        gold = gold_spans(text, expected)
        found = {(m.start, m.end, m.kind) for m in find_pii(text)}
        for kinds, spans in ((score.tp, gold & found), (score.fp, found - gold)):
            for _, _, kind in spans:
                kinds.update([kind, "all"])
        for _, _, kind in gold - found:
            score.fn.update([kind, "all"])
        if gold != found:
            score.errors.append(
                f"{text!r}\n  expected {expected!r}\n  found    {_show(text, found)}"
            )
    return score


def _show(text: str, spans: set[tuple[int, int, str]]) -> str:
    """`text` as the spans found would redact it."""
    matches = [PiiMatch(start, end, kind) for start, end, kind in spans]  # type: ignore[arg-type]
    out, position = [], 0
    for match in sorted(matches, key=lambda m: m.start):
        out += [text[position : match.start], f"[{match.kind.upper()}]"]
        position = match.end
    return repr("".join([*out, text[position:]]))
