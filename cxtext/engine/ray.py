"""`--engine ray`: language ID and embedding as Ray Data batch jobs; themes stay on the driver.

Without an address cxtext starts a local Ray instance with `num_workers` CPUs and shuts it
down afterwards; with one (`auto`, `host:6379`) it joins that cluster from one of its nodes (Ray
Data does not run over Ray Client, `ray://`), and every node needs the same cxtext (with its
models/ folder) and embedding backend installed.
Embedding runs on a pool of `num_workers` actors, one CPU each, that load the model once;
language ID on as many tasks. Rows carry their index through a job and are put back in input
order on the driver, so the outputs are the local engine's, bit for bit: both stages treat each
comment on its own, whatever batch it lands in (tests/test_ray.py checks this).
"""

from __future__ import annotations

import logging
import math
import os
import socket
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import pyarrow as pa

from cxtext.config import AnalyzeConfig
from cxtext.embed import embed_comments, load_embedder
from cxtext.engine.base import Engine, EngineError
from cxtext.language import score_languages

CONNECT_TIMEOUT_S = 10.0  # for --ray-address host:port, before Ray's own long retries
# Ray prints this whenever RAY_BACKEND_LOG_LEVEL is set, whatever the level
LEVEL_NOTICE = "Set ray log level from environment variable RAY_BACKEND_LOG_LEVEL"
LANGUAGE_BLOCK_ROWS = 2000  # language ID is one vectorised call per block of up to this many


class RayEngine(Engine):
    """Runs the per-comment stages on Ray: a local instance it starts itself, or a cluster."""

    name = "ray"

    def __init__(self, address: str | None = None, num_workers: int = 2) -> None:
        if num_workers < 1:
            raise EngineError(f"the Ray engine needs at least one worker, not {num_workers}")
        if address and address.startswith("ray://"):
            raise EngineError(
                "Ray Data does not run over Ray Client (ray://...): run cxtext on a cluster node "
                "with --ray-address auto (or host:6379), e.g. through `ray job submit`"
            )
        self.address = address
        self.num_workers = num_workers
        self.worker_pids: set[int] = set()  # processes that ran the last job, for logs and tests
        self._started = False

    def __enter__(self) -> RayEngine:
        self._connect()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._started:  # only what this engine started (or joined) is shut down
            _import_ray().shutdown()
            self._started = False

    def language_scores(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return score_languages([])
        rows = self._run("language", texts, LANGUAGE_BLOCK_ROWS, _language_batch, pool=False)
        return np.ascontiguousarray(rows["scores"], dtype=np.float64)

    def embed(
        self,
        texts: Sequence[str],
        model: str,
        batch_size: int = AnalyzeConfig.batch_size,
        on_batch: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.embedder(model, batch_size).dim), dtype=np.float32)
        rows = self._run(
            "embed", texts, batch_size, _EmbedBatches, (model, batch_size), on_batch=on_batch
        )
        return np.ascontiguousarray(rows["vector"], dtype=np.float32)

    def _connect(self) -> None:
        ray = _import_ray()
        if ray.is_initialized():  # the caller's own Ray session: use it, leave it running
            return
        quiet = {"log_to_driver": False, "logging_level": logging.ERROR}
        try:
            with _quiet_backend():
                if self.address is None:
                    ray.init(
                        num_cpus=self.num_workers,
                        include_dashboard=False,
                        ignore_reinit_error=True,
                        **quiet,
                    )
                else:
                    check_reachable(self.address)
                    ray.init(address=self.address, **quiet)
        except (OSError, RuntimeError, ValueError) as error:  # ConnectionError is an OSError
            # "cannot start or reach auto: ..." did not say what auto was
            where = (
                f"cannot reach the Ray cluster at --ray-address {self.address}"
                if self.address
                else "cannot start a local Ray instance"
            )
            raise EngineError(f"{where}: {_start_problem(error)}") from None
        self._started = True

    def _run(
        self,
        stage: str,
        texts: Sequence[str],
        block_rows: int,
        worker: Callable | type,
        worker_args: tuple = (),
        *,
        pool: bool = True,
        on_batch: Callable[[int], None] | None = None,
    ) -> dict[str, np.ndarray]:
        """Run `worker` over the texts in blocks, on `num_workers` actors (`pool`: a class that
        loads its model once) or tasks (a function); the rows come back in input order."""
        ray = _import_ray()
        self._connect()
        _quiet_data(ray)
        count = len(texts)
        block_rows = max(1, min(block_rows, math.ceil(count / self.num_workers)))
        blocks = [
            pa.table(
                {
                    "row": pa.array(range(start, min(start + block_rows, count)), pa.int64()),
                    "text": pa.array(list(texts[start : start + block_rows]), pa.string()),
                }
            )
            for start in range(0, count, block_rows)
        ]
        size = min(self.num_workers, len(blocks))
        compute = ray.data.ActorPoolStrategy(size=size) if pool else ray.data.TaskPoolStrategy(size)
        dataset = ray.data.from_arrow(blocks).map_batches(
            worker,
            fn_constructor_args=worker_args or None,
            batch_size=None,  # one block is one batch: its size is chosen above
            batch_format="numpy",
            compute=compute,
            num_cpus=1,
            udf_modifying_row_count=False,
        )
        parts: list[dict[str, np.ndarray]] = []
        try:
            for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
                parts.append(batch)
                if on_batch:
                    on_batch(len(batch["row"]))
        except ray.exceptions.RayError as error:
            cause = getattr(error, "cause", None) or error
            raise EngineError(f"the Ray {stage} job failed: {cause}") from None
        return self._in_input_order(parts, count)

    def _in_input_order(self, parts: list[dict[str, np.ndarray]], count: int) -> dict[str, Any]:
        merged = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
        order = np.argsort(merged["row"], kind="stable")
        if not np.array_equal(merged["row"][order], np.arange(count)):
            raise EngineError(f"the Ray job returned {len(order)} rows for {count} comments")
        self.worker_pids = set(merged.pop("pid").tolist())
        return {key: values[order] for key, values in merged.items()}


def _language_batch(batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Ray task: one `score_languages` call per block (the model is loaded once per process);
    the driver decides the whole file's languages from the scores."""
    scores = score_languages(batch["text"].tolist())
    return {"row": batch["row"], "scores": scores, "pid": np.full(len(scores), os.getpid())}


class _EmbedBatches:
    """Ray actor: the embedder loaded once, then `embed_comments` on each block."""

    def __init__(self, model: str, batch_size: int) -> None:
        self._embedder = load_embedder(model, batch_size)
        self._batch_size = batch_size

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = embed_comments(batch["text"].tolist(), self._embedder, self._batch_size)
        return {
            "row": batch["row"],
            "vector": vectors,
            "pid": np.full(len(vectors), os.getpid()),
        }


def check_reachable(address: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Fail in seconds on a `host:port` nobody answers on; Ray itself retries for minutes."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():  # 'auto', 'local': Ray resolves those itself
        return
    try:
        socket.create_connection((host, int(port)), timeout=timeout).close()
    except OSError as error:
        raise EngineError(f"cannot reach the Ray cluster at {address}: {error}") from None


def _start_problem(error: Exception) -> str:
    """Why Ray did not start, in words: a folder it cannot make under RAY_TMPDIR says so
    (it was "cannot write or read ...", exit 74, with no word of Ray)."""
    if not isinstance(error, OSError) or isinstance(error, ConnectionError) or not error.filename:
        return str(error)
    folder = os.environ.get("RAY_TMPDIR")
    under = folder and str(error.filename).startswith(folder)
    named = f" (Ray's temporary folder, RAY_TMPDIR={folder})" if under else ""
    return f"{error.strerror or error}: {error.filename}{named}"


def _quiet_data(ray: Any) -> None:
    """No Ray Data progress bars or stage logs: the run's progress and log are cxtext's own."""
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    context.enable_auto_log_stats = False


@contextmanager
def _quiet_backend() -> Iterator[None]:
    """Ray's C++ core logs errors it recovers from to the driver's stderr; at 'fatal' they stay
    in Ray's log files. Reading that level, it prints a notice to stderr itself, in `ray.init`:
    what `ray.init` writes to stderr is passed on without that notice."""
    before = os.environ.get("RAY_BACKEND_LOG_LEVEL")
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
    sys.stderr.flush()
    stderr = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(stderr, 2)
            os.close(stderr)
            if before is None:
                os.environ.pop("RAY_BACKEND_LOG_LEVEL", None)
            captured.seek(0)
            lines = captured.read().decode("utf-8", "replace").splitlines(keepends=True)
            sys.stderr.write("".join(line for line in lines if LEVEL_NOTICE not in line))


def _import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise EngineError('--engine ray needs Ray: pip install "ray[data]"') from None
    return ray
