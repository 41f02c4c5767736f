"""Close the loop: comments that need a reply, and the silo that should send it."""

from __future__ import annotations

import polars as pl

VERY_NEGATIVE = -0.6  # sentiment_score at or below this needs a reply

# Asks to be contacted, in da, sv, nb, nn, en (lower-cased, matched anywhere).
CONTACT_ME = (
    r"ring (?:mig|meg|til mig|til meg|tilbage|tilbake|upp)|kontakt(?:e|a)? (?:mig|meg)|"
    r"kontakta mig|hør(?:e)? fra (?:jer|dere|dykk)|høre fra|höra av er|hör av er|"
    r"ta kontakt|tag kontakt|call me|contact me|get back to me|reach out to me|"
    r"vend tilbake|vent tilbake|svar meg|svar mig|svara mig"
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


def mark_follow_up(comments: pl.DataFrame) -> pl.DataFrame:
    """Add `follow_up`: the reason a comment needs a reply (null when it does not)."""
    text = pl.col("text").str.to_lowercase()
    reason = (
        pl.when(pl.col("no_content"))
        .then(None)
        .when(text.str.contains(CONTACT_ME))
        .then(pl.lit("asks to be contacted"))
        .when(text.str.contains(LEAVING))
        .then(pl.lit("says they will leave"))
        .when(pl.col("sentiment_score") <= VERY_NEGATIVE)
        .then(pl.lit("very negative"))
        .otherwise(None)
    )
    return comments.with_columns(reason.alias("follow_up"))


def follow_up_list(comments: pl.DataFrame) -> pl.DataFrame:
    """The comments that need a reply, most negative first, with owner and context."""
    wanted = [
        "id",
        "text",
        "lang",
        "follow_up",
        "silo",
        "phase",
        "theme_id",
        "theme_label",
        "sentiment_score",
    ]
    return (
        comments.filter(pl.col("follow_up").is_not_null())
        .select([c for c in wanted if c in comments.columns])
        .sort("sentiment_score", "id", nulls_last=True)
    )
