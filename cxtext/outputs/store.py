"""`--store FILE.duckdb`: every run's comments, themes and assignments in DuckDB, for BI tools.

Tables (one row per run, comment or theme; `run_id` joins them):

- `runs`: run_id, stored_at (UTC), input, input_sha256, rows_read, rows_written,
  rows_rejected, rows_no_content, themes, model, seed, cxtext_version, taxonomy_sha256,
  run_json (the whole run.json). A scheduled run's quiet week is a row here alone
  (rows_written 0, themes 0), so a dashboard shows the week.
- `comments`: run_id, comment_row (1-based position in comments.csv; with run_id the key),
  comment_id, text (PII redacted, as in every output), lang, lang_confidence, no_content,
  pii (kinds of PII redacted), date (DATE, from the date column), score (DOUBLE), segment,
  input_json (every other input column, as text, by its input name), respondent (the
  respondent's id or row number, pseudonymised as the id: joins the answers of one person;
  added to a store written before it), question (the open question's column, with several
  `--text-col`; null with one; added to a store written before it).
- `themes`: run_id, theme_id, label, size, respondents (distinct; null in runs stored
  before it), share, phase, silo, cross_silo, kano, sentiment_mean, negative_share,
  positive_share, impact, impact_low, impact_high, impact_metric, priority, rank (null for
  praise and themes without complaints), praise, source, keywords / languages / channels
  (JSON), examples (VARCHAR[]), parent_id and parent_label (the theme's group; added to a
  store written before groups), off_journey (a theme of social-media talk, never ranked;
  null in runs stored before it).
- `assignments`: run_id, comment_row, comment_id, theme_id ('-1' = no theme), theme_score,
  phase, phase_confidence, phase_runner_up, silo, silo_confidence, silo_runner_up, channel,
  sentiment, sentiment_score, kano, follow_up.
- view `comment_themes`: assignments joined to their respondent, comment text, date, theme
  label, the theme's group (`parent_id`, `parent_label`) and the comment's `question`.

`run_id` is a digest of run.json without timings, so storing the same run again replaces it
rather than adding a copy; a run over new data adds a new run_id.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from cxtext.dates import parse_dates
from cxtext.errors import CxtextError, InputError
from cxtext.io.contract import ADDED_COMMENT_COLUMNS, ASSIGNMENT_COLUMNS, COMMENT_COLUMNS
from cxtext.io.load import input_column
from cxtext.io.questions import QUESTION_COLUMN, RESPONDENT_COLUMN
from cxtext.scores import parse_scores

if TYPE_CHECKING:
    from cxtext.result import Result

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY, stored_at TIMESTAMP, input VARCHAR, input_sha256 VARCHAR,
    rows_read BIGINT, rows_written BIGINT, rows_rejected BIGINT, rows_no_content BIGINT,
    themes BIGINT, model VARCHAR, seed BIGINT, cxtext_version VARCHAR,
    taxonomy_sha256 VARCHAR, run_json JSON);
CREATE TABLE IF NOT EXISTS comments (
    run_id VARCHAR, comment_row BIGINT, comment_id VARCHAR, text VARCHAR, lang VARCHAR,
    lang_confidence DOUBLE, no_content BOOLEAN, pii VARCHAR, date DATE, score DOUBLE,
    segment VARCHAR, input_json JSON, respondent VARCHAR, question VARCHAR,
    PRIMARY KEY (run_id, comment_row));
ALTER TABLE comments ADD COLUMN IF NOT EXISTS respondent VARCHAR;
ALTER TABLE comments ADD COLUMN IF NOT EXISTS question VARCHAR;
CREATE TABLE IF NOT EXISTS themes (
    run_id VARCHAR, theme_id VARCHAR, label VARCHAR, size BIGINT, respondents BIGINT, share DOUBLE,
    phase VARCHAR, silo VARCHAR, cross_silo BOOLEAN, kano VARCHAR, sentiment_mean DOUBLE,
    negative_share DOUBLE, positive_share DOUBLE, impact DOUBLE, impact_low DOUBLE,
    impact_high DOUBLE, impact_metric VARCHAR, priority DOUBLE, rank BIGINT, praise BOOLEAN,
    source VARCHAR, keywords JSON, languages JSON, channels JSON, examples VARCHAR[],
    parent_id VARCHAR, parent_label VARCHAR, PRIMARY KEY (run_id, theme_id));
ALTER TABLE themes ADD COLUMN IF NOT EXISTS parent_id VARCHAR;
ALTER TABLE themes ADD COLUMN IF NOT EXISTS parent_label VARCHAR;
ALTER TABLE themes ADD COLUMN IF NOT EXISTS respondents BIGINT;
ALTER TABLE themes ADD COLUMN IF NOT EXISTS off_journey BOOLEAN;
CREATE TABLE IF NOT EXISTS assignments (
    run_id VARCHAR, comment_row BIGINT, comment_id VARCHAR, theme_id VARCHAR,
    theme_score DOUBLE, phase VARCHAR, phase_confidence DOUBLE, phase_runner_up VARCHAR,
    silo VARCHAR, silo_confidence DOUBLE, silo_runner_up VARCHAR, channel VARCHAR,
    sentiment VARCHAR, sentiment_score DOUBLE, kano VARCHAR, follow_up VARCHAR,
    PRIMARY KEY (run_id, comment_row));
CREATE OR REPLACE VIEW comment_themes AS
    SELECT a.*, c.respondent, c.text, c.lang, c.date, c.score, c.segment, t.label AS theme_label,
        t.parent_id, t.parent_label, c.question
    FROM assignments a
    JOIN comments c USING (run_id, comment_row)
    LEFT JOIN themes t USING (run_id, theme_id);
"""
TABLES = ("runs", "comments", "themes", "assignments")


DUCKDB_MAGIC = b"DUCK"  # bytes 8-12 of every DuckDB database file


class StoreError(CxtextError):
    """The DuckDB store cannot be opened or written (in use by another process)."""

    exit_code = 4


def run_id(run: dict) -> str:
    """A stable id for a run: the digest of its metadata without timings."""
    stable = {k: v for k, v in run.items() if k != "seconds"}
    return hashlib.sha256(json.dumps(stable, sort_keys=True, default=str).encode()).hexdigest()[:16]


def check_store(path: str | Path) -> None:
    """A store is a new file or a DuckDB database: DuckDB opens a CSV or other file as an
    empty in-memory database, so a run "stored" into `feedback.csv` kept nothing."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"store {path} is a folder: name a file such as cx.duckdb")
    if path.is_file() and path.stat().st_size and _header(path)[8:12] != DUCKDB_MAGIC:
        raise InputError(f"store {path} is not a DuckDB database: name a new file or a store")


def _header(path: Path) -> bytes:
    """The file's first 12 bytes (a store can be gigabytes: never read it whole)."""
    with path.open("rb") as handle:
        return handle.read(12)


def write_store(result: Result, path: str | Path) -> str:
    """Add (or replace) this run in the DuckDB file at `path`; returns its run_id."""
    import duckdb

    path = Path(path)
    check_store(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = run_id(result.run)
    frames = {"runs": _runs(result, key)}
    if result.comments.height:  # a quiet week is its `runs` row alone
        frames |= {
            "comments": _comments(result, key),
            "themes": _themes(result, key),
            "assignments": _assignments(result, key),
        }
    try:
        connection = duckdb.connect(str(path))
    except duckdb.Error as error:
        raise StoreError(f"cannot open the store {path}: {error}") from None
    try:
        connection.execute("BEGIN TRANSACTION")
        connection.execute(SCHEMA)
        for table in TABLES:
            connection.execute(f"DELETE FROM {table} WHERE run_id = ?", [key])
            if table not in frames:
                continue
            connection.register("incoming", frames[table].to_arrow())
            connection.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
            connection.unregister("incoming")
        connection.execute("COMMIT")
    except duckdb.Error as error:
        connection.execute("ROLLBACK")
        raise StoreError(f"cannot write the run to {path}: {error}") from None
    finally:
        connection.close()
    return key


def _runs(result: Result, key: str) -> pl.DataFrame:
    run = result.run
    return pl.DataFrame(
        [
            {
                "run_id": key,
                "stored_at": datetime.now(UTC).replace(tzinfo=None),
                "input": run.get("input"),
                "input_sha256": run.get("input_sha256"),
                "rows_read": run.get("rows_read"),
                "rows_written": run.get("rows_written"),
                "rows_rejected": run.get("rows_rejected"),
                "rows_no_content": run.get("rows_no_content"),
                "themes": run.get("themes"),
                "model": run.get("model") or run.get("embedder"),
                "seed": run.get("seed"),
                "cxtext_version": run.get("cxtext_version"),
                "taxonomy_sha256": run.get("taxonomy_sha256"),
                "run_json": json.dumps(run, ensure_ascii=False, default=str),
            }
        ]
    )


def _comments(result: Result, key: str) -> pl.DataFrame:
    comments = result.comments
    date, score, segment = (input_column(result, r) for r in ("date", "score", "segment"))
    contract = set(COMMENT_COLUMNS) | set(ADDED_COMMENT_COLUMNS)
    inputs = {
        c: c.removesuffix("_input") if c.removesuffix("_input") in contract else c
        for c in comments.columns
        if c not in contract
    }
    return comments.select(
        pl.lit(key).alias("run_id"),
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("comment_row"),
        pl.col("id").cast(pl.String).alias("comment_id"),
        "text",
        "lang",
        pl.col("lang_confidence").cast(pl.Float64),
        "no_content",
        (pl.col("pii") if "pii" in comments.columns else pl.lit(None, pl.String)).alias("pii"),
        (parse_dates(pl.col(date)) if date else pl.lit(None, pl.Date)).alias("date"),
        (parse_scores(pl.col(score)) if score else pl.lit(None, pl.Float64)).alias("score"),
        (pl.col(segment).cast(pl.String) if segment else pl.lit(None, pl.String)).alias("segment"),
        (
            pl.struct(
                pl.col(c).cast(pl.String).alias(n) for c, n in inputs.items()
            ).struct.json_encode()
            if inputs
            else pl.lit("{}")
        ).alias("input_json"),
        pl.col(RESPONDENT_COLUMN).cast(pl.String)
        if RESPONDENT_COLUMN in comments.columns
        else pl.col("id").cast(pl.String).alias(RESPONDENT_COLUMN),
        (
            pl.col(QUESTION_COLUMN).cast(pl.String)
            if QUESTION_COLUMN in comments.columns
            else pl.lit(None, pl.String)
        ).alias(QUESTION_COLUMN),
    )


def _themes(result: Result, key: str) -> pl.DataFrame:
    themes = result.themes
    interval = pl.col("impact_ci").str.json_decode(pl.List(pl.Float64))
    wanted = [
        "theme_id",
        "label",
        "size",
        "respondents",
        "share",
        "phase",
        "silo",
        "cross_silo",
        "kano",
        "sentiment_mean",
        "negative_share",
        "positive_share",
        "impact",
        "impact_metric",
        "priority",
        "rank",
        "praise",
        "source",
        "keywords",
        "languages",
        "channels",
        "examples",
        "parent_id",
        "parent_label",
        "off_journey",
    ]
    return themes.select(
        pl.lit(key).alias("run_id"),
        *[c for c in wanted if c in themes.columns],
        *(
            [interval.list.get(0).alias("impact_low"), interval.list.get(1).alias("impact_high")]
            if "impact_ci" in themes.columns
            else []
        ),
    )


def _assignments(result: Result, key: str) -> pl.DataFrame:
    comments = result.comments
    return comments.select(
        pl.lit(key).alias("run_id"),
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("comment_row"),
        pl.col("id").cast(pl.String).alias("comment_id"),
        *[c for c in ASSIGNMENT_COLUMNS if c in comments.columns],
    )
