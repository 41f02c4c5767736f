"""The run in the output contract's shape: comments, themes, rejects, run.json, tables."""

from __future__ import annotations

import polars as pl

from cxtext.io.contract import contract_order, theme_order
from cxtext.result import Result
from cxtext.run_info import run_metadata
from cxtext.scheduled import added_library_themes, run_alerts, state_warnings
from cxtext.stages.context import RunContext
from cxtext.stages.intake import redacted_rejects


def to_result(context: RunContext) -> Result:
    """The run in the output contract's shape: comments, themes, rejects, run.json, tables."""
    raw = context.raw
    rejects = redacted_rejects(pl.concat([raw.rejects, context.empty]), raw.frame.columns)
    comments, themes = contract_order(context.frame), theme_order(context.themes)
    run = run_metadata(
        raw,
        context.config,
        context.columns,
        comments,
        themes,
        rejects,
        context.taxonomy,
        context.embedder,
    )
    run["pseudonyms"] = context.pseudonyms.source
    run["label_language_used"] = context.label_language.used
    run["taxonomy_names"] = context.taxonomy.names_in(context.label_language.used)
    if context.label_language.note:
        run["label_language_note"] = context.label_language.note
    run["pii_redacted_columns"] = context.column_pii
    run["name_columns"] = list(context.name_columns)
    tables = dict(context.tables)
    refit = context.config.refit and context.previous is not None and "trends" in tables
    run["warnings"] += state_warnings(
        context.previous,
        run["input_sha256"],
        context.dated,
        refit,
        context.refit_warning,
        context.seen_again,
    )
    library_themes = tuple(context.library.theme_ids) if context.library is not None else ()
    added = added_library_themes(
        context.previous, library_themes, context.config.refit, context.curation.final_id
    )
    run["warnings"] += [added] if added else []
    if context.originals is not None:  # --keep-pii: the local comments file only
        tables["_original_text"] = context.originals
    labels = dict(zip(themes.get_column("theme_id"), themes.get_column("label"), strict=True))
    if context.previous is not None:  # a theme of earlier weeks that is quiet in this one
        labels = context.previous.labels | labels
    documents, held_back = run_alerts(
        tables.get("trends"),
        labels,
        context.config.alerts,
        context.seen_until,
        refit,
        context.previous,
    )
    run["warnings"] += held_back
    return Result(
        comments,
        themes,
        rejects,
        run,
        tables,
        context.embeddings,
        context.space,
        context.means,
        documents,
        cuts=context.cuts,
        dated=context.dated,
        references=frozenset(context.references),
        date_span=context.date_span,
        library_themes=library_themes,
    )
