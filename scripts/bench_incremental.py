#!/usr/bin/env python3
"""Scheduled-run benchmark (issue #7): a weekly rerun with 5% new comments must take at most
10% of the first run's wall time, and seen comments must keep their theme.

It builds N (default 5,000) real Swedish Trustpilot reviews from
../shared/data/reviews/sv_trustpilot_reviews.csv (duplicate texts skipped, seeded shuffle) and
the next 5% of the reviews as this week's new comments, then runs `cxtext analyze`, each in a
fresh process (imports, model loading and numba's JIT paid every time, as a scheduler pays):
  run 1  the N comments, fresh --state                      (the first scheduled run)
  run 2  the N comments + the new ones, the same state      (the weekly rerun; target ≤ 0.10;
         it takes seconds, so it runs 3 times on copies of run 1's state and the median counts)
  run 3  run 2's input with --refit, on a copy of the state as run 1 left it
It prints the wall time of each run, run2/run1, the seconds per stage from run.json, and the
share of run 1's comments (with content) that keep their theme_id in run 2 and in run 3
(target ≥ 0.95). For run 2's new comments it prints the share themed and the agreement with
run 3, a full fit on all comments (same theme_id, pairwise F1, NMI), and how many of the
`--new-topic` Norwegian xSID weather questions (a topic no review has; 100 by default, added to
runs 2 and 3 only) run 2 puts in run 1's themes. `--data banking77` runs the same on BANKING77
train (the check set: `--n 4000 --new-share 0.25` is an 80/20 split).

The theme library's reference embeddings (taxonomy examples, phase descriptions) are cached
per machine under ~/.cache/cxtext (or $CXTEXT_CACHE), not in the state: on a machine that
never ran cxtext, run 1 also embeds them. The script says whether run 1 found them warm.
Usage: python scripts/bench_incremental.py [--n 5000] [--new-share 0.05] [--new-topic 100]
       [--data reviews|banking77]
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
REVIEWS = DATA / "reviews" / "sv_trustpilot_reviews.csv"
BANKING = DATA / "banking77" / "banking77_train.csv"  # English intents: the check set
NEW_TOPIC = DATA / "intents" / "xsid_valid.csv"  # Norwegian weather questions: a new topic
CXTEXT = Path(sys.executable).with_name("cxtext")
TARGET_RATIO, TARGET_KEPT = 0.10, 0.95
RERUN_REPEATS = 3


def build_inputs(
    n: int, new_share: float, folder: Path, data: str = "reviews", new_topic: int = 0
) -> tuple[Path, Path]:
    """week1.csv: N comments; week2.csv: the same N plus the next ceil(new_share × N), plus
    `new_topic` Norwegian weather questions (ids t…), a topic run 1 never saw."""
    import polars as pl

    if data == "reviews":
        comments = pl.read_csv(REVIEWS).filter(pl.col("is_duplicate_text") == 0)
    else:
        comments = pl.read_csv(BANKING).with_columns(rating=pl.lit(None, pl.Int64))
    comments = (
        comments.filter(pl.col("text").str.strip_chars() != "")
        .unique("text", maintain_order=True)
        .sample(fraction=1.0, shuffle=True, seed=0)
    )
    total = n + math.ceil(new_share * n)
    if comments.height < total:
        raise SystemExit(
            f"only {comments.height} distinct comments; ask for --n ≤ {comments.height}"
        )
    frame = comments.head(total).select(
        pl.format("r{}", pl.int_range(1, total + 1).cast(pl.String).str.zfill(6)).alias("id"),
        pl.col("text").alias("comment"),
        "rating",
    )
    topic = (
        pl.read_csv(NEW_TOPIC)
        .filter(pl.col("lang") == "no", pl.col("intent") == "weather/find")
        .unique("text", maintain_order=True)
        .head(new_topic)
    )
    topic = topic.select(
        pl.format("t{}", pl.int_range(1, topic.height + 1).cast(pl.String).str.zfill(6)).alias(
            "id"
        ),
        pl.col("text").alias("comment"),
        pl.lit(None, pl.Int64).alias("rating"),
    )
    week1, week2 = folder / "week1.csv", folder / "week2.csv"
    frame.head(n).write_csv(week1)
    pl.concat([frame, topic]).write_csv(week2)
    return week1, week2


def analyze(source: Path, out: Path, state: Path, *extra: str) -> float:
    """Wall seconds of one `cxtext analyze` in a fresh process."""
    args = [str(CXTEXT), "analyze", str(source), "-o", str(out), "-q", "--state", str(state)]
    args += ["--text-col", "comment", "--id-col", "id", "--score-col", "rating", *extra]
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return wall


def reference_files() -> set[str]:
    from cxtext.files import cache_dir

    folder = cache_dir()
    return {p.name for p in folder.glob("*.npy")} if folder.is_dir() else set()


def content_themes(out: Path):
    """id, theme_id of an output folder's content comments."""
    import polars as pl

    comments = pl.read_parquet(out / "comments.parquet", columns=["id", "theme_id", "no_content"])
    return comments.filter(~pl.col("no_content")).select("id", "theme_id")


def kept_share(before: Path, after: Path) -> float:
    """Share of `before`'s content comments whose theme_id is the same in `after`."""
    joined = content_themes(before).join(content_themes(after), on="id", suffix="_after")
    return float((joined["theme_id"] == joined["theme_id_after"]).mean()) if joined.height else 0.0


def loss_causes(before: Path, after: Path) -> dict[str, int]:
    """Seen content comments whose theme_id changed, by cause: a move between a library and a
    discovered theme (either way), between library themes, to or from no theme, or between
    discovered themes where the old id lives on ("split") or is gone ("merged away")."""
    from cxtext.io.contract import OUTLIER_THEME
    from cxtext.themes.ids import is_discovered

    joined = content_themes(before).join(content_themes(after), on="id", suffix="_after")
    alive = set(joined.get_column("theme_id_after"))
    causes: dict[str, int] = {}
    for old, new in joined.select("theme_id", "theme_id_after").iter_rows():
        if old == new:
            continue
        if OUTLIER_THEME in (old, new):
            cause = "to or from no theme"
        elif is_discovered(old) != is_discovered(new):
            cause = "library -> discovered" if is_discovered(new) else "discovered -> library"
        elif not is_discovered(old):
            cause = "library -> other library"
        else:
            cause = "discovered split" if old in alive else "discovered merged away"
        causes[cause] = causes.get(cause, 0) + 1
    return causes


def outside_old_themes(before: Path, after: Path) -> tuple[int, int]:
    """New content comments of `after` not in one of `before`'s themes, and all new ones."""
    import polars as pl

    def content(out: Path) -> pl.DataFrame:
        comments = pl.read_parquet(
            out / "comments.parquet", columns=["id", "theme_id", "no_content"]
        )
        return comments.filter(~pl.col("no_content"))

    old = content(before)
    new = content(after).filter(~pl.col("id").is_in(old.get_column("id").implode()))
    outside = new.filter(~pl.col("theme_id").is_in(old.get_column("theme_id").unique().implode()))
    return outside.height, new.height


def new_comment_agreement(before: Path, after: Path, full: Path) -> dict[str, float]:
    """For `after`'s new content comments (not in `before`, not the new-topic batch): the share
    themed in `after` and in the full fit `full`, the share given the full fit's theme_id, and
    pairwise F1 and NMI between the two themings (no theme counts as one more label)."""
    import polars as pl

    from cxtext.io.contract import OUTLIER_THEME

    seen = content_themes(before).get_column("id").implode()
    new = content_themes(after).filter(~pl.col("id").is_in(seen), pl.col("id").str.starts_with("r"))
    joined = new.join(content_themes(full), on="id", suffix="_full")
    ours, theirs = joined.get_column("theme_id"), joined.get_column("theme_id_full")
    return {
        "new comments": float(joined.height),
        "themed (run 2)": float((ours != OUTLIER_THEME).mean()),
        "themed (full fit)": float((theirs != OUTLIER_THEME).mean()),
        "same theme_id as full fit": float((ours == theirs).mean()),
        "pairwise F1 vs full fit": pairwise_f1(ours.to_list(), theirs.to_list()),
        "NMI vs full fit": nmi(ours.to_list(), theirs.to_list()),
    }


def pairwise_f1(ours: list[str], theirs: list[str]) -> float:
    """F1 of 'same theme' over all pairs of comments, the full fit as truth."""
    from collections import Counter

    def pairs(counts) -> float:
        return sum(c * (c - 1) / 2 for c in counts.values())

    both = pairs(Counter(zip(ours, theirs, strict=True)))
    precision, recall = both / max(pairs(Counter(ours)), 1), both / max(pairs(Counter(theirs)), 1)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def nmi(ours: list[str], theirs: list[str]) -> float:
    """Normalised mutual information (arithmetic mean), no scikit-learn."""
    from collections import Counter

    total = len(ours)
    if not total:
        return 0.0
    a, b, joint = Counter(ours), Counter(theirs), Counter(zip(ours, theirs, strict=True))
    mutual = sum(c / total * math.log(c * total / (a[x] * b[y])) for (x, y), c in joint.items())

    def entropy(counts) -> float:
        return -sum(c / total * math.log(c / total) for c in counts.values())

    mean = (entropy(a) + entropy(b)) / 2
    return mutual / mean if mean else 1.0


def swallowed(before: Path, after: Path) -> tuple[int, int]:
    """New-topic comments (ids t…) that `after` put in one of `before`'s themes, and all."""
    import polars as pl

    topic = content_themes(after).filter(pl.col("id").str.starts_with("t"))
    old = content_themes(before).get_column("theme_id").unique().implode()
    return topic.filter(pl.col("theme_id").is_in(old)).height, topic.height


def stages(out: Path) -> str:
    seconds = json.loads((out / "run.json").read_text("utf-8"))["seconds"]
    return "  ".join(f"{name} {value:.1f}" for name, value in seconds.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="comments in the first run")
    parser.add_argument("--new-share", type=float, default=0.05, help="new comments in run 2")
    parser.add_argument("--data", choices=["reviews", "banking77"], default="reviews")
    parser.add_argument("--new-topic", type=int, default=100, help="new-topic comments in run 2")
    args = parser.parse_args()
    source = REVIEWS if args.data == "reviews" else BANKING
    if not source.is_file():
        print(f"skipped: {source} not found")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        week1, week2 = build_inputs(args.n, args.new_share, folder, args.data, args.new_topic)
        state, refit_state = folder / "state", folder / "state_refit"
        references = reference_files()
        wall1 = analyze(week1, folder / "out1", state)
        warm = reference_files() == references
        shutil.copytree(state, refit_state, ignore=shutil.ignore_patterns("lock"))
        repeats = []  # run 2 is short, so noise matters: repeated on copies of run 1's state
        for repeat in range(1, RERUN_REPEATS):
            copy = folder / f"state_rerun{repeat}"
            shutil.copytree(state, copy, ignore=shutil.ignore_patterns("lock"))
            repeats.append(analyze(week2, folder / f"out2_{repeat}", copy))
        wall2_first = analyze(week2, folder / "out2", state)
        wall2 = statistics.median([wall2_first, *repeats])
        wall3 = analyze(week2, folder / "out3", refit_state, "--refit")
        new = math.ceil(args.new_share * args.n)
        print(f"N={args.n} comments, {new} new in runs 2 and 3 ({source.name})")
        print(f"reference embeddings in run 1: {'warm' if warm else 'cold (computed by run 1)'}")
        for label, wall, out in (
            ("run 1 first", wall1, "out1"),
            ("run 2 rerun", wall2_first, "out2"),
            ("run 3 refit", wall3, "out3"),
        ):
            print(f"  {label}  {wall:7.1f} s   stages: {stages(folder / out)}")
        outside, new_content = outside_old_themes(folder / "out1", folder / "out2")
        print(
            f"new comments in no theme of run 1 after run 2: {outside} of {new_content} "
            "(new themes or unthemed; average linkage, no UMAP)"
        )
        print("run 2's new comments against run 3 (a full fit on all comments):")
        for name, value in new_comment_agreement(
            folder / "out1", folder / "out2", folder / "out3"
        ).items():
            print(f"  {name}: {value:.3f}")
        if args.new_topic:
            taken, topic = swallowed(folder / "out1", folder / "out2")
            print(
                f"new-topic comments (Norwegian weather) put in run 1's themes: {taken} of {topic}"
            )
        runs = ", ".join(f"{w:.1f}" for w in [wall2_first, *repeats])
        print(f"run 2 wall over {RERUN_REPEATS} runs: {runs} s; median {wall2:.1f} s")
        print(f"run2/run1 wall {wall2 / wall1:.3f} (median run 2; target ≤ {TARGET_RATIO:.2f})")
        if repeats:
            same = kept_share(folder / "out2", folder / "out2_1")
            print(f"run 2 repeated on a copy of the state: same theme_id for {same:.3f}")
        for label, out in (("run 2", "out2"), ("run 3", "out3")):
            share = kept_share(folder / "out1", folder / out)
            print(f"seen comments keeping their theme_id in {label}: {share:.3f} (≥ {TARGET_KEPT})")
            causes = loss_causes(folder / "out1", folder / out)
            moved = ", ".join(f"{k} {v}" for k, v in sorted(causes.items()))
            print(f"  moved: {moved or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
