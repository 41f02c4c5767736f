"""Priority stage: Kano class, impact and one explainable priority per theme; rank 1 = fix first.

priority = 100 × volume × (0.5 + 0.5 × negativity) × kano_weight × (1 + impact_gain / 10)
- volume: the respondents with a negative comment in the theme as a share of all respondents
  with a content comment (one comment per respondent: the share of comments; with several
  open questions a respondent who complains in two answers counts once);
- negativity: the theme's share of negative comments;
- kano_weight: from the taxonomy (basic 1.0 > performance 0.6 > delighter 0.25);
- impact_gain: NPS points (or mean-score units × 10) the whole would gain without the theme.
Praise themes never rank as fixes: a library praise theme, or one most of whose comments are
positive with few complaints. A mixed theme (mostly praise, but at least a fifth of its comments
and 5 respondents complain: "hurtig levering, tak" beside "pakken kom 2 uger for sent") ranks
on its complaints alone, as volume counts only complaining respondents; its `negative_share`
and `positive_share` say how mixed it is. A discovered theme of social-media talk
(`off_journey`: politics, sport, jokes that reached the feedback) is not ranked either.
"""

from __future__ import annotations

import json

import numpy as np
import polars as pl

from cxtext.io.contract import QUESTION_ORDER, ROW_COLUMN
from cxtext.io.questions import RESPONDENT_COLUMN
from cxtext.priority.formula import fix_order, negativity, praise, priority
from cxtext.priority.impact import theme_impacts
from cxtext.priority.kano import theme_kano
from cxtext.scores import impact_metric, parse_scores, score_scale, score_values
from cxtext.taxonomy import Taxonomy


def rank_themes(
    comments: pl.DataFrame,
    themes: pl.DataFrame,
    taxonomy: Taxonomy,
    score_column: str | None,
    seed: int,
    score_scale: str | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add sentiment summary, Kano, impact, priority components and rank to the theme table,
    and each comment's theme Kano class to the comments. `score_scale` (nps, rating, other)
    is read from the scores when not given."""
    content = comments.filter(~pl.col("no_content"))
    respondent = pl.col(RESPONDENT_COLUMN if RESPONDENT_COLUMN in content.columns else "id")
    stats = content.group_by("theme_id").agg(
        pl.len().alias("n"),
        respondent.n_unique().cast(pl.Int64).alias("respondents"),
        (pl.col("sentiment") == "neg").sum().alias("negative"),
        respondent.filter(pl.col("sentiment") == "neg").n_unique().alias("negative_respondents"),
        (pl.col("sentiment") == "pos").sum().alias("positive"),
        pl.col("sentiment_score").mean().round(3).alias("sentiment_mean"),
    )
    themes = themes.join(stats, on="theme_id", how="left").with_columns(
        pl.col("respondents").fill_null(0),
        (pl.col("negative") / pl.col("n")).round(3).alias("negative_share"),
        (pl.col("positive") / pl.col("n")).round(3).alias("positive_share"),
    )
    kano = theme_kano(themes, taxonomy)
    themes = themes.with_columns(pl.Series("kano", kano, dtype=pl.String))
    themes = _with_impact(content, themes, score_column, seed, score_scale)
    themes = _with_priority(themes, taxonomy, content.select(respondent.n_unique()).item())
    kano_of = dict(zip(themes.get_column("theme_id"), themes.get_column("kano"), strict=True))
    comments = comments.with_columns(
        pl.col("theme_id").replace_strict(kano_of, default=None).alias("kano")
    )
    return comments, themes.drop("n", "negative", "negative_respondents", "positive")


def _with_impact(
    content: pl.DataFrame,
    themes: pl.DataFrame,
    score_column: str | None,
    seed: int,
    scale: str | None,
) -> pl.DataFrame:
    if not score_column or score_column not in content.columns:
        return themes.with_columns(
            pl.lit(None, dtype=pl.Float64).alias("impact"),
            pl.lit(None, dtype=pl.String).alias("impact_ci"),
            pl.lit(None, dtype=pl.String).alias("impact_metric"),
        )
    if scale is None:
        numbers = content.select(parse_scores(pl.col(score_column))).to_series()
        scale = score_scale(numbers.fill_null(float("nan")).to_numpy())
    values = content.select(score_values(pl.col(score_column), scale)).to_series()
    scores = values.fill_null(float("nan")).to_numpy()
    metric = impact_metric(scale)
    theme_of = content.get_column("theme_id").to_numpy()
    impacts, intervals = [], []
    theme_ids = themes.get_column("theme_id").to_list()
    row_of = _score_rows(content)
    for point, low, high in theme_impacts(scores, theme_of, theme_ids, metric, seed, row_of):
        impacts.append(None if np.isnan(point) else point)
        intervals.append(None if np.isnan(low) else json.dumps([low, high]))
    return themes.with_columns(
        pl.Series("impact", impacts, dtype=pl.Float64),
        pl.Series("impact_ci", intervals, dtype=pl.String),
        pl.lit(metric).alias("impact_metric"),
    )


def _score_rows(content: pl.DataFrame) -> np.ndarray | None:
    """With several open questions, each answer's input row numbered 0, 1, ... in order of
    first answer: the row holds the one score its answers share, so it counts once in the
    impact. None with one comment per row: each comment carries its own score, also where a
    customer key joins several cases of one customer (each case was scored on its own)."""
    if QUESTION_ORDER not in content.columns or ROW_COLUMN not in content.columns:
        return None
    rows = content.get_column(ROW_COLUMN).to_list()
    number = {row: n for n, row in enumerate(dict.fromkeys(rows))}
    return np.fromiter(map(number.__getitem__, rows), np.intp, len(rows))


def _with_priority(themes: pl.DataFrame, taxonomy: Taxonomy, respondents: int) -> pl.DataFrame:
    """Priority components and rank; volume counts respondents (`respondents`: those with a
    content comment), so one person who names a theme in two answers counts once."""
    weights = {k: c.weight for k, c in taxonomy.kano.items()}
    praise_ids = {t.id for t in taxonomy.themes.values() if t.polarity == "praise"}
    impact_scale = pl.when(pl.col("impact_metric") == "mean").then(10.0).otherwise(1.0)
    themes = themes.with_columns(
        (pl.col("negative_respondents") / max(1, respondents)).round(4).alias("priority_volume"),
        negativity(pl.col("negative_share")).round(3).alias("priority_negativity"),
        pl.col("kano").replace_strict(weights, default=0.0).alias("priority_kano_weight"),
        (-pl.col("impact").fill_null(0.0) * impact_scale)
        .clip(lower_bound=0.0)
        .round(2)
        .alias("priority_impact_gain"),
        praise(praise_ids).alias("praise"),
    )
    themes = themes.with_columns(
        priority(
            pl.col("priority_volume"),
            pl.col("priority_negativity"),
            pl.col("priority_kano_weight"),
            pl.col("priority_impact_gain"),
        )
        .round(3)
        .alias("priority")
    )
    # a theme of social-media talk (`themes.off_journey`) is no fix either
    off_journey = pl.col("off_journey") if "off_journey" in themes.columns else pl.lit(False)
    fixable = ~pl.col("praise") & (pl.col("negative") > 0) & ~off_journey.fill_null(False)
    rank = (
        pl.when(fixable)
        .then(pl.col("priority").rank(method="ordinal", descending=True).over(fixable))
        .otherwise(None)
        .cast(pl.Int64)
    )
    return fix_order(themes.with_columns(rank.alias("rank")))
