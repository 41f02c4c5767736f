"""Kano class per theme: from the theme library when known, else from how customers talk.

Basics are complained about when missing and rarely praised; performance themes draw both
complaints and praise (more is better); delighters are wished for, not complained about.
"""

from __future__ import annotations

import polars as pl

from cxtext.taxonomy import Taxonomy

BASIC_NEGATIVE = 0.6  # mostly complaints, little praise → basic
PERFORMANCE_POSITIVE = 0.15  # complaints and a fair share of praise → performance


def theme_kano(themes: pl.DataFrame, taxonomy: Taxonomy) -> list[str]:
    """One Kano class per theme row (`basic`, `performance` or `delighter`)."""
    classes = []
    for row in themes.iter_rows(named=True):
        known = taxonomy.themes.get(row["theme_id"])
        if known is not None:
            classes.append(known.kano)
        elif (row["positive_share"] or 0) >= PERFORMANCE_POSITIVE and (row["negative_share"] or 0):
            classes.append("performance")
        elif (row["negative_share"] or 0) >= BASIC_NEGATIVE:
            classes.append("basic")
        else:
            classes.append("delighter")
    return classes
