"""`analyze(...)`: the one entry point; the CLI, scripts and tests all go through it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from cxtext import __version__
from cxtext.clean import clean_comments
from cxtext.config import AnalyzeConfig, ColumnOptions
from cxtext.embed.language_neutral import centre, language_means
from cxtext.engine import Engine, LocalEngine, load_engine
from cxtext.io.columns import resolve_columns
from cxtext.io.contract import ROW_COLUMN, empty_rejects
from cxtext.io.read import RawInput, read_input
from cxtext.journey import assign_journey, load_references
from cxtext.journey.ownership import ownership_matrix
from cxtext.language import assign_language
from cxtext.pii import redact_pii
from cxtext.priority import rank_themes
from cxtext.priority.follow_up import follow_up_list, mark_follow_up
from cxtext.priority.initiatives import initiatives_gap
from cxtext.priority.segments import segment_priorities
from cxtext.progress import RunProgress
from cxtext.report.map import comment_map, map_points
from cxtext.sentiment import assign_sentiment
from cxtext.sentiment.lexicon import cues_version, lexical_rows
from cxtext.state import (
    REFERENCES_DIR,
    ThemeState,
    comment_key,
    embed_with_cache,
    lemmas_with_cache,
    load_theme_state,
    locked,
    rows_with_cache,
    save_theme_state,
)
from cxtext.taxonomy import Taxonomy, load_taxonomy
from cxtext.themes import assign_themes
from cxtext.themes.incremental import theme_centroids
from cxtext.themes.keywords import comment_lemmas, lemmatizer_version
from cxtext.themes.library import load_library
from cxtext.trends import spike_alerts, theme_changes, theme_trends


@dataclass
class Result:
    """The frames of one run, in the output contract's shape, plus run metadata."""

    comments: pl.DataFrame
    themes: pl.DataFrame
    rejects: pl.DataFrame
    run: dict[str, Any]
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)  # ownership, follow_up, ...
    embeddings: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 0)))
    space: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 0)))
    language_means: dict[str, np.ndarray] = field(repr=False, default_factory=dict)
    documents: dict[str, Any] = field(default_factory=dict)  # JSON outputs, e.g. alerts
    comment_map: pl.DataFrame | None = None  # id, theme_id, x, y (see cxtext.report.map)

    def write(self, out_dir: str | Path, store: str | Path | None = None) -> Path:
        """Write the output contract into `out_dir` (created if missing); with `store`, also
        add the run to that DuckDB file."""
        from cxtext.io.write import write_outputs

        return write_outputs(self, Path(out_dir), Path(store) if store else None)


def analyze(
    source: str | Path | pl.DataFrame,
    *,
    config: AnalyzeConfig | None = None,
    out: str | Path | None = None,
    text_col: str | None = None,
    id_col: str | None = None,
    date_col: str | None = None,
    score_col: str | None = None,
    segment_col: str | None = None,
    model: str | None = None,
    seed: int | None = None,
    language_mix: bool | None = None,
    taxonomy: str | Path | None = None,
    initiatives: str | Path | None = None,
    state: str | Path | None = None,
    refit: bool | None = None,
    keep_pii: bool | None = None,
    store: str | Path | None = None,
    engine: str | None = None,
    ray_address: str | None = None,
    ray_workers: int | None = None,
    progress: bool = False,
) -> Result:
    """Run the whole pipeline on a file or a polars frame; write outputs when `out` is given."""
    config = _merge_options(
        config or AnalyzeConfig(),
        ColumnOptions(text_col, id_col, date_col, score_col, segment_col),
        model=model,
        seed=seed,
        language_mix=language_mix,
        taxonomy=Path(taxonomy) if taxonomy else None,
        initiatives=Path(initiatives) if initiatives else None,
        state=Path(state) if state else None,
        refit=refit,
        keep_pii=keep_pii,
        engine=engine,
        ray_address=ray_address,
        ray_workers=ray_workers,
        show_progress=progress,
    )
    raw = _read(source)
    if config.state is None:
        return _run_and_write(raw, config, None, out, store)
    with locked(config.state):
        previous = load_theme_state(config.state)
        result = _run_and_write(raw, config, previous, out, store)
        save_theme_state(config.state, next_theme_state(result, previous))
    return result


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
        result.write(out, store)
    return result


def _previous_map(previous: ThemeState | None, config: AnalyzeConfig) -> pl.DataFrame | None:
    """The last run's map positions, which an incremental run keeps (a refit draws afresh)."""
    return previous.map_points if previous is not None and not config.refit else None


def detect_file_languages(
    path: str | Path, text_col: str | None = None, language_mix: bool = True
) -> pl.DataFrame:
    """The input rows with `lang` and `lang_confidence` of their comment (for `cxtext langid`);
    `language_mix` weighs ambiguous comments by the file's own language mix."""
    raw = read_input(path)
    columns = resolve_columns(raw.frame, ColumnOptions(text=text_col))
    frame = raw.frame.with_columns(
        pl.col(columns.text).cast(pl.String).fill_null("").alias("_text")
    )
    frame = assign_language(frame, "_text", language_mix)
    return frame.drop("_text", ROW_COLUMN)


def run_pipeline(
    raw: RawInput,
    config: AnalyzeConfig,
    timer: RunProgress,
    previous: ThemeState | None = None,
    engine: Engine | None = None,
) -> Result:
    """read → clean → language → embed → themes → journey → sentiment → priority."""
    engine = engine or LocalEngine()
    with timer.stage("clean"):
        taxonomy = load_taxonomy(config.taxonomy)
        columns = resolve_columns(raw.frame, config.columns)
        frame, empty = clean_comments(raw.frame, columns)
        originals = frame.select("id", "text") if config.keep_pii else None
        frame = redact_pii(frame)  # before embedding: PII never shapes themes
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
    with timer.stage("themes"):
        use_library = config.themes.use_library
        keep_in = config.state / REFERENCES_DIR if config.state else None
        library = (
            load_library(taxonomy, embedder, embedder.cache_id, keep_in) if use_library else None
        )
        texts, refit = content.get_column("text").to_list(), config.refit
        lemmas = lemmas_with_cache(texts, langs, config.state, lemmatizer_version(), comment_lemmas)
        frame, themes = assign_themes(
            frame, space, config.themes, config.seed, library, taxonomy, previous, refit, lemmas
        )
    with timer.stage("journey"):
        references = load_references(taxonomy, embedder, embedder.cache_id, library, keep_in)
        frame, themes = assign_journey(frame, space, themes, taxonomy, references)
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
    with timer.stage("priority"):
        frame, themes = rank_themes(frame, themes, taxonomy, columns.score, config.seed)
        frame = mark_follow_up(frame)
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
        if initiatives is not None:
            tables["initiatives"] = initiatives_gap(
                initiatives, frame, themes, space, means, embedder
            )
    rejects = redact_pii(pl.concat([raw.rejects, empty]).sort("row"), "raw").drop("pii")
    comments = _contract_order(frame)
    run = _run_metadata(raw, config, columns.text, comments, themes, rejects, taxonomy)
    run["embedder"] = embedder.name
    run["embedding_engine"] = embedder.cache_id  # the cache key: model, engine, device
    run["pii_redacted"] = _pii_counts(comments)
    if originals is not None:  # --keep-pii: the local comments file only, never other outputs
        tables["_original_text"] = originals
    labels = dict(zip(themes.get_column("theme_id"), themes.get_column("label"), strict=True))
    documents = {"alerts": spike_alerts(tables["trends"], labels)} if "trends" in tables else {}
    return Result(comments, themes, rejects, run, tables, embeddings, space, means, documents)


def next_theme_state(result: Result, previous: ThemeState | None) -> ThemeState:
    """The theme model to keep for the next run: centroids, labels, assignments, history."""
    content = result.comments.filter(~pl.col("no_content"))
    theme_ids = np.asarray(content.get_column("theme_id").to_list())
    ids, centroids = theme_centroids(theme_ids, result.space)
    themes = result.themes
    numbers = [int(t[1:]) for t in ids if t[:1] == "n" and t[1:].isdigit()]
    history = [*(previous.history if previous else [])]
    history.append(
        {
            "input_sha256": result.run["input_sha256"],
            "rows": result.run["rows_written"],
            "themes": {
                r["theme_id"]: {"label": r["label"], "size": r["size"], "share": r["share"]}
                for r in themes.select("theme_id", "label", "size", "share").to_dicts()
            },
        }
    )
    return ThemeState(
        theme_ids=ids,
        centroids=centroids,
        labels=dict(zip(themes.get_column("theme_id"), themes.get_column("label"), strict=True)),
        sources=dict(zip(themes.get_column("theme_id"), themes.get_column("source"), strict=True)),
        language_means=result.language_means,
        next_new=max([previous.next_new if previous else 1, *[n + 1 for n in numbers]]),
        assignments={
            comment_key(text): theme
            for text, theme in zip(content.get_column("text"), theme_ids, strict=True)
        },
        history=history,
        map_points=(
            map_points(content.get_column("text"), result.comment_map)
            if result.comment_map is not None
            else None
        ),
    )


def _pii_counts(comments: pl.DataFrame) -> dict[str, int]:
    kinds = comments.get_column("pii").drop_nulls().str.split(",").explode()
    return dict(sorted(kinds.value_counts().iter_rows())) if kinds.len() else {}


def _last_sizes(previous: ThemeState) -> dict[str, dict] | None:
    return previous.history[-1]["themes"] if previous.history else None


def _run_metadata(
    raw: RawInput,
    config: AnalyzeConfig,
    text_column: str,
    comments: pl.DataFrame,
    themes: pl.DataFrame,
    rejects: pl.DataFrame,
    taxonomy: Taxonomy,
) -> dict[str, Any]:
    run = {
        "cxtext_version": __version__,
        "input": raw.source,
        "input_sha256": raw.file_hash,
        "input_format": raw.file_format,
        "rows_read": raw.rows_read,
        "rows_written": comments.height,
        "rows_rejected": rejects.height,
        "rows_no_content": int(comments.get_column("no_content").sum()),
        "text_column": text_column,
        "model": config.model,
        "seed": config.seed,
        "themes": themes.height,
        "taxonomy": str(taxonomy.path),
        "taxonomy_sha256": taxonomy.digest,
        "options": config.to_dict(),
    }
    if run["rows_read"] != run["rows_written"] + run["rows_rejected"]:
        raise AssertionError(f"rows not accounted for: {run}")  # a bug, never bad input
    return run


def read_initiatives(path: Path) -> list[str]:
    """Planned initiatives, one per row of a CSV/XLSX/... file (its text column)."""
    raw = read_input(path)
    column = resolve_columns(raw.frame, ColumnOptions()).text
    values = raw.frame.get_column(column).cast(pl.String).drop_nulls().str.strip_chars()
    return [v for v in values.to_list() if v]


def _contract_order(frame: pl.DataFrame) -> pl.DataFrame:
    """Contract columns first, then every input column under its own name, in input order."""
    from cxtext.io.contract import COMMENT_COLUMNS

    frame = frame.sort(ROW_COLUMN)
    first = [c for c in COMMENT_COLUMNS if c in frame.columns]
    first += [c for c in ("theme_score", "no_content") if c in frame.columns]
    rest = [c for c in frame.columns if c not in first and c != ROW_COLUMN]
    return frame.select(*first, *rest)


def _read(source: str | Path | pl.DataFrame) -> RawInput:
    if isinstance(source, pl.DataFrame):
        renamed = source.rename({ROW_COLUMN: f"{ROW_COLUMN}_input"} if ROW_COLUMN in source else {})
        frame = renamed.with_row_index(ROW_COLUMN, offset=1)
        digest = hashlib.sha256(source.write_csv().encode()).hexdigest()
        return RawInput(frame, empty_rejects(), source.height, digest, "frame", "<frame>")
    return read_input(source)


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
