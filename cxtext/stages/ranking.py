"""The priority stage: Kano, impact and rank, and the tables built on them."""

from __future__ import annotations

import numpy as np

from cxtext.embed.language_neutral import centre
from cxtext.journey.ownership import ownership_matrix
from cxtext.priority import rank_themes
from cxtext.priority.follow_up import follow_up_list, mark_follow_up
from cxtext.priority.initiatives import initiatives_gap
from cxtext.priority.segments import segment_priorities
from cxtext.scheduled import changes_since_last_run, run_trends
from cxtext.stages.context import RunContext


def priority(context: RunContext) -> RunContext:
    """Kano, impact and rank per theme; who owns what, whom to call back, and, where the input
    allows, segments, trends, changes since the last run and the initiatives gap."""
    # a score column named like an output column (`sentiment`) is read under its new name
    columns, config = context.columns.renamed(context.renames), context.config
    frame, themes = rank_themes(
        context.frame,
        context.themes,
        context.taxonomy,
        columns.score,
        config.seed,
        columns.score_scale,
    )
    context.frame = frame = mark_follow_up(frame, themes)
    context.themes = themes
    tables = {
        "ownership": ownership_matrix(frame, themes, context.taxonomy),
        "follow_up": follow_up_list(frame, (columns.date, columns.segment, columns.channel)),
    }
    if columns.segment:
        tables["segments"] = segment_priorities(frame, themes, columns.segment)
    final_id = context.curation.final_id if config.state is not None else None
    if columns.date:
        trends = run_trends(
            frame,
            columns.date,
            columns.id is not None,
            config.alerts.period,
            context.previous,
            final_id,
        )
        tables["trends"], context.date_span = trends.table, trends.span
        context.seen_until, context.dated = trends.seen_until, trends.dated
        context.seen_again = trends.seen_again
    if context.previous is not None:
        tables["changes"] = changes_since_last_run(
            themes, context.previous, config.alerts, context.curation.final_id
        )
    if context.initiatives is not None:
        tables["initiatives"] = initiatives_gap(
            context.initiatives, _initiative_vectors(context), frame, themes, context.space
        )
    context.tables = tables
    return context


def _initiative_vectors(context: RunContext) -> np.ndarray:
    """Each initiative in the comments' language-neutral space: its language's mean removed."""
    vectors = context.embedder.embed(context.initiatives, is_query=True)
    return centre(vectors, context.initiative_langs, context.means)
