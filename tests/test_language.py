"""Language identification: five target languages, `other`, `und`, short and messy comments."""

import polars as pl
import pytest

from cxtext.language import LANGUAGES, assign_language, detect_languages
from cxtext.language.text import folded_spellings, tokenize


def language_of(text: str) -> str:
    return detect_languages([text])[0][0]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Kundeservice svarede aldrig på min mail, jeg har ventet i tre uger", "da"),
        ("Jag har väntat i över en timme i telefonkön och ingen svarar", "sv"),
        ("Jeg har ventet i over en time i telefonkøen og ingen svarer", "nb"),
        ("Eg har venta i over ein time i telefonkøen, og ingen svarar", "nn"),
        ("I waited over an hour on the phone and nobody picked up", "en"),
    ],
)
def test_full_sentences(text: str, lang: str) -> None:
    assert language_of(text) == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Meget dårlig oplevelse", "da"),
        ("Alldeles för dyrt", "sv"),
        ("Ikkje bra nok", "nn"),
        ("Kjempefornøyd med rådgiveren", "nb"),
        ("Great service, thanks", "en"),
        ("Hvad koster det?", "da"),
        ("Kva kostar det å ha konto?", "nn"),
    ],
)
def test_short_comments(text: str, lang: str) -> None:
    assert language_of(text) == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("aabningstider", "da"),
        ("oppettider", "sv"),
        ("apningstider", "nb"),
        ("daarlig oplevelse i butikken", "da"),
        ("for lang vantetid i kassan", "sv"),
    ],
)
def test_missing_diacritics(text: str, lang: str) -> None:
    assert language_of(text) == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Slik gjer eg det:", "nn"),
        ("Eg brukar som regel halvparten grovt og halvparten fint.", "nn"),
        ("Seneca var den rikaste mannen i heile Romarriket.", "nn"),
        ("Vi har så mye å lære av deg.", "nb"),
    ],
)
def test_nynorsk_forms_outweigh_swedish_and_bokmal_lookalikes(text: str, lang: str) -> None:
    assert language_of(text) == lang


def test_code_switching_keeps_the_dominant_language() -> None:
    assert language_of(
        "Appen er helt ubrugelig efter opdateringen, seriously what were you thinking"
    ) in ("da", "en")
    assert (
        language_of("Jeg er så træt af at appen logger mig ud hele tiden, super annoying") == "da"
    )
    assert (
        language_of("Leveransen var sen igen, customer service was useless men de gav rabatt")
        == "sv"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Der Kundenservice war sehr unfreundlich und hat nicht geholfen",
        "Asiakaspalvelu ei vastannut viesteihini ollenkaan",
        "Le service client ne répond jamais au téléphone",
        "Служба поддержки не отвечает",
    ],
)
def test_other_languages_are_not_forced_into_the_five(text: str) -> None:
    assert language_of(text) == "other"


@pytest.mark.parametrize("text", ["", "-", "...", "123", "  ", "!!!"])
def test_empty_and_symbol_only_is_undetermined(text: str) -> None:
    codes, confidences = detect_languages([text])
    assert codes == ["und"]
    assert confidences == [0.0]


def test_confidence_is_a_probability_and_deterministic() -> None:
    texts = ["Tak for god hjælp", "Tack för hjälpen", "Takk for hjelpa", "ok", "Thanks a lot"]
    first = detect_languages(texts)
    assert first == detect_languages(texts)
    assert all(0.0 <= c <= 1.0 for c in first[1])
    assert set(first[0]) <= {*LANGUAGES, "other", "und"}


def test_assign_language_adds_columns_and_handles_nulls() -> None:
    frame = pl.DataFrame({"comment": ["Rigtig god oplevelse", None, "Dålig app"]})
    out = assign_language(frame, text_col="comment")
    assert out.columns == ["comment", "lang", "lang_confidence"]
    assert out["lang"].to_list() == ["da", "und", "sv"]
    assert out["lang_confidence"].dtype == pl.Float64


def test_empty_batch() -> None:
    assert detect_languages([]) == ([], [])


def test_tokens_drop_addresses_digits_and_punctuation() -> None:
    assert tokenize("Se www.bank.dk/hjælp eller skriv til kunde@bank.dk: 3 gange!") == [
        "se",
        "eller",
        "skriv",
        "til",
        "gange",
    ]


def test_folded_spellings() -> None:
    assert folded_spellings("åbningstider") == {"aabningstider", "abningstider"}
    assert folded_spellings("hund") == set()
