"""Read a finished run folder back into a `Result`, for `cxtext export` and `cxtext report`.

comments.parquet and themes.json carry the exact values; the table CSVs were made
spreadsheet-safe when written, so the apostrophe put before formula-like cells is taken off
again. Embeddings are not part of a run folder: the 2-D comment map is read from map.parquet.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from cxtext.errors import InputError
from cxtext.io.contract import (
    ADDED_COMMENT_COLUMNS,
    COMMENT_COLUMNS,
    REJECT_SCHEMA,
    THEME_COLUMNS,
    THEME_DTYPES,
)
from cxtext.io.spreadsheet import FORMULA_START
from cxtext.io.write import JSON_TEXT_COLUMNS
from cxtext.scores import parse_scores, score_scale

if TYPE_CHECKING:
    from cxtext.result import Result

# The tables and documents a run writes (`stages.priority`, `stages.to_result`), by name: a
# run folder may hold the user's own files too (`--out .`), which are not part of the run.
RUN_TABLES = ("ownership", "follow_up", "segments", "trends", "changes", "initiatives")
RUN_DOCUMENTS = ("alerts",)
MAP_FILE = "map.parquet"


def load_run(folder: str | Path, quiet: bool = False) -> Result:
    """The `Result` a run folder was written from (without embeddings); with `quiet`, a
    scheduled run's quiet week too (no comments, no themes), as `--store` recorded it."""
    from cxtext.result import Result

    folder = Path(folder)
    run = _refuse_failed_run(folder, quiet)
    if run is not None and run.get("quiet"):
        return quiet_result(run, _read_rejects(folder / "rejects.csv"))
    for name in ("run.json", "comments.parquet", "themes.json"):
        if not (folder / name).is_file():
            raise InputError(f"{folder} is not a cxtext run folder: {name} is missing")
    return Result(
        comments=pl.read_parquet(folder / "comments.parquet"),
        themes=read_themes(folder / "themes.json"),
        rejects=_read_rejects(folder / "rejects.csv"),
        run=json.loads((folder / "run.json").read_text("utf-8")),
        tables={
            name: read_table(folder / f"{name}.csv")
            for name in RUN_TABLES
            if (folder / f"{name}.csv").is_file()
        },
        documents={
            name: json.loads((folder / f"{name}.json").read_text("utf-8"))
            for name in RUN_DOCUMENTS
            if (folder / f"{name}.json").is_file()
        },
    )


def _refuse_failed_run(folder: Path, quiet_ok: bool = False) -> dict | None:
    """run.json, where it reads. A run that stopped because every row was rejected left
    rejects.csv and run.json only, a scheduled run's quiet week (no usable comment) empty
    outputs: say so, rather than that a file is missing (a quiet week passes with
    `quiet_ok`)."""
    try:
        run = json.loads((folder / "run.json").read_text("utf-8"))
        error, quiet = run.get("error"), run.get("quiet")
    except (OSError, ValueError, AttributeError):
        return None
    if error:
        raise InputError(f"{folder} holds a run that failed ({error}); see its rejects.csv")
    if quiet and not quiet_ok:
        raise InputError(f"{folder} holds a quiet run (no usable comments); see its run.json")
    return run


def load_map(folder: str | Path) -> pl.DataFrame | None:
    """The run's 2-D comment map (id, theme_id, x, y per content comment), if it has one."""
    path = Path(folder) / MAP_FILE
    return pl.read_parquet(path) if path.is_file() else None


def read_themes(path: Path) -> pl.DataFrame:
    """themes.json as the theme frame: nested objects back to JSON text, contract dtypes."""
    records = json.loads(path.read_text("utf-8"))["themes"]
    for record in records:
        for name in JSON_TEXT_COLUMNS:
            if name in record and record[name] is not None:
                record[name] = json.dumps(record[name], ensure_ascii=False)
    if not records:
        return pl.DataFrame(schema=THEME_DTYPES)
    names = list(dict.fromkeys(name for record in records for name in record))
    return pl.DataFrame(
        {name: [record.get(name) for record in records] for name in names},
        schema_overrides={n: THEME_DTYPES[n] for n in names if n in THEME_DTYPES},
        strict=False,
    )


def read_table(path: Path) -> pl.DataFrame:
    """A table CSV with numbers typed, `period` as a date and formula guards removed."""
    frame = pl.read_csv(path, infer_schema_length=None)
    if "period" in frame.columns and frame.schema["period"] == pl.String:
        frame = frame.with_columns(pl.col("period").str.to_date(strict=False))
    return restore_formulas(frame)


def restore_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Undo `neutralise_formulas`: drop the apostrophe before a formula-like text."""
    guarded = f"^'(?:{FORMULA_START.removeprefix('^')})"
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(guarded))
        .then(pl.col(name).str.slice(1))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


def _read_rejects(path: Path) -> pl.DataFrame:
    if not path.is_file():
        return pl.DataFrame(schema=REJECT_SCHEMA)
    frame = pl.read_csv(path, schema=REJECT_SCHEMA)
    return restore_formulas(frame)


def input_column(result: Result, role: str) -> str | None:
    """The comments column holding the input's `role` column (date, score, segment), if any.

    Runs record every role they used in run.json `columns`; older runs only the options given.
    An input column named like a contract column was kept with an `_input` suffix.
    """
    roles = result.run.get("columns") or (result.run.get("options") or {}).get("columns") or {}
    name = roles.get(role)
    if not name:
        return None
    if name in set(COMMENT_COLUMNS) | set(ADDED_COMMENT_COLUMNS) and role not in ("text", "id"):
        name = f"{name}_input"
    return name if name in result.comments.columns else None


def input_score_scale(result: Result) -> str | None:
    """The scale of the run's scores ('nps', 'rating', 'other'), None without scores."""
    column = input_column(result, "score")
    if column is None:
        return None
    recorded = (result.run.get("columns") or {}).get("score_scale")
    if recorded:
        return recorded
    numbers = result.comments.select(parse_scores(pl.col(column))).to_series()
    return score_scale(numbers.fill_null(float("nan")).to_numpy())


def quiet_result(
    run: dict[str, Any], rejects: pl.DataFrame, date_span: tuple[date, date] | None = None
) -> Result:
    """A scheduled run's quiet week: no comment and no theme (the contract's columns, no
    rows), its run.json and rejects; one shape for `--store` and `cxtext export`."""
    from cxtext.result import Result

    comments = pl.DataFrame(schema=dict.fromkeys(COMMENT_COLUMNS, pl.String))
    themes = pl.DataFrame(schema=dict.fromkeys(THEME_COLUMNS, pl.String))
    return Result(comments, themes, rejects, run, date_span=date_span)
