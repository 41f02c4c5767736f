"""Write the output contract: comments, themes, rejects and run metadata, all or nothing."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from cxtext.errors import InputError
from cxtext.io.load import MAP_FILE, RUN_DOCUMENTS, RUN_TABLES
from cxtext.io.output_folder import staging_prefix
from cxtext.io.write import JSON_TEXT_COLUMNS, write_csv, write_json
from cxtext.outputs.exports import (
    JOURNEY_FILE,
    METRICS_FILE,
    REPORT_FILE,
    XLSX_FILE,
    write_people_and_tool_outputs,
)
from cxtext.result import Result

# Every file a run writes, or `cxtext export` writes into its folder: a folder of only these
# is a run folder, replaced whole. A DuckDB store is not one (it outlives a run folder).
RUN_FILES = {
    *("comments.csv", "comments.parquet", "themes.csv", "themes.json", "rejects.csv", "run.json"),
    *(f"{name}.csv" for name in RUN_TABLES),
    *(f"{name}.json" for name in RUN_DOCUMENTS),
    *(MAP_FILE, REPORT_FILE, JOURNEY_FILE, METRICS_FILE, XLSX_FILE),
}


def check_input_kept(source: Path, out_dir: Path) -> None:
    """Refuse (one line, before any work) an input that the run would replace: a file in
    `out_dir` named like a run's file. `cxtext analyze comments.csv --out .` overwrote the
    survey export it read with its own comments.csv."""
    path = Path(source).resolve()
    if path.parent == Path(out_dir).resolve() and path.name in RUN_FILES:
        raise InputError(
            f"{source} is in --out {out_dir}, where the run writes its own {path.name}: "
            "move or rename the input, or choose another --out"
        )


def write_outputs(result: Result, out_dir: Path, store: Path | None = None) -> Path:
    """Write every file into a temporary folder, then swap it in, so a crash leaves no half run."""
    with _staged(out_dir) as staging:
        originals = result.tables.get("_original_text")
        write_comments(result.comments, staging, originals)
        write_themes(result.themes, staging)
        write_csv(result.rejects, staging / "rejects.csv")
        for name, table in result.tables.items():
            if not name.startswith("_"):
                write_csv(table, staging / f"{name}.csv")
        for name, document in result.documents.items():
            write_json(document, staging / f"{name}.json")
        write_people_and_tool_outputs(result, staging, store)
        write_json(result.run, staging / "run.json")
    return out_dir.resolve()


def write_failed_run(
    rejects: pl.DataFrame, run: dict, out_dir: Path, empty: dict[str, list[str]] | None = None
) -> Path:
    """A run whose every row was rejected: rejects.csv (each row and why) and run.json, swapped
    in as a whole run is, so the folder never mixes them with an older run's files; `empty`:
    files written with their header only (a scheduled run's quiet week: comments, themes)."""
    with _staged(out_dir) as staging:
        write_csv(rejects, staging / "rejects.csv")
        for name, columns in (empty or {}).items():
            write_csv(pl.DataFrame(schema=dict.fromkeys(columns, pl.String)), staging / name)
        write_json(run, staging / "run.json")
    return out_dir.resolve() / "rejects.csv"


@contextmanager
def _staged(out_dir: Path) -> Iterator[Path]:
    """A temporary folder beside `out_dir` to write into, swapped in when the block ends."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(out_dir), dir=out_dir.parent))
    try:
        yield staging
        # mkdtemp makes it private; the output folder keeps its own mode, a new one gets 755
        os.chmod(staging, out_dir.stat().st_mode & 0o7777 if out_dir.is_dir() else 0o755)
        _swap_in(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _with_originals(comments: pl.DataFrame, originals: pl.DataFrame | None) -> pl.DataFrame:
    """With --keep-pii, the unredacted text as `text_original` right after `text`."""
    if originals is None:
        return comments
    original = originals.get_column("text").alias("text_original")
    position = comments.columns.index("text") + 1
    return comments.insert_column(position, original)


def write_comments(
    comments: pl.DataFrame, folder: Path, originals: pl.DataFrame | None = None
) -> None:
    """comments.csv for people and spreadsheets, comments.parquet for machines (which exports,
    the report and the DuckDB store read). With --keep-pii the unredacted text goes into
    comments.csv alone."""
    comments.write_parquet(folder / "comments.parquet")
    write_csv(_with_originals(comments, originals), folder / "comments.csv")


def write_themes(themes: pl.DataFrame, folder: Path) -> None:
    """themes.csv (nested fields as JSON text / joined lists) and themes.json (real objects)."""
    write_csv(themes, folder / "themes.csv")
    records = themes.to_dicts()
    for record in records:
        for name in JSON_TEXT_COLUMNS:
            if isinstance(record.get(name), str):
                record[name] = json.loads(record[name])
    write_json({"themes": records}, folder / "themes.json")


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Make the staged folder the output folder in two renames; the previous run stays whole
    under `.NAME.previous` until the new one is in place (and is restored if a run dies in
    between). A folder holding other files than a cxtext run gets the files replaced one by
    one instead, `run.json` last."""
    previous = out_dir.with_name(f".{out_dir.name}.previous")
    if out_dir.exists() and not _is_run_folder(out_dir):
        for path in sorted(staging.iterdir(), key=lambda p: (p.name == "run.json", p.name)):
            os.replace(path, out_dir / path.name)
        return
    if out_dir.exists():
        shutil.rmtree(previous, ignore_errors=True)
        os.replace(out_dir, previous)
    os.replace(staging, out_dir)
    shutil.rmtree(previous, ignore_errors=True)


def recover_interrupted(out_dir: Path) -> None:
    """Put back the previous run if a run was killed between the two renames."""
    out_dir = out_dir.resolve()
    previous = out_dir.with_name(f".{out_dir.name}.previous")
    if previous.is_dir() and not out_dir.exists():
        os.replace(previous, out_dir)


def _is_run_folder(folder: Path) -> bool:
    """Empty, or a run's files alone. A run folder that also holds the user's files (the input
    saved there, notes) lost them when the next run replaced the folder whole."""
    entries = list(folder.iterdir())
    return not entries or (
        (folder / "run.json").is_file()
        and all(entry.is_file() and entry.name in RUN_FILES for entry in entries)
    )
