"""The terminal's fix list quotes each fix as report.html's card does: by a complaint close to
the theme, not by the theme's first example (which may be praise, or about something else)."""

from __future__ import annotations

import polars as pl

from cxtext.outputs.report.names import run_names
from cxtext.summary import fix_quotes, top_fixes_lines, top_fixes_table
from cxtext.wording import shorten
from tests.support import DemoRun


def test_each_fix_is_quoted_by_a_complaint_of_its_own_theme(demo_run: DemoRun) -> None:
    result = demo_run.result
    quotes = fix_quotes(result)
    lines = top_fixes_lines(result.themes, quotes)
    ranked = result.themes.filter(pl.col("rank").is_not_null()).sort("rank").head(5)
    assert ranked.height >= 3
    for theme_id in ranked.get_column("theme_id"):
        quote = quotes[theme_id]
        source = result.comments.filter(
            (pl.col("theme_id") == theme_id) & (pl.col("text") == quote)
        )
        assert source.height >= 1 and source.get_column("sentiment")[0] == "neg"
        assert f'   "{shorten(quote, 89)}"' in lines


def test_praise_as_a_themes_first_example_never_quotes_a_fix(demo_run: DemoRun) -> None:
    """A theme's first example is chosen by closeness alone, whatever its sentiment: on 2,856
    Swedish and Danish reviews a fix was once quoted by "Tog lite lång tid att få men väl värt
    att vänta på?" (worth the wait), and "Unhelpful staff" by a comment about a product photo."""
    result = demo_run.result
    praise = "Tak for en god og hurtig service, alt var perfekt"
    themes = result.themes.with_columns(examples=pl.lit([praise]))
    lines = top_fixes_lines(themes, fix_quotes(result))
    assert not [line for line in lines if praise in line]
    assert len([line for line in lines if line.startswith('   "')]) >= 3


def test_fixes_name_owner_phase_and_kano_as_the_report_does(demo_run: DemoRun) -> None:
    """The terminal printed ids ('customer_service', 'get_help', 'basic') where report.html
    prints the taxonomy's names ('Customer service', 'Get help', 'Basic')."""
    result = demo_run.result
    names = run_names(result.run)
    lines = top_fixes_lines(result.themes, fix_quotes(result), names)
    ranked = result.themes.filter(pl.col("rank").is_not_null()).sort("rank").head(5)
    for line, row in zip(lines[1::2], ranked.iter_rows(named=True), strict=True):
        kano = names.kano_class(row["kano"]).split(" (")[0]
        assert (
            f" · owner {names.silo(row['silo'])} · {names.phase(row['phase'])} · {kano} · " in line
        )
        assert not [key for key in (row["silo"], row["phase"]) if "_" in key and key in line]


def test_a_danish_run_lists_its_fixes_in_the_reports_danish(demo_run: DemoRun) -> None:
    """With --label-language da the terminal read "1. Kan ikke ringe til os · owner
    Kundeservice · Få hjælp · Basiskrav · 10 comments, 90% negative, impact +0.0": English
    words between Danish names. The fix list now uses the report's words for the language."""
    result = demo_run.result
    names = run_names({**result.run, "label_language_used": "da"})
    lines = top_fixes_lines(result.themes, fix_quotes(result), names)
    ranked = result.themes.filter(pl.col("rank").is_not_null()).sort("rank").head(5)
    assert lines[0] == "[bold]Ret dette først[/]"
    for line, row in zip(lines[1::2], ranked.iter_rows(named=True), strict=True):
        assert f" · Ejer: {names.silo(row['silo'])} · {names.phase(row['phase'])} · " in line
        assert f" · {names.words.count(row['size'], 'comment')}" in line
        assert f", {names.words.pct(row['negative_share'])} negative" in line
        assert not [word for word in (" owner ", " comments", "impact ", "%,") if word in line]
    headers = [column.header for column in top_fixes_table(result.themes, None, names).columns]
    assert headers[1:3] == ["tema", "ejer"] and headers[-1] == "kunden siger"
