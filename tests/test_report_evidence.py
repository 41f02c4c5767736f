"""Which customers' words evidence a theme in the report: its own language, whole sentences."""

from __future__ import annotations

import polars as pl

from cxtext.outputs.report.evidence import theme_quotes

# Real demo comments (corpora/demo_feedback.csv) standing for one theme: eleven Swedish ones
# and one Danish stray; the long one is written for this test.
SWEDISH = [
    "Leveransen försenades utan besked",
    "Paketet kom en vecka försent",
    "Fick sms om att paketet var levererat, men det fanns inget",
    'Ingen leveranstid angiven, bara "snart"',
    "PostNord lämnade paketet utanför dörren i regnet, kartongen var dyngsur",
    "Varan var trasig vid leverans",
    "Halva beställningen saknades",
    "snabb leverans men kartongen var trasig och en sak saknades",
    "Routern som skickades fungerade inte",
    "Skickade ett mejl om felaktig dragning i februari, fortfarande inget svar",
    "Debiterades för en tjänst jag aldrig beställt",
]
DANISH = "Tracking sagde leveret men der var ingen pakke"
LONG_SWEDISH = (
    "Jag beställde en soffa i mars och fick veta att den skulle komma inom två veckor, sedan "
    "flyttades leveransen tre gånger utan att någon hörde av sig, och när den till slut kom "
    "var den fel färg och chauffören vägrade bära in den, så nu står den i garaget."
)


def comments(texts: list[tuple[str, str]]) -> pl.DataFrame:
    """One theme's negative comments, closest to the theme first."""
    return pl.DataFrame(
        {
            "id": [f"c{i:02d}" for i in range(len(texts))],
            "text": [text for text, _ in texts],
            "lang": [lang for _, lang in texts],
            "theme_id": "late_delivery",
            "no_content": False,
            "sentiment": "neg",
            "theme_score": [1.0 - i / 100 for i in range(len(texts))],
        }
    )


THEMES = pl.DataFrame({"theme_id": ["late_delivery"], "praise": [False]})


def test_a_stray_language_does_not_take_a_quote_from_the_themes_own() -> None:
    texts = [(DANISH, "da")] + [(text, "sv") for text in SWEDISH]  # Danish closest to the theme
    quotes = theme_quotes(comments(texts), THEMES, per_theme=3)
    assert quotes.get_column("lang").to_list() == ["sv", "sv", "sv"]
    assert quotes.get_column("text").to_list() == SWEDISH[:3]


def test_each_language_of_a_mixed_theme_is_quoted_before_a_second_quote() -> None:
    texts = [(text, "sv") for text in SWEDISH[:3]] + [(DANISH, "da")]  # Danish is 1 of 4
    quotes = theme_quotes(comments(texts), THEMES, per_theme=3)
    assert quotes.get_column("lang").to_list() == ["sv", "da", "sv"]


def test_quotes_that_fit_whole_come_before_longer_ones() -> None:
    texts = [(LONG_SWEDISH, "sv")] + [(text, "sv") for text in SWEDISH]
    fitted = theme_quotes(comments(texts), THEMES, per_theme=3, fit_chars=240)
    assert LONG_SWEDISH not in fitted.get_column("text").to_list()
    anywhere = theme_quotes(comments(texts), THEMES, per_theme=3)
    assert anywhere.get_column("text")[0] == LONG_SWEDISH  # without a limit: closest first
