"""The comment without the contact details its writer left for a reply, for embedding only.

"Leveringen var elendig. Ring meg på [PHONE]" is about a delivery, not the phone: embedded
whole, 67 of 189 real demo comments given such a tail ("Ring mig på … eller mejla …", "Call me
on …") moved to another theme, most into new themes of call-me requests or into "No way to
call". A request to be contacted that carries a redacted phone number or e-mail is cut from
the text the themes see, up to its last number or address; the comment itself, its sentiment and
follow_up.csv's 'asks to be contacted' still read the whole text. A contact request without
a redacted number ("Ring mig tilbage, I har trukket for meget") is feedback and stays.

So is the writer's statement of their own national id ("Mitt personnummer är [ID].",
"Fødselsnummeret mitt er [ID].", "Mit CPR er [ID],"): embedded, 4 of 11 such Swedish comments
went to "Integritet och säkerhet" (privacy), and a rerun made a theme named "Personnummer
fullpoängare" of them.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

# How a request for a reply opens: a verb aimed at the writer ("ring mig", "skriv til mig",
# "kontakta mig", "call me"), their own number or address ("mitt nummer", "my email"), where
# they can be reached, where to reply ("Ring på …", "Send svar til …"), or a label with a
# colon ("Tlf:", "E-post:").
_REQUEST = (
    r"\b(?:ring|ringe|ringa|call|text|sms|kontakt|kontakta|kontakte|contact|skriv|skrive|"
    r"write|mail|maila|maile|mejla|email|e-mail|send|svar|svara|hør|hör)"
    r"\s+(?:\w+\s+){0,2}?(?:mig|meg|mej|me)\b"
    r"|\b(?:mitt|mit|min|my)\s+(?:tlf|telefon\w*|mobil\w*|nummer|number|nr|e-?post\w*|"
    r"e-?mail|mail|mejl\w*|kontakt\w*)"
    r"|\b(?:kan\s+nås|can\s+be\s+reached|reach\s+me|nå(?:r|s)?\s+(?:mig|meg)|nås\s+på)"
    r"|\bring\s+(?:på|til|till)\b|\b(?:skriv|send\s+svar|svar|mail|maila|mejla)\s+(?:til|till)\b"
    r"|\b(?:tlf|tel|telefon|mobil|phone|e-?mail|e-?post|mail)\.?:"
)
_DETAIL = r"\[(?:PHONE|EMAIL)\]"
# ... and a redacted phone number or e-mail in the same sentence: cut to its last one ("Kan ni
# ringa mig [PHONE] har fått fel varor" keeps "har fått fel varor").
CONTACT_REQUEST = rf"(?i)(?:{_REQUEST})[^.!?\n]*?{_DETAIL}(?:[^.!?\n\[]*?{_DETAIL})*[.!?]*"
# A number or address right after its label, without a request ("…, mail [EMAIL]").
LABELLED_DETAIL = (
    rf"(?i)\b(?:tlf|tel|telefon|mobil|phone|e-?mail|e-?post|mail|mejl)\.?:?\s*{_DETAIL}[.,;!]*"
)


# The writer stating their own national id: its name (and "my"), "is" or a colon, then "[ID]".
_MINE = r"(?:mitt|mit|min|my|vores|vårt|vår)"
_ID_NAME = (
    r"(?:personnumm?er\w*|personnr|pnr|cpr(?:-?n(?:umme)?r)?(?:et)?|fødselsnummer\w*|fnr|"
    r"samordningsnummer\w*|d-nummer\w*|personal (?:id|identity) number|social security number)"
)
IDENTITY_STATEMENT = (
    rf"(?i)\b(?:{_MINE}\s+)?{_ID_NAME}\.?(?:\s+{_MINE})?\s*(?:är|er|is|=|:)\s*"
    r"\[ID\][.,;:!]*"
)


def without_writer_details(texts: Sequence[str]) -> list[str]:
    """Each text with its requests to be contacted at a redacted number or address, and its
    statements of the writer's own id, removed; a text that would be left without a word
    stays whole (it is only a request). Every pattern needs a placeholder's "[": only texts
    with one are searched (7 of 5,349 Swedish reviews; all of them: 0.13 s of a weekly
    rerun), the others are only trimmed, as the search would leave them."""
    series = pl.Series("text", list(texts), dtype=pl.String)
    cut = series.str.strip_chars()
    marked = series.str.contains("[", literal=True).fill_null(False).arg_true()
    if len(marked):
        cut = cut.scatter(marked, _cut_details(series.gather(marked)))
    kept = pl.when(cut.str.contains(r"\w")).then(cut).otherwise(series)
    return pl.select(kept.alias("text")).get_column("text").to_list()


def _cut_details(series: pl.Series) -> pl.Series:
    return (
        series.str.replace_all(CONTACT_REQUEST, "")
        .str.replace_all(LABELLED_DETAIL, "")
        .str.replace_all(IDENTITY_STATEMENT, "")
        .str.strip_chars()
    )
