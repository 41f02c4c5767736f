"""Initiatives gap: does the roadmap address what customers ask for?

Each planned initiative (free text, any language) is matched to the themes whose comments it
would help, with the customer evidence; ranked basic themes that no initiative addresses are
listed as unaddressed. The pipeline reads the roadmap, redacts it and places each
initiative in the comments' language-neutral space (`cxtext.stages`); this module only matches.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from cxtext.vectors import centroid

MIN_SIMILARITY = 0.25  # cosine of an initiative to a theme's centroid (language-neutral space)
NEAR_BEST = 0.05  # also match themes this close to the initiative's best theme
# Each row's status, in the order a reader needs them: a basic fix nobody plans, a planned fix
# customers ask for, a planned initiative no customer raised.
STATUSES = ("unaddressed", "supported", "no customer evidence")
UNADDRESSED, SUPPORTED, NO_EVIDENCE = STATUSES

SCHEMA = {
    "initiative": pl.String,
    "status": pl.String,
    "theme_id": pl.String,
    "theme_label": pl.String,
    "kano": pl.String,
    "rank": pl.Int64,
    "comments": pl.Int64,
    "negative_share": pl.Float64,
    "similarity": pl.Float64,
    "evidence": pl.String,
}


def initiatives_gap(
    initiatives: list[str],
    vectors: np.ndarray,
    comments: pl.DataFrame,
    themes: pl.DataFrame,
    space: np.ndarray,
) -> pl.DataFrame:
    """One row per matched initiative and theme, per initiative without evidence, and per
    ranked basic theme no initiative addresses. `vectors` (one per initiative) lie in the
    comments' language-neutral space (their language's mean removed), where closeness means
    content."""
    theme_of = comments.filter(~pl.col("no_content")).get_column("theme_id").to_numpy()
    theme_rows = list(themes.iter_rows(named=True))
    centroids = np.stack([centroid(space[theme_of == t["theme_id"]]) for t in theme_rows])
    similarity = vectors @ centroids.T
    rows, addressed = [], set()
    for initiative, sims in zip(initiatives, similarity, strict=True):
        best = float(sims.max()) if len(sims) else 0.0
        chosen = [
            i
            for i in np.argsort(-sims, kind="stable")
            if sims[i] >= MIN_SIMILARITY and sims[i] >= best - NEAR_BEST
        ]
        if not chosen:
            rows.append(_row(initiative, NO_EVIDENCE, None, None))
        for index in chosen:
            addressed.add(theme_rows[index]["theme_id"])
            rows.append(_row(initiative, SUPPORTED, theme_rows[index], float(sims[index])))
    for theme in theme_rows:
        if (
            theme["kano"] == "basic"
            and theme["rank"] is not None
            and theme["theme_id"] not in addressed
        ):
            rows.append(_row(None, UNADDRESSED, theme, None))
    return pl.DataFrame(rows, schema=SCHEMA)


def _row(initiative: str | None, status: str, theme: dict | None, similarity: float | None) -> dict:
    theme = theme or {}
    examples = theme.get("examples") or []
    return {
        "initiative": initiative,
        "status": status,
        "theme_id": theme.get("theme_id"),
        "theme_label": theme.get("label"),
        "kano": theme.get("kano"),
        "rank": theme.get("rank"),
        "comments": theme.get("size"),
        "negative_share": theme.get("negative_share"),
        "similarity": round(similarity, 3) if similarity is not None else None,
        "evidence": examples[0] if examples else None,
    }
