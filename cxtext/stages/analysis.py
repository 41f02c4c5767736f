"""The per-comment and theme stages: language, vectors, sentiment, themes and journey."""

from __future__ import annotations

import hashlib
from functools import partial

import numpy as np
import polars as pl

from cxtext.embed.language_neutral import OVERALL, centre, extend_means, language_means
from cxtext.journey import (
    assign_journey,
    cue_hits,
    cue_hits_version,
    cue_lists,
    load_references,
    nearest_references,
)
from cxtext.journey import references_version as journey_version
from cxtext.language import detect_languages
from cxtext.pii.contact import without_writer_details
from cxtext.sentiment import assign_sentiment, clear_tone
from cxtext.sentiment.lexicon import cues_version, lexical_rows
from cxtext.stages.context import RunContext, references_folder
from cxtext.state import (
    embed_with_cache,
    lemmas_with_cache,
    rows_with_cache,
    vector_rows_with_cache,
)
from cxtext.themes import assign_themes
from cxtext.themes.keywords import comment_lemmas, lemmatizer_version
from cxtext.themes.label_language import LabelLanguage
from cxtext.themes.library import load_library
from cxtext.themes.off_journey import comment_contrast, embed_sentences, mark_off_journey
from cxtext.themes.refit import refit_coverage


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
    no praise theme), and discovered themes of social-media talk marked `off_journey`."""
    config, embedder = context.config, context.embedder
    if config.themes.use_library:
        context.library = load_library(
            context.taxonomy,
            embedder,
            embedder.cache_id,
            references_folder(config),
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
    context.themes = _off_journey(context)
    if config.refit and context.previous is not None:
        content = context.frame.filter(~pl.col("no_content")).get_column("text").to_list()
        context.refit_warning = refit_coverage(content, context.previous)
    return context


def _off_journey(context: RunContext) -> pl.DataFrame:
    """The themes with `off_journey`: discovered themes of social-media talk, not fixes. Scored
    on the raw vectors (`embeddings`), not the centred space: the same in every run."""
    embedder = context.embedder
    sentences = embed_sentences(
        context.taxonomy,
        embedder,
        embedder.cache_id,
        references_folder(context.config),
        context.references,
    )
    contrast = comment_contrast(context.embeddings, context.langs, sentences) if sentences else None
    content = context.frame.filter(~pl.col("no_content"))
    return mark_off_journey(context.themes, content.get_column("theme_id").to_list(), contrast)


def journey(context: RunContext) -> RunContext:
    """Journey phase, owning silo and channels per comment and theme."""
    embedder = context.embedder
    references = load_references(
        context.taxonomy,
        embedder,
        embedder.cache_id,
        context.library,
        references_folder(context.config),
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
    cues = _journey_cues(context)
    context.frame, context.themes = assign_journey(
        context.frame,
        context.space,
        context.themes,
        context.taxonomy,
        references,
        context.columns.renamed(context.renames).channel,
        nearest,
        cues,
    )
    return context


def _journey_cues(context: RunContext) -> np.ndarray | None:
    """The content comments' journey cue-word counts (`cue_hits`); with a state, only texts
    it never counted are searched (all 5,349 of a weekly rerun: 0.2 s). None where there is
    nothing to count: `assign_journey` does without."""
    texts, langs, taxonomy = context.texts, context.langs, context.taxonomy
    if not texts or not cue_lists(taxonomy):
        return None
    lang_of = dict(zip(texts, langs, strict=True))
    return rows_with_cache(
        texts,
        context.config.state,
        "journey-cues",
        cue_hits_version(taxonomy),
        lambda new: cue_hits(new, [lang_of[text] for text in new], taxonomy),
        langs,
        "<f4",  # counts: exact in float32, half the bytes (84 per comment)
    )
