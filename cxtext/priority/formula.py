"""The one priority expression, used for whole themes and for themes within a segment.

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
