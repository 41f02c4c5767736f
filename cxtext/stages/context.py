"""The run as it goes through the stages (`RunContext`), and the stage type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from cxtext.config import AnalyzeConfig
from cxtext.embed.base import Embedder
from cxtext.engine import Engine
from cxtext.io.columns import ResolvedColumns
from cxtext.io.read import RawInput
from cxtext.pii import Pseudonyms
from cxtext.progress import StageProgress
from cxtext.state import REFERENCES_DIR, ThemeState
from cxtext.taxonomy import Taxonomy
from cxtext.themes.curation import Curation
from cxtext.themes.label_language import LabelLanguage
from cxtext.themes.library import ThemeLibrary
from cxtext.trends import Span


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
    name_columns: tuple[str, ...] = ()  # input columns of people's names: pseudonyms out
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
    seen_again: tuple[int, int] = (0, 0)  # this run's dated comments the state had, of all
    refit_warning: str | None = None  # a --refit on a file of mostly unseen comments
    references: set[str] = field(default_factory=set)  # reference vectors read (their keys)


Stage = Callable[[RunContext], RunContext]


def references_folder(config: AnalyzeConfig) -> Path | None:
    """Where a scheduled run keeps its embedded taxonomy texts (in its state folder)."""
    return config.state / REFERENCES_DIR if config.state else None
