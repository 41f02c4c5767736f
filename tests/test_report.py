"""report.html as a CX team opens it: offline, in a real browser, hostile comments as plain text.

One real run of 100 demo comments plus hostile ones (`hostile_run`) is opened in headless
Chromium with every network path closed; the DevTools protocol reports console errors,
exceptions, requests and dialogs. Set CXTEXT_REPORT_SCREENSHOT=PATH to keep the screenshot.
"""

from __future__ import annotations

import csv
import json
import os
import re
import zipfile
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from cxtext.outputs.exports import export_run, report_run
from cxtext.outputs.journey_json import validate_journey
from cxtext.outputs.report import render_report
from tests.browser import Browser, find_browser
from tests.support import DEMO_CORPUS, DemoRun, analyze_demo

HOSTILE_ROWS = 100
HOSTILE = {
    "x-script": '<script>alert("pwned")</script> jeres hjemmeside er helt død, ring mig',
    "x-formula": '=HYPERLINK("http://evil.example/steal","Klik her for rabat")',
    "x-at": "@SUM(1+1) fakturaen er forkert igen, tredje måned i træk",
    "x-minus": "-2+3 kr ekstra på regningen hver måned, hvorfor?",
    "x-plus": "+45 ring til mig, jeres app logger mig ud hele tiden",
    "<img src=x onerror=alert(1)>": "Appen <img src=x onerror=alert(1)> crasher, kontakt mig",
}
FORMULA_IDS = ["x-formula", "x-at", "x-minus", "x-plus"]


@dataclass(frozen=True)
class HostileRun:
    out: Path
    store: Path


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> HostileRun:
    """100 demo comments plus script, HTML and formula comments, analysed with a store."""
    folder = tmp_path_factory.mktemp("hostile")
    with DEMO_CORPUS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    source = folder / "hostile.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows(rows[: HOSTILE_ROWS + 1])
        for index, (comment_id, text) in enumerate(HOSTILE.items()):
            segment = "<b>vip</b>" if index == 0 else "private"
            writer.writerow([comment_id, f"2026-03-0{index + 1}", "1", segment, "web", text])
    out, store = folder / "out", folder / "runs.duckdb"
    analyze_demo(source, out, store=store)
    return HostileRun(out, store)


class PageParser(HTMLParser):
    """Tags, attributes and visible text of a page; script and style bodies kept apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in is None:
            self.text.append(data)


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_run_writes_the_report_and_the_tool_exports(hostile_run: HostileRun) -> None:
    for name in ("report.html", "journey.json", "journey_metrics.csv", "map.parquet"):
        assert (hostile_run.out / name).is_file(), name
    content = pl.read_parquet(hostile_run.out / "comments.parquet").filter(~pl.col("no_content"))
    points = pl.read_parquet(hostile_run.out / "map.parquet")
    assert points.get_column("id").to_list() == content.get_column("id").to_list()
    assert points.select(pl.col("x", "y").is_finite().all()).row(0) == (True, True)


def test_report_is_one_self_contained_file(hostile_run: HostileRun) -> None:
    page = parse(hostile_run.out / "report.html")
    assert [t for t, a in page.tags if t in ("link", "iframe", "img", "object", "embed")] == []
    assert all("src" not in attrs for _, attrs in page.tags), "nothing may be loaded from a URL"
    hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert hrefs and all(href.startswith("#") for href in hrefs)
    policy = next(
        a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    assert "Plotly" in max(page.scripts, key=len)  # the charting library is inlined


def test_hostile_comments_are_plain_text_in_the_report(hostile_run: HostileRun) -> None:
    page = parse(hostile_run.out / "report.html")
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert len(scripts) == 3  # chart data (JSON), plotly, the report's own script
    text = " ".join(page.text)
    assert HOSTILE["x-script"] in text  # shown as typed in follow-up (asks for contact)
    assert "onerror=alert(1)" in text
    html = (hostile_run.out / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    data = next(s for s in page.scripts if s.lstrip().startswith("{"))
    assert "<" not in data  # in JSON inside <script> every < is \u003c
    assert json.loads(data)["codes"]["t"]


def test_report_renders_offline_in_headless_chromium(
    hostile_run: HostileRun, tmp_path: Path
) -> None:
    executable = find_browser()
    if executable is None:
        pytest.skip("chromium is not installed and could not be: `make browser` installs it")
    screenshot = Path(os.environ.get("CXTEXT_REPORT_SCREENSHOT") or tmp_path / "report.png")
    browser = Browser(executable)
    try:
        visit = browser.visit(hostile_run.out / "report.html", READY, CHECKS, screenshot)
    finally:
        browser.close()
    assert visit.errors == [], visit.errors
    assert visit.dialogs == []  # no alert() from a comment ever ran
    assert [u for u in visit.requests if not u.startswith(("file:", "data:", "blob:"))] == []
    checks = visit.checks
    assert checks["fixes"] == 5
    assert all(checks["fixQuotes"]) and all(checks["owners"])
    assert checks["heatmaps"] == 2 and checks["heatmapCells"] > 0
    assert checks["hostileShown"] and checks["images"] == 0
    assert checks["themeRows"] > 5 and checks["charts"] >= 4
    assert checks["filteredCount"] == checks["languageComments"] > 0  # the filter recounts
    # theme groups start closed and open to their themes when clicked; each theme in one group
    assert 2 <= checks["groups"] < len(checks["tableThemes"])
    assert set(checks["closedShown"]) == {0}
    assert checks["openShown"] == checks["groupSizes"] and min(checks["groupSizes"]) >= 1
    assert sorted(checks["groupThemes"]) == sorted(checks["tableThemes"])
    assert screenshot.stat().st_size > 50_000
    print(f"screenshot: {screenshot}")


def test_hostile_cells_are_inert_in_csv_and_xlsx(hostile_run: HostileRun, tmp_path: Path) -> None:
    comments = pl.read_csv(hostile_run.out / "comments.csv", infer_schema=False)
    shown = dict(zip(comments.get_column("id"), comments.get_column("text"), strict=True))
    for comment_id in FORMULA_IDS:
        assert shown[comment_id] == "'" + HOSTILE[comment_id]
    workbook_path = export_run(hostile_run.out, "xlsx", tmp_path / "run.xlsx")
    from openpyxl import load_workbook

    workbook = load_workbook(workbook_path)
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for comment_id in FORMULA_IDS:
        assert "'" + HOSTILE[comment_id] in texts
        assert HOSTILE[comment_id] not in texts
    assert HOSTILE["x-script"] in texts  # not a formula: kept exactly
    with zipfile.ZipFile(workbook_path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(name) for name in sheets)


def test_journey_json_of_the_run_validates(hostile_run: HostileRun) -> None:
    document = json.loads((hostile_run.out / "journey.json").read_text(encoding="utf-8"))
    validate_journey(document)
    assert document["schema_version"] == "1.2"


def test_report_is_redrawn_the_same_from_the_run_folder(
    hostile_run: HostileRun, tmp_path: Path
) -> None:
    again = report_run(hostile_run.out, tmp_path / "again.html")
    assert again.read_bytes() == (hostile_run.out / "report.html").read_bytes()


def test_a_run_without_dates_scores_or_segments_still_reports(demo_run: DemoRun) -> None:
    result = demo_run.result
    columns = {**result.run["columns"], "date": None, "score": None, "segment": None}
    bare = replace(
        result,
        run={**result.run, "columns": columns},
        themes=result.themes.with_columns(pl.lit(None, pl.Float64).alias("impact")),
        tables={"ownership": result.tables["ownership"]},
        documents={},
    )
    page = render_report(bare)
    assert 'id="plot-trends"' not in page and 'id="plot-map"' not in page
    assert "Fix these first" in page and 'kpi-label">NPS<' not in page
    assert re.search(r"languages,\s+grouped into", page)  # no stray space before the comma
    assert "−0.0<" not in page and "+0.0<" not in page  # a rounded zero impact reads 0.0
    assert "costs in score" not in page  # no score column: the ranking has no impact part
    assert "costs in score" in render_report(result)


def test_store_holds_the_run(hostile_run: HostileRun) -> None:
    import duckdb

    with duckdb.connect(str(hostile_run.store), read_only=True) as store:
        (runs,) = store.execute("SELECT count(*) FROM runs").fetchone()
        (text,) = store.execute(
            "SELECT text FROM comments WHERE comment_id = 'x-script'"
        ).fetchone()
        per_theme = dict(store.execute("SELECT theme_id, size FROM themes").fetchall())
        assigned = dict(
            store.execute(
                "SELECT theme_id, count(*) FROM assignments WHERE theme_id <> '-1' "
                "AND NOT (SELECT no_content FROM comments c WHERE c.run_id = assignments.run_id "
                "AND c.comment_row = assignments.comment_row) GROUP BY theme_id"
            ).fetchall()
        )
    assert runs == 1
    assert text == HOSTILE["x-script"]
    assert {t: n for t, n in per_theme.items() if t != "-1"} == assigned


READY = (
    "typeof Plotly !== 'undefined' && "
    "document.querySelectorAll('#heatmap-volume .main-svg, #heatmap-negativity .main-svg')"
    ".length >= 2"
)
CHECKS = """(() => {
  const all = (selector) => [...document.querySelectorAll(selector)];
  const select = document.getElementById('filter-lang');
  select.value = '0';
  select.dispatchEvent(new Event('input'));
  const codes = JSON.parse(document.getElementById('cx-data').textContent).codes;
  const filteredCount = all('#theme-table tbody tr:not([hidden]) .c-count')
    .reduce((n, cell) => n + Number(cell.textContent), 0);
  const languageComments = codes.l
    .filter((l, i) => l === 0 && codes.t[i] >= 0 && codes.themes[codes.t[i]] !== '-1').length;
  select.value = '';
  select.dispatchEvent(new Event('input'));
  const fixes = all('#fix .fix');
  const groups = all('#groups details.group');
  const shown = (group) => [...group.querySelectorAll('li')].filter(
    (li) => li.checkVisibility()).length;
  const closedShown = groups.map(shown);
  groups.forEach((group) => group.querySelector('summary').click());
  const groupThemes = groups.flatMap((group) =>
    [...group.querySelectorAll('li strong')].map((theme) => theme.textContent));
  return {
    groups: groups.length,
    closedShown,
    openShown: groups.map(shown),
    groupSizes: groups.map((group) => group.querySelectorAll('li').length),
    groupThemes,
    tableThemes: all('#theme-table tbody .theme-cell').map((cell) => cell.dataset.value),
    fixes: fixes.length,
    fixQuotes: fixes.map((fix) => fix.querySelectorAll('blockquote').length > 0),
    owners: fixes.map((fix) => fix.querySelector('.badge.owner') !== null),
    heatmaps: all('#heatmap-volume .heatmaplayer, #heatmap-negativity .heatmaplayer').length,
    heatmapCells: all('#heatmap-volume .heatmaplayer text').length,
    charts: all('.js-plotly-plot').length,
    themeRows: all('#theme-table tbody tr:not([hidden])').length,
    hostileShown: document.body.innerText.includes('<script>alert("pwned")</script>'),
    images: all('img').length,
    filteredCount,
    languageComments,
  };
})()"""
