"""Journey stage: every comment and theme gets a journey phase, an owning silo and a channel.

Each decision combines three kinds of evidence from the taxonomy: the comment's library theme
(which carries a phase and silo), the nearest reference texts in embedding space (library
examples and the phase/silo descriptions in five languages), and cue words. Every decision has
a confidence and a runner-up.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from cxtext.embed.base import Embedder
from cxtext.embed.cache import embed_reference
from cxtext.embed.language_neutral import remove_language_signal
from cxtext.frames import scatter_content
from cxtext.io.contract import THEME_DTYPES
from cxtext.journey.channel import detect_channels, named_channel_ids
from cxtext.journey.evidence import NEAREST, keyword_hits, softmax
from cxtext.taxonomy import Taxonomy
from cxtext.themes.library import ThemeLibrary
from cxtext.vectors import chunked_nearest_mean

THEME_WEIGHT = 1.0  # the comment's library theme votes for its phase and silo
NEAREST_WEIGHT = 20.0  # a 0.05 cosine advantage weighs as much as the theme vote
KEYWORD_WEIGHT = 1.0  # per cue word found
CROSS_SILO_SHARE = 0.7  # below this share of comments in the top silo, a theme is cross-silo
CUE_RULES = 2  # bump when how `cue_hits` counts cue words changes (its rows are cached)


@dataclass(frozen=True)
class JourneyReferences:
    """Reference vectors with the phase and silo each one stands for."""

    vectors: np.ndarray
    phase: np.ndarray  # index into taxonomy.phases, -1 = none
    silo: np.ndarray  # index into taxonomy.silos, -1 = none


def load_references(
    taxonomy: Taxonomy,
    embedder: Embedder,
    model: str,
    library: ThemeLibrary | None,
    keep_in: Path | None = None,
    used: set[str] | None = None,
) -> JourneyReferences:
    """Library examples plus the phase and silo descriptions, in the language-neutral space
    (`keep_in`, `used`: as `embed_reference` takes them)."""
    phases, silos = list(taxonomy.phases), list(taxonomy.silos)
    texts, langs, phase_of, silo_of = [], [], [], []
    for index, phase in enumerate(taxonomy.phases.values()):
        for lang, text in sorted(phase.description.items()):
            texts.append(text), langs.append(lang), phase_of.append(index), silo_of.append(-1)
    for index, silo in enumerate(taxonomy.silos.values()):
        for lang, text in sorted(silo.description.items()):
            texts.append(text), langs.append(lang), phase_of.append(-1), silo_of.append(index)
    described = embed_reference(texts, embedder, model, keep_in, used)
    vectors = remove_language_signal(described, langs)
    if library is not None:
        themes = [taxonomy.themes[t] for t in library.theme_ids]
        vectors = np.vstack([vectors, library.example_vectors])
        phase_of += [phases.index(themes[t].phase) for t in library.example_theme]
        silo_of += [silos.index(themes[t].silo) for t in library.example_theme]
    return JourneyReferences(vectors, np.asarray(phase_of), np.asarray(silo_of))


def nearest_references(
    space: np.ndarray, references: JourneyReferences, taxonomy: Taxonomy
) -> np.ndarray:
    """(comments × (phases + silos)), float32: each comment's mean similarity to the nearest
    references of each phase, then of each silo. A row depends on its own vector alone, so a
    state keeps the rows of comments it has seen (`cxtext.stages.journey`)."""
    vectors, phase, silo = references.vectors, references.phase, references.silo
    return np.hstack(
        [
            chunked_nearest_mean(space, vectors[owner >= 0], owner[owner >= 0], count, NEAREST)
            for owner, count in ((phase, len(taxonomy.phases)), (silo, len(taxonomy.silos)))
        ]
    )


def references_version(references: JourneyReferences) -> str:
    """What `nearest_references` rows depend on besides the comment: the references (vectors,
    phase and silo of each) and how many nearest count."""
    digest = hashlib.sha256()
    for array in (references.vectors, references.phase, references.silo):
        digest.update(str((array.dtype, array.shape)).encode())
        digest.update(np.ascontiguousarray(array).tobytes())
    return f"nearest {NEAREST} (float64 sums), references {digest.hexdigest()}"


def cue_lists(taxonomy: Taxonomy) -> list[dict[str, list[str]]]:
    """Every cue-word list a journey decision counts, in the order of `cue_hits`' columns:
    the phases', the silo rules', the channels' (`named_channel_ids`)."""
    return [
        *(phase.keywords for phase in taxonomy.phases.values()),
        *(rule.keywords for rule in taxonomy.silo_rules),
        *(taxonomy.channels[channel].keywords for channel in named_channel_ids(taxonomy)),
    ]


def cue_hits(texts: Sequence[str], langs: Sequence[str], taxonomy: Taxonomy) -> np.ndarray:
    """(comments × `cue_lists`): how many of each list's cue words a comment holds; a row
    depends on its text and language alone, so a scheduled run caches it in the state."""
    return keyword_hits(texts, langs, cue_lists(taxonomy))


def cue_hits_version(taxonomy: Taxonomy) -> str:
    """What `cue_hits` rows depend on besides the comment: the cue words and how they match."""
    words = json.dumps(cue_lists(taxonomy), sort_keys=True, ensure_ascii=False)
    return f"rules {CUE_RULES}, words {hashlib.sha256(words.encode()).hexdigest()}"


def assign_journey(
    frame: pl.DataFrame,
    space: np.ndarray,
    themes: pl.DataFrame,
    taxonomy: Taxonomy,
    references: JourneyReferences,
    channel_column: str | None = None,
    nearest: np.ndarray | None = None,
    cues: np.ndarray | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add phase, silo and channel (with confidence and runner-up) to comments and themes.
    `channel_column`: the input column naming the channel each comment came through; a
    comment that names no channel itself gets that one. `nearest`: `nearest_references` of
    `space`, `cues`: the content comments' `cue_hits`, when already at hand."""
    content = frame.filter(~pl.col("no_content"))
    texts, langs = content.get_column("text").to_list(), content.get_column("lang").to_list()
    theme_ids = content.get_column("theme_id").to_list()
    phases, silos = list(taxonomy.phases), list(taxonomy.silos)
    if nearest is None:
        nearest = nearest_references(space, references, taxonomy)
    if cues is None:
        cues = cue_hits(texts, langs, taxonomy)
    rules = len(phases) + len(taxonomy.silo_rules)
    cues = np.asarray(cues, dtype=np.float32)  # counts: exact in float32 and cached float64
    phase_hits, rule_hits, channel_hits = np.split(cues, [len(phases), rules], axis=1)
    phase_p = _decide(
        theme_ids,
        taxonomy,
        nearest[:, : len(phases)],
        phases,
        "phase",
        phase_hits,
    )
    silo_lexical = _silo_rule_hits(rule_hits, phase_p.argmax(axis=1), taxonomy)
    silo_p = _decide(theme_ids, taxonomy, nearest[:, len(phases) :], silos, "silo", silo_lexical)
    came_through = (
        content.get_column(channel_column).cast(pl.String).to_list() if channel_column else None
    )
    channels = detect_channels(texts, langs, taxonomy, came_through, channel_hits)
    decided = {
        **_columns("phase", phase_p, phases),
        **_columns("silo", silo_p, silos),
        "channel": pl.Series(channels, dtype=pl.String),
    }
    frame = scatter_content(frame, decided, {"channel": "none"})
    return frame, summarise_themes(frame, themes, phase_p, silo_p, phases, silos)


def _decide(
    theme_ids: list[str],
    taxonomy: Taxonomy,
    nearest: np.ndarray,
    labels: list[str],
    attribute: str,
    lexical: np.ndarray,
) -> np.ndarray:
    """Probabilities (comments × labels) from theme vote, nearest references and cue words."""
    vote = np.zeros((len(theme_ids), len(labels)), dtype=np.float32)
    for row, theme_id in enumerate(theme_ids):
        theme = taxonomy.themes.get(theme_id)
        if theme is not None:
            vote[row, labels.index(getattr(theme, attribute))] = 1.0
    scores = THEME_WEIGHT * vote + NEAREST_WEIGHT * nearest + KEYWORD_WEIGHT * lexical
    return softmax(scores)


def _silo_rule_hits(
    rule_hits: np.ndarray, phase_index: np.ndarray, taxonomy: Taxonomy
) -> np.ndarray:
    """Cue words of silo rules (`rule_hits`: comments × rules) count only for comments in the
    rule's phase."""
    phases, silos = list(taxonomy.phases), list(taxonomy.silos)
    hits = np.zeros((len(rule_hits), len(silos)), dtype=np.float32)
    for column, rule in enumerate(taxonomy.silo_rules):
        in_phase = phase_index == phases.index(rule.phase)
        hits[in_phase, silos.index(rule.silo)] += rule_hits[in_phase, column]
    return hits


def _columns(name: str, probabilities: np.ndarray, labels: list[str]) -> dict[str, pl.Series]:
    order = np.argsort(-probabilities, axis=1, kind="stable")
    rows = np.arange(len(probabilities))
    best, second = order[:, 0] if len(labels) else [], order[:, 1] if len(labels) > 1 else None
    return {
        name: pl.Series([labels[i] for i in best], dtype=pl.String),
        f"{name}_confidence": pl.Series(
            np.round(probabilities[rows, best].astype(np.float64), 3), dtype=pl.Float64
        ),
        f"{name}_runner_up": pl.Series(
            [labels[i] for i in second] if second is not None else [None] * len(rows),
            dtype=pl.String,
        ),
    }


def summarise_themes(
    comments: pl.DataFrame,
    themes: pl.DataFrame,
    phase_p: np.ndarray,
    silo_p: np.ndarray,
    phases: list[str],
    silos: list[str],
) -> pl.DataFrame:
    """Theme phase and silo from their comments' mean probabilities; channels; cross-silo."""
    content = comments.filter(~pl.col("no_content"))
    theme_of = np.asarray(content.get_column("theme_id").to_list())
    silo_of = content.get_column("silo").to_list()
    channel_of = content.get_column("channel").to_list()
    rows = []
    for theme_id in themes.get_column("theme_id"):
        members = theme_of == theme_id
        phase_mean, silo_mean = phase_p[members].mean(axis=0), silo_p[members].mean(axis=0)
        silo_counts = Counter(s for s, m in zip(silo_of, members, strict=True) if m)
        top_silo = silos[int(silo_mean.argmax())]
        channel_counts = Counter(
            c for c, m in zip(channel_of, members, strict=True) if m and c != "none"
        )
        rows.append(
            {
                "phase": phases[int(phase_mean.argmax())],
                "phase_confidence": round(float(phase_mean.max()), 3),
                "silo": top_silo,
                "silo_confidence": round(float(silo_mean.max()), 3),
                "channels": json.dumps(dict(channel_counts.most_common()), ensure_ascii=False),
                "cross_silo": silo_counts[top_silo] / max(1, members.sum()) < CROSS_SILO_SHARE,
            }
        )
    names = ("phase", "phase_confidence", "silo", "silo_confidence", "channels", "cross_silo")
    schema = {name: THEME_DTYPES[name] for name in names}
    return pl.concat([themes, pl.DataFrame(rows, schema=schema)], how="horizontal")
