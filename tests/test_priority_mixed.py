"""Mixed themes: a theme that mostly praises but holds real complaints ranks on them; a theme
of praise (with a stray complaint) does not. Real demo comments, sentiment from the real model,
the shipped taxonomy; the grouping into themes is the input of the priority stage."""

from __future__ import annotations

import polars as pl
import pytest

from cxtext.config import AnalyzeConfig
from cxtext.embed import embed_comments, load_embedder
from cxtext.outputs.report.names import Names
from cxtext.outputs.report.view import rank_reasons
from cxtext.priority import rank_themes
from cxtext.sentiment import assign_sentiment
from cxtext.summary import top_fixes_lines
from cxtext.taxonomy import load_taxonomy
from tests.support import DEMO_CORPUS

# demo comment ids per theme: "n01" delivery, praised by 6 and late for 5 (55% / 45%);
# "n02" staff, praised by 6, one rude-staff complaint
THEMES = {
    "n01": ["c0023", "c0203", "c0228", "c0256", "c0286", "c0467"]
    + ["c0024", "c0061", "c0311", "c0433", "c0470"],
    "n02": ["c0034", "c0038", "c0324", "c0347", "c0421", "c0472", "c0460"],
}
LANGS = {"c0023": "en", "c0256": "en", "c0311": "en", "c0034": "en", "c0421": "en", "c0460": "en"}


@pytest.fixture(scope="module")
def ranked() -> tuple[pl.DataFrame, pl.DataFrame]:
    theme_of = {comment: theme for theme, ids in THEMES.items() for comment in ids}
    demo = pl.read_csv(DEMO_CORPUS).filter(pl.col("id").is_in(list(theme_of)))
    comments = demo.select(
        "id",
        pl.col("comment").alias("text"),
        pl.col("id").replace_strict(LANGS, default="da").alias("lang"),
        pl.col("id").replace_strict(theme_of).alias("theme_id"),
        pl.lit(False).alias("no_content"),
    )
    embedder = load_embedder()
    vectors = embed_comments(comments.get_column("text").to_list(), embedder)
    comments = assign_sentiment(comments, vectors, embedder)
    themes = pl.DataFrame(
        {
            "theme_id": list(THEMES),
            "label": ["Delivery", "Staff"],
            "size": [len(ids) for ids in THEMES.values()],
            "examples": [[], []],
        }
    )
    taxonomy = load_taxonomy(AnalyzeConfig().taxonomy)
    return rank_themes(comments, themes, taxonomy, None, seed=0)


def theme(ranked, theme_id: str) -> dict:
    return ranked[1].filter(pl.col("theme_id") == theme_id).row(0, named=True)


def test_the_model_reads_the_fixture_as_written(ranked) -> None:
    sentiment = dict(ranked[0].select("id", "sentiment").iter_rows())
    late = THEMES["n01"][6:]
    assert [sentiment[c] for c in late] == ["neg"] * 5
    assert [sentiment[c] for c in THEMES["n01"][:6]] == ["pos"] * 6
    assert sentiment["c0460"] == "neg"


def test_a_mixed_theme_ranks_on_its_complaints(ranked) -> None:
    delivery = theme(ranked, "n01")
    assert delivery["positive_share"] >= 0.5  # mostly praise: unranked before mixed themes
    assert not delivery["praise"]
    assert delivery["rank"] == 1
    assert delivery["priority_volume"] == round(5 / 18, 4)  # the 5 complainers only


def test_a_praising_theme_with_a_stray_complaint_is_not_a_fix(ranked) -> None:
    staff = theme(ranked, "n02")
    assert staff["praise"]
    assert staff["rank"] is None


def test_the_terminal_says_a_mixed_theme_is_mostly_praise(ranked) -> None:
    themes = ranked[1].with_columns(
        pl.lit("operations").alias("silo"), pl.lit("receive").alias("phase")
    )
    first = top_fixes_lines(themes)[1]
    assert "Delivery" in first
    assert "46% negative (55% praise)" in first


def test_the_report_says_why_a_mixed_theme_ranks(ranked) -> None:
    reasons = rank_reasons(theme(ranked, "n01"), Names())
    assert reasons[0].startswith("5 complaints")
    assert reasons[1] == "mixed: 46% complain, 55% praise; ranked on the complaints"
