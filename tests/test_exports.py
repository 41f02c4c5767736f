"""Exports for journey tools, spreadsheets and BI, from the session's demo run and its folder."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import jsonschema
import polars as pl
import pytest
from openpyxl import load_workbook

from cxtext.errors import InputError
from cxtext.io.contract import OUTLIER_THEME
from cxtext.io.load import load_run, restore_formulas
from cxtext.io.spreadsheet import neutralise_formulas
from cxtext.outputs.exports import export_run
from cxtext.outputs.facts import run_facts
from cxtext.outputs.journey_json import journey_document, validate_journey
from cxtext.outputs.journey_metrics import journey_metrics
from cxtext.outputs.report import render_report
from cxtext.outputs.report.words import report_words
from cxtext.outputs.store import write_store
from cxtext.outputs.xlsx import run_sheets, write_sheets, write_xlsx
from tests.support import HOSTILE_COMMENT, DemoRun, run_cli


@pytest.fixture(scope="module")
def journey(demo_run: DemoRun) -> dict:
    return json.loads((demo_run.out / "journey.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def metrics(demo_run: DemoRun) -> pl.DataFrame:
    return pl.read_csv(demo_run.out / "journey_metrics.csv", infer_schema_length=None)


def journey_themes(document: dict) -> list[dict]:
    return [
        theme
        for phase in document["phases"]
        for point in phase["touchpoints"]
        for theme in point["themes"]
    ]


def test_journey_json_validates_against_its_schema(journey: dict) -> None:
    validate_journey(journey)
    assert journey["schema_version"] == "1.2"
    assert journey["generator"]["name"] == "cxtext"


def test_every_theme_sits_once_in_its_phase_with_owner_and_quotes(
    demo_run: DemoRun, journey: dict
) -> None:
    themes = demo_run.result.themes.filter(pl.col("theme_id") != OUTLIER_THEME)
    placed = journey_themes(journey)
    assert sorted(t["id"] for t in placed) == sorted(themes.get_column("theme_id").to_list())
    phase_of = dict(zip(themes.get_column("theme_id"), themes.get_column("phase"), strict=True))
    comments = demo_run.result.comments
    for phase in journey["phases"]:
        for point in phase["touchpoints"]:
            assert point["id"] == f"{phase['id']}/{point['channel']}"
            for theme in point["themes"]:
                assert phase_of[theme["id"]] == phase["id"]
                assert theme["owner"]["silo"] and 1 <= len(theme["quotes"]) <= 5
                members = comments.filter(pl.col("theme_id") == theme["id"])
                assert {q["text"] for q in theme["quotes"]} <= set(members.get_column("text"))
    assert [p["order"] for p in journey["phases"]] == list(range(1, len(journey["phases"]) + 1))
    assert journey["phases"][0]["id"] == "discover"  # the journey's order, not the alphabet


def test_the_schema_rejects_what_tools_could_not_import(journey: dict) -> None:
    broken = json.loads(json.dumps(journey))
    del broken["schema_version"]
    with pytest.raises(jsonschema.ValidationError):
        validate_journey(broken)
    broken = json.loads(json.dumps(journey))
    theme = journey_themes(broken)[0]
    theme["quotes"] = theme["quotes"] * 6
    with pytest.raises(jsonschema.ValidationError):
        validate_journey(broken)


def test_metrics_csv_is_one_dated_value_per_row(metrics: pl.DataFrame) -> None:
    assert metrics.columns[:3] == ["date", "metric", "value"]
    assert metrics.get_column("date").str.to_date().null_count() == 0
    assert set(metrics.get_column("metric")) == {"volume", "negative_percent", "nps"}
    shares = metrics.filter(pl.col("metric") == "negative_percent").get_column("value")
    assert shares.min() >= 0 and shares.max() <= 100 and shares.max() > 1  # percent, not 0-1
    units = dict(metrics.select("metric", "unit").unique().iter_rows())
    assert units == {"volume": "comments", "negative_percent": "percent", "nps": "nps_points"}
    nps = metrics.filter(pl.col("metric") == "nps").get_column("value")
    assert nps.min() >= -100 and nps.max() <= 100


def test_metric_volumes_add_up_to_the_themes(demo_run: DemoRun, metrics: pl.DataFrame) -> None:
    volumes = metrics.filter((pl.col("metric") == "volume") & (pl.col("level") == "theme"))
    per_theme = volumes.group_by("theme_id").agg(pl.col("value").sum().cast(pl.Int64))
    sizes = demo_run.result.themes.filter(pl.col("theme_id") != OUTLIER_THEME)
    assert dict(per_theme.iter_rows()) == dict(sizes.select("theme_id", "size").iter_rows())
    per_phase = metrics.filter((pl.col("metric") == "volume") & (pl.col("level") == "phase"))
    assert per_phase.get_column("value").sum() == volumes.get_column("value").sum()


def test_without_dates_every_value_is_dated_by_the_export(demo_run: DemoRun) -> None:
    result = demo_run.result
    undated = replace(
        result, run={**result.run, "columns": {**result.run["columns"], "date": None}}
    )
    frame = journey_metrics(undated, today=date(2026, 5, 1))
    assert set(frame.get_column("date")) == {"2026-05-01"}
    assert set(frame.get_column("period")) == {"run"}


def test_scores_from_one_to_five_give_csat(demo_run: DemoRun) -> None:
    result = demo_run.result
    stars = result.comments.with_columns(
        (pl.int_range(pl.len()) % 5 + 1).cast(pl.String).alias("score")
    )
    unknown = {**result.run["columns"], "score_scale": None}  # read from the scores
    frame = journey_metrics(replace(result, comments=stars, run={**result.run, "columns": unknown}))
    csat = frame.filter(pl.col("metric") == "csat").get_column("value")
    assert len(csat) and csat.min() >= 0 and csat.max() <= 100
    assert set(frame.filter(pl.col("metric") == "csat").get_column("unit")) == {"percent"}
    assert "nps" not in set(frame.get_column("metric"))


def test_report_and_journey_export_name_the_score_metric_alike(demo_run: DemoRun) -> None:
    """One set of run facts: journey.json's `run` and the report's headline agree, for an NPS
    run and for the same run with 1-5 ratings (CSAT: the share of 4-5 answers)."""
    result = demo_run.result
    stars = result.comments.with_columns(
        (pl.int_range(pl.len()) % 5 + 1).cast(pl.String).alias("score")
    )
    rated = replace(
        result,
        comments=stars,
        run={**result.run, "columns": {**result.run["columns"], "score_scale": None}},
    )
    seen = []
    for run in (result, rated):
        facts = run_facts(run)
        assert journey_document(run)["run"]["score_metric"] == facts["score_metric"]
        label = report_words("en")[f"score_{facts['score_metric']}"]
        assert f'<span class="kpi-label">{label}</span>' in render_report(run)
        seen.append(facts["score_metric"])
    assert seen == ["nps", "csat"]
    ratings = stars.get_column("score").cast(pl.Int64)
    assert run_facts(rated)["score_value"] == round(100 * float((ratings >= 4).mean()), 1)


def test_a_run_folder_loads_back_into_the_same_result(demo_run: DemoRun) -> None:
    loaded, result = load_run(demo_run.out), demo_run.result
    assert loaded.comments.equals(result.comments)
    assert loaded.themes.columns == result.themes.columns
    for column in ("theme_id", "label", "examples", "rank", "priority", "keywords"):
        assert (
            loaded.themes.get_column(column).to_list() == result.themes.get_column(column).to_list()
        )
    assert set(loaded.tables) == set(result.tables)
    follow_up = loaded.tables["follow_up"]
    assert (
        follow_up.get_column("text").to_list()
        == result.tables["follow_up"].get_column("text").to_list()
    )  # the formula guard of follow_up.csv is taken off again
    assert loaded.documents == json.loads(json.dumps(result.documents, default=str))
    assert journey_document(loaded) == journey_document(result)


def test_a_finished_run_exports_to_every_format(demo_run: DemoRun, tmp_path: Path) -> None:
    for to, name in [
        ("journey-json", "j.json"),
        ("metrics-csv", "m.csv"),
        ("xlsx", "w.xlsx"),
        ("duckdb", "s.duckdb"),
    ]:
        assert export_run(demo_run.out, to, tmp_path / name).stat().st_size > 0
    validate_journey(json.loads((tmp_path / "j.json").read_text(encoding="utf-8")))
    assert (tmp_path / "m.csv").read_bytes() == (demo_run.out / "journey_metrics.csv").read_bytes()
    sheets = load_workbook(tmp_path / "w.xlsx", read_only=True).sheetnames
    assert sheets[:3] == ["Fix first", "Themes", "Comments"] and "Metrics" in sheets


def test_export_and_report_commands(demo_run: DemoRun, tmp_path: Path) -> None:
    done = run_cli("export", str(demo_run.out), "--to", "journey-json", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "journey.json").read_bytes() == (demo_run.out / "journey.json").read_bytes()
    done = run_cli("report", str(demo_run.out), "-o", str(tmp_path / "r.html"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r.html").read_bytes() == (demo_run.out / "report.html").read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "pdf"], "unknown export 'pdf'"),
        (["--to", "duckdb"], "needs --output"),
    ],
)
def test_export_mistakes_are_one_clear_line(demo_run: DemoRun, args, message) -> None:
    done = run_cli("export", str(demo_run.out), *args)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("cxtext: error:") and message in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_an_export_never_overwrites_a_file_of_another_kind_or_the_runs_input(
    demo_run: DemoRun, tmp_path: Path
) -> None:
    """`export --to journey-json -o jan.csv` wrote JSON over the survey export it named."""
    survey = tmp_path / "jan.csv"
    survey.write_bytes(b"id,comment\n1,Fakturaen er umulig at l\xc3\xa6se\n")
    done = run_cli("export", str(demo_run.out), "--to", "journey-json", "-o", str(survey))
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert "ending in .json" in done.stderr
    assert survey.read_bytes() == b"id,comment\n1,Fakturaen er umulig at l\xc3\xa6se\n"
    source = Path(demo_run.result.run["input"])
    before = source.read_bytes()
    with pytest.raises(InputError, match="is the file this run read"):
        export_run(demo_run.out, "metrics-csv", source)
    assert source.read_bytes() == before
    assert export_run(demo_run.out, "duckdb", tmp_path / "warehouse.db").stat().st_size > 0


def test_an_export_never_overwrites_the_runs_input_seen_from_another_folder(
    demo_run: DemoRun, tmp_path: Path
) -> None:
    """run.json's `input` is the path as typed where the run was made (`feedback.csv`):
    `export -o survey/feedback.csv` from elsewhere overwrote the survey export."""
    run_dir = tmp_path / "run"
    shutil.copytree(demo_run.out, run_dir)
    run = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    (run_dir / "run.json").write_text(json.dumps({**run, "input": "feedback.csv"}), "utf-8")
    survey = tmp_path / "survey" / "feedback.csv"
    survey.parent.mkdir()
    shutil.copy(demo_run.source, survey)
    done = run_cli("export", str(run_dir), "--to", "metrics-csv", "-o", str(survey))
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert "is the file this run read" in done.stderr
    assert survey.read_bytes() == demo_run.source.read_bytes()


def test_store_keeps_each_run_once(demo_run: DemoRun, tmp_path: Path) -> None:
    result, path = demo_run.result, tmp_path / "runs.duckdb"
    first = write_store(result, path)
    assert write_store(result, path) == first  # the same run again replaces it
    later = replace(result, run={**result.run, "input_sha256": "another file"})
    assert write_store(later, path) != first
    with duckdb.connect(str(path), read_only=True) as store:
        counts = {
            t: store.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("runs", "comments", "themes", "assignments", "comment_themes")
        }
        query = "SELECT text FROM comments WHERE comment_id = 'x-formula' LIMIT 1"
        (text,) = store.execute(query).fetchone()
    n = result.comments.height
    assert counts == {
        "runs": 2,
        "comments": 2 * n,
        "themes": 2 * result.themes.height,
        "assignments": 2 * n,
        "comment_themes": 2 * n,
    }
    assert text == HOSTILE_COMMENT  # the store keeps the raw text; only spreadsheets guard it


def test_a_store_that_is_not_duckdb_is_refused_before_any_work(
    demo_run: DemoRun, tmp_path: Path
) -> None:
    """DuckDB opened `--store feedback.csv` as an empty in-memory database: exit 0, nothing
    stored anywhere."""
    feedback = tmp_path / "feedback.csv"
    feedback.write_bytes(demo_run.source.read_bytes())
    with pytest.raises(InputError, match="is not a DuckDB database"):
        write_store(demo_run.result, feedback)
    out = tmp_path / "out"
    done = run_cli("analyze", str(feedback), "--store", str(feedback), "-o", str(out), "-q")
    assert done.returncode == 2 and not out.exists()
    assert done.stderr == f"cxtext: error: store {feedback} is not a DuckDB database: " + (
        "name a new file or a store\n"
    )
    assert feedback.read_bytes() == demo_run.source.read_bytes()


def test_a_store_exported_into_a_folder_is_named_as_a_store(
    demo_run: DemoRun, tmp_path: Path
) -> None:
    """Was a DuckDB file named after the run folder, without an extension."""
    done = run_cli("export", str(demo_run.out), "--to", "duckdb", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["cxtext.duckdb"]
    with duckdb.connect(str(tmp_path / "cxtext.duckdb"), read_only=True) as store:
        assert store.execute("SELECT count(*) FROM runs").fetchone() == (1,)


def test_store_holds_each_themes_group_and_adds_it_to_an_older_store(
    demo_run: DemoRun, tmp_path: Path
) -> None:
    result, path = demo_run.result, tmp_path / "runs.duckdb"
    write_store(result, path)
    with duckdb.connect(str(path)) as store:  # a store written before theme groups
        store.execute("ALTER TABLE themes DROP COLUMN parent_id")
        store.execute("ALTER TABLE themes DROP COLUMN parent_label")
    later = replace(result, run={**result.run, "input_sha256": "another file"})
    key = write_store(later, path)
    with duckdb.connect(str(path), read_only=True) as store:
        stored = store.execute(
            "SELECT theme_id, parent_id, parent_label FROM themes WHERE run_id = ?", [key]
        ).fetchall()
        view = store.execute(
            "SELECT DISTINCT theme_id, parent_label FROM comment_themes WHERE run_id = ?", [key]
        ).fetchall()
    expected = result.themes.select("theme_id", "parent_id", "parent_label").rows()
    assert sorted(stored) == sorted(expected)
    assert any(parent for _, parent, _ in expected), "the demo run has theme groups"
    labels = {theme: label for theme, _, label in expected}
    assert all(labels.get(theme) == label for theme, label in view)


def test_unredacted_text_never_reaches_the_workbook(demo_run: DemoRun) -> None:
    result = demo_run.result
    originals = result.comments.select("id", pl.lit("secret 12345678").alias("text"))
    kept = replace(
        result,
        comments=result.comments.with_columns(pl.lit("secret").alias("text_original")),
        tables={**result.tables, "_original_text": originals},
    )
    sheets = run_sheets(kept)
    assert "text_original" not in sheets["Comments"].columns
    assert all("secret" not in str(frame.rows()) for frame in sheets.values())


CELLS = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "-5", "-3.5", "plain", "=", "-"]


def test_xlsx_cells_never_run_as_formulas(tmp_path: Path) -> None:
    write_sheets({"Sheet": pl.DataFrame({"text": CELLS})}, tmp_path / "cells.xlsx")
    sheet = load_workbook(tmp_path / "cells.xlsx").active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    assert [c.value for c in cells] == [
        "'=1+1", "'+1", "'-1+2", "'@SUM(A1)", "'\t=1", "-5", "-3.5", "plain", "'=", "-",
    ]  # fmt: skip


def test_restoring_the_formula_guard_gives_back_the_text() -> None:
    frame = pl.DataFrame({"text": CELLS})
    assert restore_formulas(neutralise_formulas(frame)).equals(frame)


def test_passed_through_numbers_are_number_cells_and_other_text_stays_text(
    demo_run: DemoRun, tmp_path: Path
) -> None:
    result = demo_run.result
    size = result.comments.height
    comments = result.comments.with_columns(
        postcode=pl.Series(["0150", "2100"] * (size // 2) + ["8000"] * (size % 2)),
        rating=pl.Series(["4.5", "", "3"] * (size // 3) + ["2"] * (size % 3)),
    )
    write_sheets(run_sheets(replace(result, comments=comments)), tmp_path / "w.xlsx")
    sheet = load_workbook(tmp_path / "w.xlsx", read_only=True)["Comments"]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    first = next(rows)
    cell = dict(zip(header, first, strict=True))
    assert cell["score"] == int(comments.item(0, "score"))  # the NPS score, a number cell
    assert (cell["rating"], cell["postcode"]) == (4.5, "0150")  # a leading zero stays text
    assert cell["id"] == comments.item(0, "id") and cell["date"] == comments.item(0, "date")


def test_a_zoned_timestamp_column_exports_as_its_local_time(
    demo_run: DemoRun, tmp_path: Path
) -> None:
    """A Parquet survey export's `submitted_at` in Europe/Oslo (as a Norwegian airline's survey
    tool writes it) stopped `cxtext export --to xlsx` with "internal error: TypeError: Excel
    does not support timezones" and tracebacks; it is written as the Oslo wall-clock time."""
    result = demo_run.result
    stamps = pl.Series(result.comments.get_column("date")).str.to_datetime("%Y-%m-%d")
    zoned = (stamps + timedelta(hours=8, minutes=15)).dt.replace_time_zone("Europe/Oslo")
    comments = result.comments.with_columns(zoned.alias("submitted_at"))
    path = write_xlsx(replace(result, comments=comments), tmp_path / "w.xlsx")
    rows = load_workbook(path, read_only=True)["Comments"].iter_rows(values_only=True)
    header = next(rows)
    first = dict(zip(header, next(rows), strict=True))
    assert first["submitted_at"] == zoned.dt.replace_time_zone(None).item(0)
    assert first["submitted_at"].hour == 8
