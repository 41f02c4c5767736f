"""journey.json, the export for journey-mapping tools: phases → touchpoints → themes.

It follows `models/journey.schema.json` and carries `schema_version`: a new minor version
only adds fields; a new major version changes or removes them. A theme sits in its journey
phase under the touchpoint (phase × channel) its comments mention most; themes whose comments
name no channel sit under the `none` touchpoint. Comments in no theme are counted in
`run.unthemed_comments` only. Quotes are cut at 2,000 characters (with an ellipsis).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from cxtext.config import MODELS_DIR
from cxtext.io.contract import OUTLIER_THEME
from cxtext.journey.channel import NO_CHANNEL
from cxtext.outputs.facts import THEME_JSON_CELLS, run_facts, theme_cells
from cxtext.outputs.report.evidence import quotes_by_theme, theme_quotes
from cxtext.outputs.report.names import Names, run_names
from cxtext.priority.formula import fix_order
from cxtext.version import __version__
from cxtext.wording import shorten

if TYPE_CHECKING:
    from cxtext.result import Result

SCHEMA_VERSION = "1.2"  # 1.1: themes name their parent group; 1.2: respondents
JOURNEY_SCHEMA = MODELS_DIR / "journey.schema.json"
QUOTES_PER_THEME = 5
QUOTE_CHARS = 2000  # longer comments are cut, with an ellipsis, in quotes
RUN_FACTS = (  # of `run_facts`, into journey.json's `run`
    "input",
    "input_sha256",
    "comments",
    "content_comments",
    "unthemed_comments",
    "themes",
    "model",
    "taxonomy_sha256",
    "first_date",
    "last_date",
    "score_metric",
)


def journey_document(result: Result, names: Names | None = None) -> dict[str, Any]:
    """The run as phases → touchpoints → themes, with evidence quotes per theme."""
    names = names or run_names(result.run)
    themes = result.themes.filter(pl.col("theme_id") != OUTLIER_THEME)
    quotes = quotes_by_theme(theme_quotes(result.comments, themes, QUOTES_PER_THEME))
    placed: dict[str, dict[str, list[dict]]] = {}
    for row in fix_order(themes).iter_rows(named=True):
        channels = json.loads(row.get("channels") or "{}")
        channel = next(iter(channels), NO_CHANNEL)
        theme = _theme(row, names, quotes.get(row["theme_id"], []))
        placed.setdefault(row.get("phase") or "", {}).setdefault(channel, []).append(theme)
    phases = [
        _phase(key, order, names, placed.get(key, {}))
        for order, key in enumerate(names.phase_order([*names.phases, *placed]), start=1)
    ]
    facts = run_facts(result)
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "cxtext", "version": __version__},
        "run": {key: facts[key] for key in RUN_FACTS},
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
    cells = theme_cells(row)
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
        "respondents": None if row.get("respondents") is None else int(row["respondents"]),
        "share": row.get("share"),
        **{name: cells[name] for name in THEME_JSON_CELLS},
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
                "ci_low": cells["impact_low"],
                "ci_high": cells["impact_high"],
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
                "respondent": q.get("respondent"),
                "sentiment": q["sentiment"],
            }
            for q in quotes[:QUOTES_PER_THEME]
        ],
    }


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
