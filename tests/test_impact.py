"""The impact bootstrap: every theme measured on one shared set of resamples of the respondents,
counted together. Checked against the plain loop (one resample at a time, `metric` on the resampled
scores) on NPS, 1-5 ratings with gaps, fractional means and the edges."""

from __future__ import annotations

import numpy as np
import pytest

from cxtext.priority import impact
from cxtext.priority.impact import metric, theme_impacts


def per_round(scores: np.ndarray, theme_of: np.ndarray, ids: list, scale: str, seed: int) -> list:
    """The bootstrap written plainly: one resample at a time, each theme measured on it."""
    rng, n = np.random.default_rng(seed), len(scores)
    samples = [rng.integers(0, n, n) for _ in range(impact.BOOTSTRAP_ROUNDS)] if n else []
    result = []
    for theme in ids:
        members = theme_of == theme
        point = metric(scores, scale) - metric(scores[~members], scale)
        draws = np.asarray(
            [metric(scores[s], scale) - metric(scores[s][~members[s]], scale) for s in samples]
        )
        draws = draws[~np.isnan(draws)]
        if len(draws) == 0 or np.isnan(point):
            result.append((float("nan"),) * 3)
            continue
        low, high = np.percentile(draws, [2.5, 97.5])
        # rounded to two decimals, a negative zero made positive (+ 0.0)
        result.append(
            (round(point, 2) + 0.0, round(float(low), 2) + 0.0, round(float(high), 2) + 0.0)
        )
    return result


def _case(kind: str, n: int, themes: int, rng: np.random.Generator) -> tuple:
    if kind == "nps":
        scores = rng.integers(0, 11, n).astype(float)
    elif kind == "rating":
        scores = rng.integers(1, 6, n).astype(float)
    else:
        scores = rng.normal(3.0, 1.2, n)
    scores[rng.random(n) < 0.05] = np.nan
    theme_of = np.array([f"t{k}" for k in rng.integers(0, themes, n)], dtype=object)
    return scores, theme_of, [f"t{k}" for k in range(themes)] + ["no comments"]


@pytest.mark.parametrize("kind", ["nps", "rating"])
@pytest.mark.parametrize("n", [1, 2, 37, 5251])
def test_whole_scores_match_the_plain_loop_bit_for_bit(kind: str, n: int) -> None:
    scores, theme_of, ids = _case(kind, n, 6, np.random.default_rng(n))
    scale = "nps" if kind == "nps" else "mean"
    got, want = (
        theme_impacts(scores, theme_of, ids, scale, 7),
        per_round(scores, theme_of, ids, scale, 7),
    )
    assert np.array_equal(got, want, equal_nan=True)
    assert [str(x) for row in got for x in row] == [str(x) for row in want for x in row]


def test_fractional_scores_match_the_plain_loop() -> None:
    scores, theme_of, ids = _case("fraction", 999, 5, np.random.default_rng(4))
    got, want = (
        theme_impacts(scores, theme_of, ids, "mean", 3),
        per_round(scores, theme_of, ids, "mean", 3),
    )
    assert np.allclose(got, want, atol=0.011, equal_nan=True)  # sums in another order, then rounded


def test_small_chunks_draw_the_same_rounds(monkeypatch) -> None:
    scores, theme_of, ids = _case("rating", 999, 4, np.random.default_rng(3))
    whole = theme_impacts(scores, theme_of, ids, "mean", 11)
    monkeypatch.setattr(impact, "CHUNK_VALUES", 1000)  # one round per chunk
    assert theme_impacts(scores, theme_of, ids, "mean", 11) == whole


def test_no_scores_and_a_theme_of_everyone() -> None:
    theme_of = np.array(["a", "a", "a"], dtype=object)
    for scores in (np.full(3, np.nan), np.array([-0.0, -0.0, -0.0]), np.array([0.0, -0.0, 2.0])):
        got = theme_impacts(scores, theme_of, ["a"], "mean", 1)
        want = per_round(scores, theme_of, ["a"], "mean", 1)
        assert [str(x) for x in got[0]] == [str(x) for x in want[0]]


def test_a_theme_of_detractors_costs_nps_and_its_interval_holds_it() -> None:
    """300 respondents: 60 detractors complain about invoices, the rest are promoters."""
    scores = np.array([2.0] * 60 + [10.0] * 240)
    theme_of = np.array(["invoice"] * 60 + ["praise"] * 240, dtype=object)
    (point, low, high), _ = theme_impacts(scores, theme_of, ["invoice", "praise"], "nps", 0)
    assert point == -40.0  # NPS 60 with them, 100 without
    assert low <= point <= high < 0


def test_a_tiny_negative_impact_is_zero_not_minus_zero() -> None:
    """A theme of 4 mean scores 0.04 below 396 others costs -0.0004: shown as "-0.0" before."""
    scores = np.array([7.0] * 396 + [6.96] * 4)
    theme_of = np.array(["rest"] * 396 + ["invoice"] * 4, dtype=object)
    (point, low, high), _ = theme_impacts(scores, theme_of, ["invoice", "rest"], "mean", 0)
    assert str(point) == "0.0"
    assert all(np.copysign(1.0, value) == 1.0 for value in (point, low, high) if value == 0)
