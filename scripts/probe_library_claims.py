#!/usr/bin/env python3
"""Which part of the open-set library decision lets social-media chatter into library themes?
A probe: it measures, builds nothing.

On the mixes of `probe_off_journey.py` (dev feedback + 1,500 Swedish or Danish social
comments, library on) it captures what `themes._recognise` saw: per content comment its
discovered cluster, the group `held_by_library` judged it in (clusters halved while mixed;
comments in no cluster judged alone), the per-comment fit (`fits_library`: library side >=
HOLD_RATIO x data side, and the closest theme's stand-out), and the library theme it won.
It prints, per mix, how the claimed social comments split by route (a group held by most of
its members fitting, with the group mostly social or mostly CX; a lone comment in no cluster),
by which part of the fit they pass, and per library theme the dev vs social comments held.
Also, per claimed group, how near its members sit to the won theme's own examples against how
near that theme's examples sit to each other (the candidate fix of issue #17).
Nothing named test is read. Results: docs/journal/themes.md, "Does the theme library claim
chatter?". Usage: python scripts/probe_library_claims.py [--sets mix_da ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from probe_off_journey import ROOT, SHARED, analyze_rows, load  # noqa: E402

CAPTURED: list[dict] = []


def _capture(original):
    """Wrap `themes._recognise` to keep what the library decision saw."""
    from cxtext.themes import novelty
    from cxtext.themes.discover import min_theme_size
    from cxtext.themes.library import nearest_per_theme

    def recognise(space, texts, clusters, library, options, seed, tone, *rest):
        theme_ids, scores = original(space, texts, clusters, library, options, seed, tone, *rest)
        per_theme = nearest_per_theme(space @ library.example_vectors.T, library)
        library_side = per_theme.max(axis=1)
        stand_out = per_theme.max(axis=1) - np.median(per_theme, axis=1)
        data_side = novelty._data_side(space, len(library.example_texts))
        ratio_ok = library_side >= novelty.HOLD_RATIO * data_side
        stand_ok = stand_out >= novelty.STAND_OUT * novelty.library_stand_out(library)
        fits = novelty.fits_library(space, library)
        groups = _groups(space, clusters, fits, min_theme_size(len(texts), options))
        CAPTURED.append(
            dict(
                space=space,
                library=library,
                clusters=clusters,
                groups=groups,
                fits=fits,
                ratio_ok=ratio_ok,
                stand_ok=stand_ok,
                library_side=library_side,
                data_side=data_side,
                theme_ids=theme_ids,
            )
        )
        return theme_ids, scores

    return recognise


def _groups(space, clusters, fits, min_size) -> np.ndarray:
    """The group id each comment was judged in, as `held_by_library` forms them (no refit);
    -1 for a comment in no cluster (judged alone)."""
    from cxtext.themes import novelty

    group = np.full(len(space), -1)
    pending = [np.flatnonzero(clusters == c) for c in sorted(set(clusters[clusters >= 0]))]
    next_id = 0
    while pending:
        rows = pending.pop(0)
        share = float(fits[rows].mean())
        if novelty.MIXED < share < 1 - novelty.MIXED and len(rows) >= 4 * min_size:
            halves = novelty._halves(space, rows)
            if halves:
                pending.extend(halves)
                continue
        group[rows] = next_id
        next_id += 1
    return group


def run(name: str, social: int, seed: int) -> pl.DataFrame:
    import cxtext.themes as themes

    rows, library = load(name, social)
    original = themes._recognise
    themes._recognise = _capture(original)
    try:
        result = analyze_rows(rows, ROOT / "out" / "probe_library_claims" / name, library, seed)
    finally:
        themes._recognise = original
    seen = CAPTURED[-1]
    content = result.comments.filter(~pl.col("no_content")).join(
        rows.select("id", "off"), on="id", how="left"
    )
    table = content.select("id", "off", "theme_id").with_columns(
        pl.Series("recognised", seen["theme_ids"]),
        pl.Series("cluster", seen["clusters"]),
        pl.Series("group", seen["groups"]),
        pl.Series("fits", seen["fits"]),
        pl.Series("ratio_ok", seen["ratio_ok"]),
        pl.Series("stand_ok", seen["stand_ok"]),
        pl.Series("library_side", seen["library_side"]),
        pl.Series("data_side", seen["data_side"]),
        pl.Series("own_fit", _own_fit(seen)),
        pl.lit(name).alias("set"),
    )
    _print_top(name, result, content)
    return table


def _print_top(name: str, result, content: pl.DataFrame) -> None:
    """The run's top 5 fixes with their share of social comments."""
    social = content.group_by("theme_id").agg(pl.col("off").mean().alias("social"))
    top = (
        result.themes.filter(pl.col("rank") <= 5)
        .join(social, on="theme_id")
        .sort("rank")
        .select("rank", "theme_id", "label", "size", pl.col("social").round(2))
    )
    chatter = (top.get_column("social") >= 0.5).sum()
    print(f"{name} top 5 ({chatter} mostly social):\n{top}", flush=True)


def _own_fit(seen: dict) -> np.ndarray:
    """Per comment held by a library theme: its mean cosine to that theme's NEAREST examples
    divided by the mean cosine of the theme's examples to their NEAREST fellow examples (the
    theme's own typical spread); NaN for comments not held."""
    from cxtext.themes.library import NEAREST_EXAMPLES

    library = seen["library"]
    space, recognised = seen["space"], seen["theme_ids"]
    index = {t: i for i, t in enumerate(library.theme_ids)}
    own = np.full(len(space), np.nan)
    for theme, i in index.items():
        examples = library.example_vectors[library.example_theme == i]
        inner = examples @ examples.T
        np.fill_diagonal(inner, -2.0)
        k = min(NEAREST_EXAMPLES, len(examples) - 1)
        spread = np.sort(inner, axis=1)[:, -k:].mean()
        rows = np.flatnonzero(recognised == theme)
        if len(rows):
            near = np.sort(space[rows] @ examples.T, axis=1)[:, -k:].mean(axis=1)
            own[rows] = near / spread
    return own


def summarise(table: pl.DataFrame) -> None:
    for name, part in table.group_by("set", maintain_order=True):
        held = part.filter(~pl.col("recognised").str.starts_with("n"))
        group_stats = part.group_by("group").agg(
            pl.len().alias("group_size"), pl.col("off").mean().alias("group_social")
        )
        held = held.join(group_stats, on="group", how="left")
        social = held.filter(pl.col("off"))
        print(f"\n== {name[0]}: {part.height} content comments, {held.height} held by the library")
        print(f"   social held: {social.height} of {part.get_column('off').sum()}")
        route = social.select(
            lone=(pl.col("group") == -1).sum(),
            social_group=((pl.col("group") >= 0) & (pl.col("group_social") >= 0.5)).sum(),
            cx_group=((pl.col("group") >= 0) & (pl.col("group_social") < 0.5)).sum(),
        )
        print(f"   route: {route.to_dicts()[0]}")
        fit = social.select(
            fits=pl.col("fits").sum(),
            ratio_only=(pl.col("ratio_ok") & ~pl.col("stand_ok")).sum(),
            stand_only=(~pl.col("ratio_ok") & pl.col("stand_ok")).sum(),
            neither=(~pl.col("ratio_ok") & ~pl.col("stand_ok")).sum(),
        )
        print(f"   social held, own fit: {fit.to_dicts()[0]} (the rest rode along in the group)")
        fit_rate = part.group_by("off").agg(
            pl.col("fits").mean().round(3),
            pl.col("ratio_ok").mean().round(3),
            pl.col("stand_ok").mean().round(3),
            pl.col("library_side").median().round(3),
            pl.col("data_side").median().round(3),
        )
        print(f"   per kind (off = social):\n{fit_rate.sort('off')}")
        groups = (
            held.filter(pl.col("group") >= 0)
            .group_by("group")
            .agg(
                pl.len().alias("size"),
                pl.col("off").mean().round(2).alias("social"),
                pl.col("fits").mean().round(2).alias("fit_share"),
                pl.col("own_fit").median().round(3),
                pl.col("recognised").mode().first().alias("main_theme"),
            )
            .sort("size", descending=True)
        )
        with pl.Config(tbl_rows=60, tbl_width_chars=140):
            print(f"   held groups:\n{groups}")
        per_theme = (
            held.group_by("recognised")
            .agg(
                pl.len().alias("size"),
                (~pl.col("off")).sum().alias("dev"),
                pl.col("off").sum().alias("social"),
                pl.col("own_fit").filter(~pl.col("off")).median().round(3).alias("own_fit_dev"),
                pl.col("own_fit").filter(pl.col("off")).median().round(3).alias("own_fit_soc"),
            )
            .sort("social", descending=True)
        )
        with pl.Config(tbl_rows=60, tbl_width_chars=140):
            print(f"   per library theme:\n{per_theme}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["mix_da", "mix_sv"])
    parser.add_argument("--social", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--table", type=Path, default=ROOT / "out" / "probe_library_claims.csv")
    parser.add_argument("--from-table", action="store_true")
    args = parser.parse_args()
    if args.from_table:
        summarise(pl.read_csv(args.table))
        return 0
    if not SHARED.exists():
        print(f"skip: {SHARED} not found", file=sys.stderr)
        return 0
    table = pl.concat([run(name, args.social, args.seed) for name in args.sets])
    args.table.parent.mkdir(parents=True, exist_ok=True)
    table.write_csv(args.table)
    summarise(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
