"""Initiatives gap: does the roadmap address what customers ask for?

Each planned initiative (free text, any language) is matched to the themes whose comments it
would help, with the customer evidence; ranked basic themes that no initiative addresses are
listed as unaddressed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from cxtext.embed.base import Embedder
from cxtext.embed.language_neutral import centre
from cxtext.errors import InputError
from cxtext.io.columns import find_text_column
from cxtext.io.read import read_input
from cxtext.language import detect_languages
from cxtext.pii import redact_text
from cxtext.vectors import centroid

MIN_SIMILARITY = 0.25  # cosine of an initiative to a theme's centroid (language-neutral space)
NEAR_BEST = 0.05  # also match themes this close to the initiative's best theme

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
    comments: pl.DataFrame,
    themes: pl.DataFrame,
    space: np.ndarray,
    language_means: dict[str, np.ndarray],
    embedder: Embedder,
) -> pl.DataFrame:
    """One row per matched initiative and theme, per initiative without evidence, and per
    ranked basic theme no initiative addresses. Initiatives are placed in the comments'
    language-neutral space (their language's mean removed), where closeness means content."""
    theme_of = comments.filter(~pl.col("no_content")).get_column("theme_id").to_numpy()
    theme_rows = list(themes.iter_rows(named=True))
    centroids = np.stack([centroid(space[theme_of == t["theme_id"]]) for t in theme_rows])
    langs, _ = detect_languages(initiatives)
    vectors = centre(embedder.embed(initiatives, is_query=True), langs, language_means)
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
            rows.append(_row(initiative, "no customer evidence", None, None))
        for index in chosen:
            addressed.add(theme_rows[index]["theme_id"])
            rows.append(_row(initiative, "supported", theme_rows[index], float(sims[index])))
    for theme in theme_rows:
        if (
            theme["kano"] == "basic"
            and theme["rank"] is not None
            and theme["theme_id"] not in addressed
        ):
            rows.append(_row(None, "unaddressed", theme, None))
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


def read_initiatives(path: Path) -> list[str]:
    """Planned initiatives, one per row of a CSV/XLSX/... file (its text column), redacted as
    comments are: they reach initiatives.csv and the report."""
    if not Path(path).exists():
        raise InputError(f"--initiatives file not found: {path}")
    raw = read_input(path)
    column = find_text_column(raw.frame)
    values = raw.frame.get_column(column).cast(pl.String).drop_nulls().str.strip_chars()
    return [redact_text(v)[0] for v in values.to_list() if v]
