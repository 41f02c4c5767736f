"""Exports for journey-mapping tools: journey.json (phases → touchpoints → themes) and
journey_metrics.csv (one dated numeric value per row, the shape tools take as a metric source).

journey.json follows `models/journey.schema.json` and carries `schema_version`: a new minor
version only adds fields; a new major version changes or removes them. A theme sits in its
journey phase under the touchpoint (phase × channel) its comments mention most; themes whose
comments name no channel sit under the `none` touchpoint. Comments in no theme are counted
in `run.unthemed_comments` only. Quotes are cut at 2,000 characters (with an ellipsis).

journey_metrics.csv has one row per phase × theme × period and metric, plus phase totals
(level `phase`, no theme): `volume` (comments), `negative_share` (0-1) and, where the input
has scores, `nps` (points, 0-10 scales), `csat` (% of 4-5 answers, 1-5 scales) or
`mean_score` (any other scale). `date` is the first day of the period (week or month, as in
trends.csv); without a date column every value is dated the day of the export (period `run`).
Theme rows end with the theme's group (`parent_id`, `parent_label`).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from cxtext.config import MODELS_DIR
from cxtext.dates import parse_dates, period_kind, period_start
from cxtext.io.contract import OUTLIER_THEME
from cxtext.io.load import input_column, input_score_scale
from cxtext.outputs.report.evidence import quotes_by_theme, theme_quotes
from cxtext.outputs.report.names import Names, run_names
from cxtext.outputs.report.view import shorten
from cxtext.scores import score_values
from cxtext.version import __version__

if TYPE_CHECKING:
    from cxtext.result import Result

SCHEMA_VERSION = "1.1"  # 1.1: themes name their parent group
JOURNEY_SCHEMA = MODELS_DIR / "journey.schema.json"
QUOTES_PER_THEME = 5
QUOTE_CHARS = 2000  # longer comments are cut, with an ellipsis, in quotes
NO_CHANNEL = "none"

METRIC_COLUMNS = [
    "date",
    "metric",
    "value",
    "level",
    "phase",
    "phase_label",
    "theme_id",
    "theme_label",
    "silo",
    "period",
    "period_kind",
    "comments",
    "parent_id",
    "parent_label",
]
PARENT_COLUMNS = ("parent_id", "parent_label")  # theme groups; absent in runs before them


def journey_document(result: Result, names: Names | None = None) -> dict[str, Any]:
    """The run as phases → touchpoints → themes, with evidence quotes per theme."""
    names = names or run_names(result.run)
    themes = result.themes.filter(pl.col("theme_id") != OUTLIER_THEME)
    quotes = quotes_by_theme(theme_quotes(result.comments, themes, QUOTES_PER_THEME))
    placed: dict[str, dict[str, list[dict]]] = {}
    for row in themes.sort(
        pl.col("rank").is_null(), "rank", pl.col("size"), descending=[False, False, True]
    ).iter_rows(named=True):
        channels = json.loads(row.get("channels") or "{}")
        channel = next(iter(channels), NO_CHANNEL)
        theme = _theme(row, names, quotes.get(row["theme_id"], []))
        placed.setdefault(row.get("phase") or "", {}).setdefault(channel, []).append(theme)
    phases = [
        _phase(key, order, names, placed.get(key, {}))
        for order, key in enumerate(names.phase_order([*names.phases, *placed]), start=1)
    ]
    content = result.comments.filter(~pl.col("no_content"))
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "cxtext", "version": __version__},
        "run": _run(result, content),
        "phases": phases,
        "silos": [
            {"id": key, "label": names.silo(key)}
            for key in names.silo_order(themes.get_column("silo").drop_nulls().to_list())
        ],
    }


def _phase(key: str, order: int, names: Names, touchpoints: dict[str, list[dict]]) -> dict:
    points = [
        {
            "id": f"{key}/{channel}",
            "channel": channel,
            "label": names.channel(channel),
            "comments": sum(t["size"] for t in themes),
            "themes": themes,
        }
        for channel, themes in touchpoints.items()
    ]
    points.sort(key=lambda p: (p["channel"] == NO_CHANNEL, -p["comments"], p["channel"]))
    themes = [t for p in points for t in p["themes"]]
    size = sum(t["size"] for t in themes)
    negative = sum(t["size"] * (t["sentiment"]["negative_share"] or 0) for t in themes)
    return {
        "id": key,
        "label": names.phase(key),
        "order": order,
        "comments": size,
        "negative_share": round(negative / size, 4) if size else None,
        "touchpoints": points,
    }


def _theme(row: dict, names: Names, quotes: list[dict]) -> dict[str, Any]:
    low, high = json.loads(row["impact_ci"]) if row.get("impact_ci") else (None, None)
    return {
        "id": row["theme_id"],
        "label": row.get("label") or row["theme_id"],
        "source": row.get("source"),
        "parent_id": row.get("parent_id"),
        "parent_label": row.get("parent_label"),
        "owner": {
            "silo": row.get("silo"),
            "label": names.silo(row.get("silo")),
            "confidence": row.get("silo_confidence"),
            "cross_silo": bool(row.get("cross_silo")),
        },
        "phase_confidence": row.get("phase_confidence"),
        "size": int(row.get("size") or 0),
        "share": row.get("share"),
        "channels": json.loads(row.get("channels") or "{}"),
        "languages": json.loads(row.get("languages") or "{}"),
        "keywords": json.loads(row.get("keywords") or "{}"),
        "sentiment": {
            "mean": row.get("sentiment_mean"),
            "negative_share": row.get("negative_share"),
            "positive_share": row.get("positive_share"),
        },
        "impact": (
            None
            if row.get("impact") is None
            else {
                "value": row["impact"],
                "ci_low": low,
                "ci_high": high,
                "metric": row.get("impact_metric"),
            }
        ),
        "priority": {
            "score": row.get("priority"),
            "rank": row.get("rank"),
            "praise": bool(row.get("praise")),
            "volume": row.get("priority_volume"),
            "negativity": row.get("priority_negativity"),
            "kano_weight": row.get("priority_kano_weight"),
            "impact_gain": row.get("priority_impact_gain"),
        },
        "kano": {"class": row.get("kano"), "label": names.kano_class(row.get("kano"))},
        "quotes": [
            {
                "text": shorten(q["text"], QUOTE_CHARS),
                "lang": q["lang"],
                "comment_id": q["id"],
                "sentiment": q["sentiment"],
            }
            for q in quotes[:QUOTES_PER_THEME]
        ],
    }


def _run(result: Result, content: pl.DataFrame) -> dict[str, Any]:
    run = result.run
    facts: dict[str, Any] = {
        "input": str(run.get("input", "")).replace("\\", "/").rsplit("/", 1)[-1],
        "input_sha256": run.get("input_sha256"),
        "comments": result.comments.height,
        "content_comments": content.height,
        "unthemed_comments": int((content.get_column("theme_id") == OUTLIER_THEME).sum()),
        "themes": result.themes.filter(pl.col("theme_id") != OUTLIER_THEME).height,
        "model": run.get("model") or run.get("embedder"),
        "taxonomy_sha256": run.get("taxonomy_sha256"),
        "first_date": None,
        "last_date": None,
        "score_metric": None,
    }
    column = input_column(result, "date")
    if column:
        dates = content.select(parse_dates(pl.col(column))).to_series().drop_nulls()
        if len(dates):
            facts["first_date"], facts["last_date"] = str(dates.min()), str(dates.max())
    facts["score_metric"] = _score_kind(result)
    return facts


def write_journey_json(result: Result, path: Path) -> Path:
    """Write journey.json (pretty, UTF-8)."""
    from cxtext.io.write import write_json

    write_json(journey_document(result), path)
    return path


def validate_journey(document: dict) -> None:
    """Raise `jsonschema.ValidationError` when the document does not follow the schema."""
    import jsonschema

    schema = json.loads(JOURNEY_SCHEMA.read_text("utf-8"))
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)


def journey_metrics(result: Result, today: date | None = None) -> pl.DataFrame:
    """Volume, negative share and score metrics per phase × theme × period, long format."""
    content = result.comments.filter(~pl.col("no_content") & (pl.col("theme_id") != OUTLIER_THEME))
    names = run_names(result.run)
    themes = (
        result.themes.with_columns(
            pl.lit(None, pl.String).alias(c) for c in PARENT_COLUMNS if c not in result.themes
        )
        .select("theme_id", pl.col("label").alias("theme_label"), "phase", "silo", *PARENT_COLUMNS)
        .filter(pl.col("theme_id") != OUTLIER_THEME)
    )
    frame, kind = _with_periods(result, content, today or date.today())
    frame = frame.select("theme_id", "period", *_value_columns(result)).join(
        themes, on="theme_id", how="inner"
    )
    aggregates = _aggregates(_score_kind(result))
    per_theme = frame.group_by(
        "phase", "silo", "theme_id", "theme_label", *PARENT_COLUMNS, "period"
    ).agg(*aggregates)
    per_phase = frame.group_by("phase", "period").agg(*aggregates)
    long = pl.concat(
        [
            _long(per_theme.with_columns(pl.lit("theme").alias("level"))),
            _long(
                per_phase.with_columns(
                    pl.lit("phase").alias("level"),
                    pl.lit(None, pl.String).alias("silo"),
                    pl.lit(None, pl.String).alias("theme_id"),
                    pl.lit(None, pl.String).alias("theme_label"),
                    *[pl.lit(None, pl.String).alias(c) for c in PARENT_COLUMNS],
                )
            ),
        ],
        how="diagonal_relaxed",
    )
    phases = long.get_column("phase").drop_nulls().unique().to_list()
    phase_label = pl.col("phase").replace_strict(
        {p: names.phase(p) for p in phases}, default=None, return_dtype=pl.String
    )
    return (
        long.filter(pl.col("value").is_not_null() & pl.col("value").is_finite())
        .with_columns(
            pl.col("period").dt.strftime("%Y-%m-%d").alias("date"),
            phase_label.alias("phase_label"),
            pl.lit(kind).alias("period_kind"),
            (pl.col("period").dt.strftime("%Y-%m-%d") if kind != "run" else pl.lit("run")).alias(
                "period_label"
            ),
        )
        .drop("period")
        .rename({"period_label": "period"})
        .select(METRIC_COLUMNS)
        .sort("date", "level", "phase", "theme_id", "metric", nulls_last=False)
    )


def write_journey_metrics(result: Result, path: Path) -> Path:
    """Write journey_metrics.csv (UTF-8 with BOM, formula-like cells made inert)."""
    from cxtext.io.write import write_csv

    write_csv(journey_metrics(result), path)
    return path


def _score_kind(result: Result) -> str | None:
    """'nps' (0-10), 'csat' (1-5 ratings) or 'mean_score' when the input has scores, else None."""
    scale = input_score_scale(result)
    if scale is None:
        return None
    column = input_column(result, "score")
    if result.comments.select(score_values(pl.col(column), scale)).to_series().is_null().all():
        return None
    return {"nps": "nps", "rating": "csat"}.get(scale, "mean_score")


def _with_periods(result: Result, content: pl.DataFrame, today: date) -> tuple[pl.DataFrame, str]:
    column = input_column(result, "date")
    if column is None:
        return content.with_columns(pl.lit(today).alias("period")), "run"
    dated = content.with_columns(parse_dates(pl.col(column)).alias("_date")).filter(
        pl.col("_date").is_not_null()
    )
    trends = result.tables.get("trends")
    if trends is not None and not trends.is_empty() and "period_kind" in trends.columns:
        kind = trends.get_column("period_kind")[0]
    else:
        kind = period_kind(dated.get_column("_date"))
    return dated.with_columns(period_start(pl.col("_date"), kind).alias("period")), kind


def _value_columns(result: Result) -> list[pl.Expr]:
    sentiment = (
        pl.col("sentiment") if "sentiment" in result.comments.columns else pl.lit(None, pl.String)
    )
    column, scale = input_column(result, "score"), input_score_scale(result)
    score = score_values(pl.col(column), scale) if column and scale else pl.lit(None, pl.Float64)
    return [sentiment.alias("_sentiment"), score.alias("_score")]


def _aggregates(score_kind: str | None) -> list[pl.Expr]:
    score = pl.col("_score")
    scored = score.is_not_null().sum().cast(pl.Int64)
    values = [
        pl.len().alias("volume"),
        (pl.col("_sentiment") == "neg").mean().round(4).alias("negative_share"),
        scored.alias("_scored"),
    ]
    if score_kind == "nps":
        nps = 100 * ((score >= 9).sum().cast(pl.Int64) - (score <= 6).sum().cast(pl.Int64)) / scored
        values.append(nps.round(1).alias("nps"))
    elif score_kind == "csat":
        values.append((100 * (score >= 4).sum() / scored).round(1).alias("csat"))
    elif score_kind == "mean_score":
        values.append(score.mean().round(3).alias("mean_score"))
    return values


def _long(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per metric; `comments` is how many comments (or scores) stand behind it."""
    metrics = [m for m in ("volume", "negative_share", "nps", "csat", "mean_score") if m in frame]
    keys = [c for c in frame.columns if c not in metrics and c != "_scored"]
    rows = []
    for metric in metrics:
        counted = "_scored" if metric in ("nps", "csat", "mean_score") else "volume"
        rows.append(
            frame.select(
                *keys,
                pl.lit(metric).alias("metric"),
                pl.col(metric).cast(pl.Float64).alias("value"),
                pl.col(counted).cast(pl.Int64).alias("comments"),
            )
        )
    return pl.concat(rows)
