"""Small frame helpers shared by the stages."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl


def scatter_content(
    frame: pl.DataFrame, values: dict[str, pl.Series], defaults: dict[str, Any] | None = None
) -> pl.DataFrame:
    """Put per-content-comment values (one per `no_content == false` row, in frame order) into
    full-length columns; no-content rows get the column's default (None unless given)."""
    defaults = defaults or {}
    positions = np.flatnonzero(~frame.get_column("no_content").to_numpy())
    columns = []
    for name, column_values in values.items():
        column = pl.Series(name, [defaults.get(name)] * frame.height, dtype=column_values.dtype)
        columns.append(column.scatter(positions, column_values) if len(positions) else column)
    return frame.with_columns(columns)
