"""follow_up.csv's 'very negative': the file's most negative twentieth, not everyone below a
fixed line (which flagged a third of 5,000 Swedish reviews). Real demo comments."""

from __future__ import annotations

import polars as pl

from cxtext.pii import redact_text
from cxtext.priority.follow_up import mark_follow_up

# demo comments, with sentiment scores as the model might give them
ANGRY = ["Staff were rude and unhelpful", "Delivery postponed several times without any info"]
PRAISE = ["Fast delivery!", "Very friendly staff at the store, thanks!", "Rask levering!"]


def comments(texts: list[str], scores: list[float]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": [f"c{n}" for n in range(len(texts))],
            "text": texts,
            "no_content": [False] * len(texts),
            "sentiment_score": scores,
        }
    )


def test_very_negative_is_relative_to_the_file() -> None:
    """The same -0.7 complaint needs a reply among praise, not among 39 angrier complaints;
    of 40 comments, two (a twentieth) are the list."""
    among_praise = comments([ANGRY[0], *PRAISE * 13], [-0.7, *[0.9] * 39])
    among_complaints = comments([ANGRY[0], *ANGRY[1:] * 39], [-0.7, *[-0.99] * 39])
    assert mark_follow_up(among_praise).get_column("follow_up")[0] == "very negative"
    assert mark_follow_up(among_complaints).get_column("follow_up")[0] is None
    flagged = mark_follow_up(among_complaints).filter(pl.col("follow_up").is_not_null())
    assert flagged.get_column("id").to_list() == ["c1", "c2"]  # one in twenty, input order


def test_equally_negative_complaints_about_the_first_fix_come_first() -> None:
    """Many complaints score -1.0: the twentieth is taken from the first-ranked theme first."""
    texts = [ANGRY[1]] * 20 + [ANGRY[0]] * 20
    frame = comments(texts, [-1.0] * 40).with_columns(
        pl.Series("theme_id", ["late_delivery"] * 20 + ["unhelpful_staff"] * 20)
    )
    themes = pl.DataFrame({"theme_id": ["late_delivery", "unhelpful_staff"], "rank": [2, 1]})
    flagged = mark_follow_up(frame, themes).filter(pl.col("follow_up").is_not_null())
    assert flagged.get_column("id").to_list() == ["c20", "c21"]


def test_never_above_the_very_negative_line() -> None:
    """A file of praise has a 5th percentile far above -0.6: nobody is very negative."""
    praise = comments(PRAISE * 20, [0.2 + n / 100 for n in range(60)])
    assert mark_follow_up(praise).get_column("follow_up").null_count() == 60


def test_where_to_reply_is_a_request_to_be_contacted() -> None:
    """A complaint export's "Ring på 12 34 56 78" and a kommune's "Send svar til …" were not
    flagged: only "ring mig" and its kin were. Someone who tried to call is not asking."""
    asks = [
        "Fik ventet hjemme hele dagen på en tekniker der ikke kom. Ring på 22 33 44 55",
        "Betre brøyting av fortaua. Send svar til kari.nordmann@example.no",
        "Fakturan är fel, mejla till anna@example.se",
        "Regningen er for høj, skriv til lars@example.dk",
    ]
    tells = [
        "Jeg prøvede at ringe på 70 10 20 30 men ingen svarede",
        "Jeg skrev til kundeservice@example.dk to gange uden svar",
    ]
    texts = [redact_text(text)[0] for text in [*asks, *tells]]
    marked = mark_follow_up(comments(texts, [0.0] * len(texts))).get_column("follow_up")
    assert marked.to_list() == ["asks to be contacted"] * len(asks) + [None] * len(tells)
