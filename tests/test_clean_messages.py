"""Helpdesk tickets: the clean stage keeps the customer's own words, not the HTML, the quoted
reply chain (the company's own auto-reply) or the signature block with a name and number."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from cxtext.api import detect_file_languages
from cxtext.clean import clean_comments
from cxtext.clean.messages import message_body
from cxtext.io.columns import ResolvedColumns

AUTO_REPLY = (
    "Hej,\n\nTack för att du kontaktar Nordbanken kundservice. Vi har tagit emot ditt ärende och "
    "återkommer inom 3 bankdagar.\nMed vänliga hälsningar\nKundservice Nordbanken"
)

TICKETS = [
    (  # Outlook in HTML: paragraphs, a signature, the earlier reply in a blockquote
        "<p>Kortet spärrades igen utan förklaring när jag skulle betala i affären.</p>\n"
        "<p>Med vänliga hälsningar<br>Erik Lind<br>Tel: 073-987 65 43</p>\n"
        "<div>-----Original Message-----<br>Från: Nordbanken Kundservice "
        "&lt;kundservice@nordbanken.se&gt;<br>Skickat: den 2 november 2026 14:03<br>"
        "Ämne: SV: Ärende 4471123</div><blockquote>" + AUTO_REPLY.replace("\n", "<br>"),
        "Kortet spärrades igen utan förklaring när jag skulle betala i affären.",
    ),
    (  # plain text, Outlook's header block without the separator line
        "Hej!\n\nBankID fungerar inte i appen efter uppdateringen.\n\nMvh\nAnna Svensson\n"
        "070-123 45 67\n\nFrån: Nordbanken <kundservice@nordbanken.se>\nSkickat: den 1 "
        "november 2026 09:12\nTill: anna.svensson@example.se\nÄmne: Ditt ärende\n\n" + AUTO_REPLY,
        "Hej!\n\nBankID fungerar inte i appen efter uppdateringen.",
    ),
    (  # Apple Mail: an attribution line, then quoted lines
        "Varför tar det tre dagar att få pengar från utlandet?\n\nDen 2 nov. 2026 kl. 14:03 "
        "skrev Nordbanken <kundservice@nordbanken.se>:\n> Tack för att du kontaktar oss.",
        "Varför tar det tre dagar att få pengar från utlandet?",
    ),
    (  # entities decoded, "Sent from my iPhone" dropped
        "<div>Avgiften på kontot höjdes &amp; ingen sa något om &quot;paketpriset&quot;."
        "</div><div>&nbsp;</div><div>Skickat från min iPhone</div>",
        'Avgiften på kontot höjdes & ingen sa något om "paketpriset".',
    ),
    (  # a survey answer on two lines signed with a name and a number
        "Refusjonen tar evigheter.\n\nMvh Kari, tlf 912 34 567",
        "Refusjonen tar evigheter.",
    ),
]


@pytest.mark.parametrize(("ticket", "body"), TICKETS)
def test_message_body_is_what_the_customer_wrote(ticket: str, body: str) -> None:
    assert message_body(ticket) == body


@pytest.mark.parametrize(
    "text",
    [
        "Mvh Kari",  # nothing above the sign-off: the answer stays
        "Tack!\nAppen är seg när jag loggar in, och det har varit så i tre veckor nu.",
        "Kundservice svarar aldrig <3 och priset är > 200 kr",
        "Hilsen fra en fornøyd kunde!\nFlott service hele veien.",
        "Skriv til <kari@example.no> om det",
        "Jeg har klaget tre gange.\nDen mandag skrev jeg:\nappen virker stadig ikke",
        "Levering gikk fint.\nHilsen til sjåføren, han var kjempeflink!",
        "Bra bemötande i butiken.\nHälsningar till personalen i Malmö",
        "The refund came the same day.\nRegards to the team who sorted it",
    ],
)
def test_plain_comments_keep_their_words(text: str) -> None:
    assert message_body(text) == text


def test_tickets_lose_the_auto_reply_before_anything_reads_them() -> None:
    """The quoted auto-reply made 36 of 38 such tickets one theme named by the bank's own words."""
    tickets = [ticket for ticket, _ in TICKETS] + ["Bra bemötande i chatten."]
    frame = pl.DataFrame({"description": tickets}).with_row_index("_row", offset=1)
    columns = ResolvedColumns(text="description", id=None, date=None, score=None, segment=None)
    cleaned, rejects = clean_comments(frame, columns)
    texts = cleaned.get_column("text").to_list()
    assert cleaned.height == len(tickets) and rejects.height == 0
    assert not [text for text in texts if "Nordbanken" in text or "<" in text or "&" in text[:1]]
    assert not [text for text in texts if "Svensson" in text or "Lind" in text]
    assert texts[1] == "Hej! BankID fungerar inte i appen efter uppdateringen."


def test_langid_reads_the_customers_words_not_the_quoted_english_reply(tmp_path: Path) -> None:
    """A Swedish complaint above the bank's English auto-reply was English to `cxtext langid`."""
    reply = (
        "Thank you for contacting Nordbank customer service. We have received your case and "
        "will get back to you within three business days."
    )
    tickets = [
        "Appen kraschar varje gång jag loggar in.\n\n-----Original Message-----\n"
        f"From: Nordbank Customer Service\nSent: 2 November 2026 10:00\n\n{reply}",
        "Kortet fungerar inte i butiken.\n\nDen 2 nov. 2026 kl. 14:03 skrev Nordbank "
        f"<service@nordbank.example>:\n> {reply}",
    ]
    path = tmp_path / "tickets.jsonl"
    lines = [json.dumps({"id": f"t{i}", "description": t}) for i, t in enumerate(tickets)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = detect_file_languages(path).rows
    assert rows.get_column("lang").to_list() == ["sv", "sv"]
    assert rows.get_column("description").to_list()[0] == tickets[0]  # the output keeps it
