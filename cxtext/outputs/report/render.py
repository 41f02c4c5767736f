"""Render report.html: one self-contained page (plotly, CSS and JS inlined, nothing fetched),
worded in the run's label language (`cxtext.outputs.report.words`).

Safety: the template escapes every value (Jinja autoescape); chart data travels as JSON in a
non-executable script block with `<`, `>` and `&` escaped; and a Content-Security-Policy lets
only the page's own scripts (by hash) run and forbids every network request.
"""

from __future__ import annotations

import base64
import hashlib
import json
import pkgutil
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import polars as pl

from cxtext.files import cache_dir
from cxtext.outputs.facts import run_facts
from cxtext.outputs.report import charts, view
from cxtext.outputs.report.names import run_names
from cxtext.outputs.report.words import Words

if TYPE_CHECKING:
    from cxtext.result import Result

ASSETS = Path(__file__).with_name("assets")


def render_report(result: Result, comment_map: pl.DataFrame | None = None) -> str:
    """The report for one run as an HTML string; `comment_map` from `cxtext.outputs.report.map`."""
    names = run_names(result.run)
    words = names.words
    quotes = view.report_quotes(result)
    codes = view.comment_codes(result, words)
    rows = view.theme_rows(result, names, quotes)
    index = {theme_id: i for i, theme_id in enumerate(codes["themes"])}
    for row in rows:
        row["index"] = index.get(row["theme_id"], -1)
    figures = _figures(result, names, comment_map)
    script = _asset("report.js")
    plotly_js = _plotly_js()
    context: dict[str, Any] = {
        "facts": run_facts(result),
        "fixes": view.top_fixes(result, names, quotes),
        "scored": bool((result.run.get("columns") or {}).get("score")),  # impact needs a score
        "themes": rows,
        "groups": view.theme_groups(rows),
        "codes": codes,
        "phases": sorted({(r["phase_name"], r["phase"]) for r in rows if r["phase"]}),
        "silos": sorted({(r["silo_name"], r["silo"]) for r in rows if r["silo"]}),
        "figures": {key for key, figure in figures.items() if figure},
        "follow_up": view.follow_ups(result, names),
        "initiatives": view.initiative_rows(result, words),
        "segments": view.segment_tops(result),
        "alerts": view.report_alerts(result),
        "kano": [
            (key, names.kano_class(key).split(" (")[0], text)
            for key, text in names.kano_descriptions.items()
            if key != "none"
        ],
        "w": words,
        "data_json": script_json({"figures": figures, "codes": codes, "words": _page_words(words)}),
        "css": _asset("report.css"),
        "plotly_js": plotly_js,
        "script": script,
        "csp": content_security_policy([plotly_js, script]),
    }
    return _template().render(**context)


def write_report(result: Result, path: Path, comment_map: pl.DataFrame | None = None) -> Path:
    """Write report.html for `result` to `path`."""
    path.write_text(render_report(result, comment_map), encoding="utf-8")
    return path


def script_json(data: object) -> str:
    """JSON safe inside a <script> element: no `</script>`, no `<!--`, no entities."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def content_security_policy(scripts: list[str]) -> str:
    """Only these inline scripts may run; no request may leave the page."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
        for s in scripts
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
        "img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; "
        "base-uri 'none'"
    )


def _page_words(words: Words) -> dict[str, Any]:
    """What the page's script writes itself: the theme count, percentages, plotly's locale."""
    return {
        "themes_shown": words["themes_shown"],
        "percent": words["percent"].replace(" ", "\u00a0"),
        "locale": words.plot_locale(),
    }


def _figures(
    result: Result, names, comment_map: pl.DataFrame | None
) -> dict[str, dict[str, Any] | None]:
    ownership = result.tables.get("ownership")
    if ownership is None:
        ownership = _ownership_from_comments(result.comments)
    heatmaps = charts.heatmap_figures(ownership, names)
    trends = result.tables.get("trends")
    seed = int(result.run.get("seed") or 0)
    words = names.words
    return {
        "heatmap-volume": heatmaps["volume"],
        "heatmap-negativity": heatmaps["negativity"],
        "plot-map": (
            charts.map_figure(comment_map, result.comments, result.themes, seed, words)
            if comment_map is not None
            else None
        ),
        "plot-trends": (
            charts.trends_figure(trends, result.themes, words) if trends is not None else None
        ),
        "plot-languages": charts.languages_figure(result.comments, words),
    }


def _ownership_from_comments(comments: pl.DataFrame) -> pl.DataFrame:
    content = comments.filter(~pl.col("no_content"))
    negative = (pl.col("sentiment") == "neg").mean() if "sentiment" in content.columns else None
    return content.group_by("silo", "phase").agg(
        pl.len().alias("comments"),
        pl.col("theme_id").n_unique().alias("themes"),
        *([negative.alias("negative_share")] if negative is not None else []),
    )


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ASSETS),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(),
    )
    environment.filters.update(
        pct=_pct, signed=_signed, number=_number, language=_language, date=_date
    )
    return environment.get_template("report.html.j2")


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """The compiled template kept per machine (compiling it costs ~0.15 s of every run); none
    where the cache folder cannot be written. jinja2 checks the template's source against it."""
    folder = cache_dir() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


@cache
def _asset(name: str) -> str:
    return (ASSETS / name).read_text("utf-8")


@cache
def _plotly_js() -> str:
    """plotly.js as plotly's `get_plotlyjs` reads it, without importing `plotly.offline`."""
    return pkgutil.get_data("plotly", "package_data/plotly.min.js").decode("utf-8")


# Filters that write a value in the page's language (the context's `w`): 12.5% or 12,5 %.
@jinja2.pass_context
def _pct(context: jinja2.runtime.Context, value: float | None, digits: int = 0) -> str:
    return context["w"].pct(value, digits)


@jinja2.pass_context
def _signed(context: jinja2.runtime.Context, value: float | None, digits: int = 1) -> str:
    return context["w"].signed(value, digits)


@jinja2.pass_context
def _number(context: jinja2.runtime.Context, value: float | None, digits: int = 0) -> str:
    return context["w"].number(value, digits)


@jinja2.pass_context
def _language(context: jinja2.runtime.Context, code: str | None) -> str:
    return context["w"].language(code)


@jinja2.pass_context
def _date(context: jinja2.runtime.Context, iso: str | None) -> str:
    return context["w"].date(iso)
