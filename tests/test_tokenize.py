"""`cxtext.themes.tokenize` splits text exactly as spaCy's tokenizer does, and keywords get the
same lemmas and stop words through it as through spaCy: on real comments, on text shaped to
reach each of the tokenizer's rules, with its rules file built, read back, or not writable."""

from __future__ import annotations

import polars as pl
import pytest

from cxtext.imports import spacy
from cxtext.languages import LANGUAGES, with_fallback
from cxtext.themes import keywords, tokenize
from cxtext.themes.keywords import lemma_table, lemmas, stop_words
from tests.support import DEMO_CORPUS

TEXTS = pl.read_csv(DEMO_CORPUS).get_column("comment").to_list()
# whitespace runs, URLs, e-mail, emoticons, abbreviations (special cases with affixes), quotes,
# hyphens, numbers with units and signs, lone punctuation, the empty text
SHAPED = [
    "",
    " ",
    "  leading and trailing  ",
    "tab\there\nnew  line\r\n\n end ",
    "see https://www.example.com/a?b=1&c=2, or www.kund.se/hjälp!",
    "mail kund@example.se (svar inom 24h)...",
    ":) :-( ;) <3 xD :'( ^_^ (:",
    "t.ex. bl.a. kl. 14.30 o.s.v. osv. p.g.a. m.m. fr.o.m. e.g. i.e. U.S. a.m. p.m. Mr. Dr.",
    "don't can't won't I'm you're it's o'clock rock'n'roll 'quoted' \"double\" «guillemets»",
    "e-post, SMS-kod, 3-4 dagar, 100-200 kr, -5%, +45 12 34 56 78, 1.000,50 kr, 5€/10$",
    "...!!! ??? —dash– (parens) [brackets] {braces} 'x' #tag @user &amp; 50% 3x 2nd",
    "Jätte-BRA!!!Leveransen:snabb;men/dyr...Kundtjänst?Nej.",
    "Øl, æble, få, så, Åre, naïve café — «Sådan», 'Ikke?'",
    # whitespace other than one space: runs, no-break, ideographic, separators, a trailing run
    "a  b   c\xa0d\u3000e\x1cf\u2028g \n h\t\ti ",
    " one leading space, two trailing  ",
    "\n\nnew lines first, then a word.\n",
]


def spacy_words(text: str, lang: str) -> list[str]:
    return [token.text for token in spacy().blank(lang).tokenizer(text)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tokens_are_spacys_on_real_and_shaped_text(lang, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CXTEXT_CACHE", str(tmp_path))
    tokenize.rules.cache_clear()
    split = tokenize.Tokenizer(tokenize.rules(lang))  # builds the rules file
    assert [p.name.split("-")[0] for p in (tmp_path / "tokenizers").iterdir()] == [lang]
    tokenize.rules.cache_clear()
    monkeypatch.setattr(tokenize, "_read_rules", None)  # spaCy is not asked again
    read = tokenize.Tokenizer(tokenize.rules(lang))
    theirs = spacy().blank(lang).tokenizer
    for text in TEXTS + SHAPED:
        want = [token.text for token in theirs(text)]
        assert split(text) == want, text
        assert read(text) == want, text
    tokenize.rules.cache_clear()


def test_without_a_writable_cache_the_rules_come_from_spacy(tmp_path, monkeypatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("CXTEXT_CACHE", str(blocked))
    tokenize.rules.cache_clear()
    split = tokenize.Tokenizer(tokenize.rules("sv"))
    assert all(split(text) == spacy_words(text, "sv") for text in TEXTS[:50] + SHAPED)
    damaged = tmp_path / "cache" / "tokenizers"
    damaged.mkdir(parents=True)
    monkeypatch.setenv("CXTEXT_CACHE", str(tmp_path / "cache"))
    tokenize.rules.cache_clear()
    tokenize.rules("da")
    [built] = damaged.iterdir()
    for broken in ("{not json", '{"prefix": null}', "[]"):
        built.write_text(broken)
        tokenize.rules.cache_clear()
        split = tokenize.Tokenizer(tokenize.rules("da"))  # built again
        assert split(SHAPED[7]) == spacy_words(SHAPED[7], "da")
        assert built.read_text() != broken
    tokenize.rules.cache_clear()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lemmas_and_stop_words_are_those_spacy_gives(lang) -> None:
    """What `lemmas` returned when it tokenised with spaCy (its docs' `text` and `lower_`)."""
    module = spacy()

    def defaults(code: str) -> type:
        return module.util.get_lang_class(code).Defaults

    words = set(defaults(lang).stop_words) | set(defaults("en").stop_words)
    if with_fallback(lang) != lang:
        words |= set(defaults(with_fallback(lang)).stop_words)
    stops = frozenset(w.lower() for w in words)
    assert stop_words(lang) == stops
    table, theirs = lemma_table(lang), module.blank(lang).tokenizer
    want = []
    for text in TEXTS + SHAPED:
        doc = theirs(text)
        assert all(token.lower_ == token.text.lower() for token in doc)
        found = []
        for token in doc:
            lemma = (table.get(token.text) or token.text).lower()
            if len(lemma) > 2 and keywords.WORD.match(lemma) and not {lemma, token.lower_} & stops:
                found.append(lemma)
        want.append(found)
    assert lemmas(TEXTS + SHAPED, lang) == want
    assert any(want)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_spaces_are_spacys_and_the_tokens_join_back_to_the_text(lang, monkeypatch) -> None:
    """`tokens` gives each token's space as spaCy's `whitespace_` (names cut phrases out of
    the text by it), also when the runs it remembers are forgotten midway."""
    monkeypatch.setattr(tokenize, "SEEN_RUNS", 50)
    split = tokenize.Tokenizer(tokenize.rules(lang))
    theirs = spacy().blank(lang).tokenizer
    for text in TEXTS + SHAPED + TEXTS:  # the second pass reads remembered runs
        tokens = split.tokens(text)
        assert tokens == [[token.text, bool(token.whitespace_)] for token in theirs(text)], text
        assert "".join(word + " " * space for word, space in tokens) == text
    assert 0 < len(split._seen) <= 50
