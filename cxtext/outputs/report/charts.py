"""The report's plotly figures as JSON-ready dicts: heatmaps, comment map, trends, languages.

Plotly draws trace names, tick labels and hover text as a small HTML dialect, so every text that
comes from customers or from the taxonomy goes through `html.escape` before it is placed here.

The dicts are written as plotly's `Figure.to_json` writes them (`_trace`, `_figure`), without
importing plotly's Python package (~0.3 s) or validating ~3,000 map points (~0.4 s) on every
run; `tests/test_report_figures.py` checks them against plotly's own.
"""

from __future__ import annotations

import textwrap
from html import escape
from typing import Any

import numpy as np
import polars as pl

from cxtext.io.contract import OUTLIER_THEME
from cxtext.outputs.report.names import Names
from cxtext.outputs.report.words import Words
from cxtext.priority.formula import fix_order
from cxtext.wording import shorten

PALETTE = [
    "#2f6fbd",
    "#e07b39",
    "#3a9e6f",
    "#c8414b",
    "#7d5bb5",
    "#a0714f",
    "#d45ea8",
    "#5f6b7a",
    "#b5a31d",
    "#1fa3b5",
    "#8fb0e0",
    "#f2a97a",
]
OTHER_COLOUR, OUTLIER_COLOUR = "#b8c0cc", "#dde2e8"
SENTIMENT_COLOURS = {"neg": "#c8414b", "neu": "#aab4c0", "pos": "#3a9e6f"}
MAP_POINTS = 3000  # the map samples this many comments at most (seeded), to stay light
MAP_COLOURED_THEMES = 12
TREND_THEMES = 8
HOVER_WRAP = textwrap.TextWrapper(60)  # a map point's hover text: lines of 60 characters
HOVER_WRAP_PLAIN = textwrap.TextWrapper(60, break_on_hyphens=False)  # the same without hyphens
MIN_NEGATIVITY_COMMENTS = 5  # a cell with fewer comments gets no negativity colour
# plotly's named colour scales (ColorBrewer), as plotly writes them into a figure
COLOUR_SCALES = {
    "Blues": ["247,251,255", "222,235,247", "198,219,239", "158,202,225", "107,174,214",
              "66,146,198", "33,113,181", "8,81,156", "8,48,107"],
    "Reds": ["255,245,240", "254,224,210", "252,187,161", "252,146,114", "251,106,74",
             "239,59,44", "203,24,29", "165,15,21", "103,0,13"],
}  # fmt: skip
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"


def heatmap_figures(ownership: pl.DataFrame, names: Names) -> dict[str, dict]:
    """Phase × silo: comment volume and negative share, journey phases left to right; a cell
    of 1-4 comments shows no negative share (1 of 1 negative read as 100%, red as 1,000 of
    1,000), its hover text still does."""
    phases = names.phase_order(ownership.get_column("phase").to_list())
    silos = names.silo_order(ownership.get_column("silo").to_list())
    cells = {(r["silo"], r["phase"]): r for r in ownership.iter_rows(named=True)}
    volume = np.zeros((len(silos), len(phases)))
    share = np.full((len(silos), len(phases)), np.nan)  # % negative, for the hover text
    themes = np.zeros((len(silos), len(phases)), dtype=int)
    for i, silo in enumerate(silos):
        for j, phase in enumerate(phases):
            cell = cells.get((silo, phase)) or {}
            volume[i, j] = cell.get("comments") or 0
            themes[i, j] = cell.get("themes") or 0
            if volume[i, j] and cell.get("negative_share") is not None:
                share[i, j] = 100 * cell["negative_share"]
    negative = np.where(volume >= MIN_NEGATIVITY_COMMENTS, share, np.nan)
    words = names.words
    x = [escape(names.phase(p)) for p in phases]
    y = [escape(names.silo(s)) for s in silos]
    x_ticks = [
        "<br>".join(textwrap.wrap(label, 10, break_long_words=False)) or label for label in x
    ]
    hover = [
        [
            f"<b>{x[j]}</b> · {y[i]}<br>{escape(words.count(int(volume[i, j]), 'comment'))}"
            + _negative_hover(share[i, j], words)
            + f"<br>{escape(words.text('heat_owned', themes=words.count(themes[i, j], 'theme')))}"
            for j in range(len(phases))
        ]
        for i in range(len(silos))
    ]
    volume_text = [[words.number(v) if v else "" for v in row] for row in volume]
    negative_text = [["" if np.isnan(v) else words.pct(v / 100) for v in row] for row in negative]
    return {
        "volume": _heatmap(volume, volume_text, x_ticks, y, hover, "Blues", None),
        "negativity": _heatmap(negative, negative_text, x_ticks, y, hover, "Reds", 100),
    }


def _negative_hover(share: float, words: Words) -> str:
    """', 40% negative' after a cell's comment count; nothing where no comment has a sentiment."""
    if np.isnan(share):
        return ""
    return ", " + escape(words.text("heat_negative", share=words.pct(share / 100)))


def _heatmap(z, text, x, y, hover, scale, zmax) -> dict:
    colours = COLOUR_SCALES[scale]
    trace = _trace(
        "heatmap",
        z=[[None if np.isnan(v) else float(v) for v in row] for row in z],
        x=list(range(len(x))),
        y=y,
        text=text,
        texttemplate="%{text}",
        hovertext=hover,
        hoverinfo="text",
        colorscale=[[i / (len(colours) - 1), f"rgb({c})"] for i, c in enumerate(colours)],
        zmin=0,
        zmax=zmax,
        xgap=2,
        ygap=2,
        showscale=False,
    )
    return _figure(
        [trace],
        **_layout(height=150 + 40 * len(y)),
        xaxis={
            "side": "top",
            "tickangle": 0,
            "automargin": True,
            "tickvals": list(range(len(x))),
            "ticktext": x,
            "showgrid": False,
            "zeroline": False,
            "ticks": "",
        },
        yaxis={"autorange": "reversed", "automargin": True, "showgrid": False, "ticks": ""},
        static=True,
    )


def map_figure(
    points: pl.DataFrame, comments: pl.DataFrame, themes: pl.DataFrame, seed: int, words: Words
) -> dict | None:
    """Comments as dots, close when they say similar things, coloured by theme."""
    content = comments.filter(~pl.col("no_content")).select("text", "lang", "theme_label")
    if points.height != content.height or points.is_empty():
        return None
    frame = pl.concat([points.select("theme_id", "x", "y"), content], how="horizontal")
    if frame.height > MAP_POINTS:
        frame = frame.sample(MAP_POINTS, seed=seed)
    named = themes.filter(pl.col("theme_id") != OUTLIER_THEME).sort("size", descending=True)
    coloured = named.get_column("theme_id").head(MAP_COLOURED_THEMES).to_list()
    labels = dict(zip(named.get_column("theme_id"), named.get_column("label"), strict=True))
    groups = [(t, labels[t], PALETTE[i % len(PALETTE)]) for i, t in enumerate(coloured)]
    groups.append(("__other__", words["other_themes"], OTHER_COLOUR))
    groups.append((OUTLIER_THEME, words["not_in_theme"], OUTLIER_COLOUR))
    group_of = pl.col("theme_id").replace_strict(
        {**{t: t for t in coloured}, OUTLIER_THEME: OUTLIER_THEME}, default="__other__"
    )
    frame = frame.with_columns(group_of.alias("_group"))
    traces = []
    for key, label, colour in groups:
        rows = frame.filter(pl.col("_group") == key)
        if rows.is_empty():
            continue
        traces.append(
            _trace(
                "scatter",
                x=rows.get_column("x").round(3).to_list(),
                y=rows.get_column("y").round(3).to_list(),
                mode="markers",
                name=escape(label),
                marker={"color": colour, "size": 7, "opacity": 0.85, "line": {"width": 0}},
                hovertext=[_hover(r) for r in rows.iter_rows(named=True)],
                hoverinfo="text",
            )
        )
    return _figure(
        traces,
        **_layout(height=560),
        xaxis={"visible": False},
        yaxis={"visible": False},
        legend={"itemclick": "toggle", "itemdoubleclick": "toggleothers", "font": {"size": 12}},
    )


def _hover(row: dict) -> str:
    text = shorten(row["text"], 240)
    lines = "<br>".join(escape(line) for line in _wrap(text))
    return f"<b>{escape(row['theme_label'] or '')}</b> · {escape(row['lang'] or '')}<br>{lines}"


def _wrap(text: str) -> list[str]:
    """`textwrap.wrap(text, 60)`. Without a hyphen in the text its hyphen-aware split (a slow
    pattern: 0.07 of the 0.08 CPU s for 3,000 hover texts) finds the chunks its plain split
    finds, so that one is used: 3,000 texts 0.084 -> 0.027 CPU s."""
    return (HOVER_WRAP if "-" in text else HOVER_WRAP_PLAIN).wrap(text)


def trends_figure(trends: pl.DataFrame, themes: pl.DataFrame, words: Words) -> dict | None:
    """Each leading theme's share of the period's comments, period by period; a partial
    period (not every day of it in the data) is an open marker, and its hover says so."""
    if trends.is_empty() or trends.get_column("period").n_unique() < 2:
        return None
    leading = themes.filter(pl.col("theme_id") != OUTLIER_THEME).pipe(fix_order).head(TREND_THEMES)
    kind = trends.get_column("period_kind")[0] if "period_kind" in trends.columns else "period"
    partial = pl.col("partial") if "partial" in trends.columns else pl.lit(False)
    counted = pl.col("period_comments") if "period_comments" in trends.columns else pl.lit(1)
    periods = (
        trends.group_by("period")
        .agg(partial.any().alias("partial"), counted.max().alias("period_comments"))
        .sort("period")
    )
    kind = kind if kind in ("week", "month") else "week"
    hover = escape(
        words.text(
            "trend_hover",
            period=words.text(f"trend_{kind}", date=f"%{{x|{words['plot_date']}}}"),
            partial="%{customdata[1]}",
            share=words.text("percent", value="%{y}"),
            comments="%{customdata[0]}",
        )
    )
    partial_words = escape(words["trend_partial"])
    traces = []
    for index, (theme_id, label) in enumerate(leading.select("theme_id", "label").iter_rows()):
        rows = trends.filter(pl.col("theme_id") == theme_id)
        if rows.is_empty():
            continue
        rows = rows.drop("partial", "period_comments", strict=False)
        rows = periods.join(rows, on="period", how="left")
        # a theme absent from a period with comments had 0 of them; a period without comments
        # (a quiet week) has no share, and the line breaks there rather than cross it
        rows = rows.with_columns(
            pl.when(pl.col("period_comments") == 0)
            .then(None)
            .otherwise(pl.col("share").fill_null(0))
            .alias("share"),
            pl.col("comments").fill_null(0),
        )
        open_marker = rows.get_column("partial").to_list()
        traces.append(
            _trace(
                "scatter",
                x=[str(p) for p in rows.get_column("period")],
                y=(100 * rows.get_column("share")).round(1).to_list(),
                customdata=[
                    [count, partial_words if part else ""]
                    for count, part in zip(rows.get_column("comments"), open_marker, strict=True)
                ],
                mode="lines+markers",
                name=escape(label),
                line={"color": PALETTE[index % len(PALETTE)], "width": 2},
                marker={"symbol": ["circle-open" if part else "circle" for part in open_marker]},
                hovertemplate=f"<b>{escape(label)}</b><br>{hover}<extra></extra>",
            )
        )
    return _figure(
        traces,
        **_layout(height=420),
        yaxis={
            "title": {"text": escape(words[f"trend_axis_{kind}"])},
            "rangemode": "tozero",
            "automargin": True,
        },
        xaxis={"type": "date", "automargin": True},
        hovermode="closest",
    )


def languages_figure(comments: pl.DataFrame, words: Words) -> dict | None:
    """Comments per language, split by sentiment."""
    content = comments.filter(~pl.col("no_content"))
    if content.is_empty():
        return None
    has_sentiment = "sentiment" in content.columns
    sentiment = pl.col("sentiment") if has_sentiment else pl.lit("neu")
    counts = content.group_by("lang", sentiment.alias("sentiment")).len()
    order = counts.group_by("lang").agg(pl.col("len").sum()).sort("len", "lang").get_column("lang")
    comments_word = words.noun(2, "comment")
    traces = []
    for key in ("neg", "neu", "pos"):
        rows = {r["lang"]: r["len"] for r in counts.filter(pl.col("sentiment") == key).to_dicts()}
        if not rows:
            continue
        traces.append(
            _trace(
                "bar",
                y=[escape(words.language(code)) for code in order],
                x=[rows.get(code, 0) for code in order],
                orientation="h",
                name=escape(words[f"sentiment_{key}"] if has_sentiment else comments_word),
                marker={"color": SENTIMENT_COLOURS[key]},
                hovertemplate="%{y}: %{x} " + escape(words[f"sentiment_{key}"]) + "<extra></extra>",
            )
        )
    return _figure(
        traces,
        **_layout(height=110 + 42 * len(order)),
        barmode="stack",
        xaxis={"title": {"text": escape(comments_word)}, "automargin": True},
        yaxis={"automargin": True},
        legend={"orientation": "h", "y": -0.25},
        static=True,
    )


def _layout(height: int) -> dict[str, Any]:
    return {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 30},
        "font": {"family": FONT, "size": 13, "color": "#1f2933"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"align": "left"},
    }


def _trace(kind: str, **properties: Any) -> dict:
    """A trace as plotly writes it: properties by name at every level, unset ones left out,
    `type` last."""
    return {**_by_name(properties), "type": kind}


def _by_name(properties: dict) -> dict:
    return {
        key: _by_name(value) if isinstance(value, dict) else value
        for key, value in sorted(properties.items())
        if value is not None
    }


def _figure(traces: list[dict], static: bool = False, **layout: Any) -> dict:
    """A figure as plotly's `update_layout` and `to_json` write it, without a template: the
    layout's nested objects first, then its other properties, each in the order given;
    `static` hides plotly's zoom and pan buttons where they do not help."""
    return {
        "data": traces,
        "layout": _objects_first(layout),
        "config": {"displayModeBar": False} if static else {},
    }


def _objects_first(properties: dict) -> dict:
    nested = {k: _objects_first(v) for k, v in properties.items() if isinstance(v, dict)}
    return nested | {k: v for k, v in properties.items() if not isinstance(v, dict)}
