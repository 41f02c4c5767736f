"""A comment that ends "Ring meg på 912 34 567" is about what it says before that: a request to
be called back at a redacted number is left out of the embedded text, so it moves no comment to
another theme. Real demo comments, with tails as customers write them."""

from __future__ import annotations

import polars as pl

import cxtext
from cxtext.pii import redact_text
from cxtext.pii.contact import without_contact_requests
from tests.support import demo_rows

TAILS = [
    " Ring mig på 22 33 44 55.",
    " Ring mig på 070-123 45 67 eller mejla anna.svensson@example.se",
    " Ring meg på 912 34 567",
    " Call me on +44 7700 900123 or email john@example.com",
]
PAIRS = 160


def redacted(text: str) -> str:
    return redact_text(text)[0]


def test_the_request_goes_and_the_feedback_stays() -> None:
    cases = {
        "Tusen takk for god hjelp! Ring meg på 912 34 567": "Tusen takk for god hjelp!",
        "Ring mig på 22 33 44 55. Fakturaen er forkert.": "Fakturaen er forkert.",
        "Ring mig på 070-123 45 67, jag har fått fel vara": ", jag har fått fel vara",
        "telefon nr er godt gemt væk 🙄 skriv til mig på lars@example.dk eller 22 33 44 55": (
            "telefon nr er godt gemt væk 🙄"
        ),
        "Fakturaen er forkert.\nMvh Lars, tlf: 22 33 44 55": "Fakturaen er forkert.\nMvh Lars,",
    }
    texts = [redacted(text) for text in cases]
    assert without_contact_requests(texts) == list(cases.values())


def test_feedback_about_a_number_and_bare_requests_stay_whole() -> None:
    texts = [
        # the number is the complaint: no request to be contacted
        redacted("På 08-123 456 78 sägs det att supporten är stängd. Skickat mail, inget svar."),
        "Ring mig tilbage, I har trukket for meget",  # a request without a number is feedback
        redacted("Ring mig på 22 33 44 55"),  # nothing but the request: left as it is
        redacted("Mitt personnummer är 121212-1212. Alltid personligt och professionellt!"),
    ]
    assert without_contact_requests(texts) == texts


def test_a_call_me_tail_moves_no_comment_to_another_theme() -> None:
    """Before: 55 of 151 tailed demo comments got another theme than the same comment without
    its tail (new themes of call-me requests, 'No way to call'); after: 1 (the same vector, but
    sentiment reads the whole text: 'Varan var uppenbart använd' went from one praise theme to
    another)."""
    texts = [row["comment"] for row in demo_rows(PAIRS)]
    tailed = [text + TAILS[i % len(TAILS)] for i, text in enumerate(texts)]
    frame = pl.DataFrame(
        {
            "id": [f"o{i}" for i in range(PAIRS)] + [f"t{i}" for i in range(PAIRS)],
            "comment": texts + tailed,
        }
    )
    comments = cxtext.analyze(frame, seed=42).comments
    key = pl.col("id").str.slice(1).alias("key")
    plain = comments.filter(pl.col("id").str.starts_with("o")).select(key, "theme_id", "no_content")
    with_tail = comments.filter(pl.col("id").str.starts_with("t")).select(
        key, pl.col("theme_id").alias("tailed_theme"), "text", "follow_up"
    )
    pairs = plain.join(with_tail, on="key").filter(~pl.col("no_content"))
    assert pairs.height > 0.9 * PAIRS
    moved = pairs.filter(pl.col("theme_id") != pl.col("tailed_theme"))
    assert moved.height <= 0.02 * pairs.height, moved.select("text", "theme_id", "tailed_theme")
    # the comment keeps its tail (redacted), and the request is still read
    assert pairs.get_column("text").str.contains(r"\[PHONE\]").all()
    assert (pairs.get_column("follow_up") == "asks to be contacted").mean() > 0.9
