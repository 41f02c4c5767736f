"""Score impact of a theme: how much the overall NPS (or mean score) would rise without it.

impact = metric(all comments) − metric(all comments except the theme's), with a percentile
bootstrap interval from resampling respondents (seeded, so runs are reproducible).
"""

from __future__ import annotations

import numpy as np

BOOTSTRAP_ROUNDS = 200
CHUNK_VALUES = 1 << 16  # resampled scores held at once (rounds × respondents)
EXACT_SUM = 2.0**53  # whole numbers below this add up exactly, in any order


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
    draws = _draws(scores, members, scale, np.random.default_rng(seed))
    draws = draws[~np.isnan(draws)]
    if len(draws) == 0 or np.isnan(point):
        return float("nan"), float("nan"), float("nan")
    low, high = np.percentile(draws, [2.5, 97.5])
    return round(point, 2), round(float(low), 2), round(float(high), 2)


def _draws(
    scores: np.ndarray, members: np.ndarray, scale: str, rng: np.random.Generator
) -> np.ndarray:
    """The impact in each of `BOOTSTRAP_ROUNDS` resamples of the respondents, round by round
    the draws `rng.integers(0, n, n)` would give. Where every sum is exact (NPS shares always,
    means of whole-number scores: `_exact`) rounds are counted together, by how often each
    (score, in the theme or not) is drawn, bit for bit `metric` per round."""
    n = len(scores)
    if n == 0 or not (scale == "nps" or _exact(scores)):
        rounds = (rng.integers(0, n, n) for _ in range(BOOTSTRAP_ROUNDS))
        return np.asarray(
            [metric(scores[s], scale) - metric(scores[s][~members[s]], scale) for s in rounds]
        )
    valid = ~np.isnan(scores)
    levels, level = np.unique(scores[valid], return_inverse=True)
    codes = np.full(n, 2 * len(levels))  # the last code: no score
    codes[valid] = 2 * level + members[valid]
    width, parts = 2 * len(levels) + 1, []
    step = max(1, CHUNK_VALUES // n)
    for start in range(0, BOOTSTRAP_ROUNDS, step):
        rows = min(step, BOOTSTRAP_ROUNDS - start)
        drawn = codes[rng.integers(0, n, (rows, n))] + (width * np.arange(rows))[:, None]
        counts = np.bincount(drawn.ravel(), minlength=rows * width).reshape(rows, width)
        rest = counts[:, 0 : 2 * len(levels) : 2]  # each score drawn outside the theme
        parts.append(_metric_rows(rest + counts[:, 1 : 2 * len(levels) : 2], levels, scale))
        parts[-1] -= _metric_rows(rest, levels, scale)
    return np.concatenate(parts)


def _exact(scores: np.ndarray) -> bool:
    """Every sum of a resample is exact: whole numbers (no -0.0) with room to add them up."""
    finite = scores[~np.isnan(scores)]
    whole = bool(np.all(finite == np.round(finite))) and not np.any(np.signbit(finite[finite == 0]))
    return whole and float(np.abs(finite).max(initial=0.0)) * len(scores) < EXACT_SUM


def _metric_rows(counts: np.ndarray, levels: np.ndarray, scale: str) -> np.ndarray:
    """`metric` of each row's scores, given as how often each of `levels` was drawn."""
    total = counts.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        if scale == "nps":
            promoters = counts[:, levels >= 9].sum(axis=1) / total
            result = 100 * (promoters - counts[:, levels <= 6].sum(axis=1) / total)
        else:
            result = (counts * levels).sum(axis=1) / total
    return np.where(total > 0, result, np.nan)
