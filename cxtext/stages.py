"""The pipeline's stages, each `stage(context) -> context` on one `RunContext`.

A stage reads what earlier stages put into the context and adds its own part; `cxtext.api`
lists them once, in pipeline order, and runs them one after another. Each stage calls its
package (`cxtext.clean`, `cxtext.language`, `cxtext.themes`, ...) and never reaches into
another stage's package.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path

import numpy as np
import polars as pl

from cxtext.clean import clean_comments, contract_renames
from cxtext.config import AnalyzeConfig
from cxtext.embed.base import Embedder
from cxtext.embed.language_neutral import OVERALL, centre, extend_means, language_means
from cxtext.engine import Engine
from cxtext.errors import NoComments, NoUsableRows
from cxtext.io.columns import ResolvedColumns, resolve_columns
from cxtext.io.contract import QUESTION_ORDER, ROW_COLUMN, contract_order, theme_order
from cxtext.io.initiatives import read_initiatives
from cxtext.io.questions import answer_ids, stack_answers
from cxtext.io.read import RawInput
from cxtext.io.respondents import fill_respondents, key_headers
from cxtext.journey import assign_journey, load_references, nearest_references
from cxtext.journey import references_version as journey_version
from cxtext.journey.ownership import ownership_matrix
from cxtext.language import detect_languages
from cxtext.pii import (
    KINDS,
    Pseudonyms,
    redact_columns,
    redact_input,
    redact_pii,
    redact_rejects,
    redact_text,
    redact_warnings,
    run_pseudonyms,
)
from cxtext.pii.contact import without_writer_details
from cxtext.priority import rank_themes
from cxtext.priority.follow_up import follow_up_list, mark_follow_up
from cxtext.priority.initiatives import initiatives_gap
from cxtext.priority.segments import segment_priorities
from cxtext.progress import StageProgress
from cxtext.result import Result
from cxtext.run_info import column_pii_counts, run_metadata
from cxtext.scheduled import (
    changes_since_last_run,
    run_alerts,
    run_trends,
    state_warnings,
)
from cxtext.sentiment import assign_sentiment, clear_tone
from cxtext.sentiment.lexicon import cues_version, lexical_rows
from cxtext.state import (
    REFERENCES_DIR,
    ThemeState,
    embed_with_cache,
    lemmas_with_cache,
    rows_with_cache,
    vector_rows_with_cache,
)
from cxtext.taxonomy import Taxonomy, load_taxonomy
from cxtext.themes import assign_themes
from cxtext.themes.curation import CURATION_FILE, Curation, CurationError, load_curation
from cxtext.themes.keywords import comment_lemmas, lemmatizer_version
from cxtext.themes.label_language import LabelLanguage
from cxtext.themes.library import ThemeLibrary, load_library
from cxtext.themes.refit import refit_coverage
from cxtext.trends import Span, date_span
from cxtext.wording import no_usable_rows


@dataclass
class RunContext:
    """One run as it goes through the stages: the input and options, then each stage's part.

    `frame` holds every usable comment (no-content ones too); the vectors, `texts`, `langs`
    and `cues` hold one row per content comment, in frame order."""

    raw: RawInput
    config: AnalyzeConfig
    engine: Engine
    previous: ThemeState | None = None  # the last scheduled run's theme model (--state)
    progress: StageProgress = field(default_factory=lambda: StageProgress(None, None, 1))
    taxonomy: Taxonomy | None = None
    columns: ResolvedColumns | None = None  # as the input names them (run.json)
    renames: dict[str, str] = field(default_factory=dict)  # input column -> name in `frame`
    frame: pl.DataFrame | None = None
    empty: pl.DataFrame | None = None  # rows without a usable comment: rejects
    originals: pl.DataFrame | None = None  # --keep-pii: id, unredacted text
    pseudonyms: Pseudonyms | None = None  # identifiers that fill an id or other input cell
    column_pii: dict[str, dict[str, int]] = field(default_factory=dict)  # run.json
    initiatives: list[str] | None = None  # --initiatives, redacted
    initiative_langs: list[str] = field(default_factory=list)
    embedder: Embedder | None = None
    embeddings: np.ndarray | None = None
    space: np.ndarray | None = None  # language-neutral vectors: where themes are found
    means: dict[str, np.ndarray] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # texts less the writer's contact details
    langs: list[str] = field(default_factory=list)
    cues: np.ndarray | None = None  # sentiment cue counts per content comment
    library: ThemeLibrary | None = None
    themes: pl.DataFrame | None = None
    cuts: dict[str, int] = field(default_factory=dict)  # Ward cuts discovery took (state)
    curation: Curation = field(default_factory=Curation)  # the analyst's theme decisions
    label_language: LabelLanguage | None = None  # the language theme and group names are in
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    dated: pl.DataFrame | None = None  # dated comments trends counted, history too (--state)
    date_span: Span | None = None  # this run's first and last date
    seen_until: date | None = None  # the last date a state had seen before this run
    refit_warning: str | None = None  # a --refit on a file of mostly unseen comments
    references: set[str] = field(default_factory=set)  # reference vectors read (their keys)


Stage = Callable[[RunContext], RunContext]


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
        raise _no_usable_rows(raw.rejects)
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
        failure = _no_usable_rows(pl.concat([raw.rejects, context.empty]), unit, span)
        # rows read and none malformed, every comment blank: with --state, a quiet week
        raise NoComments(str(failure), failure.rejects, span) if raw.rejects.is_empty() else failure
    context.renames = contract_renames(stacked.columns, columns)
    context.originals = frame.select("id", "text") if config.keep_pii else None
    frame = redact_pii(frame)  # before embedding: PII never shapes themes
    # passed-through columns too; an id that is a CPR number becomes a pseudonym, not "[ID]"
    context.pseudonyms = run_pseudonyms(config.state)
    bookkeeping = ("text", "pii", ROW_COLUMN, QUESTION_ORDER)
    headers = key_headers(context.columns)  # "Kundenr": its cells are customer numbers
    redacted = redact_columns(
        frame, skip=bookkeeping, pseudonyms=context.pseudonyms, headers=headers
    )
    context.column_pii = column_pii_counts(frame, redacted, KINDS)
    # from the redacted id: "ID-3-q1", and "ID-3" where a customer key is blank
    context.frame = answer_ids(fill_respondents(redacted))
    context.initiatives = redacted_initiatives(config.initiatives) if config.initiatives else None
    return context


def redacted_initiatives(path: Path) -> list[str]:
    """The roadmap's initiatives, redacted as comments are: they reach initiatives.csv and the
    report."""
    return [redact_text(text)[0] for text in read_initiatives(path)]


def language(context: RunContext) -> RunContext:
    """`lang` and `lang_confidence` per comment (on the engine: local or Ray), and the language
    of each roadmap initiative, each on its own."""
    config = context.config
    context.frame = context.engine.assign_language(
        context.frame, state=config.state, language_mix=config.language_mix
    )
    if context.initiatives is not None:
        context.initiative_langs, _ = detect_languages(context.initiatives)
    return context


def embed(context: RunContext) -> RunContext:
    """One vector per content comment (each distinct text once; with a state, only new ones),
    and the language-neutral space themes are found in. A request to be called or mailed at a
    redacted number is left out of the embedded text (`pii/contact.py`): it is not the topic.
    `topics` keeps that text for the themes' keywords too."""
    config, engine = context.config, context.engine
    content = context.frame.filter(~pl.col("no_content"))
    context.texts = content.get_column("text").to_list()
    context.topics = without_writer_details(context.texts)
    context.langs = content.get_column("lang").to_list()
    context.progress.expect(content.height)
    context.embedder = engine.embedder(config.model, config.batch_size)
    context.embeddings = embed_with_cache(
        context.topics,
        config.state,
        context.embedder.cache_id,
        lambda texts: engine.embed(texts, config.model, config.batch_size, context.progress),
    )
    previous = context.previous
    langs = context.langs
    context.means = (
        extend_means(previous.language_means, context.embeddings, langs)
        if previous
        else language_means(context.embeddings, langs)
    )
    context.space = (
        centre(context.embeddings, langs, context.means)
        if config.themes.remove_language_signal
        else context.embeddings
    )
    return context


def sentiment(context: RunContext) -> RunContext:
    """Sentiment per comment, from its text (the score column never decides it)."""
    texts, langs = context.texts, context.langs
    lang_of = dict(zip(texts, langs, strict=True))
    context.cues = rows_with_cache(
        texts,
        context.config.state,
        "sentiment-cues",
        cues_version(),
        lambda new: lexical_rows(new, [lang_of[text] for text in new]),
        langs,
    )
    context.frame = assign_sentiment(
        context.frame, context.embeddings, context.embedder, context.cues
    )
    return context


def themes(context: RunContext) -> RunContext:
    """Library themes recognised, new ones discovered, the analyst's decisions applied
    (sentiment comes first: clear praise joins no complaint or wish theme, a clear complaint
    no praise theme)."""
    config, embedder = context.config, context.embedder
    if config.themes.use_library:
        context.library = load_library(
            context.taxonomy,
            embedder,
            embedder.cache_id,
            _references_folder(config),
            context.references,
        )
    written: dict = {}  # the texts split for their lemmas here, for names shown as written
    lemmas = lemmas_with_cache(  # 'personnummer', 'mitt' were keywords of 12 themes
        context.topics,
        context.langs,
        config.state,
        lemmatizer_version(),
        partial(comment_lemmas, written=written),
        written,
    )
    context.cuts = dict(context.previous.cuts) if context.previous else {}
    label_language: list[LabelLanguage] = []
    context.frame, context.themes = assign_themes(
        context.frame,
        context.space,
        config.themes,
        config.seed,
        context.library,
        context.taxonomy,
        context.previous,
        config.refit,
        lemmas,
        tone=clear_tone(context.frame, context.cues),
        curation=context.curation,
        cuts=context.cuts,
        written=written,
        label_language=label_language,
    )
    context.label_language = label_language[0]
    if config.refit and context.previous is not None:
        content = context.frame.filter(~pl.col("no_content")).get_column("text").to_list()
        context.refit_warning = refit_coverage(content, context.previous)
    return context


def journey(context: RunContext) -> RunContext:
    """Journey phase, owning silo and channels per comment and theme."""
    embedder = context.embedder
    references = load_references(
        context.taxonomy,
        embedder,
        embedder.cache_id,
        context.library,
        _references_folder(context.config),
        context.references,
    )
    # the overall mean marks the space (set by a first or refit run): a refit starts afresh
    space_mark = hashlib.sha256(context.means.get(OVERALL, np.zeros(0)).tobytes()).hexdigest()
    nearest = vector_rows_with_cache(
        context.space,
        context.config.state,
        "journey-nearest",
        f"{journey_version(references)}, space {space_mark}",
        lambda vectors: nearest_references(vectors, references, context.taxonomy),
    )
    context.frame, context.themes = assign_journey(
        context.frame,
        context.space,
        context.themes,
        context.taxonomy,
        references,
        context.columns.renamed(context.renames).channel,
        nearest,
    )
    return context


def priority(context: RunContext) -> RunContext:
    """Kano, impact and rank per theme; who owns what, whom to call back, and, where the input
    allows, segments, trends, changes since the last run and the initiatives gap."""
    # a score column named like an output column (`sentiment`) is read under its new name
    columns, config = context.columns.renamed(context.renames), context.config
    frame, themes = rank_themes(
        context.frame,
        context.themes,
        context.taxonomy,
        columns.score,
        config.seed,
        columns.score_scale,
    )
    context.frame = frame = mark_follow_up(frame, themes)
    context.themes = themes
    tables = {
        "ownership": ownership_matrix(frame, themes, context.taxonomy),
        "follow_up": follow_up_list(frame, (columns.date, columns.segment, columns.channel)),
    }
    if columns.segment:
        tables["segments"] = segment_priorities(frame, themes, columns.segment)
    final_id = context.curation.final_id if config.state is not None else None
    if columns.date:
        trends = run_trends(
            frame,
            columns.date,
            columns.id is not None,
            config.alerts.period,
            context.previous,
            final_id,
        )
        tables["trends"], context.date_span = trends.table, trends.span
        context.seen_until, context.dated = trends.seen_until, trends.dated
    if context.previous is not None:
        tables["changes"] = changes_since_last_run(
            themes, context.previous, config.alerts, context.curation.final_id
        )
    if context.initiatives is not None:
        tables["initiatives"] = initiatives_gap(
            context.initiatives, _initiative_vectors(context), frame, themes, context.space
        )
    context.tables = tables
    return context


def _initiative_vectors(context: RunContext) -> np.ndarray:
    """Each initiative in the comments' language-neutral space: its language's mean removed."""
    vectors = context.embedder.embed(context.initiatives, is_query=True)
    return centre(vectors, context.initiative_langs, context.means)


def to_result(context: RunContext) -> Result:
    """The run in the output contract's shape: comments, themes, rejects, run.json, tables."""
    raw = context.raw
    rejects = _redacted_rejects(pl.concat([raw.rejects, context.empty]))
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
    if context.label_language.note:
        run["label_language_note"] = context.label_language.note
    run["pii_redacted_columns"] = context.column_pii
    tables = dict(context.tables)
    refit = context.config.refit and context.previous is not None and "trends" in tables
    run["warnings"] += state_warnings(
        context.previous, run["input_sha256"], context.dated, refit, context.refit_warning
    )
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
    )


def _redacted_rejects(rejects: pl.DataFrame) -> pl.DataFrame:
    """Rejects in row order, their raw text redacted as every output column is."""
    return redact_rejects(rejects.sort("row", maintain_order=True))


def _no_usable_rows(
    rejects: pl.DataFrame, unit: str = "row", span: Span | None = None
) -> NoUsableRows:
    """The error that ends a run whose every row was rejected, with the rejects to write and
    the days their dates cover."""
    return NoUsableRows(no_usable_rows(rejects.height, unit), _redacted_rejects(rejects), span)


def _references_folder(config: AnalyzeConfig) -> Path | None:
    """Where a scheduled run keeps its embedded taxonomy texts (in its state folder)."""
    return config.state / REFERENCES_DIR if config.state else None
