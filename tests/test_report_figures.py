"""The report's figures, written without plotly's Python package, are what plotly writes for
the same traces and layout: the same properties in the same order, named colour scales
expanded as plotly expands them."""

from __future__ import annotations

import json
import textwrap

import numpy as np
import plotly.graph_objects as go
import pytest

from cxtext.io.load import load_map
from cxtext.outputs.report import charts
from cxtext.outputs.report.names import run_names
from cxtext.outputs.report.render import _figures
from tests.support import DemoRun, demo_rows


def demo_texts() -> list[str]:
    return [row["comment"] for row in demo_rows(count=10_000)]


def through_plotly(figure: dict) -> dict:
    """`figure` built again with plotly (traces added, layout updated) and written as JSON."""
    built = go.Figure()
    for trace in figure["data"]:
        properties = {k: v for k, v in trace.items() if k != "type"}
        built.add_trace(
            getattr(go, {"heatmap": "Heatmap", "scatter": "Scatter", "bar": "Bar"}[trace["type"]])(
                **properties
            )
        )
    built.update_layout(**figure["layout"])
    data = json.loads(built.to_json())
    data["layout"].pop("template", None)
    return {**data, "config": figure["config"]}


def test_every_figure_of_a_run_is_written_as_plotly_writes_it(demo_run: DemoRun) -> None:
    result = demo_run.result
    figures = _figures(result, run_names(result.run), load_map(demo_run.out))
    assert {k for k, v in figures.items() if v} >= {"heatmap-volume", "plot-map", "plot-trends"}
    for key, figure in figures.items():
        if figure is not None:
            want = json.dumps(through_plotly(figure), ensure_ascii=False)
            assert json.dumps(figure, ensure_ascii=False) == want, key


@pytest.mark.parametrize("scale", sorted(charts.COLOUR_SCALES))
def test_colour_scales_are_plotlys(scale: str) -> None:
    heatmap = json.loads(go.Figure(go.Heatmap(z=[[1]], colorscale=scale)).to_json())
    figure = charts._heatmap(np.ones((1, 1)), [["1"]], ["a"], ["b"], [["c"]], scale, None)
    assert figure["data"][0]["colorscale"] == heatmap["data"][0]["colorscale"]


def test_negativity_is_coloured_only_where_enough_comments_fall(demo_run: DemoRun) -> None:
    ownership = demo_run.result.tables["ownership"]
    heatmaps = charts.heatmap_figures(ownership, run_names(demo_run.result.run))
    volume = heatmaps["volume"]["data"][0]
    negativity = heatmaps["negativity"]["data"][0]
    cells = [
        (count, share, hover)
        for counts, shares, hovers in zip(
            volume["z"], negativity["z"], negativity["hovertext"], strict=True
        )
        for count, share, hover in zip(counts, shares, hovers, strict=True)
        if count
    ]
    few = [cell for cell in cells if cell[0] < charts.MIN_NEGATIVITY_COMMENTS]
    assert few and len(few) < len(cells)  # the demo subset has both kinds of cell
    assert all(share is None for _, share, _ in few)
    assert all(share is not None for count, share, _ in cells if count >= 5)
    assert all("% negative" in hover for _, _, hover in cells)  # hovering still tells


def test_hover_texts_wrap_as_textwrap_wraps_them() -> None:
    """The map's hover lines are `textwrap.wrap(text, 60)`'s, with and without hyphens, tabs,
    other whitespace, long words and dashes, on real comments cut as the map cuts them."""
    shaped = [
        "",
        "   ",
        "  leading spaces kept on the first line " + "word " * 20,
        "tab\there\nnew line\r\nand\x0bvertical\x0cfeed " * 4,
        "e-post och SMS-kod -- och en lång-lång-lång-lång-lång-lång-lång-lång-lång-rad " * 3,
        "a" * 130 + " " + "b" * 59 + " c",
        "no\xa0break\u3000spaces " * 10,
        "trailing spaces          ",
    ]
    texts = [text if len(text) <= 240 else text[:239] + "…" for text in demo_texts()]
    assert any("-" in text for text in texts)
    for text in shaped + texts:
        assert charts._wrap(text) == textwrap.wrap(text, 60), text
