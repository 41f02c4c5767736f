"""`--out` is checked before any work, held by one run at a time, and left clean."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import polars as pl
import pytest

import cxtext
from cxtext.errors import InputError
from cxtext.io.output_folder import OutputInUseError, check_output_folder, claimed
from tests.support import run_cli

FRAME = pl.DataFrame({"comment": ["Fakturaen er umulig at læse", "Alt for lang ventetid"]})


def test_a_file_as_out_is_refused_before_any_work(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("keep me")
    source = tmp_path / "in.csv"
    source.write_text("comment\nFakturaen er umulig at læse\n")
    done = run_cli("analyze", str(source), "--out", str(target), timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"cxtext: error: --out {target} is a file, not a folder: choose a folder"
    ]
    assert target.read_text() == "keep me"


def test_a_read_only_folder_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "old.txt").write_text("x")
    folder.chmod(0o555)
    try:
        with pytest.raises(InputError, match="is read-only"):
            cxtext.analyze(FRAME, out=folder)
        assert stat.S_IMODE(folder.stat().st_mode) == 0o555
        assert [p.name for p in folder.iterdir()] == ["old.txt"]
    finally:
        folder.chmod(0o755)


def test_a_place_where_no_folder_can_be_made_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot"):
        check_output_folder(Path("/proc/cxtext-out"))
    parent = tmp_path / "a-file"
    parent.write_text("")
    with pytest.raises(InputError, match="is a file"):
        check_output_folder(parent / "out")


def test_a_second_run_into_a_held_folder_is_refused_naming_the_first(tmp_path: Path) -> None:
    out = tmp_path / "kx"
    source = tmp_path / "in.csv"
    source.write_text("comment\nFakturaen er umulig at læse\n")
    with claimed(out, "first.csv"):
        done = run_cli("analyze", str(source), "--out", str(out), timeout=60)
        with pytest.raises(OutputInUseError):
            cxtext.analyze(FRAME, out=out)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert "being written by another cxtext run" in line
    assert f"pid {os.getpid()}" in line and "input first.csv" in line
    assert not out.with_name(".kx.lock").exists()  # released and removed


def test_leftovers_of_killed_runs_are_removed_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "kx"
    stale = [tmp_path / ".kx.staging-ab12cd34", tmp_path / ".kx.q7w8e9r0"]
    kept = [tmp_path / ".kx.v2.staging-ab12cd34", tmp_path / "kx2", tmp_path / ".kx.previous"]
    for folder in stale + kept:
        folder.mkdir()
        (folder / "comments.csv").write_text("half")
    with claimed(out, "in.csv"):
        lock = json.loads(out.with_name(".kx.lock").read_text())
        assert lock["pid"] == os.getpid()
    assert not any(folder.exists() for folder in stale)
    assert all(folder.exists() for folder in kept)


def test_a_run_writes_into_a_fresh_folder_and_keeps_a_folder_mode(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    cxtext.analyze(FRAME, out=out)
    assert (out / "run.json").is_file()
    out.chmod(0o750)
    cxtext.analyze(FRAME, out=out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    assert sorted(p.name for p in tmp_path.joinpath("deep").iterdir()) == ["out"]


def test_a_run_into_a_run_folder_keeps_the_users_files_there(tmp_path: Path) -> None:
    """A folder of run outputs was replaced whole, with the input and notes the user had put
    in it (anything but a subfolder): `cxtext analyze out/feedback.csv -o out` deleted its
    input."""
    out = tmp_path / "out"
    cxtext.analyze(FRAME, out=out)
    source = out / "feedback.csv"
    FRAME.write_csv(source)
    (out / "notes.txt").write_text("Spørg økonomi om gebyret", encoding="utf-8")
    cxtext.analyze(source, out=out)
    assert source.is_file() and (out / "notes.txt").read_text(encoding="utf-8").startswith("Spørg")
    assert (out / "run.json").is_file()
    cxtext.analyze(FRAME, out=tmp_path / "clean")  # a folder of run files alone: replaced whole
    (tmp_path / "clean" / "cxtext.xlsx").write_bytes(b"")  # as `cxtext export` writes there
    cxtext.analyze(FRAME, out=tmp_path / "clean")
    assert not (tmp_path / "clean" / "cxtext.xlsx").exists()
