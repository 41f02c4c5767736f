"""The one priority expression, used for whole themes and for themes within a segment, and
the one order of the theme table (rank 1 first, unranked themes after, largest first).

priority = 100 × volume × negativity × kano_weight × (1 + impact_gain / 10), where
negativity = 0.5 + 0.5 × the theme's share of negative comments (see `cxtext.priority`).
"""

from __future__ import annotations

import polars as pl


def negativity(negative_share: pl.Expr) -> pl.Expr:
    """Half weight for a theme no comment of which is negative, full weight for all negative."""
    return 0.5 + 0.5 * negative_share


def priority(
    volume: pl.Expr, negativity: pl.Expr, kano_weight: pl.Expr, impact_gain: pl.Expr
) -> pl.Expr:
    """The priority of a theme from its components (unrounded)."""
    return 100 * volume * negativity * kano_weight * (1 + impact_gain / 10)


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
