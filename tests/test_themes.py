"""Themes follow content, not language: the same complaint in four languages shares a theme, and
a theme the library does not know is still discovered."""

from __future__ import annotations

import polars as pl
import pytest

import cxtext

# The same complaints, written (not translated word for word) in da, sv, nb and en.
PARALLEL = {
    "phone": [
        "Jeg kan ikke finde et telefonnummer nogen steder på jeres hjemmeside",
        "Hittar inget telefonnummer på er hemsida, bara ett formulär",
        "Finner ikke noe telefonnummer på nettsiden deres",
        "There is no phone number anywhere on your website",
    ],
    "invoice": [
        "Fakturaen er umulig at forstå, hvad betaler jeg egentlig for?",
        "Fakturan är helt obegriplig, vad betalar jag för?",
        "Fakturaen er helt uforståelig, hva betaler jeg egentlig for?",
        "The invoice is impossible to understand, what am I paying for?",
    ],
}

# A topic no library theme covers: too much plastic packaging, in five languages.
PACKAGING = [
    "Alt for meget plastikemballage om selv små varer",
    "Hvorfor er alt pakket ind i tre lag plastik?",
    "I burde droppe al den plastik i emballagen, tænk på miljøet",
    "Emballagen var større end produktet og fuld af plastik",
    "Skæmmes over hvor meget plast jeres pakker indeholder",
    "Onödigt mycket plastförpackningar runt allt",
    "Varför är varje liten sak inslagen i plast?",
    "Minska plasten i förpackningarna, det är inte hållbart",
    "Förpackningen var full av plastbubblor och frigolit",
    "Altfor mye plastemballasje rundt alt dere sender",
    "Hvorfor må alt pakkes inn i så mye plast?",
    "Kutt ut plasten i emballasjen, tenk på miljøet",
    "Emballasjen var full av plast og isopor",
    "Alt for mykje plastemballasje, det er ikkje berekraftig",
    "Way too much plastic packaging for such small items",
    "Please cut down on the plastic wrapping, think of the environment",
]


@pytest.fixture(scope="module")
def analysed(demo_subset) -> cxtext.api.Result:
    demo = pl.read_csv(demo_subset, infer_schema=False).select("id", "comment")
    extra = [text for texts in PARALLEL.values() for text in texts] + PACKAGING
    frame = pl.concat(
        [demo, pl.DataFrame({"id": [f"t{i}" for i in range(len(extra))], "comment": extra})]
    )
    return cxtext.analyze(frame, text_col="comment", id_col="id", seed=42)


def theme_of(result, texts: list[str]) -> list[str]:
    by_text = dict(result.comments.select("text", "theme_id").iter_rows())
    return [by_text[text] for text in texts]


@pytest.mark.parametrize("topic", sorted(PARALLEL))
def test_the_same_complaint_in_four_languages_shares_a_theme(analysed, topic: str) -> None:
    themes = theme_of(analysed, PARALLEL[topic])
    assert len(set(themes)) == 1, themes
    assert themes[0] != "-1"


def test_a_theme_absent_from_the_library_is_discovered(analysed) -> None:
    themes = theme_of(analysed, PACKAGING)
    top = max(set(themes), key=themes.count)
    assert themes.count(top) >= 0.8 * len(PACKAGING), themes
    row = analysed.themes.filter(pl.col("theme_id") == top).row(0, named=True)
    assert row["source"] == "new"
    assert "plast" in " ".join(w for ws in eval_keywords(row).values() for w in ws)


def eval_keywords(row: dict) -> dict[str, list[str]]:
    import json

    return json.loads(row["keywords"])


def test_no_content_comments_stay_out_of_themes(analysed) -> None:
    no_content = analysed.comments.filter(pl.col("no_content"))
    assert no_content.height > 0
    assert set(no_content.get_column("theme_id")) == {"-1"}


def test_library_themes_are_labelled_with_their_name(analysed) -> None:
    phone = analysed.themes.filter(pl.col("theme_id") == "phone_unreachable")
    assert phone.height == 1
    assert phone.item(0, "label") == "No way to call"
    assert phone.item(0, "source") == "library"
