"""The outputs for people and tools that every run writes beside the contract files, and the
re-export of a finished run (`cxtext export`, `cxtext report`).

Every run writes:
- map.parquet: the 2-D comment map (see `cxtext.outputs.report.map`), so a report can be drawn again
  without the embeddings;
- report.html: the self-contained report;
- journey.json and journey_metrics.csv: the journey-tool exports (see
  `cxtext.outputs.journey_json` and `cxtext.outputs.journey_metrics`).
With a store, the run is also added to a DuckDB file (see `cxtext.outputs.store`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from cxtext.errors import InputError
from cxtext.io.load import MAP_FILE, load_map, load_run
from cxtext.outputs.journey_json import write_journey_json
from cxtext.outputs.journey_metrics import write_journey_metrics
from cxtext.outputs.report.map import comment_map
from cxtext.outputs.report.render import write_report

if TYPE_CHECKING:
    from cxtext.result import Result

REPORT_FILE = "report.html"
JOURNEY_FILE = "journey.json"
METRICS_FILE = "journey_metrics.csv"
XLSX_FILE = "cxtext.xlsx"
EXPORTS = {
    "journey-json": JOURNEY_FILE,
    "metrics-csv": METRICS_FILE,
    "xlsx": XLSX_FILE,
    "duckdb": "cxtext.duckdb",  # only inside an --output folder: a store outlives a run folder
}

MAX_HASHED_BYTES = 1 << 30  # a file to overwrite is compared with the input up to this size
SUFFIXES = {".duckdb": {".duckdb", ".db", ".ddb"}, ".html": {".html", ".htm"}}  # else the default's


def write_people_and_tool_outputs(result: Result, folder: Path, store: Path | None) -> None:
    """Write map.parquet, report.html, journey.json and journey_metrics.csv into `folder`;
    add the run to the DuckDB `store` when one is given."""
    points = result.comment_map if result.comment_map is not None else comment_map(result)
    if points is not None:
        points.write_parquet(folder / MAP_FILE)
    else:
        points = load_map(folder)
    write_report(result, folder / REPORT_FILE, points)
    write_journey_json(result, folder / JOURNEY_FILE)
    write_journey_metrics(result, folder / METRICS_FILE)
    if store is not None:
        from cxtext.outputs.store import write_store

        write_store(result, store)


def report_run(run_dir: Path, output: Path | None = None) -> Path:
    """Draw the report of a finished run again (into the run folder unless told otherwise)."""
    result = load_run(run_dir)
    path = _target(output, run_dir / REPORT_FILE, result)
    return write_report(result, path, load_map(run_dir))


def export_run(run_dir: Path, to: str, output: Path | None = None) -> Path:
    """Export a finished run as journey-json, metrics-csv, xlsx or duckdb; returns the path."""
    if to not in EXPORTS:
        raise InputError(f"unknown export '{to}': use one of {', '.join(EXPORTS)}")
    if to == "duckdb" and output is None:
        raise InputError("--to duckdb needs --output FILE.duckdb: one store holds many runs")
    result = load_run(run_dir, quiet=to == "duckdb")  # a quiet week is a row in `runs`
    path = _target(output, run_dir / EXPORTS[to], result)
    if to == "journey-json":
        write_journey_json(result, path)
    elif to == "metrics-csv":
        write_journey_metrics(result, path)
    elif to == "xlsx":
        from cxtext.outputs.xlsx import write_xlsx

        write_xlsx(result, path)
    else:
        from cxtext.outputs.store import write_store

        write_store(result, path)
    return path


def _is_input(path: Path, run: dict) -> bool:
    """Whether `path` is the file the run read: by path, or by content where the run was made
    from another folder (run.json's `input` is the path as typed then, relative to that
    folder: `-o ../feedback.csv` from elsewhere overwrote the survey export)."""
    source = run.get("input")
    if isinstance(source, str) and path.resolve() == Path(source).resolve():
        return True
    digest = run.get("input_sha256")
    if not digest or path.stat().st_size > MAX_HASHED_BYTES:
        return False
    return hashlib.sha256(path.read_bytes()).hexdigest() == digest


def _target(output: Path | None, default: Path, result: Result) -> Path:
    """Where to write: `output` (a folder takes the default name), else `default`. A path of
    another type than the export, or the run's own input file, is refused: `-o feedback.csv`
    for a journey export would overwrite the survey export it came from."""
    path = Path(output) if output else default
    if path.is_dir():
        path = path / default.name
    if path.suffix.lower() not in SUFFIXES.get(default.suffix, {default.suffix}):
        raise InputError(
            f"{path}: this export is a {default.suffix} file; give a path ending in "
            f"{default.suffix}, or a folder"
        )
    if path.is_file() and _is_input(path, result.run):
        raise InputError(f"{path} is the file this run read; choose another path")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
