"""`analyze(...)`: the one entry point; the CLI, scripts and tests all go through it."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl

from cxtext.clean import clean_comments
from cxtext.config import AnalyzeConfig, ColumnOptions
from cxtext.embed.language_neutral import centre, language_means
from cxtext.engine import Engine, LocalEngine, load_engine
from cxtext.io.columns import ResolvedColumns, resolve_columns
from cxtext.io.contract import ROW_COLUMN, contract_order, theme_order
from cxtext.io.output_folder import claimed
from cxtext.io.questions import stack_answers
from cxtext.io.read import RawInput, read_input, read_source
from cxtext.journey import assign_journey, load_references
from cxtext.journey.ownership import ownership_matrix
from cxtext.language import assign_language
from cxtext.outputs.report.map import comment_map
from cxtext.outputs.write import write_outputs
from cxtext.pii import redact_columns, redact_pii
from cxtext.priority import rank_themes
from cxtext.priority.follow_up import follow_up_list, mark_follow_up
from cxtext.priority.initiatives import initiatives_gap, read_initiatives
from cxtext.priority.segments import segment_priorities
from cxtext.progress import RunProgress
from cxtext.result import Result
from cxtext.run_info import run_metadata
from cxtext.sentiment import assign_sentiment, clear_tone
from cxtext.sentiment.lexicon import cues_version, lexical_rows
from cxtext.state import (
    REFERENCES_DIR,
    ThemeState,
    embed_with_cache,
    lemmas_with_cache,
    load_theme_state,
    locked,
    rows_with_cache,
    save_theme_state,
)
from cxtext.state.model import next_theme_state
from cxtext.taxonomy import Taxonomy, load_taxonomy
from cxtext.themes import assign_themes
from cxtext.themes.curation import CURATION_FILE, load_curation
from cxtext.themes.keywords import comment_lemmas, lemmatizer_version
from cxtext.themes.library import load_library
from cxtext.trends import spike_alerts, theme_changes, theme_trends

__all__ = ["LanguageRows", "Result", "analyze", "detect_file_languages", "run_pipeline"]


def analyze(
    source: str | Path | pl.DataFrame,
    *,
    config: AnalyzeConfig | None = None,
    out: str | Path | None = None,
    text_col: str | Sequence[str] | None = None,
    id_col: str | None = None,
    date_col: str | None = None,
    score_col: str | None = None,
    segment_col: str | None = None,
    channel_col: str | None = None,
    model: str | None = None,
    seed: int | None = None,
    language_mix: bool | None = None,
    taxonomy: str | Path | None = None,
    initiatives: str | Path | None = None,
    state: str | Path | None = None,
    refit: bool | None = None,
    curation: str | Path | None = None,
    keep_pii: bool | None = None,
    store: str | Path | None = None,
    engine: str | None = None,
    ray_address: str | None = None,
    ray_workers: int | None = None,
    progress: bool = False,
) -> Result:
    """Run the whole pipeline on a file or a polars frame; write outputs when `out` is given.

    `text_col` may name several columns, one per open question: each answer is a comment."""
    texts = (text_col,) if isinstance(text_col, str) else tuple(text_col or ())
    config = _merge_options(
        config or AnalyzeConfig(),
        ColumnOptions(
            texts[0] if len(texts) == 1 else texts or None,
            id_col,
            date_col,
            score_col,
            segment_col,
            channel_col,
        ),
        model=model,
        seed=seed,
        language_mix=language_mix,
        taxonomy=Path(taxonomy) if taxonomy else None,
        initiatives=Path(initiatives) if initiatives else None,
        state=Path(state) if state else None,
        refit=refit,
        curation=Path(curation) if curation else None,
        keep_pii=keep_pii,
        engine=engine,
        ray_address=ray_address,
        ray_workers=ray_workers,
        show_progress=progress,
    )
    with claimed(Path(out), _source_name(source)) if out is not None else nullcontext():
        raw = read_source(source)
        if config.state is None:
            return _run_and_write(raw, config, None, out, store)
        with locked(config.state):
            previous = load_theme_state(config.state)
            result = _run_and_write(raw, config, previous, out, store)
            save_theme_state(config.state, next_theme_state(result, previous))
        return result


def _source_name(source: str | Path | pl.DataFrame) -> str:
    return "<frame>" if isinstance(source, pl.DataFrame) else str(source)


def _run_and_write(
    raw: RawInput,
    config: AnalyzeConfig,
    previous: ThemeState | None,
    out: str | Path | None,
    store: str | Path | None = None,
) -> Result:
    """Outputs are written before the state is saved: a run killed in between is redone from
    the old state, giving the same outputs as a run that was never interrupted."""
    with (
        RunProgress(config.show_progress) as timer,
        load_engine(config.engine, config.ray_address, workers=config.ray_workers) as engine,
    ):
        result = run_pipeline(raw, config, timer, previous, engine)
        if out is not None or config.state is not None:
            with timer.stage("map"):
                result.comment_map = comment_map(result, _previous_map(previous, config))
    result.run["seconds"] = timer.seconds
    if out is not None:
        write_outputs(result, Path(out), Path(store) if store else None)
    return result


def _state_curation(state: Path | None) -> Path | None:
    """A scheduled run's theme decisions live in its state folder unless named elsewhere."""
    return state / CURATION_FILE if state is not None else None


def _previous_map(previous: ThemeState | None, config: AnalyzeConfig) -> pl.DataFrame | None:
    """The last run's map positions, which an incremental run keeps (a refit draws afresh)."""
    return previous.map_points if previous is not None and not config.refit else None


@dataclass(frozen=True)
class LanguageRows:
    """`cxtext langid`'s answer: the usable rows with their language, and the rejected rows."""

    rows: pl.DataFrame
    rejects: pl.DataFrame
    rows_read: int


def detect_file_languages(
    path: str | Path, text_col: str | None = None, language_mix: bool = True
) -> LanguageRows:
    """The input rows with `lang` and `lang_confidence` of their comment (for `cxtext langid`);
    `language_mix` weighs ambiguous comments by the file's own language mix. As in `analyze`,
    every text column is redacted first and unusable rows are rejects."""
    raw = read_input(path)
    text = resolve_columns(raw.frame, ColumnOptions(text=text_col)).text
    frame = redact_columns(raw.frame)
    frame = frame.with_columns(pl.col(text).cast(pl.String).fill_null("").alias("_text"))
    frame = assign_language(frame, "_text", language_mix)
    rejects = redact_columns(raw.rejects)
    return LanguageRows(frame.drop("_text", ROW_COLUMN), rejects, raw.rows_read)


def run_pipeline(
    raw: RawInput,
    config: AnalyzeConfig,
    timer: RunProgress,
    previous: ThemeState | None = None,
    engine: Engine | None = None,
) -> Result:
    """read → clean → language → embed → sentiment → themes → journey → priority (sentiment
    comes before themes: clear praise joins no complaint or wish theme, a clear
    complaint no praise theme)."""
    engine = engine or LocalEngine()
    with timer.stage("clean"):
        taxonomy = load_taxonomy(config.taxonomy)
        columns = resolve_columns(raw.frame, config.columns)
        frame, empty = clean_comments(*stack_answers(raw.frame, columns, raw.questions))
        originals = frame.select("id", "text") if config.keep_pii else None
        frame = redact_pii(frame)  # before embedding: PII never shapes themes
        frame = redact_columns(frame, skip=("text", "pii"))  # passed-through columns too
        initiatives = read_initiatives(config.initiatives) if config.initiatives else None
    with timer.stage("language"):
        frame = engine.assign_language(frame, state=config.state, language_mix=config.language_mix)
    content = frame.filter(~pl.col("no_content"))
    with timer.stage("embed", total=content.height) as advance:
        embedder = engine.embedder(config.model, config.batch_size)
        embeddings = embed_with_cache(
            content.get_column("text").to_list(),
            config.state,
            embedder.cache_id,
            lambda texts: engine.embed(texts, config.model, config.batch_size, advance),
        )
    langs = content.get_column("lang").to_list()
    means = previous.language_means if previous else language_means(embeddings, langs)
    space = centre(embeddings, langs, means) if config.themes.remove_language_signal else embeddings
    texts, refit = content.get_column("text").to_list(), config.refit
    with timer.stage("sentiment"):
        lang_of = dict(zip(texts, langs, strict=True))
        cues = rows_with_cache(
            texts,
            config.state,
            "sentiment-cues",
            cues_version(),
            lambda new: lexical_rows(new, [lang_of[text] for text in new]),
            langs,
        )
        frame = assign_sentiment(frame, embeddings, embedder, cues)
    with timer.stage("themes"):
        use_library = config.themes.use_library
        keep_in = config.state / REFERENCES_DIR if config.state else None
        library = (
            load_library(taxonomy, embedder, embedder.cache_id, keep_in) if use_library else None
        )
        lemmas = lemmas_with_cache(texts, langs, config.state, lemmatizer_version(), comment_lemmas)
        curation = load_curation(config.curation or _state_curation(config.state))
        frame, themes = assign_themes(
            frame,
            space,
            config.themes,
            config.seed,
            library,
            taxonomy,
            previous,
            refit,
            lemmas,
            tone=clear_tone(frame, cues),
            curation=curation,
        )
    with timer.stage("journey"):
        references = load_references(taxonomy, embedder, embedder.cache_id, library, keep_in)
        frame, themes = assign_journey(frame, space, themes, taxonomy, references)
    with timer.stage("priority"):
        frame, themes = rank_themes(
            frame, themes, taxonomy, columns.score, config.seed, columns.score_scale
        )
        frame = mark_follow_up(frame)
        tables = _priority_tables(frame, themes, taxonomy, columns, previous)
        if initiatives is not None:
            tables["initiatives"] = initiatives_gap(
                initiatives, frame, themes, space, means, embedder
            )
    rejects = redact_columns(pl.concat([raw.rejects, empty]).sort("row", maintain_order=True))
    comments, themes = contract_order(frame), theme_order(themes)
    run = run_metadata(raw, config, columns, comments, themes, rejects, taxonomy, embedder)
    if originals is not None:  # --keep-pii: the local comments file only, never other outputs
        tables["_original_text"] = originals
    labels = dict(zip(themes.get_column("theme_id"), themes.get_column("label"), strict=True))
    documents = {"alerts": spike_alerts(tables["trends"], labels)} if "trends" in tables else {}
    return Result(comments, themes, rejects, run, tables, embeddings, space, means, documents)


def _priority_tables(
    frame: pl.DataFrame,
    themes: pl.DataFrame,
    taxonomy: Taxonomy,
    columns: ResolvedColumns,
    previous: ThemeState | None,
) -> dict[str, pl.DataFrame]:
    """Who owns what, whom to call back, and, where the input allows, segments, trends and
    changes since the last scheduled run."""
    tables = {
        "ownership": ownership_matrix(frame, themes, taxonomy),
        "follow_up": follow_up_list(frame),
    }
    if columns.segment:
        tables["segments"] = segment_priorities(frame, themes, columns.segment)
    if columns.date:
        tables["trends"] = theme_trends(frame, columns.date)
    if previous is not None:
        tables["changes"] = theme_changes(themes, _last_sizes(previous))
    return tables


def _merge_options(
    config: AnalyzeConfig, columns: ColumnOptions, **overrides: Any
) -> AnalyzeConfig:
    """Keyword options override the config object; None means 'keep the config's value'."""
    merged_columns = replace(
        config.columns,
        **{k: v for k, v in vars(columns).items() if v is not None},
    )
    kept = {k: v for k, v in overrides.items() if v is not None}
    return replace(config, columns=merged_columns, **kept)


def _last_sizes(previous: ThemeState) -> dict[str, dict] | None:
    return previous.history[-1]["themes"] if previous.history else None
