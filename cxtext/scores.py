"""The one home for survey scores: reading them (decimal comma too) and knowing their scale.

Scales: `nps` (0-10 likelihood to recommend: promoters 9-10, detractors 0-6; impact on NPS),
`rating` (1-5 stars or CSAT; impact on the mean), `other` (any other numbers, such as the 1-6
school-grade scale of Norwegian and Danish public surveys or a 1-7 agreement scale; impact on
the mean). A value outside its scale (an 11, a 99 for "don't know") is no score.
"""

from __future__ import annotations

import numpy as np
import polars as pl

SCALE_RANGES = {"nps": (0.0, 10.0), "rating": (1.0, 5.0)}
SCALE_NAMES = {"nps": "NPS 0-10", "rating": "rating 1-5", "other": "mean score"}
# Of the numbers in a column, at least this share must fit a scale for it to be that scale.
IN_SCALE_SHARE = 0.9
NAMED_SHARE = 0.5  # ... or half, when the column is named like an NPS question
# Whole numbers from 1 up to 6 or 7 over this many answers are a 1-6 or 1-7 scale, not NPS:
# that many NPS answers without one 0, 8, 9 or 10 does not happen.
SHORT_SCALE_ANSWERS = 20
SHORT_SCALE_TOP = 7
# "9", "8,5", "10 - Extremely likely"; and a score written out of its scale's top, as people
# type it in spreadsheets: "9/10", "4 / 5", "9 af 10", "9 av 10", "9 ud af 10", "9 out of 10"
OUT_OF = r"\s*(?:/|(?:ud |out )?(?:af|av|of))\s*(?:10|5)"
LEADING_NUMBER = rf"(?i)^([+-]?\d+(?:[.,]\d+)?)(?:{OUT_OF}|\s*[-–:=]\s*\D.*)?$"


def parse_scores(column: pl.Expr) -> pl.Expr:
    """Numbers from text ('9', '8,5', ' 7 ', '10 - Extremely likely' as survey tools export
    labelled answers, '9/10' or '9 af 10' as people type them); null where a value is not a
    number ('ni', 'vet ej')."""
    text = column.cast(pl.String).str.strip_chars().str.extract(LEADING_NUMBER)
    number = text.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
    return pl.when(number.is_finite()).then(number).otherwise(None)


def score_values(column: pl.Expr, scale: str) -> pl.Expr:
    """The column's scores on `scale`, null where a value is not a number or out of the scale."""
    scores = parse_scores(column)
    if scale not in SCALE_RANGES:
        return scores
    low, high = SCALE_RANGES[scale]
    return pl.when(scores.is_between(low, high)).then(scores).otherwise(None)


def score_scale(scores: np.ndarray, nps_named: bool = False) -> str:
    """`nps` for whole numbers in 0-10, `rating` for whole numbers in 1-5, `other` for 20 or
    more whole numbers in 1-6 or 1-7 (both unless the column is named like an NPS question)
    and for anything else; a few strays (an 11, a 99 for "don't know") do not decide it."""
    valid = scores[~np.isnan(scores)]
    if not len(valid):
        return "other"
    whole = valid[valid == np.round(valid)]
    in_nps = whole[(whole >= 0) & (whole <= 10)]
    if len(in_nps) < (NAMED_SHARE if nps_named else IN_SCALE_SHARE) * len(valid):
        return "other"
    if not nps_named and in_nps.min() >= 1 and in_nps.max() <= 5:
        return "rating"
    if not nps_named and graded(in_nps):
        return "other"  # NPS here made every answer a detractor: NPS -100, every impact 0
    return "nps"


def graded(scores: np.ndarray) -> bool:
    """Whether the whole numbers among `scores` are a 1-6 grade or a 1-7 agreement scale:
    enough of them, from 1 up to 6 or 7 (1-5 is a rating)."""
    valid = scores[~np.isnan(scores)]
    whole = valid[valid == np.round(valid)]
    if len(whole) < SHORT_SCALE_ANSWERS or len(whole) < IN_SCALE_SHARE * len(valid):
        return False
    return bool(whole.min() >= 1 and 6 <= whole.max() <= SHORT_SCALE_TOP)


def impact_metric(scale: str) -> str:
    """What a theme's impact is measured on: NPS points, or the mean of the scores."""
    return "nps" if scale == "nps" else "mean"


def impact_digits(metric: str | None) -> int:
    """Decimals an impact is shown with: NPS points in tenths, a mean score in hundredths."""
    return 1 if metric == "nps" else 2
