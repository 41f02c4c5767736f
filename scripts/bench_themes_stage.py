#!/usr/bin/env python3
"""Time the themes stage and its parts on N real reviews, without embedding them each run.

The input is `scripts/bench.py`'s (N reviews drawn from the Swedish Trustpilot and ScandiSent
files, with replacement above the ~30,000 distinct ones). The pipeline's own stages run in
order (clean, language, embed, sentiment, themes); the embed stage's engine keeps each
distinct text's vector in a store under $CXTEXT_CACHE (`bench-themes-stage/`), so the first
run embeds the ~41,000 distinct texts of a 100k input once (10-20 min) and later runs start
at once. The themes stage then runs unchanged, with timers
wrapped around its parts (inclusive seconds; a part called inside another counts in both).
It prints wall and CPU seconds, peak RSS and calls per part (CPU time moves less when other jobs
share the machine), the stage's wall time and the process's peak RSS
during the stage (sampled every 20 ms).
`--save` writes each comment's theme (parquet), to compare two versions of the code;
`--profile` prints the stage's 25 costliest functions (cProfile).
Usage: python scripts/bench_themes_stage.py [--n 100000] [--seed 42] [--save F] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from bench import REVIEWS, build_input

from cxtext.config import AnalyzeConfig, ColumnOptions

PARTS = (
    "cxtext.stages.analysis.load_library",
    "cxtext.stages.analysis.lemmas_with_cache",
    "cxtext.stages.analysis.clear_tone",
    "cxtext.themes.discover.discover_themes",
    "cxtext.themes.discover._fit_bertopic",
    "cxtext.themes.discover._dense_groups",
    "cxtext.themes.discover._best_cut",
    "cxtext.themes.discover.assign_to_clusters",
    "cxtext.themes.novelty.fits_library",
    "cxtext.themes.novelty.held_by_library",
    "cxtext.themes.library.match_library",
    "cxtext.themes.library.lexical_nearest",
    "cxtext.themes.describe_themes",
    "cxtext.themes.add_parents",
)


class Memory:
    """Peak resident memory (MB) of this process, sampled every 20 ms from /proc."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> Memory:
        self.peak = self.now()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def now() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.now())


class Timers:
    """Inclusive seconds (wall and CPU, all threads), peak RSS and calls per wrapped function."""

    def __init__(self, memory: Memory) -> None:
        self.memory = memory
        self.peak: dict[str, float] = {}  # peak RSS (MB) while the part ran
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def wrap(self, dotted: str) -> None:
        """Replace the function at `dotted` by a timed one, wherever cxtext bound its name."""
        module_name, name = dotted.rsplit(".", 1)
        original = getattr(sys.modules[module_name], name)

        @functools.wraps(original)
        def timed(*args: object, **kwargs: object) -> object:
            start, cpu = time.perf_counter(), time.process_time()
            outer, self.memory.peak = self.memory.peak, self.memory.now()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
                self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - cpu
                self.calls[name] = self.calls.get(name, 0) + 1
                self.peak[name] = max(self.peak.get(name, 0.0), self.memory.peak)
                self.memory.peak = max(outer, self.memory.peak)

        for module in list(sys.modules.values()):
            if getattr(module, "__name__", "").startswith("cxtext") and (
                getattr(module, name, None) is original
            ):
                setattr(module, name, timed)


def cached_engine() -> object:
    """The local engine, each text's vector kept in a bench store under $CXTEXT_CACHE (the
    state's per-comment embedding store), so only texts never seen before are embedded."""
    from cxtext.engine.local import LocalEngine
    from cxtext.files import cache_dir
    from cxtext.state import embed_with_cache

    class CachedEngine(LocalEngine):
        def embed(
            self,
            texts: Sequence[str],
            model: str,
            batch_size: int = 64,
            on_batch: Callable[[int], None] | None = None,
        ) -> np.ndarray:
            embedder = self.embedder(model, batch_size)
            store = cache_dir() / "bench-themes-stage"
            store.mkdir(parents=True, exist_ok=True)
            return embed_with_cache(
                texts,
                store,
                embedder.cache_id,
                lambda new: super(CachedEngine, self).embed(new, model, batch_size),
            )

    return CachedEngine()


def run(n: int, seed: int, save: Path | None, profile: bool) -> None:
    import cxtext.themes  # noqa: F401  (imports every part's module before wrapping)
    from cxtext import stages
    from cxtext.io.read import read_input

    with tempfile.TemporaryDirectory() as folder:
        raw = read_input(build_input(n, Path(folder)))
    config = AnalyzeConfig(columns=ColumnOptions(id="id"), seed=seed)
    context = stages.RunContext(raw, config, cached_engine())
    for name in ("clean", "language", "embed", "sentiment"):
        start = time.perf_counter()
        context = getattr(stages, name)(context)
        print(f"{name:>10}: {time.perf_counter() - start:7.1f} s", flush=True)
    print(f"{len(context.texts):,} content comments, {len(set(context.texts)):,} distinct")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    profiler = cProfile.Profile() if profile else None
    with Memory() as memory:
        timers = Timers(memory)
        for dotted in PARTS:
            timers.wrap(dotted)
        start, cpu = time.perf_counter(), time.process_time()
        context = profiler.runcall(stages.themes, context) if profiler else stages.themes(context)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    print(f"{'themes':>10}: {wall:7.1f} s ({cpu:.1f} s CPU), {context.themes.height} themes")
    for name in [p.rsplit(".", 1)[1] for p in PARTS]:
        if name in timers.seconds:
            seconds, cpu, calls = timers.seconds[name], timers.cpu[name], timers.calls[name]
            peak = timers.peak[name]
            print(
                f"  {name:<20} {seconds:7.1f} s  {cpu:7.1f} s CPU  {peak:6,.0f} MB  ({calls} calls)"
            )
    print(f"peak RSS: {memory.peak:,.0f} MB in the themes stage ({before:,.0f} MB before it)")
    if save is not None:
        context.frame.select("id", "text", "theme_id", "theme_score").write_parquet(save)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=AnalyzeConfig.seed)
    parser.add_argument("--profile", action="store_true", help="cProfile the stage, top 25")
    parser.add_argument("--save", type=Path, help="write id, text, theme_id, theme_score here")
    args = parser.parse_args()
    if not REVIEWS.is_dir():
        print(f"skipped: {REVIEWS} not found")
        return
    run(args.n, args.seed, args.save, args.profile)


if __name__ == "__main__":
    main()
