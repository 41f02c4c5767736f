"""The one priority expression, used for whole themes and for themes within a segment, and
the one order of the theme table (rank 1 first, unranked themes after, largest first).

priority = 100 × volume × negativity × kano_weight × (1 + impact_gain / 10), where
negativity = 0.5 + 0.5 × the theme's share of negative comments (see `cxtext.priority`),
and which themes are praise, never ranked as fixes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

PRAISE_SHARE = 0.5  # a theme with at least this share of positive comments is praise, unless mixed
# A mostly-praising theme is mixed, and ranks on its complaints, from this share of negative
# comments: about twice the share of praise the sentiment reads as a complaint (9% of the dev
# set's gold praise, 5% of 5-star Swedish reviews), so most of them are real complaints; and
# from this many complaining respondents, the smallest theme cxtext forms.
MIXED_NEGATIVE_SHARE = 0.2
MIXED_COMPLAINERS = 5


def negativity(negative_share: pl.Expr) -> pl.Expr:
    """Half weight for a theme no comment of which is negative, full weight for all negative."""
    return 0.5 + 0.5 * negative_share


def priority(
    volume: pl.Expr, negativity: pl.Expr, kano_weight: pl.Expr, impact_gain: pl.Expr
) -> pl.Expr:
    """The priority of a theme from its components (unrounded)."""
    return 100 * volume * negativity * kano_weight * (1 + impact_gain / 10)


def praise(praise_ids: set[str]) -> pl.Expr:
    """Library praise (`praise_ids`), or mostly positive and not mixed: a mixed theme's
    complaints rank. Reads `positive_share`, `negative_share` and `negative_respondents`."""
    mixed = (pl.col("negative_share") >= MIXED_NEGATIVE_SHARE) & (
        pl.col("negative_respondents") >= MIXED_COMPLAINERS
    )
    mostly_positive = pl.col("positive_share") >= PRAISE_SHARE
    return pl.col("theme_id").is_in(list(praise_ids)) | (mostly_positive & ~mixed)


def is_mixed(theme: Mapping[str, Any]) -> bool:
    """A ranked theme (a row of the theme table) most of whose comments praise: it ranks on
    its complaints, which the report and the terminal say."""
    return theme.get("rank") is not None and (theme.get("positive_share") or 0) >= PRAISE_SHARE


def fix_order(themes: pl.DataFrame, *first: pl.Expr) -> pl.DataFrame:
    """Themes in the order to fix them: ranked ones by rank, then the unranked (praise, no
    negative comment), largest first. `first`: keys sorted on before these (ascending), such as
    `theme_id == "-1"` to put the outliers last."""
    return themes.sort(
        *first,
        pl.col("rank").is_null(),
        "rank",
        pl.col("size"),
        descending=[*(False for _ in first), False, False, True],
    )
