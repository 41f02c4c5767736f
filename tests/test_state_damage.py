"""A damaged `--state` folder (a disk, a hand edit, a copy cut short): a damaged cache is
rebuilt with the same results; a damaged theme model is one clear error naming the file, as
starting over would renumber every theme. Each was an internal error (exit 70) naming only
the library's exception."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

import cxtext
from cxtext.errors import InputError
from tests.support import DEMO_CORPUS, run_cli

DEMO = pl.read_csv(DEMO_CORPUS, infer_schema=False).head(40)


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A state folder after one run of 40 demo comments."""
    folder = tmp_path_factory.mktemp("state") / "state"
    cxtext.analyze(DEMO, out=folder.with_name("first"), state=folder)
    return folder


def copy_of(state: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(state, tmp_path / "state"))


@pytest.mark.parametrize(
    "name", ["themes.json", "themes.safetensors", "assignments.parquet", "history.json"]
)
def test_a_damaged_theme_model_is_named(state: Path, tmp_path: Path, name: str) -> None:
    folder = copy_of(state, tmp_path)
    (folder / name).write_text("{halv fil", encoding="utf-8")
    with pytest.raises(InputError, match=rf"^--state {folder}: {name} cannot be read \("):
        cxtext.analyze(DEMO, out=tmp_path / "out", state=folder)


def test_the_command_gives_one_line_and_exit_2(state: Path, tmp_path: Path) -> None:
    folder = copy_of(state, tmp_path)
    (folder / "themes.json").write_text('{"theme_ids": []}', encoding="utf-8")
    source = tmp_path / "feedback.csv"
    DEMO.write_csv(source)
    done = run_cli("analyze", str(source), "--state", str(folder), "-o", str(tmp_path / "o"))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"cxtext: error: --state {folder}: themes.json cannot be read (KeyError: 'labels'); "
        "restore the folder from a backup, or start a new --state folder"
    ]


def test_damaged_caches_are_rebuilt_with_the_same_results(state: Path, tmp_path: Path) -> None:
    intact, damaged = copy_of(state, tmp_path / "a"), copy_of(state, tmp_path / "b")
    caches = [
        path
        for path in damaged.rglob("*")
        if path.is_file() and (path.suffix in {".npz", ".npy"} or path.parent.suffix == ".parquet")
    ]
    kinds = {path.relative_to(damaged).parts[0].split("-")[0] for path in caches}
    assert kinds == {"embeddings", "language", "sentiment", "lemmas", "journey", "references"}
    for path in caches:
        path.write_bytes(b"\x00junk")
    rows = next(damaged.glob("embeddings-*.f16"))
    rows.write_bytes(rows.read_bytes()[:100])  # a row file cut short
    expected = cxtext.analyze(DEMO, out=tmp_path / "a" / "out", state=intact)
    rebuilt = cxtext.analyze(DEMO, out=tmp_path / "b" / "out", state=damaged)
    assert rebuilt.comments.equals(expected.comments)
    assert rebuilt.themes.equals(expected.themes)
