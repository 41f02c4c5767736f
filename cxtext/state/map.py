"""The comment map's positions kept in the state by comment key, so an incremental run's map
stays put (the map itself is drawn by `cxtext.outputs.report.map`)."""

from __future__ import annotations

import polars as pl

from cxtext.state.keys import comment_keys

POINTS_SCHEMA = {"comment_key": pl.String, "x": pl.Float32, "y": pl.Float32}


def map_points(texts: pl.Series, points: pl.DataFrame) -> pl.DataFrame:
    """The map's positions by comment key, to keep in the state (first of identical texts)."""
    frame = pl.DataFrame(
        {
            "comment_key": comment_keys(texts),
            "x": points.get_column("x"),
            "y": points.get_column("y"),
        },
        schema=POINTS_SCHEMA,
    )
    return frame.unique("comment_key", keep="first", maintain_order=True)
