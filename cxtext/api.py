"""`analyze(...)`: the one entry point; the CLI, scripts and tests all go through it."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl

from cxtext import stages
from cxtext.clean.messages import message_bodies
from cxtext.config import AnalyzeConfig, ColumnOptions
from cxtext.embed.cache import prune_references
from cxtext.engine import Engine, LocalEngine, load_engine
from cxtext.errors import NoComments, NoDataRows, NoUsableRows
from cxtext.io.columns import resolve_columns
from cxtext.io.contract import COMMENT_COLUMNS, ROW_COLUMN, THEME_COLUMNS
from cxtext.io.load import quiet_result
from cxtext.io.output_folder import claimed
from cxtext.io.read import RawInput, read_input, read_source
from cxtext.language import assign_language
from cxtext.outputs.report.map import comment_map
from cxtext.outputs.store import check_store, write_store
from cxtext.outputs.write import check_input_kept, write_failed_run, write_outputs
from cxtext.pii import redact_input, redact_input_columns, redact_rejects, run_pseudonyms
from cxtext.progress import RunProgress
from cxtext.result import Result
from cxtext.run_info import failed_run_metadata
from cxtext.scheduled import quiet_history, quiet_warning
from cxtext.stages import RunContext, Stage, to_result
from cxtext.state import (
    REFERENCES_DIR,
    ThemeState,
    load_history,
    load_theme_state,
    locked,
    require_same_model,
    save_history,
    save_theme_state,
)
from cxtext.state.model import next_theme_state

__all__ = ["STAGES", "LanguageRows", "Result", "analyze", "detect_file_languages", "run_pipeline"]

# The pipeline, in order: each stage takes the run context and returns it (`cxtext.stages`).
# Sentiment comes before themes: clear praise joins no complaint or wish theme, a clear
# complaint no praise theme. The 2-D comment map is drawn after them, for the outputs.
STAGES: tuple[tuple[str, Stage], ...] = (
    ("clean", stages.clean),  # columns found, answers stacked, PII redacted
    ("language", stages.language),  # lang per comment
    ("embed", stages.embed),  # vectors, and the language-neutral space
    ("sentiment", stages.sentiment),  # neg / neu / pos per comment
    ("themes", stages.themes),  # library themes, new themes, curation
    ("journey", stages.journey),  # phase, owning silo, channels
    ("priority", stages.priority),  # Kano, impact, rank; ownership, segments, trends, ...
)


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
    respondent_col: str | None = None,
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
    library: bool | None = None,
    label_language: str | None = None,
    progress: bool = False,
) -> Result:
    """Run the whole pipeline on a file or a polars frame; write outputs when `out` is given.

    `text_col` may name several columns, one per open question: each answer is a comment.
    `respondent_col`: a customer key repeated over a customer's comments (default: found).
    `library=False` discovers every theme, recognising none of the taxonomy's.
    `label_language`: the language of theme and group names (da, sv, nb, nn, en, or `auto`)."""
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
            respondent_col,
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
    themes = {"use_library": library, "label_language": label_language}
    if any(value is not None for value in themes.values()):
        kept = {name: value for name, value in themes.items() if value is not None}
        config = replace(config, themes=replace(config.themes, **kept))
    if store is not None:
        check_store(store)  # before any work, as --out is
    if out is not None and not isinstance(source, pl.DataFrame):
        check_input_kept(Path(source), Path(out))
    with claimed(Path(out), _source_name(source)) if out is not None else nullcontext():
        try:
            raw = read_source(source)
        except NoDataRows as failure:  # a header and no row: with --state, a quiet week
            if config.state is None:
                raise
            raw = failure.raw
        if config.state is None:
            return _run_and_write(raw, config, None, out, store)
        with locked(config.state):
            return _scheduled_run(raw, config, config.state, out, store)


def _scheduled_run(
    raw: RawInput,
    config: AnalyzeConfig,
    folder: Path,
    out: str | Path | None,
    store: str | Path | None,
) -> Result:
    """A `--state` run: from the state's themes, saving the next state (a quiet week: its
    history alone, a state without themes yet included, so each quiet week has its own
    `state_run` and the first run with comments keeps the weeks before it)."""
    previous = load_theme_state(folder)
    require_same_model(previous, config.model, folder)
    history = previous.history if previous is not None else load_history(folder)
    result = _run_and_write(raw, config, previous, out, store, history)
    if result.run.get("quiet"):
        save_history(folder, quiet_history(history, raw.file_hash, result.date_span))
        return result
    state = next_theme_state(result, previous)
    if previous is None and history:  # quiet weeks before the first run with comments
        state = replace(state, history=[*history, *state.history])
    save_theme_state(folder, state)
    prune_references(folder / REFERENCES_DIR, set(result.references))
    return result


def _source_name(source: str | Path | pl.DataFrame) -> str:
    return "<frame>" if isinstance(source, pl.DataFrame) else str(source)


def _run_and_write(
    raw: RawInput,
    config: AnalyzeConfig,
    previous: ThemeState | None,
    out: str | Path | None,
    store: str | Path | None = None,
    history: list[dict] | None = None,
) -> Result:
    """Outputs are written before the state is saved: a run killed in between is redone from
    the old state, giving the same outputs as a run that was never interrupted. `history`:
    the state's runs so far (`--state`)."""
    with (
        RunProgress(config.show_progress) as timer,
        load_engine(config.engine, config.ray_address, workers=config.ray_workers) as engine,
    ):
        try:
            result = run_pipeline(raw, config, timer, previous, engine)
        except NoUsableRows as failure:
            if config.state is not None and isinstance(failure, NoComments):
                return _quiet_run(failure, raw, config, out, store, history or [])
            raise _with_rejects_written(failure, raw, config, out) from None
        if out is not None or config.state is not None:
            with timer.stage("map"):
                result.comment_map = comment_map(result, _previous_map(previous, config))
    result.run["seconds"] = timer.seconds
    if out is not None:
        write_outputs(result, Path(out), Path(store) if store else None)
    return result


def _with_rejects_written(
    failure: NoUsableRows, raw: RawInput, config: AnalyzeConfig, out: str | Path | None
) -> NoUsableRows:
    """Every row was rejected: rejects.csv and run.json are written to `out` all the same (the
    user needs the reasons), and the error says where; the state is left as it was."""
    if out is None:
        return failure
    message = str(failure)
    path = write_failed_run(
        failure.rejects, failed_run_metadata(raw, config, failure.rejects, message), Path(out)
    )
    return NoUsableRows(f"{message}; every row and its reason in {path}", failure.rejects)


def _quiet_run(
    failure: NoUsableRows,
    raw: RawInput,
    config: AnalyzeConfig,
    out: str | Path | None,
    store: str | Path | None = None,
    history: list[dict] | None = None,
) -> Result:
    """A scheduled run whose file has no usable comment (a quiet week): not an error but a
    run of 0 comments, so a weekly job does not fail. `out` gets rejects.csv, run.json (with
    the warning) and comments.csv and themes.csv with their headers only; `store` a row in
    `runs` with 0 comments and 0 themes, so a dashboard shows the week. run.json's
    `state_run` (its place in the state's history) tells two quiet weeks of one file apart:
    the store keys a run by its run.json."""
    message = str(failure)
    run = failed_run_metadata(raw, config, failure.rejects, message)
    del run["error"]
    listed = out is not None and not failure.rejects.is_empty()
    rejects_path = Path(out).resolve() / "rejects.csv" if listed else None
    span = failure.span
    run |= {
        "quiet": True,
        "themes": 0,
        "state_run": len(history or []) + 1,
        "dates": [day.isoformat() for day in span] if span else None,
        "warnings": [quiet_warning(message, rejects_path)],
    }
    if out is not None:
        empty = {"comments.csv": COMMENT_COLUMNS, "themes.csv": THEME_COLUMNS}
        write_failed_run(failure.rejects, run, Path(out), empty)
    result = quiet_result(run, failure.rejects, span)
    if out is not None and store is not None:  # as a run with comments: beside its --out
        write_store(result, store)
    return result


def _previous_map(previous: ThemeState | None, config: AnalyzeConfig) -> pl.DataFrame | None:
    """The last run's map positions, which an incremental run keeps (a refit draws afresh)."""
    return previous.map_points if previous is not None and not config.refit else None


@dataclass(frozen=True)
class LanguageRows:
    """`cxtext langid`'s answer: the usable rows with their language, and the rejected rows."""

    rows: pl.DataFrame
    rejects: pl.DataFrame
    rows_read: int
    text: str | None = None  # the column read (None: every row was rejected by the reader)
    other_texts: tuple[str, ...] = ()  # other columns of free-text answers, not read


def detect_file_languages(
    path: str | Path, text_col: str | None = None, language_mix: bool = True
) -> LanguageRows:
    """The input rows with `lang` and `lang_confidence` of their comment (for `cxtext langid`);
    `language_mix` weighs ambiguous comments by the file's own language mix. As in `analyze`,
    every text column is redacted first (a cell that is one identifier becomes a pseudonym,
    keyed by `CXTEXT_PSEUDONYM_KEY` or numbered) and unusable rows are rejects."""
    raw, options = redact_input(read_input(path), ColumnOptions(text=text_col))
    if raw.frame.height == 0:  # every row rejected by the reader: no columns to find
        rejects = redact_rejects(raw.rejects, raw.frame.columns)
        return LanguageRows(raw.frame.drop(ROW_COLUMN), rejects, raw.rows_read)
    columns = resolve_columns(raw.frame, options)
    text = columns.text
    # as analyze redacts them, on the input's own column names: no header map is needed
    frame, _ = redact_input_columns(raw.frame, run_pseudonyms(None), (ROW_COLUMN,), (text,))
    # the words `analyze` reads: a helpdesk message without its HTML, reply chain, signature
    body = message_bodies(frame.get_column(text).cast(pl.String)).fill_null("")
    frame = frame.with_columns(body.alias("_text"))
    frame = assign_language(frame, "_text", language_mix)
    rejects = redact_rejects(raw.rejects, raw.frame.columns)
    rows = frame.drop("_text", ROW_COLUMN)
    return LanguageRows(rows, rejects, raw.rows_read, text, columns.other_texts)


def run_pipeline(
    raw: RawInput,
    config: AnalyzeConfig,
    timer: RunProgress,
    previous: ThemeState | None = None,
    engine: Engine | None = None,
) -> Result:
    """Run every stage of `STAGES` in order on one run context, each timed under its name."""
    context = RunContext(raw, config, engine or LocalEngine(), previous)
    for name, stage in STAGES:
        with timer.stage(name) as progress:
            context.progress = progress
            context = stage(context)
    return to_result(context)


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
