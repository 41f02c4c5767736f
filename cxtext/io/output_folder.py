"""The output folder: checked before any work, held by one run at a time, left clean.

A run writes into a staging folder beside `--out` and swaps it in at the end (`io.write`). So
that the user learns of a bad `--out` in a second, not after the whole analysis, the folder is
checked first; a lock file beside it keeps a second run from writing the same folder; staging
folders that a killed run left behind are removed by the next run into that folder.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import socket
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from cxtext.errors import InputError

STAGING_MARK = "staging-"


class OutputInUseError(InputError):
    """Another cxtext run is writing the same output folder."""


def staging_prefix(out_dir: Path) -> str:
    """Name start of a run's staging folder beside `out_dir` (see `io.write`)."""
    return f".{out_dir.name}.{STAGING_MARK}"


def check_output_folder(out_dir: Path) -> None:
    """Raise `InputError` (one line) when `out_dir` cannot take a run's outputs: a file, a
    read-only folder, or a place where no folder can be made."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"--out {out_dir} is a file, not a folder: choose a folder")
    if out_dir.is_dir() and not _writable(out_dir):
        raise InputError(
            f"output folder {out_dir} is read-only: make it writable or choose another"
        )
    ancestor = out_dir.parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise InputError(f"cannot create output folder {out_dir}: {ancestor} is a file")
    if not _writable(ancestor):
        raise InputError(f"cannot create output folder {out_dir}: {ancestor} is read-only")
    try:  # the real test: the staging folder is made beside out_dir
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        probe = tempfile.mkdtemp(prefix=f".{out_dir.name}.probe-", dir=out_dir.parent)
        os.rmdir(probe)
    except OSError as error:
        raise InputError(f"cannot write output folder {out_dir}: {error.strerror}") from None


@contextmanager
def claimed(out_dir: Path, source: str) -> Iterator[None]:
    """Hold `out_dir` for this run: check it, lock it (a second run is refused with exit 2,
    naming the first), and remove staging folders of runs that were killed."""
    out_dir = out_dir.resolve()
    check_output_folder(out_dir)
    lock_path = out_dir.with_name(f".{out_dir.name}.lock")
    handle = _lock(lock_path)
    try:
        handle.truncate(0)
        handle.write(json.dumps(_holder(source)))
        handle.flush()
        remove_stale_staging(out_dir)
        yield
    finally:
        lock_path.unlink(missing_ok=True)
        handle.close()  # closing releases the lock


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Staging folders of `out_dir` left by killed runs (also the older `.NAME.xxxxxxxx` form);
    only called while holding the folder's lock, so none of them is being written."""
    pattern = re.compile(
        rf"\.{re.escape(out_dir.name)}\.(?:{STAGING_MARK}|probe-)?(?!previous)[a-z0-9_]{{8}}",
        re.I,
    )  # `.NAME.previous` is the last good run, which `io.write` puts back
    removed = []
    for path in out_dir.parent.iterdir():
        if path.is_dir() and not path.is_symlink() and pattern.fullmatch(path.name):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _lock(path: Path):
    """The open, exclusively locked lock file; a lock file deleted by its last holder while
    we waited is opened again."""
    while True:
        handle = path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            other = handle.read()
            handle.close()
            raise OutputInUseError(
                f"output folder {path.with_name(path.name[1:-5])} is being written by another "
                f"cxtext run ({_describe(other)}); wait for it or choose another --out"
            ) from None
        if path.exists() and os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino:
            return handle
        handle.close()


def _holder(source: str) -> dict:
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"pid": os.getpid(), "host": socket.gethostname(), "started": started, "input": source}


def _describe(text: str) -> str:
    try:
        holder = json.loads(text)
        return (
            f"pid {holder['pid']} on {holder['host']}, started {holder['started']}, "
            f"input {holder['input']}"
        )
    except (ValueError, KeyError, TypeError):
        return "details unknown"


def _writable(folder: Path) -> bool:
    """Writable for this process and not marked read-only by its owner (root ignores the
    mode bits, but a folder someone made read-only is meant to stay as it is)."""
    return os.access(folder, os.W_OK) and bool(folder.stat().st_mode & stat.S_IWUSR)
