"""A refit on a scheduled run: themes fitted from scratch, then put back on the last run's ids.

A fitted theme continues the old theme most of its seen comments were in, else the old theme
whose centroid it matches (`map_to_previous`); then old themes the fit merged away come back,
and seen comments stay in their old theme unless the old centroids agree with the move,
clearly where it is between two old themes (`refit_ids`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from cxtext.io.contract import OUTLIER_THEME
from cxtext.state import ThemeState
from cxtext.state.keys import comment_keys
from cxtext.state.model import theme_centroids
from cxtext.themes.ids import is_discovered, new_theme_id

SAME_THEME = 0.80  # centroids at least this close are the same theme across runs


def map_to_previous(
    theme_ids: np.ndarray, space: np.ndarray, previous: ThemeState | None, keys: list[str]
) -> tuple[np.ndarray, int]:
    """After a refit, give each fitted theme the old id it continues (library ids are stable by
    construction); unmatched new themes get fresh ids after the old ones.

    A fitted theme continues the old theme that most of its seen comments (`keys` found in the
    previous run's assignments) belonged to, the largest overlaps first; a theme of mostly new
    comments continues the old theme whose centroid it matches (`SAME_THEME`), the closest pairs
    first. Ids follow comments, so a label never moves to a theme of other comments.
    """
    next_new = previous.next_new if previous else 1
    fitted = sorted(set(theme_ids) - {OUTLIER_THEME})
    stable = {t for t in fitted if not is_discovered(t)}
    renamed = {t: t for t in stable}
    if previous is not None:
        open_ids = [t for t in fitted if t not in stable]
        old_ids = [t for t in previous.theme_ids if is_discovered(t) and t not in stable]
        for fitted_id, old_id in _pairs_by_overlap(theme_ids, keys, previous, open_ids, old_ids):
            renamed[fitted_id] = old_id
        open_ids = [t for t in open_ids if t not in renamed]
        taken = set(renamed.values())
        old_ids = [t for t in old_ids if t not in taken]
        for fitted_id, old_id in _pairs_by_centroid(theme_ids, space, previous, open_ids, old_ids):
            renamed[fitted_id] = old_id
        open_ids = [t for t in open_ids if t not in renamed]
        renamed |= _split_pieces(theme_ids, keys, space, previous, open_ids)
    for theme_id in fitted:
        if theme_id not in renamed:
            renamed[theme_id] = new_theme_id(next_new)
            next_new += 1
    mapped = np.array([renamed.get(t, t) for t in theme_ids], dtype=object)
    return mapped.astype(str), next_new


def refit_coverage(texts: list[str], previous: ThemeState) -> str | None:
    """A warning when a refit's file holds few comments the state has seen: the refit fits on
    this file alone, so a weekly file gives a week's themes, and its ids follow the old ones by
    centroid only (500 new Swedish reviews split 'Poor service' into three new themes for that
    week, while the weeks around it kept it)."""
    keys = comment_keys(texts)
    seen = sum(key in previous.assignments for key in keys)
    if not keys or seen * 2 >= len(keys):
        return None
    return (
        f"--refit fitted the themes on this file alone, and the --state folder had seen only "
        f"{seen} of its {len(keys)} comments: to refit on more than this week, give --refit a "
        "file that joins the earlier exports with this one"
    )


def refit_ids(
    fitted: np.ndarray, space: np.ndarray, previous: ThemeState, keys: list[str], min_size: int
) -> np.ndarray:
    """A refit's theme ids on the last run's: fitted themes mapped to the old ids they continue
    (`map_to_previous`), old themes the fit merged away restored (`restore_merged`), seen
    comments kept in their theme unless the last run's centroids agree with the move
    (`keep_seen`), and the remnants these moves leave folded (`fold_remnants`)."""
    mapped, _ = map_to_previous(fitted, space, previous, keys)
    theme_ids = restore_merged(mapped, space, previous, min_size)
    theme_ids = keep_seen(theme_ids, space, previous, keys)
    last = [previous.assignments.get(k, "") for k in keys]
    return fold_remnants(mapped, theme_ids, space, min_size, last)


def restore_merged(
    theme_ids: np.ndarray, space: np.ndarray, previous: ThemeState, min_size: int
) -> np.ndarray:
    """After `map_to_previous`: an old discovered theme the refit merged into another comes
    back where its stored centroid still explains its comments better than the theme they
    were merged into. A comment in a discovered theme moves to the missing old theme whose
    centroid it is closest to when that is closer than its own theme's centroid; a missing
    theme that wins at least `min_size` comments comes back (`scripts/bench_incremental.py`).
    New comments move as seen ones do: the old theme is a theme again, not a list of ids.
    """
    alive = set(theme_ids)
    gone = [t for t in previous.theme_ids if is_discovered(t) and t not in alive]
    discovered = np.array([is_discovered(t) for t in theme_ids], dtype=bool)
    if not gone or not discovered.any():
        return theme_ids
    ids, centroids = theme_centroids(np.where(discovered, theme_ids, OUTLIER_THEME), space)
    own = np.zeros(len(theme_ids))
    for theme_id, centroid in zip(ids, centroids, strict=True):
        rows = theme_ids == theme_id
        own[rows] = space[rows] @ centroid
    old = space @ previous.centroids[[previous.theme_ids.index(t) for t in gone]].T
    nearest = old.argmax(axis=1)
    moves = discovered & (old[np.arange(len(theme_ids)), nearest] > own)
    restored = theme_ids.astype(object).copy()
    for column, old_id in enumerate(gone):
        rows = moves & (nearest == column)
        if rows.sum() >= min_size:
            restored[rows] = old_id
    return restored.astype(str)


def keep_seen(
    theme_ids: np.ndarray,
    space: np.ndarray,
    previous: ThemeState,
    keys: list[str],
) -> np.ndarray:
    """After a refit's mapping: a seen comment the refit moved to another theme goes back to
    its last theme (still there) unless the last run's centroids agree with the move: its new
    theme's stored centroid (this fit's for a theme the last run did not have) must be closer
    to it than its last theme's, and between two old themes closer by more than the last run
    itself tolerated (`last_run_tolerance`). The stored centroids, which the refit's own moves
    cannot shift, decide: on this fit's centroids a piece of an old theme put with another
    takes that theme's centroid along (0.912 of seen comments kept their id; on the stored
    ones 0.955, with the tolerance between old themes 0.975; into a new theme no margin
    applies, so new topics still form: `scripts/bench_incremental.py`; docs/journal/performance.md,
    "Refit stability, where the CLI loses it")."""
    last = np.array([previous.assignments.get(k, OUTLIER_THEME) for k in keys], dtype=object)
    alive = set(theme_ids) - {OUTLIER_THEME}
    stored = set(previous.theme_ids)
    movable = np.array([t in alive and t in stored for t in last], dtype=bool)
    rows = np.flatnonzero(movable & (theme_ids != last) & (theme_ids != OUTLIER_THEME))
    if len(rows) == 0:
        return theme_ids
    ids, centroids = theme_centroids(theme_ids, space)
    reference = dict(zip(ids, centroids, strict=True))
    reference |= dict(zip(previous.theme_ids, previous.centroids, strict=True))
    near_last = np.einsum("ij,ij->i", space[rows], np.stack([reference[t] for t in last[rows]]))
    near_now = np.einsum("ij,ij->i", space[rows], np.stack([reference[t] for t in theme_ids[rows]]))
    between_old = np.isin(theme_ids[rows], list(stored))
    margin = np.where(between_old, last_run_tolerance(space, previous, last), 0.0)
    back = rows[near_last + margin >= near_now]
    kept = theme_ids.astype(object).copy()
    kept[back] = last[back]
    return kept.astype(str)


def last_run_tolerance(space: np.ndarray, previous: ThemeState, last: np.ndarray) -> float:
    """How much closer to another stored centroid than to its own the last run let a comment
    sit and still kept it in its theme: the median of that gap over the seen comments that sit
    closer to another theme (0 when none does). Clusters are cut on the UMAP layout, not on
    centroids, so a third of the bench's comments sit nearer another theme's centroid
    (the demo's 4%); a move between two old themes that is no clearer than that is the
    clustering's noise, not a change in the data."""
    column = {theme_id: i for i, theme_id in enumerate(previous.theme_ids)}
    rows = np.flatnonzero([t in column for t in last])
    if len(rows) == 0 or len(previous.theme_ids) < 2:
        return 0.0
    cosines = space[rows] @ previous.centroids.T
    own_column = np.array([column[t] for t in last[rows]])
    own = cosines[np.arange(len(rows)), own_column]
    cosines[np.arange(len(rows)), own_column] = -np.inf
    gaps = cosines.max(axis=1) - own
    return float(np.median(gaps[gaps > 0])) if (gaps > 0).any() else 0.0


def fold_remnants(
    fitted: np.ndarray,
    theme_ids: np.ndarray,
    space: np.ndarray,
    min_size: int,
    last: list[str],
) -> np.ndarray:
    """Discovered themes smaller than `min_size` that the refit made (an id no comment had
    last run, or one that had `min_size` comments in `fitted` before later moves) are no
    themes: their comments go back to their `last` theme (per comment, "" if unseen) where it
    still is one, the others to the nearest large discovered theme."""
    ids, counts = np.unique(theme_ids, return_counts=True)
    before = dict(zip(*np.unique(fitted, return_counts=True), strict=True))
    known = set(last)
    large = [t for t, c in zip(ids, counts, strict=True) if is_discovered(t) and c >= min_size]
    small = [
        t
        for t, c in zip(ids, counts, strict=True)
        if is_discovered(t) and c < min_size and (t not in known or before.get(t, 0) >= min_size)
    ]
    rows = np.flatnonzero(np.isin(theme_ids, small))
    if len(rows) == 0 or not large:
        return theme_ids
    _, centroids = theme_centroids(
        np.where(np.isin(theme_ids, large), theme_ids, OUTLIER_THEME), space
    )
    folded = theme_ids.astype(object).copy()
    folded[rows] = [large[i] for i in (space[rows] @ centroids.T).argmax(axis=1)]
    alive = set(ids) - set(small)
    back = [r for r in rows if last[r] in alive]
    folded[back] = [last[r] for r in back]
    return folded.astype(str)


def _split_pieces(
    theme_ids: np.ndarray,
    keys: list[str],
    space: np.ndarray,
    previous: ThemeState,
    fitted: list[str],
) -> dict[str, str]:
    """Fitted themes left without an old id that are a piece of an old discovered theme whose
    id another piece took: over half of their seen comments were in it and their centroid is
    still the old theme's (SAME_THEME). Both pieces continue one theme, so they share its id."""
    old = [t for t in previous.theme_ids if is_discovered(t)]
    pieces = _pairs_by_overlap(theme_ids, keys, previous, fitted, old, unique=False)
    if not pieces:
        return {}
    only = np.where(np.isin(theme_ids, [f for f, _ in pieces]), theme_ids, OUTLIER_THEME)
    centroid_of = dict(zip(*theme_centroids(only, space), strict=True))
    stored = {t: previous.centroids[previous.theme_ids.index(t)] for _, t in pieces}
    return {f: o for f, o in pieces if float(centroid_of[f] @ stored[o]) >= SAME_THEME}


def _pairs_by_overlap(
    theme_ids: np.ndarray,
    keys: list[str],
    previous: ThemeState,
    fitted: list[str],
    old: list[str],
    unique: bool = True,
) -> list[tuple[str, str]]:
    """(fitted, old) pairs where over half of the fitted theme's seen comments were in the old
    theme, largest overlap first, each id used once (each fitted id once unless `unique`)."""
    fitted_set, old_set = set(fitted), set(old)
    counts: dict[tuple[str, str], int] = {}
    seen: dict[str, int] = {}
    for key, theme_id in zip(keys, theme_ids, strict=True):
        before = previous.assignments.get(key)
        if theme_id not in fitted_set or before is None:
            continue
        seen[theme_id] = seen.get(theme_id, 0) + 1
        if before in old_set:
            counts[theme_id, before] = counts.get((theme_id, before), 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    majority = [pair for pair, count in ranked if 2 * count > seen[pair[0]]]
    return _one_to_one(majority) if unique else majority


def _pairs_by_centroid(
    theme_ids: np.ndarray,
    space: np.ndarray,
    previous: ThemeState,
    fitted: list[str],
    old: list[str],
) -> list[tuple[str, str]]:
    """(fitted, old) pairs whose centroids are at least SAME_THEME alike, closest first, each
    id used once."""
    if not fitted or not old:
        return []
    only_fitted = np.where(np.isin(theme_ids, fitted), theme_ids, OUTLIER_THEME)
    ids, centroids = theme_centroids(only_fitted, space)  # sorted, as `fitted` is
    stored = previous.centroids[[previous.theme_ids.index(t) for t in old]]
    sims = centroids @ stored.T
    rows, columns = np.nonzero(sims >= SAME_THEME)
    ranked = sorted(
        (-float(sims[i, j]), ids[i], old[j]) for i, j in zip(rows, columns, strict=True)
    )
    return _one_to_one((f, o) for _, f, o in ranked)


def _one_to_one(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs in order, skipping any whose fitted or old id an earlier pair used."""
    used_fitted, used_old, kept = set(), set(), []
    for fitted_id, old_id in pairs:
        if fitted_id not in used_fitted and old_id not in used_old:
            kept.append((fitted_id, old_id))
            used_fitted.add(fitted_id)
            used_old.add(old_id)
    return kept
