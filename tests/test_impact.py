"""The impact bootstrap counts rounds together only where that is bit for bit the per-round
loop it replaced (same draws, same sums): checked against that loop on NPS, 1-5 ratings with
gaps, fractional means (the loop itself) and the edges."""

from __future__ import annotations

import numpy as np
import pytest

from cxtext.priority import impact
from cxtext.priority.impact import metric, theme_impact


def per_round(scores: np.ndarray, members: np.ndarray, scale: str, seed: int) -> tuple:
    """The bootstrap as it was written first: one resample at a time."""
    point = metric(scores, scale) - metric(scores[~members], scale)
    rng, n, draws = np.random.default_rng(seed), len(scores), []
    for _ in range(impact.BOOTSTRAP_ROUNDS):
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


def _scores(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "nps":
        scores = rng.integers(0, 11, n).astype(float)
    elif kind == "rating":
        scores = rng.integers(1, 6, n).astype(float)
    else:  # fractional means: not exact in every order, so the per-round loop itself
        scores = rng.normal(3.0, 1.2, n)
    scores[rng.random(n) < 0.05] = np.nan
    return scores


@pytest.mark.parametrize("kind", ["nps", "rating", "fraction"])
@pytest.mark.parametrize("n", [1, 2, 37, 5251])
def test_impact_is_the_per_round_bootstrap_bit_for_bit(kind: str, n: int) -> None:
    rng = np.random.default_rng(n)
    scores = _scores(kind, n, rng)
    scale = "nps" if kind == "nps" else "mean"
    for share in (0.0, 0.1, 0.5, 1.0):
        members = rng.random(n) < share
        got, want = theme_impact(scores, members, scale, 7), per_round(scores, members, scale, 7)
        assert np.array_equal(got, want, equal_nan=True)
        assert [str(x) for x in got] == [str(x) for x in want]  # -0.0 stays -0.0


def test_small_chunks_draw_the_same_rounds(monkeypatch) -> None:
    rng = np.random.default_rng(3)
    scores, members = _scores("rating", 999, rng), rng.random(999) < 0.2
    whole = theme_impact(scores, members, "mean", 11)
    monkeypatch.setattr(impact, "CHUNK_VALUES", 1000)  # one round per chunk
    assert (
        theme_impact(scores, members, "mean", 11) == whole == per_round(scores, members, "mean", 11)
    )


def test_no_scores_and_signed_zeros_follow_the_per_round_loop() -> None:
    members = np.array([True, False, False])
    for scores in (np.full(3, np.nan), np.array([-0.0, -0.0, -0.0]), np.array([0.0, -0.0, 2.0])):
        got, want = theme_impact(scores, members, "mean", 1), per_round(scores, members, "mean", 1)
        assert [str(x) for x in got] == [str(x) for x in want]
