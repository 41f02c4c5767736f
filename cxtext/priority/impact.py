"""Score impact of a theme: how much the overall NPS (or mean score) would rise without it.

impact = metric(all respondents) − metric(all respondents without a comment in the theme), with
a percentile bootstrap interval from resampling respondents (seeded, so runs are reproducible).
Every theme is measured on the same resamples: one set of draws serves the run, and the themes'
intervals describe the same imagined surveys. A respondent is one comment unless the caller
says which comments share a respondent (several open questions): then their score counts once,
and they leave the metric when any of their answers is in the theme.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

BOOTSTRAP_ROUNDS = 200
CHUNK_VALUES = 1 << 16  # resampled respondents held at once (rounds × respondents)

Impact = tuple[float, float, float]  # impact, interval low, interval high (nan: none)


def metric(scores: np.ndarray, scale: str) -> float:
    """NPS in points (-100..100) when `scale` is 'nps', else the mean score."""
    scores = scores[~np.isnan(scores)]
    if len(scores) == 0:
        return float("nan")
    if scale == "nps":
        return float(100 * ((scores >= 9).mean() - (scores <= 6).mean()))
    return float(scores.mean())


def theme_impacts(
    scores: np.ndarray,
    theme_of: np.ndarray,
    theme_ids: Sequence,
    scale: str,
    seed: int,
    respondent_of: np.ndarray | None = None,
) -> list[Impact]:
    """Impact of each theme in `theme_ids` (comments whose `theme_of` is it) and its 95%
    bootstrap interval, rounded to two decimals. `scores` and `theme_of` are per comment;
    `respondent_of` numbers each comment's respondent 0, 1, ... in order of first comment
    (None: every comment is its own respondent), whose first score given is theirs."""
    index = {t: i for i, t in enumerate(dict.fromkeys([*theme_ids, *theme_of.tolist()]))}
    group = np.fromiter(map(index.__getitem__, theme_of.tolist()), np.intp, len(theme_of))
    scores, unit, group = _per_respondent(scores, group, respondent_of)
    draws = _draws(scores, unit, group, len(index), scale, np.random.default_rng(seed))
    result = []
    for column in map(index.__getitem__, theme_ids):
        members = np.zeros(len(scores), bool)
        members[unit[group == column]] = True
        point = metric(scores, scale) - metric(scores[~members], scale)
        kept = draws[:, column][~np.isnan(draws[:, column])]
        if len(kept) == 0 or np.isnan(point):
            result.append((float("nan"), float("nan"), float("nan")))
            continue
        low, high = np.percentile(kept, [2.5, 97.5])
        # + 0.0: a tiny negative rounds to -0.0, which CSV and the summary showed as "-0.0"
        result.append(tuple(round(float(value), 2) + 0.0 for value in (point, low, high)))
    return result


def _per_respondent(
    scores: np.ndarray, group: np.ndarray, respondent_of: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each respondent's score, and the distinct (respondent, group) pairs as two arrays."""
    if respondent_of is None:
        return scores, np.arange(len(scores)), group
    respondents = int(respondent_of.max()) + 1 if len(respondent_of) else 0
    given = ~np.isnan(scores)
    first = np.full(respondents, len(scores))
    np.minimum.at(first, respondent_of[given], np.flatnonzero(given))
    own = np.full(respondents, np.nan)
    own[first < len(scores)] = scores[first[first < len(scores)]]
    pairs = np.unique(np.stack([respondent_of, group]), axis=1)
    return own, pairs[0], pairs[1]


def _draws(
    scores: np.ndarray,
    unit: np.ndarray,
    group: np.ndarray,
    groups: int,
    scale: str,
    rng: np.random.Generator,
) -> np.ndarray:
    """Impact of each group (columns) in each of `BOOTSTRAP_ROUNDS` resamples of the
    respondents (rows). A round is counted as how often it drew each respondent; the sums a
    metric needs (answers, promoters and detractors, or the scores) are then taken per group,
    over the (respondent `unit`, `group`) pairs."""
    n = len(scores)
    out = np.full((BOOTSTRAP_ROUNDS, groups), np.nan)
    if n == 0:
        return out
    valid = ~np.isnan(scores)
    if scale == "nps":
        parts = [valid, valid & (scores >= 9), valid & (scores <= 6)]
    else:
        parts = [valid, np.where(valid, scores, 0.0)]
    values = np.stack(parts).astype(np.float64)  # (parts, respondents)
    step = max(1, CHUNK_VALUES // n)
    for start in range(0, BOOTSTRAP_ROUNDS, step):
        rows = min(step, BOOTSTRAP_ROUNDS - start)
        drawn = rng.integers(0, n, (rows, n)) + (n * np.arange(rows))[:, None]
        times = np.bincount(drawn.ravel(), minlength=rows * n).reshape(rows, n).astype(float)
        cells = (group[None, :] + groups * np.arange(rows)[:, None]).ravel()
        inside = np.stack(  # (parts, rounds, groups): each part summed per round and group
            [
                np.bincount(cells, (times * part)[:, unit].ravel(), rows * groups).reshape(
                    rows, groups
                )
                for part in values
            ]
        )
        total = (times[None] * values[:, None, :]).sum(axis=2, keepdims=True)  # (parts, rounds, 1)
        out[start : start + rows] = _metric(total, scale) - _metric(total - inside, scale)
    return out


def _metric(sums: np.ndarray, scale: str) -> np.ndarray:
    """`metric` from a resample's sums: answers first, then promoters and detractors (NPS) or
    the scores' sum (mean)."""
    answers = sums[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        if scale == "nps":
            result = 100 * (sums[1] / answers - sums[2] / answers)
        else:
            result = sums[1] / answers
    return np.where(answers > 0, result, np.nan)
