"""Language ID on real short queries (issue #19): English titles and names inside Danish and
Norwegian sentences, spellings only one of the two has, and Norwegian written dialects."""

from functools import cache

import pytest

from cxtext.language import detect_languages
from cxtext.language.model import LanguageModel, ModelSettings, default_model
from tests.test_language import DANISH, NORWEGIAN, SWEDISH, language_of, plain_model


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Find filmen Fast and Furious", "da"),
        ("sæt bright and breezy på min playliste", "da"),
        ("hvornår vises The Lord of the Rings", "da"),
        ("Giv The Lord of the Rings fem stjerner", "da"),
        ("Finn sangen Stairway to Heaven", "nb"),
        ("Spill Here Comes the Sun på Spotify", "nb"),
    ],
)
def test_english_titles_inside_a_nordic_sentence(text: str, lang: str) -> None:
    # Read word by word, as one language throughout, the English title outweighs the frame.
    assert detect_languages([text], plain_model())[0] == ["en"]
    assert language_of(text) == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Tilføj Bohemian Rhapsody til min playliste", "da"),
        ("Hvornår vises The Grand Budapest Hotel i biografen?", "da"),
        ("Legg til Bohemian Rhapsody i spillelista mi", "nb"),
        ("Når går The Grand Budapest Hotel på kino?", "nb"),
        ("Appen crasher når jeg trykker på Continue with Apple", "nb"),
    ],
)
def test_names_inside_a_nordic_sentence_keep_its_language(text: str, lang: str) -> None:
    assert language_of(text) == lang


@pytest.mark.parametrize(
    "text",
    [
        "Add Bohemian Rhapsody to my playlist",
        "Show me the film Fast and Furious",
        "Snooze alarm",
        "The app crashes when I tap Continue with Apple",
        "Thanks",
    ],
)
def test_a_fully_english_comment_stays_english(text: str) -> None:
    assert language_of(text) == "en"
    # also in a Danish company's file, where the mix leans hard towards Danish
    assert detect_languages(DANISH * 6 + [text], batch_prior=True)[0][-1] == "en"


@cache
def no_spelling_model() -> LanguageModel:
    """The shipped model without the Danish-vs-Norwegian spelling odds for unknown words."""
    return LanguageModel(settings=ModelSettings(spelling_weight=0.0))


@pytest.mark.parametrize(
    ("word", "lang"),
    [
        ("påmindelser", "da"),  # Norwegian writes påminnelser
        ("påmindelsesmail", "da"),
        ("afhentningsstedet", "da"),  # Norwegian: henting, hente-
        ("påminnelsene", "nb"),  # Danish: påmindelserne
        ("hentestedet", "nb"),
    ],
)
def test_spellings_only_one_language_has_decide_unknown_words(word: str, lang: str) -> None:
    model = default_model()
    assert model._word_rows([word]) == [-1]  # outside the vocabulary: read by its spelling
    row = model._unknown_word(word)
    danish, bokmal = row[model.classes.index("da")], row[model.classes.index("nb")]
    assert (danish > bokmal + 1.0) if lang == "da" else (bokmal > danish + 1.0)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Anullér alle påmindelser", "da"),
        ("Annullér alle mine påmindelser", "da"),
        ("Notér at pakken er forsinket", "da"),
        ("Installér appen igen", "da"),
        ("Vis mej alle påminnelsene", "nb"),
    ],
)
def test_danish_and_norwegian_spellings_decide_short_queries(text: str, lang: str) -> None:
    assert language_of(text) == lang


def test_the_spelling_odds_decide_a_norwegian_only_spelling() -> None:
    text = "Vis mej alle påminnelsene"
    assert detect_languages([text], no_spelling_model())[0] != ["nb"]
    assert language_of(text) == "nb"


@pytest.mark.parametrize(
    "text",
    [
        "Vis mæ alle påminnelsan",
        "Sett på ei alarm te klokka åtte",
        "Korsn går det me dæ?",
        "Ka tid går bussen?",
        "Kor mykje kostar det?",
        "Ska det regne i morra?",
        "Æ vil ha en alarm klokka sju",
        "Legg te sangen i spillelistå mi",
        "Vis mej alle påminnelsene",
        "æ vil lytte te Yellow Submarine",  # "æ" (I): lingua reads one letter by its frequency
        "Katti stænge butikken?",  # "stænge": a short typed spelling counts at most unknown_clip
    ],
)
def test_norwegian_written_dialects_are_norwegian(text: str) -> None:
    assert language_of(text) in ("nb", "nn")


@pytest.mark.parametrize(
    ("accented", "plain"), [("anullér", "anuller"), ("reservér", "reserver"), ("notér", "noter")]
)
def test_an_accented_word_reads_as_its_plain_spelling(accented: str, plain: str) -> None:
    # Danish and Norwegian both write "-ér" imperatives optionally; the word lists hold them for
    # a tenth of the Bokmål verbs and 2% of the Danish ones, which is no spelling difference.
    model = default_model()
    (known,) = model._word_rows([plain])
    expected = model._words[known] if known >= 0 else model._unknown_word(plain)
    assert model._word_rows([accented]) == [-1]
    assert (model._unknown_word(accented) == expected).all()


def test_a_large_norwegian_file_reads_colloquial_ska_as_norwegian() -> None:
    # "ska" is Swedish and colloquial Norwegian: on their own these read Swedish; in a file of
    # hundreds of Norwegian comments and no Swedish the file's mix decides (MAX_SHIFT 6, not 3)
    for text in ["Ska vi ha pizza i dag?", "Ska det bli storm i dag?"]:
        assert detect_languages([text])[0] == ["sv"]
        assert detect_languages(NORWEGIAN * 40 + [text], batch_prior=True)[0][-1] in ("nb", "nn")
        assert detect_languages(SWEDISH * 40 + [text], batch_prior=True)[0][-1] == "sv"
