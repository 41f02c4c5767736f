"""The silo × phase ownership matrix: who owns which part of the journey, and how it hurts."""

from __future__ import annotations

import polars as pl

from cxtext.taxonomy import Taxonomy


def ownership_matrix(
    comments: pl.DataFrame, themes: pl.DataFrame, taxonomy: Taxonomy
) -> pl.DataFrame:
    """One row per silo and phase (every pair, so it reads as a full matrix): themes owned,
    comments, and the share of those comments that are negative (null without sentiment)."""
    content = comments.filter(~pl.col("no_content"))
    negative = (
        (pl.col("sentiment") == "neg").mean()
        if "sentiment" in content.columns
        else pl.lit(None, dtype=pl.Float64)
    )
    per_cell = content.group_by("silo", "phase").agg(
        pl.len().alias("comments"), negative.round(3).alias("negative_share")
    )
    theme_cells = themes.group_by("silo", "phase").agg(pl.len().alias("themes"))
    grid = pl.DataFrame(
        [(silo, phase) for silo in taxonomy.silos for phase in taxonomy.phases],
        schema={"silo": pl.String, "phase": pl.String},
        orient="row",
    )
    return (
        grid.join(theme_cells, on=["silo", "phase"], how="left")
        .join(per_cell, on=["silo", "phase"], how="left")
        .with_columns(pl.col("themes", "comments").fill_null(0).cast(pl.Int64))
        .select("silo", "phase", "themes", "comments", "negative_share")
    )
