"""run.json: what a run read, wrote and rejected, with which options, model and taxonomy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from cxtext.config import AnalyzeConfig
from cxtext.embed.base import Embedder
from cxtext.io.columns import ResolvedColumns
from cxtext.io.questions import RESPONDENT_COLUMN
from cxtext.io.read import RawInput
from cxtext.pii import redact_fields
from cxtext.taxonomy import Taxonomy
from cxtext.version import __version__


def run_metadata(
    raw: RawInput,
    config: AnalyzeConfig,
    columns: ResolvedColumns,
    comments: pl.DataFrame,
    themes: pl.DataFrame,
    rejects: pl.DataFrame,
    taxonomy: Taxonomy,
    embedder: Embedder,
) -> dict[str, Any]:
    """The run's record; rows read (answers read, with several questions) must equal rows
    written plus rows rejected."""
    run = {
        **_input_record(raw),
        "rows_written": comments.height,
        "rows_rejected": rejects.height,
        "rows_no_content": int(comments.get_column("no_content").sum()),
        # people, not rows: a customer key joins one customer's cases (`columns.respondent`)
        "respondents": comments.get_column(RESPONDENT_COLUMN).n_unique(),
        # rows per placeholder key ("0", "ukendt"): each such row is its own respondent
        "respondent_placeholders": columns.placeholders,
        "text_column": columns.text,
        "columns": {
            **columns.roles(),
            "questions": list(columns.questions),
            "score_scale": columns.score_scale,
            "found_by": columns.found_by,
        },
        "warnings": [*columns.warnings, *(_redacted(w) for w in taxonomy.warnings)],
        "model": config.model,
        "seed": config.seed,
        "themes": themes.height,
        "taxonomy": _redacted(str(taxonomy.path)),
        "taxonomy_sha256": taxonomy.digest,
        "options": _redacted(config.to_dict()),
        "embedder": embedder.name,
        "embedding_engine": embedder.cache_id,  # the cache key: model, engine, device
        "embedding_path": embedder.path,  # e.g. int8-avx512-vnni, or the float32 reference
        "pii_redacted": _pii_counts(comments),
    }
    if columns.questions:  # every data row gave one answer per question
        run["answers_read"] = raw.rows_read + raw.frame.height * (len(columns.questions) - 1)
    if run.get("answers_read", run["rows_read"]) != run["rows_written"] + run["rows_rejected"]:
        raise AssertionError(f"rows not accounted for: {run}")  # a bug, never bad input
    return run


def column_pii_counts(
    before: pl.DataFrame, after: pl.DataFrame, kinds: Iterable[str]
) -> dict[str, dict[str, int]]:
    """Per passed-through column (as named in comments.csv), how many cells had each kind of
    personal data replaced: a cell that became a pseudonym (`ID-3f9a...`, `PHONE-2`) counts
    for its kind, a cell with placeholders (`[EMAIL]`) once for each kind in it. Read from
    the cells `redact_columns` changed, so the comment's own count (`pii_redacted`) stays
    apart."""
    upper = "|".join(kind.upper() for kind in kinds)
    pseudonym, placeholder = rf"^({upper})-[0-9a-f]+$", rf"\[({upper})\]"
    counts = {}
    for name in after.columns:
        if name not in before.columns or after.schema[name] != pl.String:
            continue
        new = after.get_column(name)
        changed = new.filter(new.ne_missing(before.get_column(name).cast(pl.String)))
        if changed.is_empty():
            continue
        found = (
            changed.to_frame("cell")
            .select(
                pl.when(pl.col("cell").str.contains(pseudonym))
                .then(pl.concat_list(pl.col("cell").str.extract(pseudonym)))
                .otherwise(pl.col("cell").str.extract_all(placeholder).list.unique())
                .explode()
                .str.strip_chars("[]")
                .str.to_lowercase()
                .drop_nulls()
            )
            .to_series()
        )
        counts[name] = dict(sorted(found.value_counts().iter_rows()))
    return counts


def failed_run_metadata(
    raw: RawInput, config: AnalyzeConfig, rejects: pl.DataFrame, error: str
) -> dict[str, Any]:
    """The record of a run that stopped because every row was rejected: what it read, that
    nothing was written, and why (`error`), beside the rejects."""
    return {
        **_input_record(raw),
        "rows_written": 0,
        "rows_rejected": rejects.height,
        **({"answers_read": rejects.height} if rejects.height != raw.rows_read else {}),
        "error": error,
        "model": config.model,
        "seed": config.seed,
        "options": _redacted(config.to_dict()),
    }


def _input_record(raw: RawInput) -> dict[str, Any]:
    """What was read: the version that read it, the file, its hash, format, layout and rows."""
    return {
        "cxtext_version": __version__,
        "input": _redacted(raw.source),
        "input_sha256": raw.file_hash,
        "input_format": raw.file_format,
        "input_layout": raw.layout,
        "rows_read": raw.rows_read,
    }


def _redacted(value: Any) -> Any:
    """File paths and option values with the PII they may hold redacted: an export named after
    a customer ("klage_010190-1234.csv") names them in run.json as much as in a cell."""
    if isinstance(value, str):  # "_" parts words in a file name: "klage_0101901234.csv"
        return "_".join(redact_fields(part)[0] for part in value.split("_"))
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(item) for item in value]
    return value


def _pii_counts(comments: pl.DataFrame) -> dict[str, int]:
    """How many comments had each kind of personal data redacted."""
    kinds = comments.get_column("pii").drop_nulls().str.split(",").explode()
    return dict(sorted(kinds.value_counts().iter_rows())) if kinds.len() else {}
