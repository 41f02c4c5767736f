"""Close the loop: comments that need a reply, and the silo that should send it.

Three reasons, most urgent first: the customer asks to be contacted, says they will leave, or
wrote one of the file's most negative twentieth of comments (by sentiment_score, at most -0.6;
equally negative ones by their theme's rank, then input order). A fixed -0.6 alone flagged a
third of 5,000 Swedish reviews, two thirds of Danish news comments, four in five of the dev set
and 89% of CFPB complaints: no team calls that many.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from cxtext.io.contract import QUESTION_ORDER, ROW_COLUMN
from cxtext.io.questions import QUESTION_COLUMN, RESPONDENT_COLUMN
from cxtext.io.write import LIST_SEPARATOR

VERY_NEGATIVE = -0.6  # sentiment_score at or below this is very negative ...
MOST_NEGATIVE_SHARE = 0.05  # ... and needs a reply among the file's most negative 5% of comments

# Asks to be contacted, in da, sv, nb, nn, en (lower-cased, matched anywhere).
CONTACT_ME = (
    r"ring (?:mig|meg|til mig|til meg|tilbage|tilbake|upp)|kontakt(?:e|a)? (?:mig|meg)|"
    r"kontakta mig|hør(?:e)? fra (?:jer|dere|dykk)|høre fra|höra av er|hör av er|"
    r"ta kontakt|tag kontakt|call me|contact me|get back to me|reach out to me|"
    r"vend tilbake|vent tilbake|svar meg|svar mig|svara mig|"
    # where to reply, in the imperative: "Ring på [PHONE]", "Send svar til [EMAIL]" (a Danish
    # complaint export's 26 "Ring på …" and a kommune's "Send svar til …" were not flagged)
    r"\bring (?:på|til|till|on|at) \[phone\]|"
    r"\b(?:skriv|send|send svar|svar|svara|mail|maila|mejla|e-?mail|write|reply)"
    r" (?:til|till|to|on|at|på) \[email\]"
)
# Says they will leave or have left.
LEAVING = (
    r"opsig|siger op|sige op|skifte[rt]? (?:til|selskab|udbyder|bank)|skifter|forlader|"
    r"säga upp|säger upp|sagt upp|byta (?:till|bank|bolag|leverantör)|byter|lämnar|"
    r"si opp|sier opp|sagt opp|seie opp|seier opp|bytte (?:til|bank|selskap|leverandør)|"
    r"bytter|går over til|forlate|"
    r"cancel(?:ling|led)? my|switch(?:ing)? to|leaving you|i'm leaving|i am leaving|"
    r"close my account|lukke min konto|avslutte|avsluta"
)


# A reply's context: the lead answer's columns, in follow_up.csv's order (after `respondent`).
LEAD_COLUMNS = [
    "id",
    "text",
    "lang",
    "follow_up",
    "silo",
    "phase",
    "theme_id",
    "theme_label",
    "sentiment_score",
    QUESTION_COLUMN,
]


# Reasons to reply, most urgent first: a customer who asked to be called, one about to leave,
# then the most negative of the file.
REASONS = ("asks to be contacted", "says they will leave", "very negative")


def mark_follow_up(comments: pl.DataFrame, themes: pl.DataFrame | None = None) -> pl.DataFrame:
    """Add `follow_up`: the reason a comment needs a reply (null when it does not). 'very
    negative' is relative to the file (`most_negative`); `themes` (with `rank`) orders equally
    negative comments, those about the first fix first."""
    text = pl.col("text").str.to_lowercase()
    reason = (
        pl.when(pl.col("no_content"))
        .then(None)
        .when(text.str.contains(CONTACT_ME))
        .then(pl.lit(REASONS[0]))
        .when(text.str.contains(LEAVING))
        .then(pl.lit(REASONS[1]))
        .when(most_negative(comments, themes))
        .then(pl.lit(REASONS[2]))
        .otherwise(None)
    )
    return comments.with_columns(reason.alias("follow_up"))


def most_negative(comments: pl.DataFrame, themes: pl.DataFrame | None = None) -> pl.Series:
    """Per comment: is it among the file's most negative twentieth of content comments (at
    most -0.6)? Most negative first; equally negative ones (many complaints score -1.0) by
    their theme's rank, then in input order, so the list is one in twenty, not every tie."""
    content = comments.filter(~pl.col("no_content")).height
    quota = math.ceil(MOST_NEGATIVE_SHARE * content)
    rank_of = {} if themes is None else dict(themes.select("theme_id", "rank").iter_rows())
    theme_rank = (
        pl.col("theme_id").replace_strict(rank_of, default=None, return_dtype=pl.Int64)
        if "theme_id" in comments.columns
        else pl.lit(None, dtype=pl.Int64)
    )
    chosen = (
        comments.select(  # input columns may have any name: keep only these
            pl.int_range(pl.len()).alias("order"),
            theme_rank.alias("theme_rank"),
            "sentiment_score",
            "no_content",
        )
        .filter(~pl.col("no_content") & (pl.col("sentiment_score") <= VERY_NEGATIVE))
        .sort("sentiment_score", "theme_rank", "order", nulls_last=True)
        .head(quota)
        .get_column("order")
    )
    return pl.Series("most_negative", range(comments.height)).is_in(chosen.implode())


def follow_up_list(comments: pl.DataFrame, context: Sequence[str | None] = ()) -> pl.DataFrame:
    """Whom to reply to: one row per respondent and reason, so nobody is called twice because
    two of their answers (or comments) gave the same reason; those who asked to be contacted
    first, then those who say they will leave, then the very negative, each most negative
    first.

    `id`, `text` and the owner, phase, theme and language are those of the respondent's most
    negative answer with that reason; `answers` counts their answers with the reason, and
    `answer_ids`, `answer_questions` (with several questions) and `answer_texts` list them
    all, in question order, joined by " | ". `context` names input columns (the date, segment
    and channel the input has) added last, under their input names, from that same answer:
    a municipality's list then says which department (`Förvaltning`) should call, and when."""
    needs = comments.filter(pl.col("follow_up").is_not_null())
    if RESPONDENT_COLUMN not in needs.columns:  # a frame from before respondents
        needs = needs.with_columns(pl.col("id").alias(RESPONDENT_COLUMN))
    order = [c for c in (ROW_COLUMN, QUESTION_ORDER) if c in needs.columns] or ["id"]
    lead = [c for c in LEAD_COLUMNS if c in needs.columns]
    listed = {"id": "answer_ids", QUESTION_COLUMN: "answer_questions", "text": "answer_texts"}
    taken = {RESPONDENT_COLUMN, "answers", *lead, *listed, *listed.values()}
    extra = [c for c in dict.fromkeys(context) if c and c in needs.columns and c not in taken]
    most_negative = pl.col("sentiment_score").fill_null(float("inf")), pl.col("id")
    return (
        needs.sort(order)
        .group_by(RESPONDENT_COLUMN, "follow_up", maintain_order=True)
        .agg(
            *(
                pl.col(c).sort_by(*most_negative).first()
                for c in [*lead, *extra]
                if c != "follow_up"
            ),
            pl.len().cast(pl.Int64).alias("answers"),
            *(
                pl.col(c).cast(pl.String).str.join(LIST_SEPARATOR).alias(name)
                for c, name in listed.items()
                if c in needs.columns
            ),
        )
        .select(
            RESPONDENT_COLUMN,
            *lead,
            "answers",
            *[n for c, n in listed.items() if c in needs.columns],
            *extra,
        )
        .sort(
            pl.col("follow_up").replace_strict(REASONS, list(range(len(REASONS))), default=None),
            "sentiment_score",
            "id",
            RESPONDENT_COLUMN,
            nulls_last=True,
        )
    )
