"""Theme ids: a library theme keeps its taxonomy id; a first run numbers its discovered themes
`d01`, `d02`, ...; themes found beside the library, or by a later run, are `n01`, `n02`, ...
"""

from __future__ import annotations

import re

import numpy as np

from cxtext.io.contract import OUTLIER_THEME

FIRST_RUN_PREFIX = "d"  # themes a first run discovers without a library
NEW_PREFIX = "n"  # themes found beside the library, or by a later run
DISCOVERED = (NEW_PREFIX, FIRST_RUN_PREFIX)  # every other id is a library theme
DISCOVERED_ID = re.compile(rf"[{''.join(DISCOVERED)}]\d+")


def is_discovered(theme_id: str) -> bool:
    """Is the theme one a run discovered (`n01`, `d01`), not a library theme? A prefix alone
    would take the library's `damaged_or_wrong_item` for one."""
    return DISCOVERED_ID.fullmatch(theme_id) is not None


def new_theme_id(number: int) -> str:
    """The id of the `number`-th new theme: `n01`, `n02`, ..."""
    return f"{NEW_PREFIX}{number:02d}"


def discovered_ids(clusters: np.ndarray, prefix: str) -> np.ndarray:
    """`d01`, `d02`, ... in cluster order (clusters come numbered by size); -1 stays -1."""
    names = {c: f"{prefix}{i + 1:02d}" for i, c in enumerate(sorted(set(clusters[clusters >= 0])))}
    return np.array([names.get(c, OUTLIER_THEME) for c in clusters], dtype=object)


def compact_discovered_ids(theme_ids: np.ndarray) -> np.ndarray:
    """Discovered ids numbered again without gaps, in their order (`d01`, `d03` → `d01`, `d02`):
    for a first run whose copies of one comment emptied a theme (`one_theme_per_text`)."""
    names = {}
    for prefix in DISCOVERED:
        ours = {t for t in theme_ids if t.startswith(prefix) and is_discovered(t)}
        kept = sorted(ours, key=lambda t: int(t[1:]))
        names |= {old: f"{prefix}{i + 1:02d}" for i, old in enumerate(kept)}
    return np.array([names.get(t, t) for t in theme_ids], dtype=object).astype(str)
