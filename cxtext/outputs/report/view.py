"""What the report shows, as plain values: the top fixes, theme rows, tables (the run facts
are `cxtext.outputs.facts`).

Everything here is data; escaping and layout belong to the template.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from cxtext.io.contract import OUTLIER_THEME
from cxtext.io.load import input_column
from cxtext.outputs.facts import theme_cells
from cxtext.outputs.report.evidence import quotes_by_theme, theme_quotes
from cxtext.outputs.report.names import Names
from cxtext.outputs.report.words import Words
from cxtext.priority.formula import fix_order, is_mixed
from cxtext.priority.initiatives import STATUSES
from cxtext.scores import impact_digits
from cxtext.wording import shorten

if TYPE_CHECKING:
    from cxtext.result import Result

TOP_FIXES = 5
QUOTES_PER_FIX = 3
FOLLOW_UP_ROWS = 200
QUOTE_CHARS = 240  # quotes that fit whole are preferred; longer ones are cut
LONG_TEXT_CHARS = 2000  # a comment longer than this is cut in the report (comments.csv has all)


def top_fixes(result: Result, names: Names, quotes: dict[str, list[dict]]) -> list[dict]:
    """The ranked themes to fix first, with owner, phase, impact, evidence quotes and, in a
    scheduled run, how each changed since the last run."""
    ranked = result.themes.filter(pl.col("rank").is_not_null()).sort("rank").head(TOP_FIXES)
    changes = theme_changes(result)
    return [
        {
            **theme_card(row, names),
            "quotes": [
                _quote(q, names.words) for q in quotes.get(row["theme_id"], [])[:QUOTES_PER_FIX]
            ],
            "why": rank_reasons(row, names),
            "change": changes.get(row["theme_id"]),
        }
        for row in ranked.iter_rows(named=True)
    ]


def theme_changes(result: Result) -> dict[str, dict]:
    """Theme id -> its row of changes.csv (status, previous and current share), for a
    `--state` run: "is it getting worse?" answered on the card that asks to fix it."""
    changes = result.tables.get("changes")
    if changes is None or changes.is_empty():
        return {}
    return {row["theme_id"]: row for row in changes.iter_rows(named=True)}


def rank_reasons(row: dict, names: Names) -> list[str]:
    """Why a theme ranks where it does, one phrase per factor of its priority."""
    words = names.words
    negatives = round((row.get("size") or 0) * (row.get("negative_share") or 0.0))
    # volume counts respondents: one person complaining in two answers is one person
    volume = words.pct(row.get("priority_volume") or 0.0, 1)
    complaints = words.count(negatives, "complaint")
    reasons = [words.text("reason_complaints", complaints=complaints, volume=volume)]
    if is_mixed(row):  # mostly praise: only the complaints count towards its priority
        negative, positive = (words.pct(row[key]) for key in ("negative_share", "positive_share"))
        reasons.append(words.text("reason_mixed", negative=negative, positive=positive))
    kano = names.kano_class(row.get("kano")).split(" (")[0]
    weight = row.get("priority_kano_weight")
    if weight is not None:
        kano = words.text(
            "reason_kano", kano=kano, weight=f"{weight:g}".replace(".", words["decimal"])
        )
    reasons.append(kano)
    impact, digits = row.get("impact"), _impact_digits(row)
    if impact is not None and round(-impact, digits) > 0:
        cost = words.number(-impact, digits)
        reasons.append(words.text("reason_cost", cost=cost, unit=_impact_unit(row, words)))
    elif impact is not None:
        reasons.append(words["reason_no_cost"])
    return reasons


def _impact_digits(row: dict) -> int:
    """NPS impacts in tenths of a point; impacts on a mean score in hundredths."""
    return impact_digits(row.get("impact_metric"))


def _impact_unit(row: dict, words: Words) -> str:
    return words["unit_nps" if row.get("impact_metric") == "nps" else "unit_mean"]


def theme_card(row: dict, names: Names) -> dict:
    """One theme's values as the report shows them."""
    cells = theme_cells(row)
    return {
        "theme_id": row["theme_id"],
        "label": row.get("label") or row["theme_id"],
        "parent_id": row.get("parent_id"),
        "parent_label": row.get("parent_label"),
        "rank": row.get("rank"),
        "silo": row.get("silo"),
        "silo_name": names.silo(row.get("silo")),
        "phase": row.get("phase"),
        "phase_name": names.phase(row.get("phase")),
        "kano": row.get("kano") or "none",
        "kano_name": names.kano_class(row.get("kano")).split(" (")[0],
        "kano_title": names.kano_descriptions.get(row.get("kano") or "", ""),
        "size": row.get("size") or 0,
        "respondents": row.get("respondents"),
        "share": row.get("share") or 0.0,
        "negative_share": row.get("negative_share"),
        "sentiment_mean": row.get("sentiment_mean"),
        "impact": row.get("impact"),
        "impact_low": cells["impact_low"],
        "impact_high": cells["impact_high"],
        "impact_unit": _impact_unit(row, names.words),
        "impact_title": names.words[
            "impact_title_nps" if row.get("impact_metric") == "nps" else "impact_title_mean"
        ],
        "impact_digits": _impact_digits(row),
        "priority": row.get("priority"),
        "praise": bool(row.get("praise")),
        "off_journey": bool(row.get("off_journey")),
        "cross_silo": bool(row.get("cross_silo")),
        "channels": [names.channel(c) for c in list(cells["channels"])[:3]],
        "languages": sorted(cells["languages"].items(), key=lambda item: -item[1]),
        "keywords": _top_keywords(cells["keywords"]),
    }


def theme_rows(result: Result, names: Names, quotes: dict[str, list[dict]]) -> list[dict]:
    """Every theme (outliers last) for the sortable, filterable theme table."""
    themes = fix_order(result.themes, pl.col("theme_id") == OUTLIER_THEME)
    rows = []
    for row in themes.iter_rows(named=True):
        evidence = [
            _quote(q, names.words) for q in quotes.get(row["theme_id"], [])[:QUOTES_PER_FIX]
        ]
        rows.append({**theme_card(row, names), "quotes": evidence})
    return rows


def theme_groups(rows: list[dict]) -> list[dict]:
    """Theme groups, largest first, each with its themes (as `theme_rows` orders them)."""
    groups: dict[str, dict] = {}
    for row in rows:
        if row["theme_id"] == OUTLIER_THEME or not row.get("parent_id"):
            continue
        group = groups.setdefault(
            row["parent_id"], {"label": row["parent_label"] or row["parent_id"], "themes": []}
        )
        group["themes"].append(row)
    for group in groups.values():
        group["size"] = sum(theme["size"] for theme in group["themes"])
    return sorted(groups.values(), key=lambda group: (-group["size"], group["label"]))


def comment_codes(result: Result, words: Words) -> dict[str, Any]:
    """Per content comment: theme, language, segment, question and negativity as small integer
    codes, so the page can recount the theme table for any language, segment and question."""
    content = result.comments.filter(~pl.col("no_content"))
    theme_ids = result.themes.get_column("theme_id").to_list()
    langs = sorted(content.get_column("lang").drop_nulls().unique().to_list())
    segments, segment_codes = _labels(content, input_column(result, "segment"))
    asked = (result.run.get("columns") or {}).get("questions") and "question" in content.columns
    questions, question_codes = _labels(content, "question" if asked else None)
    codes = content.select(
        pl.col("theme_id").replace_strict(theme_ids, range(len(theme_ids)), default=-1).alias("t"),
        pl.col("lang").replace_strict(langs, range(len(langs)), default=-1).alias("l"),
        segment_codes.alias("s"),
        question_codes.alias("q"),
        (
            (pl.col("sentiment") == "neg").cast(pl.Int8)
            if "sentiment" in content.columns
            else pl.lit(0)
        ).alias("n"),
    )
    return {
        "themes": theme_ids,
        "langs": [[code, words.language(code)] for code in langs],
        "segments": segments,
        "questions": questions,
        **{name: codes.get_column(name).to_list() for name in codes.columns},
    }


def _labels(content: pl.DataFrame, column: str | None) -> tuple[list[str], pl.Expr]:
    """A column's distinct values, sorted, and the expression giving each row's code."""
    if column is None:
        return [], pl.lit(-1)
    text = pl.col(column).cast(pl.String).fill_null("")
    values = sorted(content.select(text).to_series().unique().to_list())
    return values, text.replace_strict(values, range(len(values)), default=-1)


def follow_ups(result: Result, names: Names) -> dict[str, Any] | None:
    """Who should reply to whom: one row per respondent and reason, in follow_up.csv's order
    (asked to be contacted, says they will leave, very negative; most negative first in each),
    with every answer that gave the reason."""
    table = result.tables.get("follow_up")
    if table is None or table.is_empty():
        return None
    by_silo = table.group_by("silo").len().sort("len", "silo", descending=[True, False])
    by_reason = table.group_by("follow_up").len().sort("len", descending=True)
    rows = [
        {
            "id": row.get("respondent") or row.get("id"),  # whom to call: one row each
            "reason": names.words.reason(row.get("follow_up")),
            "silo_name": names.silo(row.get("silo")),
            "silo": row.get("silo"),
            "theme": row.get("theme_label"),
            "lang": row.get("lang"),
            "text": shorten(row.get("answer_texts") or row.get("text") or "", LONG_TEXT_CHARS),
        }
        for row in table.head(FOLLOW_UP_ROWS).iter_rows(named=True)
    ]
    return {
        "total": table.height,
        "respondents": table.get_column(
            "respondent" if "respondent" in table.columns else "id"
        ).n_unique(),
        "shown": len(rows),
        "rows": rows,
        "by_silo": [(names.silo(s), s, n) for s, n in by_silo.iter_rows()],
        "by_reason": [(names.words.reason(r), n) for r, n in by_reason.iter_rows()],
    }


def initiative_rows(result: Result, words: Words) -> list[dict] | None:
    """The roadmap check: supported, unsupported and missing initiatives (`status_words`: the
    status as the report words it)."""
    table = result.tables.get("initiatives")
    if table is None:
        return None
    order = {status: place for place, status in enumerate(STATUSES)}
    rows = [{**row, "status_words": words.status(row.get("status"))} for row in table.to_dicts()]
    return sorted(rows, key=lambda r: (order.get(r.get("status"), 3), r.get("rank") or 0))


def segment_tops(result: Result, per_segment: int = 3) -> list[dict] | None:
    """The top themes of each customer segment."""
    table = result.tables.get("segments")
    if table is None or table.is_empty():
        return None
    tops = table.sort("segment", "rank").group_by("segment", maintain_order=True).head(per_segment)
    return [
        {"segment": str(segment), "themes": rows.to_dicts()}
        for (segment,), rows in tops.group_by("segment", maintain_order=True)
    ]


def report_alerts(result: Result) -> list[dict[str, Any]]:
    """alerts.json's spikes, problems first: a praise theme's rise is good news and says so
    (it stood as "Rising: General praise" among the problems above the fix list)."""
    themes = result.themes
    praise = (
        set(themes.filter(pl.col("praise").fill_null(False)).get_column("theme_id"))
        if "praise" in themes.columns
        else set()
    )
    found = result.documents.get("alerts") or []
    alerts = [{**alert, "praise": alert["theme_id"] in praise} for alert in found]
    return sorted(alerts, key=lambda alert: alert["praise"])


def report_quotes(result: Result) -> dict[str, list[dict]]:
    """Evidence quotes per theme, for the cards and the table."""
    return quotes_by_theme(
        theme_quotes(result.comments, result.themes, QUOTES_PER_FIX, fit_chars=QUOTE_CHARS)
    )


def _quote(quote: dict, words: Words) -> dict:
    text = quote.get("text") or ""
    return {
        **quote,
        "text": shorten(text, QUOTE_CHARS),
        "full": shorten(text, LONG_TEXT_CHARS),
        "lang_name": words.language(quote.get("lang")),
    }


def _top_keywords(keywords: dict[str, list[str]], count: int = 6) -> list[str]:
    """The first keywords of every language in turn, without repeats."""
    seen: list[str] = []
    for position in range(max((len(v) for v in keywords.values()), default=0)):
        for words in keywords.values():
            if position < len(words) and words[position] not in seen:
                seen.append(words[position])
    return seen[:count]
