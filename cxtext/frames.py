"""Small frame helpers shared by the stages."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
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


def distinct_keys(keys: Iterable[Hashable]) -> tuple[np.ndarray, np.ndarray]:
    """The position of the first of each distinct key, in order of first appearance, and each
    key's index among them: work done once per distinct text (or vector) is spread back with
    `result[inverse]`."""
    index: dict[Hashable, int] = {}
    first: list[int] = []
    inverse: list[int] = []
    for position, key in enumerate(keys):
        found = index.get(key)
        if found is None:
            found = index[key] = len(first)
            first.append(position)
        inverse.append(found)
    return np.asarray(first, dtype=np.int64), np.asarray(inverse, dtype=np.int64)
