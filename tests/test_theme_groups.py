"""Groups of discovered themes, checked on the whole demo corpus against the taxonomy's groups:
the library run puts each comment under its library theme's group, and discovery alone (no
library) must group its own themes so that they agree with those groups. Group names are
checked on small real fixtures: the words the themes' names share, as written, unique."""

from __future__ import annotations

import re

import numpy as np
import polars as pl
import pytest
from scipy.cluster.hierarchy import ward
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics import normalized_mutual_info_score

from cxtext import vectors
from cxtext.config import ThemeOptions
from cxtext.io.contract import OUTLIER_THEME
from cxtext.themes import assign_themes
from cxtext.themes.group_names import name_groups
from cxtext.themes.hierarchy import ward_cut, ward_tree
from cxtext.themes.keywords import stop_words
from tests.support import DEMO_CORPUS, analyze_demo


@pytest.fixture(scope="module")
def corpus_groups() -> tuple[list[str], np.ndarray, pl.DataFrame, np.ndarray]:
    """Each content comment's taxonomy group (library run), its discovered theme, the
    discovered theme table and the comments' vectors."""
    result = analyze_demo(DEMO_CORPUS, None)
    content = ~result.comments.get_column("no_content").to_numpy()
    library = result.comments.filter(pl.Series(content)).join(
        result.themes.select("theme_id", "parent_id"), on="theme_id", how="left"
    )
    frame = result.comments.select("id", "text", "lang", "no_content")
    assigned, themes = assign_themes(frame, result.space, ThemeOptions(use_library=False), seed=42)
    theme_ids = np.asarray(assigned.filter(pl.Series(content)).get_column("theme_id").to_list())
    return library.get_column("parent_id").to_list(), theme_ids, themes, result.space


RANDOM_GROUPINGS = 200  # seeded random regroupings the groups are compared with


def agreement(reference: list[str], theme_ids: np.ndarray, parents: dict[str, str]) -> float:
    groups = [parents.get(t, OUTLIER_THEME) for t in theme_ids]
    return normalized_mutual_info_score(reference, groups)


def test_discovered_groups_agree_with_the_taxonomy_groups(corpus_groups) -> None:
    """The groups of the discovered themes agree with the taxonomy's groups of the same comments
    better than 95% of random groupings of those themes into groups of the same sizes do. The
    bar moves with the themes discovery draws (docs/stability.md: a few short answers read in
    another language took the demo from 35 themes in 6 groups to 9 in 3, and a fixed floor of
    0.35 from met to 0.345); today 0.42 against random groupings' 0.21 (95th percentile)."""
    reference, theme_ids, themes, _ = corpus_groups
    parents = dict(themes.select("theme_id", "parent_id").iter_rows())
    assert themes.height >= 8  # enough themes for groups to mean something
    assert 1 < len(set(parents.values())) < themes.height
    ids = sorted(parents)
    groups = [parents[t] for t in ids]
    rng = np.random.default_rng(0)
    shuffled = [
        agreement(reference, theme_ids, dict(zip(ids, rng.permutation(groups), strict=True)))
        for _ in range(RANDOM_GROUPINGS)
    ]
    assert agreement(reference, theme_ids, parents) > np.percentile(shuffled, 95)


def test_whitened_groups_agree_no_less_than_ward_on_plain_centroids(corpus_groups) -> None:
    """The same number of Ward groups on the themes' plain centroids agrees no better. With the
    themes discovery drew when whitening was written: 0.443 vs 0.306; with today's discovery
    (35 themes, 6 groups): 0.423 vs 0.403. The gain is measured on CLINC150
    (docs/journal/themes.md, "Groups on whitened theme means")."""
    reference, theme_ids, themes, space = corpus_groups
    parents = dict(themes.select("theme_id", "parent_id").iter_rows())
    ids = sorted(parents)
    centroids = np.stack([vectors.centroid(space[theme_ids == t]) for t in ids])
    count = len(set(parents.values()))
    plain = AgglomerativeClustering(n_clusters=count, linkage="ward").fit_predict(centroids)
    plain_parents = {t: str(g) for t, g in zip(ids, plain, strict=True)}
    whitened = agreement(reference, theme_ids, parents)
    assert whitened >= agreement(reference, theme_ids, plain_parents) - 0.01


def partition(labels: np.ndarray) -> set[frozenset[int]]:
    return {frozenset(np.flatnonzero(labels == label).tolist()) for label in set(labels)}


@pytest.mark.parametrize("size", [3, 12, 40, 150])
def test_ward_cut_gives_scikit_learns_ward_groups(size: int) -> None:
    """Groups come from our Ward tree (`ward_tree`) cut by `ward_cut`, as scikit-learn's
    AgglomerativeClustering (which the groups used before) and scipy's `ward` tree give them, at
    every count; the merge heights are scipy's."""
    rng = np.random.default_rng(size)
    centres = rng.normal(size=(4, 16))
    points = centres[rng.integers(0, 4, size)] + 0.3 * rng.normal(size=(size, 16))
    tree, scipy_tree = ward_tree(points), ward(points)
    assert np.allclose(tree[:, 2], scipy_tree[:, 2], rtol=1e-12)
    for count in range(1, size + 1):
        expected = AgglomerativeClustering(n_clusters=count, linkage="ward").fit_predict(points)
        assert partition(ward_cut(tree, count)) == partition(expected), count
        assert partition(ward_cut(scipy_tree, count)) == partition(expected), count


def group_names(
    themes: dict[str, tuple[str, str, list[str]]], lang: str = "en", known=None
) -> dict[str, str]:
    """`name_groups` on real comments: {theme id: (group id, theme name, comments)}."""
    texts = [text for _, _, comments in themes.values() for text in comments]
    ids = [t for t, (_, _, comments) in themes.items() for _ in comments]
    parents = {t: group for t, (group, _, _) in themes.items()}
    names = {t: name for t, (_, name, _) in themes.items()}
    return name_groups(parents, names, texts, [lang] * len(texts), ids, lang, known or {})


CARDS_AND_REFUNDS = {
    "t1": (
        "g01",
        "Card declined at checkout",
        [
            "My card was declined at the checkout",
            "card declined again at checkout today",
            "why is my card declined at checkout",
        ],
    ),
    "t2": (
        "g01",
        "Lost my card",
        ["I lost my card yesterday", "lost my card on the bus", "help, I lost my card"],
    ),
    "t3": (
        "g02",
        "Refund is pending",
        [
            "my refund is still pending",
            "the refund has been pending for two weeks",
            "refund pending since May",
        ],
    ),
    "t4": (
        "g02",
        "Payment pending",
        [
            "payment pending on my account",
            "the payment is pending for days",
            "why is the payment still pending",
        ],
    ),
    "t5": ("g03", "Rude staff", ["the staff was rude", "rude staff at the desk"]),
}


def test_a_group_is_named_by_the_words_its_themes_share_as_written() -> None:
    """ "Card" is in both card themes' names; "pending" in both pending ones, shown as the
    names write it, never as its lemma ("Pend"); a group of one theme keeps its name."""
    names = group_names(CARDS_AND_REFUNDS)
    assert names["g01"].split()[0] == "Card"
    assert names["g02"].split()[0] == "Pending"
    assert "pend" not in names["g02"].lower().split()
    assert names["g03"] == "Rude staff"
    for group, name in names.items():
        comments = {
            word for _, (g, _, texts) in CARDS_AND_REFUNDS.items() if g == group
            for text in texts for word in re.findall(r"\w+", text.lower())
        }  # fmt: skip
        assert 1 <= len(name.split()) <= 4
        assert set(re.findall(r"\w+", name.lower())) <= comments, name


def test_group_names_are_unique_and_unlike_known_names() -> None:
    """A library group already called "Card" leaves the card group another name; two groups
    sharing their best word do not share a name."""
    names = group_names(CARDS_AND_REFUNDS, known={"billing": "Card"})
    assert names["g01"].casefold() != "card"
    twice = CARDS_AND_REFUNDS | {
        "t6": ("g04", "Card blocked abroad", ["my card got blocked abroad"] * 3),
        "t7": ("g04", "Card blocked online", ["card blocked when paying online"] * 3),
    }
    names = group_names(twice)
    assert len({name.casefold() for name in names.values()}) == len(names)


def test_a_stop_word_the_theme_names_share_never_names_their_group() -> None:
    """Both names open on "No"; the group is named by a content word, not "No"."""
    themes = {
        "t1": ("g01", "No answer by phone", ["no answer by phone", "phone call, no answer"] * 2),
        "t2": ("g01", "No reply to email", ["no reply to my email", "email sent, no reply"] * 2),
        "t3": ("g02", "Slow delivery", ["delivery was slow", "slow delivery again"] * 2),
        "t4": ("g02", "Late delivery", ["delivery came late", "late delivery of my box"] * 2),
    }
    names = group_names(themes)
    stops = stop_words("en")
    assert all(not set(re.findall(r"\w+", name.lower())) <= stops for name in names.values())
    assert names["g02"].split()[0] == "Delivery"


def test_danish_groups_are_named_in_danish() -> None:
    """A Danish run names a group of two waiting themes by their shared word, joined with
    "og" where a second word two names share follows."""
    themes = {
        "t1": ("g01", "Lang ventetid i telefonen", ["lang ventetid i telefonen igen"] * 3),
        "t2": ("g01", "Ventetid på svar", ["ventetid på svar fra jer", "ventetid på svar"]),
        "t3": ("g02", "Fejl i appen", ["der er fejl i appen", "appen har fejl"] * 2),
        "t4": ("g02", "Appen lukker", ["appen lukker hele tiden", "appen lukker ned"]),
    }
    names = group_names(themes, "da")
    assert names["g01"].split()[0] == "Ventetid"
    assert names["g02"].split()[0] == "Appen"
    assert all(" and " not in name for name in names.values())
