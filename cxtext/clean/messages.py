"""The customer's own words in a helpdesk or e-mail message: HTML as text, without the quoted
reply chain, "Sent from my iPhone" or the signature block under a sign-off.

A ticket exported from a helpdesk holds the whole thread: the customer's message, then
"-----Original Message-----" or "Från: ... Skickat: ..." and the company's own earlier reply,
then the customer's "Med vänliga hälsningar / Anna Svensson / 070-123 45 67". Embedded whole,
36 of 38 such tickets in 208 Swedish bank tickets formed one theme named by the bank's
auto-reply ("Kontaktar nordbanken kundservice") and their complaints were lost; a signature's
name is personal data no checksum finds. So the clean stage keeps what the customer wrote
above the first quoted message, and above a sign-off followed by a short signature only.
A message that is nothing but quotes or a sign-off keeps its text (never an empty comment).
"""

from __future__ import annotations

import html
import re

import polars as pl

# HTML: a known tag or an entity. Rows with neither and on one line are no message.
HTML_MARKS = (
    r"(?i)<(?:br|p|div|span|html|body|blockquote|table|font|b|i|u|strong|em|a|li|ul|ol)\b"
    r"|&(?:nbsp|amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);"
)
MESSAGE_MARKS = HTML_MARKS + r"|\n"
# a typed "<script>" stays text: the report shows what the customer wrote, escaped
HTML_SKIPPED = re.compile(r"(?is)<(style|head)\b.*?</\1\s*>|<!--.*?-->")
HTML_QUOTE = re.compile(r"(?is)<blockquote\b.*?</blockquote\s*>")
HTML_BREAK = re.compile(r"(?i)<br\s*/?>|</?(?:p|div|li|tr|table|ul|ol|h[1-6])\b[^>]*>")
HTML_TAG = re.compile(
    r"(?i)</?(?:html|body|span|font|b|i|u|strong|em|a|img|td|th|tbody|thead|center|o:p|meta"
    r"|section|pre|code|small|sup|sub|hr)\b[^>]*>"
)


def _line_start(phrases: str, then: str, lead: str = "", alone: str = "") -> re.Pattern[str]:
    """A line that opens with `lead` and one of the space-separated `phrases` ("_" for a
    space), then `then`, or a line that is `alone`; case is ignored."""
    words = "|".join(phrase.replace("_", " ") for phrase in phrases.split())
    other = f"|^{alone}$" if alone else ""
    return re.compile(rf"(?i)^{lead}(?:{words}){then}{other}")


REPLY_SEPARATOR = _line_start(  # "-----Original Message-----", or Outlook's line of underscores
    "original_message ursprungligt_meddelande originalmeddelande opprinnelig_melding"
    " oprindelig_meddelelse forwarded_message vidarebefordrat_meddelande videresendt_melding",
    r"\s*-{2,}$",
    lead=r"-{2,}\s*",
    alone=r"_{8,}",
)
HEADER_FROM = _line_start("från from fra frå avsändare avsender afsender", r"\s*:\s*\S")
HEADER_FIELD = _line_start("skickat sent sendt date datum dato till to til ämne subject emne", ":")
# "Den 2 nov. 2026 kl. 14:03 skrev Nordbanken <…>:", "On Mon, 2 Nov 2026, X wrote:": a date
# (a digit) before the verb, so "On Monday I wrote:" in a customer's own text is no quote
ATTRIBUTION = re.compile(
    r"(?i)^(?:(?:on|den|d\.|då)\b[^\d\n]{0,40}\d.{0,250}\b(?:wrote|skrev|skreiv)\b.{0,120}"
    r"|.{0,160}<[^<>@\s]+@[^<>\s]+>\s*(?:wrote|skrev|skreiv))\s*:$"
)
QUOTED_LINE = re.compile(r"^\s*>")
SENT_FROM = _line_start(
    "skickat_från_min sent_from_my sendt_fra_min sendt_frå_min get_outlook_for hämta_outlook_för",
    r"\b",
)
SIGN_OFF = _line_start(
    "med_vänliga_hälsningar med_vänlig_hälsning vänliga_hälsningar vänlig_hälsning"
    " bästa_hälsningar hälsningar mvh med_venlig_hilsen venlig_hilsen bedste_hilsner vh"
    " med_vennlig_hilsen vennlig_hilsen beste_hilsen vennleg_helsing helsing hilsen hilsner"
    " best_regards kind_regards regards best_wishes yours_sincerely sincerely",
    # "Mvh Kari, tlf 912 34 567": a sign-off and a short signature; greetings sent on ("Hilsen
    # til sjåføren, han var kjempeflink!", "Regards to the team") are the message itself
    r"\b(?![ ,.!]*(?:til|till|to)\b)[ ,.!]*.{0,40}$",
)
SIGNATURE_LINES = 4  # name, title, phone, company: a longer tail is more message
SIGNATURE_LINE_CHARS = 60
HEADER_REACH = 4  # lines after "Från:" where "Skickat:" or "Ämne:" must follow


def message_bodies(texts: pl.Series) -> pl.Series:
    """Each text's message body (`message_body`); rows without a tag, an entity or a line
    break are left as they are, without a Python call."""
    candidates = texts.str.contains(MESSAGE_MARKS).fill_null(False).arg_true()
    if not len(candidates):
        return texts
    bodies = [message_body(text) for text in texts.gather(candidates).to_list()]
    return texts.clone().scatter(candidates, bodies)


def message_body(text: str) -> str:
    """What the writer wrote: HTML read as text, then the lines above the first quoted
    message, without quoted ("> ") or "Sent from my iPhone" lines, and without a trailing
    sign-off and its signature. The text as it was when nothing of it would be left."""
    plain = _html_text(text)
    lines = plain.splitlines()
    kept = [
        line
        for line in lines[: _reply_start(lines)]
        if not QUOTED_LINE.match(line) and not SENT_FROM.match(line.strip())
    ]
    body = "\n".join(_without_signature(kept)).strip()
    return body or plain.strip() or text


def _html_text(text: str) -> str:
    """HTML as plain lines: quoted blocks dropped, breaks and paragraphs as line breaks,
    other known tags removed, entities decoded. An e-mail address in angle brackets is no tag."""
    if not re.search(HTML_MARKS, text):
        return text
    text = HTML_SKIPPED.sub("", text)
    text = HTML_QUOTE.sub("\n", text)
    text = HTML_BREAK.sub("\n", text)
    text = HTML_TAG.sub("", text)
    return html.unescape(text).replace("\u00a0", " ")


def _reply_start(lines: list[str]) -> int:
    """Index of the first line of a quoted earlier message, or len(lines)."""
    for index, line in enumerate(lines):
        line = line.strip()
        if REPLY_SEPARATOR.match(line) or ATTRIBUTION.match(line):
            return index
        following = lines[index + 1 : index + 1 + HEADER_REACH]
        if HEADER_FROM.match(line) and any(HEADER_FIELD.match(n.strip()) for n in following):
            return index
    return len(lines)


def _without_signature(lines: list[str]) -> list[str]:
    """The lines above the last sign-off ("Med vänliga hälsningar", "Mvh Kari") when no more
    than a short signature follows it and something stands above it."""
    for index in range(len(lines) - 1, 0, -1):
        if not SIGN_OFF.match(lines[index].strip()):
            continue
        tail = [line.strip() for line in lines[index + 1 :] if line.strip()]
        short = all(len(line) <= SIGNATURE_LINE_CHARS for line in tail)
        above = any(line.strip() for line in lines[:index])
        if len(tail) <= SIGNATURE_LINES and short and above:
            return lines[:index]
        return lines
    return lines
