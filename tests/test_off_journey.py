"""Social-media talk that reaches a feedback file (politics, sport, jokes) forms themes that are
no fix: they are marked `off_journey` and not ranked; real complaints, short bank-style
questions without the taxonomy's cue words included, are not marked. One real analyze run
(library off: every theme discovered) of demo comments with Danish and Swedish chatter and
customer questions added, and the taxonomy's `[off_journey]` section read and checked."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from cxtext.config import DEFAULT_TAXONOMY
from cxtext.embed import load_embedder
from cxtext.outputs.store import write_store
from cxtext.summary import top_fixes_lines
from cxtext.taxonomy import TaxonomyError, load_taxonomy
from cxtext.themes.off_journey import embed_sentences, mark_off_journey
from tests.support import DEMO_CORPUS, analyze_demo

DEMO_ROWS = 120
CHATTER = [  # written for this test: politics, sport, celebrities, jokes, other people
    "Statsministeren burde gå af efter den skandale, hele regeringen er til grin",
    "Sikke en kamp i aftes, Brøndby var elendige i anden halvleg og tabte 0-3",
    "Haha den vittighed om svigermor og hunden fik mig til at græde af grin",
    "Folketingsvalget bliver en katastrofe hvis venstrefløjen vinder igen",
    "Landsholdet skal have en ny træner, Hjulmand har mistet omklædningsrummet",
    "Hvorfor er der altid nogen der skal brokke sig over vejret her i landet",
    "Min nabo har malet sit hus lilla, jeg ved ikke om jeg skal grine eller græde",
    "Politikerne på Christiansborg lever i deres egen boble og forstår ingenting",
    "FCK spillede som en flok amatører, træneren må fyres nu",
    "Skatteministeren lyver jo bare, den nye lov er en skandale for almindelige mennesker",
    "Hahaha se lige den video med geden der råber, jeg kan ikke mere",
    "Riksdagen är ett skämt, ministrarna borde skämmas över den här budgeten",
    "Vilken usel match, Djurgården förtjänade att förlora derbyt",
    "Haha min katt har ätit upp min sons läxa, vilken dag",
    "Valet i höst blir det värsta på länge, alla partier ljuger",
    "Såg ni Melodifestivalen igår? Vilken hemsk låt som vann",
    "Folk som kör med vinterdäck i maj borde få böter, skärpning",
    "Zlatan var bättre än alla de här nya spelarna tillsammans",
    "Kungen höll ett tråkigt tal och ingen lyssnade ändå",
    "Regeringen borde avgå, statsministern har inte gjort ett enda rätt beslut",
    "Sverige mot Norge i kväll, hoppas vi krossar dem i handbollen",
    "Haha min svärmor tror fortfarande att jorden är platt, vilken tjej",
]
QUESTIONS = [  # a customer's short questions, none with a journey cue word of the taxonomy
    "How do I change my address?",
    "Can I get a second debit card for my partner?",
    "Why was my transfer declined this morning?",
    "Where can I see my statement from last month?",
    "Hvordan skifter jeg min pinkode?",
    "Kan jeg få pengene tilbage, hvis jeg fortryder købet?",
    "Hur lång tid tar en överföring till utlandet?",
    "Varför drogs det pengar två gånger från mitt konto?",
]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("off_journey")
    with DEMO_CORPUS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[: DEMO_ROWS + 1]
    rows += [
        [f"s{i:02d}", "2026-03-02", "1", "private", "social", t] for i, t in enumerate(CHATTER)
    ]
    rows += [
        [f"q{i:02d}", "2026-03-02", "5", "private", "chat", t] for i, t in enumerate(QUESTIONS)
    ]
    source = folder / "feedback.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    out = folder / "out"
    return analyze_demo(source, out, library=False), out


def composition(result) -> pl.DataFrame:
    """Per theme: its comments, how many are chatter and questions, flag and rank."""
    content = result.comments.filter(~pl.col("no_content"))
    counts = content.group_by("theme_id").agg(
        pl.len().alias("n"),
        pl.col("id").str.starts_with("s").sum().alias("chatter"),
        pl.col("id").str.starts_with("q").sum().alias("questions"),
    )
    return counts.join(result.themes, on="theme_id")


def test_chatter_themes_are_marked_and_not_ranked(run) -> None:
    result, _ = run
    themes = composition(result)
    # a theme two thirds chatter is marked (a half-and-half one may go either way)
    chatty = themes.filter(pl.col("chatter") * 3 >= pl.col("n") * 2)
    assert chatty.height >= 1
    assert chatty.get_column("off_journey").all()
    assert chatty.get_column("rank").is_null().all()
    flagged = themes.filter(pl.col("off_journey"))
    assert flagged.get_column("chatter").sum() >= 0.6 * len(CHATTER)
    assert flagged.get_column("rank").is_null().all()


def test_real_complaints_and_questions_are_not_marked(run) -> None:
    result, _ = run
    themes = composition(result)
    # every flagged theme is mostly chatter; no customer question sits in one
    flagged = themes.filter(pl.col("off_journey")).to_dicts()
    assert all(theme["chatter"] * 2 > theme["n"] for theme in flagged)
    assert sum(theme["questions"] for theme in flagged) == 0
    customer = themes.filter(pl.col("chatter") == 0)
    assert customer.height >= 5
    assert not customer.get_column("off_journey").any()
    assert customer.filter(pl.col("negative_share") > 0).get_column("rank").is_not_null().all()


def test_outputs_keep_the_theme_and_leave_it_out_of_the_fixes(run) -> None:
    result, out = run
    flagged = set(result.themes.filter(pl.col("off_journey")).get_column("theme_id"))
    written = pl.read_csv(out / "themes.csv", schema_overrides={"theme_id": pl.String})
    assert set(written.filter(pl.col("off_journey")).get_column("theme_id")) == flagged
    labels = result.themes.filter(pl.col("off_journey")).get_column("label").to_list()
    top = "\n".join(top_fixes_lines(result.themes))
    assert not any(label in top for label in labels)
    journey = json.loads((out / "journey.json").read_text(encoding="utf-8"))
    entries = {theme["id"]: theme["priority"]["rank"] for theme in _journey_themes(journey)}
    assert flagged <= set(entries)
    assert all(entries[theme_id] is None for theme_id in flagged)
    report = (out / "report.html").read_text(encoding="utf-8")
    assert report.count('class="off-journey"') == len(flagged)
    assert "not about the customer journey" in report
    write_store(result, out / "store.duckdb")
    with duckdb.connect(str(out / "store.duckdb"), read_only=True) as store:
        stored = store.execute("SELECT theme_id FROM themes WHERE off_journey").fetchall()
    assert {theme_id for (theme_id,) in stored} == flagged


def _journey_themes(journey: dict) -> list[dict]:
    """Every theme entry in journey.json, wherever it sits."""
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "id" in node and isinstance(node.get("priority"), dict):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(journey)
    return found


def test_a_taxonomy_without_the_section_marks_nothing(tmp_path: Path) -> None:
    text = DEFAULT_TAXONOMY.read_text(encoding="utf-8")
    path = tmp_path / "taxonomy.toml"
    path.write_text(text[: text.index("[off_journey.customer]")], encoding="utf-8")
    taxonomy = load_taxonomy(path)
    assert taxonomy.off_journey is None
    assert embed_sentences(taxonomy, load_embedder(), "any") is None
    themes = pl.DataFrame({"theme_id": ["d01"], "source": ["discovered"]})
    assert mark_off_journey(themes, ["d01"], None).get_column("off_journey").to_list() == [False]


def test_the_section_is_read_and_checked(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(DEFAULT_TAXONOMY)
    sides = taxonomy.off_journey
    assert sorted(sides.customer) == sorted(sides.chatter) == ["da", "en", "nb", "nn", "sv"]
    text = DEFAULT_TAXONOMY.read_text(encoding="utf-8")
    path = tmp_path / "taxonomy.toml"
    start = text.index("[off_journey.chatter]")
    nn = text.index("nn = [", start)
    path.write_text(text[:nn] + text[nn:].replace("nn = [", "xx = [", 1), encoding="utf-8")
    assert "section 'off_journey' (nn in chatter)" in load_taxonomy(path).warnings[0]
    path.write_text(text[:start] + '[off_journey.chatter]\nda = "Haha"\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"line \d+: off_journey: customer and chatter must be"):
        load_taxonomy(path)
    path.write_text(text[:start] + "[off_journey.chatter]\nda = []\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"off_journey: chatter has no sentences"):
        load_taxonomy(path)
