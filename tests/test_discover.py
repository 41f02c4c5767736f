"""How many themes discovery cuts (`cxtext.themes.discover.SizedWard`), on points placed by hand
so the levels are known: parallel versions of one query are knots inside a meaning, and the
meanings are the themes. The real-text checks are in `test_themes.py`."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import adjusted_rand_score

from cxtext.themes.discover import SizedWard, _clear_level, _finest_near

DIM = 10


def no_cut(k: int) -> float | None:
    """The profiles below hold only their grid cuts (a level is looked for up to low = 0)."""
    return None


def nested(meanings: int, knots: int, versions: int, seed: int = 0) -> np.ndarray:
    """`meanings` groups far apart, each holding `knots` queries a little apart, each said in
    `versions` near-identical ways (translations, dialects): labels per point by meaning."""
    rng = np.random.default_rng(seed)
    points = []
    for centre in rng.normal(0, 10, (meanings, DIM)):
        for knot in centre + rng.normal(0, 1, (knots, DIM)):
            points.append(knot + rng.normal(0, 0.03, (versions, DIM)))
    return np.vstack(points)


def test_parallel_versions_of_a_query_do_not_become_themes_of_their_own() -> None:
    """Six meanings of 12 queries in 13 versions each: HDBSCAN at a minimum size of 10 counts
    the 72 knots, yet the cut follows the meanings."""
    points = nested(meanings=6, knots=12, versions=13)
    labels = SizedWard(min_size=10).fit(points).labels_
    truth = np.repeat(np.arange(6), 12 * 13)
    assert len(set(labels)) == 6
    assert adjusted_rand_score(truth, labels) == 1.0


def test_loose_groups_keep_their_own_count() -> None:
    """30 groups of 20 loose paraphrases and no tighter level: one theme per group."""
    rng = np.random.default_rng(0)
    centres = rng.normal(0, 10, (30, DIM))
    points = np.vstack([c + rng.normal(0, 1, (20, DIM)) for c in centres])
    labels = SizedWard(min_size=7).fit(points).labels_
    assert adjusted_rand_score(np.repeat(np.arange(30), 20), labels) > 0.95


def test_a_clear_level_needs_a_clear_fall() -> None:
    """Silhouette profiles measured on the seeded UMAP layouts: xSID with its written dialects
    (a peak at 8-14 cuts that falls to 0.53 at 24) and CLINC150 (no fall of 0.1 anywhere)."""
    xsid = {3: 0.473, 5: 0.598, 8: 0.658, 10: 0.650, 14: 0.657, 17: 0.629, 24: 0.534, 48: 0.565,
            95: 0.626, 160: 0.696, 280: 0.781}  # fmt: skip
    clinc = {3: 0.484, 5: 0.483, 7: 0.516, 8: 0.472, 12: 0.463, 20: 0.525, 40: 0.611,
             80: 0.684, 113: 0.691, 135: 0.687, 190: 0.679}  # fmt: skip
    assert _clear_level(xsid, 0, no_cut) == 14
    assert _clear_level(clinc, 0, no_cut) is None


def test_a_level_is_the_best_cut_of_the_coarse_range_after_it() -> None:
    """CLINC150 val (150 intents) on one CPU's seed-42 layout: a peak at 6 cuts (0.504) over a
    valley at 9 (0.394), then a climb past it by 20 cuts and to 0.70 at 120. Taken as a level,
    it made 6 themes; every cut from 5 to 18 as measured there."""
    grid = {3: 0.485, 4: 0.457, 6: 0.504, 8: 0.462, 11: 0.43, 15: 0.476, 20: 0.518, 28: 0.571,
            32: 0.579, 36: 0.601, 40: 0.63, 46: 0.639, 51: 0.65, 58: 0.662, 65: 0.668,
            74: 0.669, 84: 0.684, 94: 0.684, 106: 0.68, 120: 0.697, 136: 0.695, 153: 0.688,
            173: 0.676}  # fmt: skip
    every = {5: 0.477, 6: 0.504, 7: 0.503, 8: 0.462, 9: 0.394, 10: 0.403, 11: 0.43, 12: 0.441,
             13: 0.454, 14: 0.464, 15: 0.476, 16: 0.485, 17: 0.491, 18: 0.503}  # fmt: skip
    assert _clear_level(grid, 28, every.get) is None


def test_a_silhouette_that_only_falls_from_three_clusters_is_no_level() -> None:
    """Few clusters score high on any data. Profiles measured on the seeded layouts of xSID da +
    nb + en (15 intents) and of 5,000 Swedish Trustpilot reviews: taking the shoulder at 4-5
    cuts made 4 themes of xSID's 15 intents, and 4 themes of ~600 reviews each. xSID's peak at
    8 cuts rises from a valley at 7 and is the level taken; the reviews have none."""
    xsid = {3: 0.76, 4: 0.77, 5: 0.71, 7: 0.68, 8: 0.73, 10: 0.61, 12: 0.63, 14: 0.59,
            17: 0.56, 22: 0.55, 31: 0.56, 40: 0.46, 57: 0.46, 73: 0.48}  # fmt: skip
    reviews = {3: 0.59, 4: 0.49, 5: 0.49, 6: 0.45, 7: 0.36, 9: 0.37, 11: 0.36, 13: 0.34,
               17: 0.35, 24: 0.35, 34: 0.32, 49: 0.32, 80: 0.29}  # fmt: skip
    assert _clear_level(xsid, 0, no_cut) == 8
    assert _clear_level(reviews, 0, no_cut) is None
    shoulder_only = {k: s for k, s in xsid.items() if k != 8} | {8: 0.70}
    assert _clear_level(shoulder_only, 0, no_cut) is None


def test_a_level_rises_from_the_coarser_valley_not_from_three_clusters() -> None:
    """xSID da + nb + en on the UMAP layout of seed 0: the peak at 8 cuts (NMI 0.809) sits below
    the three-cluster artefact (0.759) yet 0.054 above the valley at 7 and 0.18 above 24 cuts.
    Measured from three clusters it was never a level and the best finer cut (12, NMI 0.780)
    was taken; on seeds 0-4 the level gives 0.809-0.830, the finer cut 0.780-0.806."""
    seed0 = {3: 0.759, 4: 0.770, 5: 0.709, 7: 0.677, 8: 0.731, 10: 0.606, 12: 0.627,
             14: 0.594, 15: 0.571, 18: 0.553, 20: 0.565, 22: 0.548, 25: 0.551, 30: 0.552,
             40: 0.461, 60: 0.469}  # fmt: skip
    assert _clear_level(seed0, 0, no_cut) == 8
    flat_valley = seed0 | {7: 0.715}  # 0.022 above the lowest coarser cut (5): no level
    assert _clear_level(flat_valley, 0, no_cut) is None


def test_the_valley_after_a_coarse_peak_is_measured_on_every_cut() -> None:
    """Profiles measured on the seeded UMAP layouts of the real texts (int8 e5 vectors, seed 1
    for xSID with its written dialects, seed 0 for CFPB and CLINC150): the grid, and every cut
    of the coarse peaks' windows. On the grid xSID's intent level at 9-14 cuts falls only 0.075
    (its valley, 0.521 at 21, lies between the grid's 20 and 30), so the knots of parallel
    versions were taken (236 themes for 15 intents, NMI 0.60); on every cut it falls 0.104 and
    the level is taken (14 cuts, NMI 0.81). CFPB's peak at 4 cuts and CLINC150's at 6 fall 0.091
    and 0.085 on every cut: no level, their finer cuts stay."""
    xsid = {3: 0.488, 4: 0.541, 6: 0.608, 9: 0.625, 14: 0.621, 20: 0.550, 30: 0.559, 44: 0.585,
            63: 0.618, 102: 0.628, 146: 0.699, 209: 0.762, 266: 0.777}  # fmt: skip
    xsid_every = {10: 0.629, 11: 0.633, 12: 0.637, 13: 0.645, 15: 0.624, 16: 0.633, 17: 0.641,
                  18: 0.644, 19: 0.552, 21: 0.521, 22: 0.533, 23: 0.540, 24: 0.538, 25: 0.548,
                  26: 0.552, 27: 0.556}  # fmt: skip
    assert _clear_level(xsid, 0, no_cut) is None
    assert _clear_level(xsid, 44, (xsid | xsid_every).get) == 14
    cfpb = {3: 0.365, 4: 0.419, 5: 0.390, 6: 0.396, 8: 0.387, 10: 0.328, 13: 0.336, 16: 0.329,
            23: 0.327, 42: 0.342, 98: 0.331}  # fmt: skip
    cfpb_every = {7: 0.398, 9: 0.373, 11: 0.331, 12: 0.342}
    assert _clear_level(cfpb, 16, (cfpb | cfpb_every).get) is None
    clinc = {3: 0.487, 4: 0.469, 6: 0.501, 8: 0.474, 11: 0.437, 16: 0.492, 22: 0.533, 30: 0.585,
             62: 0.655, 127: 0.700, 161: 0.689, 182: 0.679}  # fmt: skip
    clinc_every = {7: 0.510, 9: 0.487, 10: 0.416, 12: 0.453, 13: 0.477, 14: 0.486, 15: 0.495,
                   17: 0.494, 18: 0.503}  # fmt: skip
    assert _clear_level(clinc, 30, (clinc | clinc_every).get) is None


def test_a_peak_at_four_clusters_is_the_few_clusters_artefact() -> None:
    """3,429 Danish comments on ~100 news posts (held out, seed 0 layout): a peak at 4 cuts,
    0.054 above the three-cluster cut and 0.127 above 6, was taken as a level and made 4 themes
    (AMI 0.19 against the posts). It rises above one cut only, which few clusters lift on any
    data (CFPB shows the same peak at 4), so the finer range's best cut is taken instead."""
    news = {3: 0.439, 4: 0.493, 5: 0.407, 6: 0.366, 8: 0.366, 9: 0.376, 11: 0.370, 12: 0.363,
            14: 0.372, 16: 0.387, 18: 0.348, 20: 0.345, 23: 0.354, 29: 0.346, 41: 0.364,
            56: 0.355}  # fmt: skip
    assert _clear_level(news, 11, news.get) is None


def test_the_finest_cut_is_reached_without_crossing_a_dip() -> None:
    """BANKING77's profile: the best cut (113) is kept, not the 144 beyond the dip at 128;
    CLINC150's flat top is walked to its finest cut."""
    banking = {89: 0.625, 100: 0.635, 113: 0.638, 128: 0.616, 144: 0.620, 162: 0.627}
    clinc = {89: 0.695, 101: 0.698, 114: 0.694, 129: 0.690, 145: 0.682, 164: 0.679, 185: 0.670}
    assert _finest_near(banking, 113) == 113
    assert _finest_near(clinc, 101) == 164


def test_a_coarse_peak_between_grid_cuts_is_found_on_every_cut() -> None:
    """xSID da + nb + en as `scripts/bench_theme_names.py` runs it (seed 42): the coarse grid
    holds 7 and 9 cuts, not the peak at 8. The grid's peak at 7 is a level and the walk finer
    stopped there (7 themes of 15 intents, NMI 0.805); every cut between 6 and 9 finds 8 (0.845).
    A level whose grid peak is its real peak keeps its cut (xSID seed 0: 8, as before)."""
    names_s42 = {3: 0.786, 4: 0.763, 5: 0.706, 6: 0.652, 7: 0.701, 9: 0.616, 11: 0.617,
                 14: 0.544, 16: 0.559, 18: 0.563, 20: 0.544, 23: 0.548, 26: 0.545, 29: 0.539,
                 32: 0.530, 37: 0.508, 41: 0.467, 47: 0.466, 53: 0.454, 85: 0.457}  # fmt: skip
    every = {8: 0.735, 10: 0.622, 12: 0.613, 13: 0.584, 15: 0.552, 17: 0.555, 19: 0.538,
             21: 0.551}  # fmt: skip
    assert _clear_level(names_s42, 0, no_cut) == 7
    assert _clear_level(names_s42, 14, (names_s42 | every).get) == 8
    peak_on_grid = names_s42 | {8: 0.735}
    assert _clear_level(peak_on_grid, 14, (peak_on_grid | every).get) == 8
