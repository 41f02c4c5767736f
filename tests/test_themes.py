"""Themes follow content, not language: the same complaint in four languages shares a theme, and
a theme the library does not know is still discovered, also when themes are fitted on a sample."""

from __future__ import annotations

import polars as pl
import pytest

import cxtext
from cxtext.config import DEFAULT_TAXONOMY, AnalyzeConfig, ThemeOptions
from cxtext.taxonomy import load_taxonomy
from cxtext.themes import assign_themes
from cxtext.themes.discover import MIN_FIT_SAMPLE

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


# Off-topic for a CX library: the same assistant requests in Danish, Norwegian and English,
# two meanings (weather, alarms). No library theme may take them; each meaning is one theme.
OFF_TOPIC = {
    "weather": [
        "Hvordan bliver vejret i morgen?",
        "Skal det regne i weekenden?",
        "Hvor koldt bliver det i nat?",
        "Hvordan blir været i morgen?",
        "Kommer det til å regne i helgen?",
        "Hvor kaldt blir det i natt?",
        "What will the weather be like tomorrow?",
        "Is it going to rain this weekend?",
        "How cold will it get tonight?",
    ],
    "alarm": [
        "Sæt en alarm til klokken seks i morgen tidlig",
        "Væk mig klokken syv i morgen",
        "Slet min alarm til i morgen",
        "Sett en alarm til klokka seks i morgen tidlig",
        "Vekk meg klokka sju i morgen",
        "Slett alarmen min til i morgen",
        "Set an alarm for six tomorrow morning",
        "Wake me up at seven tomorrow",
        "Delete my alarm for tomorrow",
    ],
}

# Clear praise of fast support by mail or phone, without a wish: never a complaint or wish theme
# (the last one names a suggestion it got, and asks for none).
PRAISE = [
    "Snabb och vänlig hjälp från kundtjänsten via mejl, problemet löst på en dag. Toppen!",
    "Super hurtig og venlig hjælp over telefonen, tusind tak for god service!",
    "Trevlig personal i chatten som kom med bra förslag på tillbehör, snabb leverans. Toppen!",
]
# A real wish in a positive review: it may still join a wish theme.
WISH_IN_PRAISE = "Bra bank och trevlig personal. Mitt förslag är att ni också svarar på WhatsApp"


def with_extra_comments(demo_subset) -> pl.DataFrame:
    """The demo subset plus the parallel complaints, the packaging topic, the off-topic
    requests and the praise."""
    demo = pl.read_csv(demo_subset, infer_schema=False).select("id", "comment")
    extra = [text for texts in PARALLEL.values() for text in texts] + PACKAGING + PRAISE
    extra += [WISH_IN_PRAISE]
    extra += [text for texts in OFF_TOPIC.values() for text in texts]
    return pl.concat(
        [demo, pl.DataFrame({"id": [f"t{i}" for i in range(len(extra))], "comment": extra})]
    )


@pytest.fixture(scope="module")
def analysed(demo_subset) -> cxtext.result.Result:
    frame = with_extra_comments(demo_subset)
    return cxtext.analyze(frame, text_col="comment", id_col="id", seed=42)


SAMPLED = ThemeOptions(use_library=False, fit_sample=MIN_FIT_SAMPLE)  # discovery decides all


@pytest.fixture(scope="module")
def sampled(demo_subset) -> cxtext.result.Result:
    """Themes by discovery alone, fitted on a 100-comment sample of the ~145 content comments."""
    config = AnalyzeConfig(themes=SAMPLED)
    frame = with_extra_comments(demo_subset)
    return cxtext.analyze(frame, config=config, text_col="comment", id_col="id", seed=42)


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


def test_an_off_topic_cluster_is_not_taken_by_the_library(analysed) -> None:
    library = set(load_taxonomy(DEFAULT_TAXONOMY).themes)
    for texts in OFF_TOPIC.values():
        assert not set(theme_of(analysed, texts)) & library


def test_parallel_da_nb_en_requests_make_one_theme_per_meaning(analysed) -> None:
    """The same two requests in three languages: one theme each, not one per language."""
    tops = []
    for texts in OFF_TOPIC.values():
        themes = theme_of(analysed, texts)
        top = max(set(themes), key=themes.count)
        assert themes.count(top) >= len(texts) - 1, themes
        tops.append(top)
    assert tops[0] != tops[1]


def test_praise_joins_no_complaint_or_wish_theme(analysed) -> None:
    taxonomy = load_taxonomy(DEFAULT_TAXONOMY)
    for theme in theme_of(analysed, PRAISE):
        assert theme not in taxonomy.themes or taxonomy.themes[theme].polarity == "praise", theme


def test_a_wish_in_a_positive_review_joins_a_wish_theme(analysed) -> None:
    taxonomy = load_taxonomy(DEFAULT_TAXONOMY)
    (theme,) = theme_of(analysed, [WISH_IN_PRAISE])
    assert theme in taxonomy.themes and taxonomy.themes[theme].polarity == "wish", theme


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


def test_themes_fitted_on_a_sample_keep_parallel_complaints_together(sampled) -> None:
    """With seed 42, one phone and one invoice complaint are outside the sample and assigned."""
    content = sampled.comments.filter(~pl.col("no_content"))
    assert content.height > SAMPLED.fit_sample  # the sampled path ran
    assert content.get_column("theme_id").str.starts_with("d").all()  # every comment placed
    by_topic = {topic: theme_of(sampled, texts) for topic, texts in PARALLEL.items()}
    for topic, themes in by_topic.items():
        assert len(set(themes)) == 1, (topic, themes)
    assert by_topic["phone"][0] != by_topic["invoice"][0]
    themes = theme_of(sampled, PACKAGING)
    assert max(themes.count(t) for t in themes) >= 0.8 * len(PACKAGING), themes


def test_a_sample_fit_is_deterministic(sampled) -> None:
    frame = sampled.comments.select("id", "text", "lang", "no_content")
    again, _ = assign_themes(frame, sampled.space, SAMPLED, seed=42)
    first = sampled.comments.get_column("theme_id").to_list()
    assert again.get_column("theme_id").to_list() == first


def _scipy_rows(rows, columns=None):  # noqa: ANN001, ANN202
    """A `tfidf.SparseRows` as scipy CSR, its columns renumbered by `columns` when given."""
    from scipy.sparse import csr_matrix

    indices = rows.indices if columns is None else columns[rows.indices]
    return csr_matrix((rows.data, indices, rows.indptr), shape=(rows.n_rows, rows.n_columns))


def test_tfidf_of_distinct_texts_with_repeats_equals_scikit_learn_bit_for_bit() -> None:
    """`tfidf` weighs each distinct text once with its repeats counted, without scikit-learn:
    its rows are scikit-learn's TF-IDF fitted on every row, repeats included, to the bit
    (whitespace runs, tabs, a one-letter word, capitals and emoji included)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from cxtext.themes.tfidf import count_ngrams, weigh

    distinct = [
        "Fakturaen er uforståelig",
        "Ingen svarer i telefonen",
        "Kundtjänst  svarar\taldrig i telefon\n",
        "The invoice is impossible to read 😀 ÅÄÖ Straße",
        "a   b",
        "Leveransen kom aldrig, ingen svarade i telefon och fakturan var fel. " * 4,
    ]
    repeats = np.array([3, 1, 2, 1, 2, 1])
    every_row = [text for text, count in zip(distinct, repeats, strict=True) for _ in range(count)]
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    expected = reference.fit_transform(every_row).toarray()[np.cumsum(repeats) - repeats]
    vocabulary: dict[str, int] = {}
    ours = weigh(count_ngrams(distinct, vocabulary), repeats)
    by_name = np.array([reference.vocabulary_[gram] for gram in vocabulary])
    assert len(vocabulary) == len(reference.vocabulary_)
    assert np.array_equal(_scipy_rows(ours, by_name).toarray(), expected)


def test_lexical_votes_equal_the_sparse_product_bit_for_bit(monkeypatch, tmp_path) -> None:
    """`library.lexical_nearest` (repeated example texts weighed once) gives each comment and
    theme the very float of scipy's sparse product's nearest examples, including a theme
    without examples (-1) and a subset of the comments (`rows`), in numpy (a weekly run's few
    comments) and in the compiled pass (many) alike."""
    import numpy as np

    from cxtext.themes import ngrams, tfidf
    from cxtext.themes.library import (
        NEAREST_EXAMPLES,
        ThemeLibrary,
        lexical_nearest,
        nearest_per_theme,
    )

    monkeypatch.setenv("CXTEXT_CACHE", str(tmp_path))
    words = "faktura kundtjänst telefon leverans paket app inloggning svar pris kö".split()
    rng = np.random.default_rng(3)
    pool = [" ".join(rng.choice(words, rng.integers(2, 7))) for _ in range(60)]
    texts = [pool[i] for i in rng.integers(0, len(pool), 200)]
    examples = [pool[i] for i in rng.integers(0, len(pool), 80)]  # repeats among them
    owners = rng.integers(0, 6, len(examples))
    owners[owners == 4] = 5  # theme 4 has no example
    library = ThemeLibrary([str(i) for i in range(6)], owners, np.zeros((80, 2)), examples)
    distinct, inverse, repeats = np.unique(
        np.asarray(texts, dtype=object), return_inverse=True, return_counts=True
    )
    weighted = _scipy_rows(
        tfidf.tfidf_rows(
            [*examples, *distinct.tolist()], np.r_[np.ones(len(examples), int), repeats]
        )
    )
    product = (weighted[len(examples) :] @ weighted[: len(examples)].T).toarray()
    expected = nearest_per_theme(product, library)[inverse.reshape(-1)]
    assert NEAREST_EXAMPLES == 3 and (expected[:, 4] == -1).all()
    for numpy_rows in (ngrams.NUMPY_ROWS, 0):  # 0: every comment through the compiled pass
        monkeypatch.setattr(ngrams, "NUMPY_ROWS", numpy_rows)
        assert np.array_equal(lexical_nearest(texts, library), expected)
        rows = np.array([5, 0, 17, 17, 199])
        assert np.array_equal(lexical_nearest(texts, library, rows=rows), expected[rows])
