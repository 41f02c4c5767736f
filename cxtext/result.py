"""`Result`: the frames of one run in the output contract's shape, and its metadata.

Plain data: writing it is `cxtext.outputs.write.write_outputs`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import polars as pl


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
    comment_map: pl.DataFrame | None = None  # id, theme_id, x, y (see cxtext.outputs.report.map)
    cuts: dict[str, int] = field(default_factory=dict)  # Ward cuts of discovery, for the state
    # the dated comments trends counted, history included (cxtext.state.dated), for the state,
    # and the first and last date of this run's comments (None: no date column or no date)
    dated: pl.DataFrame | None = None
    date_span: tuple[date, date] | None = None
    references: frozenset[str] = frozenset()  # keys of the reference vectors the run read
    library_themes: tuple[str, ...] = ()  # the library theme ids this run could recognise
