"""Score impact of a theme: how much the overall NPS (or mean score) would rise without it.

impact = metric(all comments) − metric(all comments except the theme's), with a percentile
bootstrap interval from resampling respondents (seeded, so runs are reproducible).
"""

from __future__ import annotations

import numpy as np

BOOTSTRAP_ROUNDS = 200


def metric(scores: np.ndarray, scale: str) -> float:
    """NPS in points (-100..100) when `scale` is 'nps', else the mean score."""
    scores = scores[~np.isnan(scores)]
    if len(scores) == 0:
        return float("nan")
    if scale == "nps":
        return float(100 * ((scores >= 9).mean() - (scores <= 6).mean()))
    return float(scores.mean())


def theme_impact(
    scores: np.ndarray, members: np.ndarray, scale: str, seed: int
) -> tuple[float, float, float]:
    """Impact of the comments in `members` (boolean mask) and its 95% bootstrap interval."""
    point = metric(scores, scale) - metric(scores[~members], scale)
    rng = np.random.default_rng(seed)
    n = len(scores)
    draws = []
    for _ in range(BOOTSTRAP_ROUNDS):
        sample = rng.integers(0, n, n)
        draws.append(
            metric(scores[sample], scale) - metric(scores[sample][~members[sample]], scale)
        )
    draws = np.asarray(draws)
    draws = draws[~np.isnan(draws)]
    if len(draws) == 0 or np.isnan(point):
        return float("nan"), float("nan"), float("nan")
    low, high = np.percentile(draws, [2.5, 97.5])
    return round(point, 2), round(float(low), 2), round(float(high), 2)
