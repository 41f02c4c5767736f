"""report.html as a CX lead reads it in headless Chromium: the fix list first, each fix with its
owner and the reason for its rank, nothing cut off at laptop or narrow widths, the main list
without JavaScript, and a printout that is dark text on white.

The page is the demo subset's real run (`demo_run`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import Browser, find_browser
from tests.support import DemoRun

FIRST_SCREEN = 900  # px: a laptop window's height
CHARTS_DRAWN = "document.querySelectorAll('#heatmap-volume .main-svg').length > 0"
LOADED = "document.readyState === 'complete'"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = find_browser()
    if executable is None:
        pytest.skip("chromium is not installed and could not be: `make browser` installs it")
    browser = Browser(executable)
    yield browser
    browser.close()


def test_the_fix_list_comes_first_and_each_fix_shows_owner_phase_size_and_why(
    browser: Browser, demo_run: DemoRun
) -> None:
    tab = browser.open(demo_run.out / "report.html", width=1366)
    assert browser.wait(tab, CHARTS_DRAWN)
    page = browser.evaluate(tab, FIXES)
    browser.close_page(tab)
    assert page["firstHeading"] == "Fix these first"
    assert 3 <= len(page["fixes"]) <= 5
    assert page["fixes"][0]["top"] < FIRST_SCREEN  # the first fix is on the first screen
    for rank, fix in enumerate(page["fixes"], start=1):
        assert fix["owner"].startswith("Owner: ") and len(fix["owner"]) > len("Owner: ")
        assert fix["phase"] and fix["quotes"] >= 1
        assert "comment" in fix["stats"] and "negative" in fix["stats"]
        assert fix["why"].startswith(f"Why #{rank}:") and "complaints" in fix["why"]
        assert "Kano weight" in fix["why"] and "priority" in fix["why"]


@pytest.mark.parametrize("width", [1280, 800])
def test_nothing_is_cut_off_at_laptop_and_narrow_widths(
    browser: Browser, demo_run: DemoRun, width: int
) -> None:
    tab = browser.open(demo_run.out / "report.html", width=width)
    assert browser.wait(tab, CHARTS_DRAWN)
    page = browser.evaluate(tab, FITS)
    browser.close_page(tab)
    assert page["pageWidth"] <= width
    assert page["tablesWiderThanBox"] == [0] * len(page["tablesWiderThanBox"])
    # the theme table's size, negativity and quote columns are in view, not scrolled away
    assert page["hiddenColumns"] == []


def test_the_fixes_and_theme_table_read_without_javascript(
    browser: Browser, demo_run: DemoRun
) -> None:
    tab = browser.open(demo_run.out / "report.html", scripts=False)
    assert browser.wait(tab, LOADED)
    page = browser.evaluate(tab, WITHOUT_SCRIPTS)
    browser.close_page(tab)
    assert page["plotlyRan"] is False
    assert page["fixes"] >= 3 and page["fixesWithQuotes"] == page["fixes"]
    themes = demo_run.result.themes.height
    assert page["themeRows"] == themes
    # every theme with evidence shows a quote, and its other quotes one click away
    assert page["rowsWithQuote"] == page["rowsWithEvidence"] > themes // 2
    assert page["moreQuotes"] > 0
    assert page["chartNotes"] == page["charts"] > 0  # an empty chart box says why it is empty


def test_the_printout_is_dark_on_white_with_each_themes_quote(
    browser: Browser, demo_run: DemoRun
) -> None:
    tab = browser.open(demo_run.out / "report.html", media="print")
    assert browser.wait(tab, CHARTS_DRAWN)
    page = browser.evaluate(tab, PRINTED)
    browser.close_page(tab)
    # browsers print no backgrounds: white text on the dark screen header would vanish
    assert page["dark"] == {name: True for name in page["dark"]}
    assert page["shown"] == {"nav": False, "filters": False}
    assert page["scrollBoxes"] == ["none"] * len(page["scrollBoxes"])
    assert page["rowsWithQuote"] == page["rowsWithEvidence"] > 0
    assert page["clickables"] == 0  # no "N more" toggles on paper


FIXES = """(() => {
  const text = (element) => element ? element.textContent.replace(/\\s+/g, ' ').trim() : '';
  return {
    firstHeading: text(document.querySelector('main h2')),
    fixes: [...document.querySelectorAll('#fix .fix')].map((fix) => ({
      top: fix.getBoundingClientRect().top,
      owner: text(fix.querySelector('.badge.owner')),
      phase: text(fix.querySelector('.badge.phase')),
      stats: text(fix.querySelector('.fix-stats')),
      why: text(fix.querySelector('.why')),
      quotes: fix.querySelectorAll('blockquote').length,
    })),
  };
})()"""

FITS = """(() => {
  const wraps = [...document.querySelectorAll('.table-wrap')];
  const box = document.querySelector('#theme-table').parentElement.getBoundingClientRect();
  const row = document.querySelector('#theme-table tbody tr');
  const wanted = { 'c-count': 'comments', 'c-negative': 'negative', 'quote-cell': 'quote' };
  return {
    pageWidth: document.documentElement.scrollWidth,
    tablesWiderThanBox: wraps.map((wrap) => Math.max(0, wrap.scrollWidth - wrap.clientWidth)),
    hiddenColumns: Object.keys(wanted).filter((name) => {
      const cell = row.querySelector('.' + name).getBoundingClientRect();
      return cell.width === 0 || cell.right > box.right + 1;
    }).map((name) => wanted[name]),
  };
})()"""

WITHOUT_SCRIPTS = """(() => {
  const rows = [...document.querySelectorAll('#theme-table tbody tr')];
  const visible = (element) => element.checkVisibility();
  const fixes = [...document.querySelectorAll('#fix .fix')].filter(visible);
  const plots = [...document.querySelectorAll('.plot')];
  return {
    plotlyRan: document.querySelectorAll('.js-plotly-plot').length > 0,
    fixes: fixes.length,
    fixesWithQuotes: fixes.filter((fix) => fix.querySelector('blockquote')).length,
    themeRows: rows.filter(visible).length,
    rowsWithEvidence: rows.filter((row) => row.querySelector('.quote-cell q')).length,
    rowsWithQuote: rows.filter((row) => {
      const quote = row.querySelector('.quote-cell q');
      return quote && visible(quote) && quote.textContent.trim().length > 0;
    }).length,
    moreQuotes: document.querySelectorAll('#theme-table details.more-quotes q').length,
    charts: plots.length,
    chartNotes: plots.filter((plot) => {
      const note = plot.querySelector('.noscript');
      return note && visible(note) && note.textContent.trim().length > 0;
    }).length,
  };
})()"""

PRINTED = """(() => {
  const dark = (selector) => {
    const element = document.querySelector(selector);
    if (!element) return true;
    const [r, g, b] = getComputedStyle(element).color.match(/\\d+/g).map(Number);
    return 0.299 * r + 0.587 * g + 0.114 * b < 110;
  };
  const shown = (selector) => document.querySelector(selector).checkVisibility();
  const rows = [...document.querySelectorAll('#theme-table tbody tr')];
  return {
    dark: Object.fromEntries(['h1', '.lede', '.kpi-value', '.kpi-label', '.fix-rank',
      '#fix .badge.owner', '#theme-table .badge.owner'].map((s) => [s, dark(s)])),
    shown: { nav: shown('.nav'), filters: shown('.filters') },
    scrollBoxes: [...document.querySelectorAll('.table-wrap')]
      .map((wrap) => getComputedStyle(wrap).maxHeight),
    rowsWithEvidence: rows.filter((row) => row.querySelector('.quote-cell q')).length,
    rowsWithQuote: rows.filter((row) => {
      const quote = row.querySelector('.quote-cell q');
      return quote && quote.checkVisibility();
    }).length,
    clickables: [...document.querySelectorAll('.more-quotes summary')]
      .filter((summary) => summary.checkVisibility()).length,
  };
})()"""


@pytest.mark.parametrize("width", [1366, 800])
def test_the_follow_up_list_breaks_no_id_owner_or_theme_word(
    browser: Browser, demo_run: DemoRun, width: int
) -> None:
    """Every cell broke anywhere, so the long comment took the width and the id, owner and
    theme columns shrank to a few letters a line ("16/67/70/01", "Operati/ons"): a CX lead
    could not read whom to call or which team owns the reply."""
    tab = browser.open(demo_run.out / "report.html", width=width)
    assert browser.wait(tab, LOADED)
    page = browser.evaluate(tab, FOLLOW_UP_WORDS)
    browser.close_page(tab)
    assert page["rows"] > 0
    assert page["brokenWords"] == []


FOLLOW_UP_WORDS = """(() => {
  const rows = [...document.querySelectorAll('#follow-up-table tbody tr')];
  const broken = [];
  for (const row of rows) {
    for (const cell of [...row.cells].slice(0, 4)) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      let node;
      while ((node = walker.nextNode())) {
        for (const word of node.data.matchAll(/\\S+/g)) {
          const range = document.createRange();
          range.setStart(node, word.index);
          range.setEnd(node, word.index + word[0].length);
          if (range.getClientRects().length > 1) broken.push(word[0]);
        }
      }
    }
  }
  return { rows: rows.length, brokenWords: broken };
})()"""
