"""report.html in the team's language: a Danish run's page is Danish around its Danish names,
every language of models/report/words.toml has every English key, and a missing key reads in
English rather than breaking the page."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import string
from dataclasses import replace
from pathlib import Path

import pytest

from cxtext.config import REPORT_WORDS
from cxtext.language import detect_languages
from cxtext.languages import LANGUAGES
from cxtext.outputs.report import render_report
from cxtext.outputs.report.render import ASSETS
from cxtext.outputs.report.words import Words, load_words, report_words
from tests.browser import Browser, find_browser
from tests.support import DEMO_CORPUS, DemoRun, analyze_demo

TEMPLATE = ASSETS / "report.html.j2"
# what the page says in its own voice: headings, navigation, hints, labels, table heads, the
# count the script writes, and the charts' legends, axis titles and date ticks
CHROME = """(() => {
  const texts = (selector) => [...document.querySelectorAll(selector)].map((e) => e.innerText);
  const svg = (selector) => [...document.querySelectorAll(selector)].map((e) => e.textContent);
  const own = (selector) => [...document.querySelectorAll(selector)].map((e) =>
    [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(' '));
  return {
    headings: texts('h1, h2, nav a, figcaption, th, .kpi-label, .hint, .eyebrow, .lede'),
    labels: own('.filters label'),
    placeholder: document.getElementById('filter-text').placeholder,
    count: document.getElementById('theme-count').innerText,
    why: texts('.why, .fix-stats'),
    charts: svg('.legendtext, .g-xtitle, .g-ytitle'),
    dateTicks: svg('#plot-trends .xtick text'),
    lang: document.documentElement.lang,
  };
})()"""
READY = (
    "typeof Plotly !== 'undefined' && "
    "document.querySelectorAll('#plot-trends .main-svg, #plot-languages .main-svg').length >= 2"
)


@pytest.fixture(scope="module")
def danish_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The demo corpus's Danish comments (as cxtext's language detector reads them), analysed
    with Danish names."""
    folder = tmp_path_factory.mktemp("danish")
    with DEMO_CORPUS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    langs, _ = detect_languages([row["comment"] for row in rows])
    source = folder / "dansk.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(row for row, lang in zip(rows, langs, strict=True) if lang == "da")
    out = folder / "out"
    return DemoRun(analyze_demo(source, out, label_language="da"), out, source)


def english_only_words() -> set[str]:
    """Words of the English wording that no Danish wording uses ('fix', 'themes', 'owner')."""
    tables = load_words()
    return _tokens(tables["en"]) - _tokens(tables["da"])


def test_a_danish_run_reports_in_danish_in_chromium(danish_run: DemoRun, tmp_path: Path) -> None:
    assert danish_run.result.run["label_language_used"] == "da"
    executable = find_browser()
    if executable is None:
        pytest.skip("chromium is not installed and could not be: `make browser` installs it")
    browser = Browser(executable)
    try:
        tab = browser.open(danish_run.out / "report.html")
        assert browser.wait(tab, READY), "the charts were never drawn"
        page = browser.evaluate(tab, CHROME)
        browser.close_page(tab)
    finally:
        browser.close()
    words = report_words("da")
    assert page["lang"] == "da"
    headings = " ".join(page["headings"])
    for key in ("heading", "fix_heading", "journey_heading", "themes_heading", "col_says"):
        assert words[key].lower() in headings.lower(), key  # table heads are upper case
    assert any(words["filter_owner"] in label for label in page["labels"])
    assert re.fullmatch(r"\d+ af \d+ temaer", page["count"])  # written by the page's script
    assert re.search(r"\d,\d[\s\u00a0]%", headings + " ".join(page["why"]))  # 11,2 %, not 11.2%
    shown = " ".join(
        [headings, *page["labels"], page["placeholder"], page["count"], *page["why"]]
        + page["charts"]
    )
    english = sorted(english_only_words() & _tokens({"page": shown}))
    assert english == [], english
    ticks = " ".join(page["dateTicks"])
    assert ticks and not re.search(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", ticks)


def test_a_danish_run_names_phases_and_owners_in_danish(danish_run: DemoRun) -> None:
    journey = json.loads((danish_run.out / "journey.json").read_text(encoding="utf-8"))
    phases = {phase["id"]: phase["label"] for phase in journey["phases"]}
    assert phases["get_help"] == "Få hjælp" and phases["pay"] == "Betale"
    html = (danish_run.out / "report.html").read_text(encoding="utf-8")
    assert "Ejer: Kundeservice" in html and "Owner:" not in html


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_language_has_every_english_key_with_its_fields(lang: str) -> None:
    tables = load_words()
    english, table = tables["en"], tables[lang]
    assert sorted(set(english) - set(table)) == []
    assert sorted(set(table) - set(english)) == []  # a misspelt key would never be read
    for key, value in english.items():
        if isinstance(value, list):
            assert len(table[key]) == len(value), key
        else:
            assert _fields(table[key]) == _fields(value), key


def test_a_missing_key_reads_in_english(tmp_path: Path) -> None:
    text = REPORT_WORDS.read_text(encoding="utf-8")
    danish = text.index("\n[da]")
    missing = text[:danish] + re.sub(r"\nheading = .*", "", text[danish:], count=1)
    path = tmp_path / "words.toml"
    path.write_text(missing, encoding="utf-8")
    words = report_words("da", path)
    assert words["heading"] == "What customers need us to fix"  # the English fallback
    assert words["fix_heading"] == "Ret dette først"
    assert report_words("fi", path)["heading"] == "What customers need us to fix"
    with pytest.raises(KeyError):
        words["no_such_key"]  # a typo in the template fails the render, not the reader


def test_numbers_percentages_and_dates_follow_the_language() -> None:
    danish, english = report_words("da"), report_words("en")
    assert danish.pct(0.125, 1) == "12,5\u00a0%" and english.pct(0.125, 1) == "12.5%"
    assert danish.number(12345.5, 1) == "12\u202f345,5" and danish.signed(-1.25, 2) == "−1,25"
    assert danish.signed(-0.04) == "0,0" and english.signed(0.04) == "0.0"
    assert danish.date("2026-01-05") == "5. januar 2026"
    assert report_words("sv").date("2026-01-05") == "5 januari 2026"
    assert english.count(1, "comment") == "1 comment" and danish.count(2, "theme") == "2 temaer"


def test_the_template_shows_no_words_of_its_own() -> None:
    """Every word a reader sees comes from words.toml: the template's text and its title and
    placeholder attributes hold nothing but expressions, numbers and symbols."""
    text = TEMPLATE.read_text(encoding="utf-8")
    text = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", text, flags=re.S)
    attributes = re.findall(r'(?:title|placeholder|aria-label)="([^"]*)"', text)
    visible = re.sub(r"<[^>]*>", " ", text)
    stray = re.findall(r"[^\W\d_]{2,}", " ".join([visible, *attributes]))
    assert [word for word in stray if word not in ("cxtext", "sha")] == []


def test_no_word_key_hides_behind_a_method_of_words() -> None:
    """The template reads `w.key`; a key named like a method of Words would give the method."""
    methods = {name for name in dir(Words) if not name.startswith("_")}
    methods |= {field.name for field in dataclasses.fields(Words)}
    used = set(re.findall(r"\bw\.(\w+)", TEMPLATE.read_text(encoding="utf-8")))
    assert sorted((used - methods) - set(load_words()["en"])) == []
    assert sorted(used & methods & set(load_words()["en"])) == []


def _tokens(table: dict) -> set[str]:
    words = set()
    for value in table.values():
        for text in value if isinstance(value, list) else [value]:
            text = re.sub(r"\{\w+\}|%\S*", " ", str(text))
            words |= {word.lower() for word in re.findall(r"[^\W\d_]{2,}", text)}
    return words


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_report_renders_in_every_language(demo_run: DemoRun, lang: str) -> None:
    result = demo_run.result
    page = render_report(replace(result, run={**result.run, "label_language_used": lang}))
    words = report_words(lang)
    assert f'<html lang="{lang}">' in page
    assert f"<h2>{words['fix_heading']}</h2>" in page and words["method_heading"] in page
