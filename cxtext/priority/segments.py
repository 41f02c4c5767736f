"""Priorities per customer segment: one average journey fits no one."""

from __future__ import annotations

import polars as pl

from cxtext.io.contract import OUTLIER_THEME
from cxtext.io.questions import RESPONDENT_COLUMN
from cxtext.priority.formula import negativity, priority


def segment_priorities(comments: pl.DataFrame, themes: pl.DataFrame, segment: str) -> pl.DataFrame:
    """Per segment and ranked theme: comments, negative share, a segment priority and rank.

    The segment priority is the theme's overall priority formula applied to the segment's own
    comments (volume, by respondents, and negativity within the segment; Kano weight and impact
    gain as for the theme).
    """
    content = comments.filter(~pl.col("no_content") & (pl.col("theme_id") != OUTLIER_THEME))
    respondent = pl.col(RESPONDENT_COLUMN if RESPONDENT_COLUMN in content.columns else "id")
    totals = content.group_by(segment).agg(respondent.n_unique().alias("segment_respondents"))
    ranked = themes.filter(pl.col("rank").is_not_null()).select(
        "theme_id",
        pl.col("label").alias("theme_label"),
        "priority_kano_weight",
        "priority_impact_gain",
        "silo",
        "phase",
    )
    cells = (
        content.group_by(segment, "theme_id", maintain_order=True)
        .agg(
            pl.len().alias("comments"),
            (pl.col("sentiment") == "neg").mean().alias("neg"),
            respondent.filter(pl.col("sentiment") == "neg").n_unique().alias("complaining"),
        )
        .join(ranked, on="theme_id", how="inner")
        .join(totals, on=segment, how="left")
    )
    segment_priority = priority(
        pl.col("complaining") / pl.col("segment_respondents"),
        negativity(pl.col("neg")),
        pl.col("priority_kano_weight"),
        pl.col("priority_impact_gain"),
    )
    return (
        cells.sort(segment, "theme_id")
        .with_columns(
            pl.col(segment).cast(pl.String).alias("segment"),
            pl.col("neg").round(3).alias("negative_share"),
            segment_priority.round(3).alias("priority"),
        )
        .with_columns(
            pl.col("priority")
            .rank(method="ordinal", descending=True)
            .over("segment")
            .cast(pl.Int64)
            .alias("rank")
        )
        .select(
            "segment",
            "rank",
            "theme_id",
            "theme_label",
            "silo",
            "phase",
            "comments",
            "negative_share",
            "priority",
        )
        .sort("segment", "rank")
    )
