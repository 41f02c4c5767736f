"""Lemma tables read from per-machine SQLite files give the lemmas the loaded table gives:
built on first use, read after, and the table itself where no file can be written or read."""

from __future__ import annotations

import polars as pl
import pytest

from cxtext.imports import spacy
from cxtext.themes import keywords
from cxtext.themes.keywords import content_words, lemma_table, lemmas, stop_words
from cxtext.themes.lemma_lookup import lemma_lookup
from tests.support import DEMO_CORPUS

TEXTS = pl.read_csv(DEMO_CORPUS).get_column("comment").to_list()


def with_whole_table(texts: list[str], lang: str) -> list[list[str]]:
    """`lemmas` as it was written first: the language's whole table loaded, spaCy's docs."""
    table, stops = lemma_table(lang), stop_words(lang)
    docs = spacy().blank(lang).tokenizer.pipe(texts, batch_size=256)
    return [[lemma for _, lemma in content_words([t.text for t in d], table, stops)] for d in docs]


@pytest.mark.parametrize("lang", ["sv", "da", "en"])
def test_lemmas_from_the_file_are_those_of_the_table(lang, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CXTEXT_CACHE", str(tmp_path))
    monkeypatch.setattr(keywords, "LOOKUP_TEXTS", 97)  # several look-ups
    want = with_whole_table(TEXTS, lang)
    assert lemmas(TEXTS, lang) == want  # builds the file
    assert [p.name.split("-")[0] for p in (tmp_path / "lemmas").iterdir()] == [lang]
    assert lemmas(TEXTS, lang) == want  # reads it
    assert any(want)


def test_a_look_up_answers_as_the_table_for_known_and_unknown_words(tmp_path, monkeypatch):
    monkeypatch.setenv("CXTEXT_CACHE", str(tmp_path))
    table = lemma_table("sv")
    known = sorted(table)[::997]
    words = {*known, "", "qzxv", "Kundtjänst", "ÅTERBETALNING", "o'neill", "a;b"}
    assert lemma_lookup("sv", words, lemma_table) == {w: table[w] for w in words if w in table}
    odd = {*known[:5], "\udcff"}  # a lone surrogate: SQLite cannot take it, the table can
    assert lemma_lookup("sv", odd, lemma_table) == {w: table[w] for w in odd if w in table}
    assert len(known) > 600


def test_without_a_writable_cache_or_with_a_damaged_file_the_table_is_used(
    tmp_path, monkeypatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("CXTEXT_CACHE", str(blocked))
    want = with_whole_table(TEXTS, "en")
    assert lemmas(TEXTS, "en") == want
    monkeypatch.setenv("CXTEXT_CACHE", str(tmp_path / "cache"))
    assert lemmas(TEXTS, "en") == want
    [built] = (tmp_path / "cache" / "lemmas").iterdir()
    built.write_bytes(b"not a database" * 100)
    assert lemmas(TEXTS, "en") == want
    assert not built.exists()  # dropped, to be built again by the next run
