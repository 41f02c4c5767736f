"""The first stage: columns found, answers stacked, comments cleaned, PII redacted before
anything else reads them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl

from cxtext.clean import clean_comments, contract_renames
from cxtext.errors import NoComments, NoUsableRows
from cxtext.io.columns import resolve_columns
from cxtext.io.contract import QUESTION_ORDER, ROW_COLUMN
from cxtext.io.initiatives import read_initiatives
from cxtext.io.questions import answer_ids, stack_answers
from cxtext.io.respondents import fill_respondents, key_headers
from cxtext.pii import (
    COLUMN_KINDS,
    KINDS,
    redact_input,
    redact_input_columns,
    redact_pii,
    redact_rejects,
    redact_text,
    redact_warnings,
    run_pseudonyms,
)
from cxtext.run_info import column_pii_counts
from cxtext.stages.context import RunContext
from cxtext.taxonomy import load_taxonomy
from cxtext.themes.curation import CURATION_FILE, CurationError, load_curation
from cxtext.trends import Span, date_span
from cxtext.wording import no_usable_rows


def clean(context: RunContext) -> RunContext:
    """Columns found, answers stacked, comments cleaned, PII redacted before anything reads it."""
    # column names too: a CSV without a header row makes its first answers the names
    raw, options = redact_input(context.raw, context.config.columns)
    context.raw, context.config = raw, replace(context.config, columns=options)
    config = context.config
    context.taxonomy = load_taxonomy(config.taxonomy)
    if raw.rows_read == 0:  # a header and no row: with --state, a quiet week
        raise NoComments(f"input file has no data rows: {raw.source}", raw.rejects)
    if raw.frame.height == 0:  # every row rejected by the reader: no columns to find
        raise no_usable_rows_error(raw.rejects, raw.frame.columns)
    if config.curation is not None and not config.curation.exists():  # a typo loses decisions
        raise CurationError(
            f"curation file not found: {config.curation} (`cxtext themes ...` writes it)"
        )
    # read here: a bad decisions file stops the run before language and embedding, not after
    state_curation = config.state / CURATION_FILE if config.state is not None else None
    context.curation = load_curation(config.curation or state_curation)
    context.columns = redact_warnings(resolve_columns(raw.frame, config.columns))
    stacked, columns = stack_answers(raw.frame, context.columns, raw.questions)
    frame, context.empty = clean_comments(stacked, columns)
    if frame.height == 0:
        unit = "answer" if columns.questions else "row"  # each question's answer a comment
        span = date_span(stacked, columns.date) if columns.date else None
        rejects = pl.concat([raw.rejects, context.empty])
        failure = no_usable_rows_error(rejects, raw.frame.columns, unit, span)
        # rows read and none malformed, every comment blank: with --state, a quiet week
        raise NoComments(str(failure), failure.rejects, span) if raw.rejects.is_empty() else failure
    context.renames = contract_renames(stacked.columns, columns)
    context.originals = frame.select("id", "text") if config.keep_pii else None
    frame = redact_pii(frame)  # before embedding: PII never shapes themes
    # passed-through columns too; an id that is a CPR number becomes a pseudonym, not "[ID]"
    context.pseudonyms = run_pseudonyms(config.state)
    bookkeeping = ("text", "pii", ROW_COLUMN, QUESTION_ORDER)
    headers = key_headers(context.columns)  # "Kundenr": its cells are customer numbers
    redacted, names = redact_input_columns(frame, context.pseudonyms, bookkeeping, headers=headers)
    context.name_columns = tuple(headers.get(name, name) for name in names)  # as input names them
    context.column_pii = column_pii_counts(frame, redacted, (*KINDS, *COLUMN_KINDS))
    # from the redacted id: "ID-3-q1", and "ID-3" where a customer key is blank
    context.frame = answer_ids(fill_respondents(redacted))
    context.initiatives = redacted_initiatives(config.initiatives) if config.initiatives else None
    return context


def redacted_initiatives(path: Path) -> list[str]:
    """The roadmap's initiatives, redacted as comments are: they reach initiatives.csv and the
    report."""
    return [redact_text(text)[0] for text in read_initiatives(path)]


def redacted_rejects(rejects: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Rejects in row order, their raw text redacted as every output column is, and cut before
    the first of the input's `columns` that holds people's names."""
    return redact_rejects(rejects.sort("row", maintain_order=True), columns)


def no_usable_rows_error(
    rejects: pl.DataFrame, columns: list[str], unit: str = "row", span: Span | None = None
) -> NoUsableRows:
    """The error that ends a run whose every row was rejected, with the rejects to write
    (`columns`: the input's) and the days their dates cover."""
    redacted = redacted_rejects(rejects, columns)
    return NoUsableRows(no_usable_rows(rejects.height, unit), redacted, span)
