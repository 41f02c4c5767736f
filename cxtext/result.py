"""`Result`: the frames of one run in the output contract's shape, and its metadata.

Plain data: writing it is `cxtext.outputs.write.write_outputs`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from cxtext.io.contract import COMMENT_COLUMNS, THEME_COLUMNS


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

    @classmethod
    def quiet(
        cls, run: dict[str, Any], rejects: pl.DataFrame, date_span: tuple[date, date] | None = None
    ) -> Result:
        """A scheduled run's quiet week: no comment and no theme (the contract's columns, no
        rows), its run.json and rejects; one shape for `--store` and `cxtext export`."""
        comments = pl.DataFrame(schema=dict.fromkeys(COMMENT_COLUMNS, pl.String))
        themes = pl.DataFrame(schema=dict.fromkeys(THEME_COLUMNS, pl.String))
        return cls(comments, themes, rejects, run, date_span=date_span)
