"""The embedding roofline shared by the benchmark scripts: FLOPs per comment and the peaks.

multilingual-e5-small: 12 layers, hidden 384, FFN 1536. Per token and layer the matmuls cost
2 × (4·384² + 2·384·1536) FLOPs (attention projections + FFN); attention scores add
2 × 2·T·384 per token for T tokens. The embedding table is a lookup (no FLOPs). An int8
multiply-add counts as 2 operations, as a float FMA does.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Callable, Iterable

LAYERS, HIDDEN, FFN, WINDOW = 12, 384, 1536, 512


def flops_per_comment(tokens: int) -> float:
    per_token = 2 * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * FFN) + 2 * 2 * tokens * HIDDEN
    return LAYERS * per_token * tokens


def texts_gflop(texts: Iterable[str], token_count: Callable[[str], int]) -> float:
    """GFLOPs to embed `texts`, from each one's token count; texts over 512 tokens run as
    512-token windows, as the engine does."""
    total = 0.0
    for text in texts:
        full, rest = divmod(token_count(text), WINDOW)
        total += full * flops_per_comment(WINDOW) + flops_per_comment(rest)
    return total / 1e9


def measured_peak_gflops(seconds: float = 2.0) -> float:
    """float32 matrix-multiply throughput of this machine (all cores), in GFLOP/s."""
    import numpy as np

    a = np.random.default_rng(0).standard_normal((1024, 1024), dtype=np.float32)
    runs, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        a @ a
        runs += 1
    return runs * 2 * 1024**3 / (time.perf_counter() - start) / 1e9


def int8_peak_gops(library: str, seconds: float = 2.0, amx: bool = False) -> float:
    """The int8 build's dot-product instruction peak (all cores), in GOP/s; 0 without one.
    `amx`: AMX's tile instruction (tdpbusd) instead of the vector one (0 without AMX)."""
    peak = getattr(ctypes.CDLL(library), "e5_int8_amx_peak" if amx else "e5_int8_peak")
    peak.restype, peak.argtypes = ctypes.c_double, [ctypes.c_double]
    return peak(seconds) / 1e9
