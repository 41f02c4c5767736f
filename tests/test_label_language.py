"""One label language per run (`--label-language`): library theme names, library group names
and discovered themes' names all in it; a run with too few comments in the language asked for
names in its most common language and says so; a scheduled run keeps its names' language."""

from __future__ import annotations

import html
import json
import os
import re
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

import cxtext
from cxtext.api import detect_file_languages
from cxtext.config import DEFAULT_TAXONOMY
from cxtext.languages import LANGUAGES
from cxtext.taxonomy import load_taxonomy
from cxtext.themes.keywords import lemmas
from cxtext.themes.label_language import choose_label_language
from cxtext.themes.names import LABEL_SHARE
from tests.support import DEMO_CORPUS, DemoRun, run_cli

TAXONOMY = load_taxonomy(DEFAULT_TAXONOMY)


@pytest.fixture(scope="module")
def demo_languages() -> pl.DataFrame:
    """The demo corpus with each comment's language, as `cxtext langid` detects it."""
    return detect_file_languages(DEMO_CORPUS).rows


def library_names(themes: pl.DataFrame, lang: str) -> tuple[list[str], list[str]]:
    """The run's library themes' names and their group names, as the taxonomy gives them in
    `lang`, beside what the run wrote (both in theme order)."""
    rows = themes.filter(pl.col("source") == "library")
    expected, expected_groups = [], []
    for theme_id in rows.get_column("theme_id"):
        theme = TAXONOMY.themes[theme_id]
        expected.append(theme.name[lang])
        expected_groups.append(TAXONOMY.groups[theme.group].name[lang])
    return expected, expected_groups


def assert_library_names_in(themes: pl.DataFrame, lang: str) -> None:
    names, groups = library_names(themes, lang)
    rows = themes.filter(pl.col("source") == "library")
    assert rows.height >= 3
    assert rows.get_column("label").to_list() == names
    assert rows.get_column("parent_label").to_list() == groups


def test_a_swedish_file_gets_swedish_library_names_by_default(
    demo_languages: pl.DataFrame, tmp_path: Path
) -> None:
    """The default label language (English) is under LABEL_SHARE of a Swedish-only file: the
    discovered themes are named in Swedish, so the library's themes and groups are too, and
    the run says so on the terminal and in run.json; report and journey export agree."""
    swedish = demo_languages.filter(pl.col("lang") == "sv").drop("lang", "lang_confidence")
    assert swedish.height >= 100
    source = tmp_path / "svenska.csv"
    swedish.write_csv(source)
    out = tmp_path / "out"
    done = run_cli("analyze", str(source), "-o", str(out), "-q", timeout=300)
    assert done.returncode == 0, done.stderr
    note = "Names in Swedish, the run's most common language among comments with content"
    assert note in " ".join(done.stdout.split())
    run = json.loads((out / "run.json").read_text("utf-8"))
    assert run["label_language_used"] == "sv"
    assert run["options"]["themes"]["label_language"] == "en"
    assert "English" in run["label_language_note"]
    themes = pl.read_csv(out / "themes.csv", encoding="utf8-lossy")
    assert_library_names_in(themes, "sv")
    journey = (out / "journey.json").read_text("utf-8")
    report = (out / "report.html").read_text("utf-8")
    for label in themes.get_column("label"):
        assert json.dumps(label, ensure_ascii=False) in journey, label
        assert label in report or html.escape(label) in report, label


def test_label_language_da_gives_danish_library_names_on_the_demo_corpus(
    tmp_path: Path,
) -> None:
    result = cxtext.analyze(DEMO_CORPUS, label_language="da", seed=42)
    assert result.run["label_language_used"] == "da"
    assert "label_language_note" not in result.run
    assert_library_names_in(result.themes, "da")


def test_a_mixed_run_with_enough_english_keeps_english_names(demo_run: DemoRun) -> None:
    """The demo subset mixes the five languages, English above LABEL_SHARE: English names."""
    langs = demo_run.result.comments.get_column("lang").to_list()
    assert langs.count("en") >= LABEL_SHARE * sum(lang in LANGUAGES for lang in langs)
    assert demo_run.result.run["label_language_used"] == "en"
    assert "label_language_note" not in demo_run.result.run
    assert_library_names_in(demo_run.result.themes, "en")


def test_auto_is_the_runs_most_common_language(demo_languages: pl.DataFrame) -> None:
    langs = demo_languages.get_column("lang").to_list()
    ids = ["t"] * len(langs)
    common = Counter(lang for lang in langs if lang in LANGUAGES).most_common(1)[0][0]
    assert choose_label_language("auto", langs, ids).used == common
    only_danish = [lang for lang in langs if lang in ("da", "en")][:100]
    assert choose_label_language("auto", only_danish, ids[:100]).used == "da"


def test_a_scheduled_run_keeps_its_names_language_until_asked_otherwise(
    demo_languages: pl.DataFrame,
) -> None:
    """Kept while the option is the same (a month with another mix renames nothing); another
    option decides again and, when the language changes, says that themes are named again."""
    langs = demo_languages.get_column("lang").to_list()
    ids = ["t"] * len(langs)
    kept = choose_label_language("en", langs, ids, kept=("en", "sv"))
    assert (kept.used, kept.renamed) == ("sv", False)
    assert "as on the last run" in kept.note
    changed = choose_label_language("da", langs, ids, kept=("en", "sv"))
    assert (changed.used, changed.renamed) == ("da", True)
    assert "named again" in changed.note
    same = choose_label_language("sv", langs, ids, kept=("en", "sv"))
    assert (same.used, same.renamed, same.note) == ("sv", False, "")


def test_an_unknown_label_language_is_one_line_and_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli("analyze", str(DEMO_CORPUS), "-o", str(out), "--label-language", "fi")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--label-language must be one of" in done.stderr
    assert not out.exists()


def test_the_option_says_what_it_does() -> None:
    done = run_cli("analyze", "--help", env={**os.environ, "COLUMNS": "200"})
    text = " ".join(done.stdout.split())
    assert "--label-language" in text and "LANG" in text
    assert "da, sv, nb, nn, en, or 'auto'" in text


def named_from(names: dict[str, str], comments: pl.DataFrame, lang: str) -> list[str]:
    """The themes whose name's every word is a word or lemma of the run's `lang` comments."""
    texts = comments.filter(pl.col("lang") == lang).get_column("text").to_list()
    words = {w for text in texts for w in re.findall(r"[\w']+", text.lower())}
    words |= {w.lower() for row in lemmas(texts, lang) for w in row}
    return [t for t, name in names.items() if set(re.findall(r"[\w']+", name.lower())) <= words]


def test_changing_the_label_language_on_a_state_renames_discovered_themes_but_not_curated(
    tmp_path: Path,
) -> None:
    """--no-library on 200 demo rows with --state: an English run; a Danish one (one theme's
    comments left out) whose discovered themes are named from their Danish comments, a curated
    rename kept; the left-out theme, back, is named afresh, not by its English name; then a
    Swedish-only month with the same option keeps Danish names."""
    rows = pl.read_csv(DEMO_CORPUS).head(200).with_columns(pl.col("id").cast(pl.String))
    source, state = tmp_path / "month1.csv", tmp_path / "state"
    rows.write_csv(source)
    options = {"id_col": "id", "library": False, "seed": 42, "state": state}
    first = cxtext.analyze(source, **options)
    assert first.run["label_language_used"] == "en"
    before = dict(first.themes.select("theme_id", "label").iter_rows())
    comments = first.comments.with_columns(pl.col("id").cast(pl.String))
    curated, *_, left_out = [  # the largest and the smallest theme with en and da comments
        t for t in before if {"en", "da"} <= set(comments.filter(theme_id=t).get_column("lang"))
    ]
    (state / "curation.toml").write_text(f'[names]\n{curated} = "Our own name"\n', "utf-8")
    without = tmp_path / "without.csv"
    gone = comments.filter(theme_id=left_out).get_column("id").to_list()
    rows.filter(~pl.col("id").is_in(gone)).write_csv(without)
    second = cxtext.analyze(without, label_language="da", **options)
    assert second.run["label_language_used"] == "da"
    assert "named again" in second.run["label_language_note"]
    labels = dict(second.themes.select("theme_id", "label").iter_rows())
    assert labels.pop(curated) == "Our own name" and left_out not in labels
    assert len(named_from(labels, second.comments, "da")) >= 0.8 * len(labels), labels
    assert sum(labels[t] != before.get(t) for t in labels) >= len(labels) // 2
    third = cxtext.analyze(source, label_language="da", **options)
    back = dict(third.themes.select("theme_id", "label").iter_rows())[left_out]
    assert back and back != before[left_out]
    assert named_from({left_out: back}, third.comments, "da"), back
    swedish_month = tmp_path / "month2.csv"
    sv_ids = comments.filter(pl.col("lang") == "sv").get_column("id").to_list()
    rows.filter(pl.col("id").is_in(sv_ids)).write_csv(swedish_month)
    fourth = cxtext.analyze(swedish_month, label_language="da", **options)
    assert fourth.run["label_language_used"] == "da"
    assert "label_language_note" not in fourth.run
    kept = dict(fourth.themes.select("theme_id", "label").iter_rows())
    assert all(kept[t] == labels.get(t, kept[t]) for t in kept if t != left_out)
