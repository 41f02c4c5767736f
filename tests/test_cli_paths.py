"""Paths a new user gets wrong, command by command: a folder for a file, the input as the
output, a file that cannot be written, a run folder holding the user's own files. Each is one
line on stderr and a clean exit, or works; none loses a file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest

from cxtext.taxonomy import load_taxonomy
from cxtext.themes.curation import Curation, CurationError
from cxtext.themes.promote import promotion
from tests.support import CXTEXT, DEMO_CORPUS, DemoRun, run_cli
from tests.test_cli import assert_one_error_line


def test_an_xlsx_that_cannot_be_written_is_one_line(demo_run: DemoRun, tmp_path: Path) -> None:
    """openpyxl's unfinished sheets printed 90 lines of 'Exception ignored' tracebacks after
    cxtext's own error line."""
    target = tmp_path / "cx.xlsx"
    target.symlink_to(tmp_path / "missing" / "cx.xlsx")  # a path no file can be opened at
    done = run_cli("export", str(demo_run.out), "--to", "xlsx", "-o", str(target))
    line = assert_one_error_line(done, exit_code=74)
    assert "No such file or directory" in line


@pytest.mark.parametrize("command", [["list"], ["rename", "billing_error", "Fakturafejl"]])
def test_a_folder_as_curation_file_is_refused(
    demo_run: DemoRun, tmp_path: Path, command: list[str]
) -> None:
    """`themes list` read a folder as no decisions (exit 0); `rename` failed on a temporary
    '.decisions.123.tmp' (exit 74)."""
    folder = tmp_path / "decisions"
    folder.mkdir()
    args = ["themes", command[0], str(demo_run.out), *command[1:], "--curation", str(folder)]
    line = assert_one_error_line(run_cli(*args), exit_code=2)
    expected = f"curation file {folder} is a folder: name a file such as curation.toml"
    assert line == f"cxtext: error: {expected}"
    assert not any(folder.iterdir())


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--curation", "curation file {path} is a folder"),  # was "curation file not found"
        ("--taxonomy", "taxonomy {path} is a folder, not a file"),  # was "... not found"
        ("--initiatives", "--initiatives {path} is a folder, not a file"),  # was "input is ..."
    ],
)
def test_a_folder_for_an_option_file_is_named_as_a_folder(
    tmp_path: Path, option: str, message: str
) -> None:
    folder = tmp_path / "settings"
    folder.mkdir()
    out = tmp_path / "o"
    done = run_cli("analyze", str(DEMO_CORPUS), option, str(folder), "-o", str(out), "-q")
    assert message.format(path=folder) in assert_one_error_line(done, exit_code=2)
    assert not out.exists()


def test_a_bad_curation_file_stops_the_run_before_the_model_loads(tmp_path: Path) -> None:
    """It was read in the themes stage, after language ID and embedding: minutes on a large
    file, and a missing model was reported instead (exit 3)."""
    decisions = tmp_path / "curation.toml"
    decisions.write_text('names = "Fakturafejl"\n', encoding="utf-8")
    args = ["--curation", str(decisions), "--model", str(tmp_path / "no-model"), "-q"]
    done = run_cli("analyze", str(DEMO_CORPUS), *args, "-o", str(tmp_path / "o"))
    line = assert_one_error_line(done, exit_code=2)
    assert line == f"cxtext: error: {decisions}: [names] must map theme ids to non-empty text"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bom.csv", b"\xef\xbb\xbf", "input file is empty: "),  # was "cannot read the CSV header"
        ("bom16.csv", b"\xff\xfe", "input file is empty: "),
        ("records.json", b"{}", "the input has no columns"),  # was "(columns: )"
        ("records.jsonl", b"{}\n{}\n", "the input has no columns"),
    ],
)
def test_a_file_without_content_says_so(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    source = tmp_path / name
    source.write_bytes(data)
    done = run_cli("analyze", str(source), "-o", str(tmp_path / "o"), "-q")
    assert message in assert_one_error_line(done, exit_code=2)


def test_a_run_folder_with_the_users_files_still_loads(demo_run: DemoRun, tmp_path: Path) -> None:
    """Every CSV and JSON in the folder was read as a run table: an empty notes.csv was an
    internal error (exit 70) in `report`, `export` and `themes list`."""
    folder = tmp_path / "run"
    shutil.copytree(demo_run.out, folder)
    (folder / "notes.csv").write_bytes(b"")
    (folder / "settings.json").write_text("{not json", encoding="utf-8")
    for args in (
        ["report", str(folder), "-o", str(tmp_path / "r.html")],
        ["export", str(folder), "--to", "xlsx", "-o", str(tmp_path / "cx.xlsx")],
        ["themes", "list", str(folder)],
    ):
        done = run_cli(*args)
        assert done.returncode == 0, done.stderr


def test_langid_never_writes_over_its_input(tmp_path: Path) -> None:
    source = tmp_path / "feedback.csv"
    shutil.copy(DEMO_CORPUS, source)
    for option in ("-o", "--rejects"):
        done = run_cli("langid", str(source), option, str(source))
        line = assert_one_error_line(done, exit_code=2)
        assert (
            line == f"cxtext: error: {source} is the file being read; choose another path to write"
        )
    assert source.read_bytes() == DEMO_CORPUS.read_bytes()


@pytest.mark.parametrize("name", ["comments.csv", "journey.json", "themes.csv"])
def test_analyze_never_writes_over_its_input_in_the_out_folder(tmp_path: Path, name: str) -> None:
    """`cxtext analyze comments.csv --out .` replaced the survey export it read with its
    own comments.csv (and a JSON array named journey.json with the journey export)."""
    source = tmp_path / name
    if name.endswith(".json"):
        source.write_text('[{"kommentar": "Fakturaen er umulig at læse"}]', encoding="utf-8")
    else:
        source.write_text("kommentar\nFakturaen er umulig at læse\nKøen var alt for lang\n")
    before = source.read_bytes()
    done = run_cli("analyze", str(source), "--out", str(tmp_path))
    line = assert_one_error_line(done, exit_code=2)
    assert line == (
        f"cxtext: error: {source} is in --out {tmp_path}, where the run writes its own "
        f"{name}: move or rename the input, or choose another --out"
    )
    assert source.read_bytes() == before and sorted(tmp_path.iterdir()) == [source]


def test_an_empty_promote_id_is_named_as_given(tmp_path: Path) -> None:
    """`--id ''` was refused quoting the theme's name as if that had been typed."""
    row = {"theme_id": "d01", "label": "Pakkeautomat"}
    taxonomy = load_taxonomy()
    with pytest.raises(CurationError, match=r"^'' is taken or not an id"):
        promotion(row, None, taxonomy, Curation(), tmp_path / "t.toml", "service", "")


def test_an_unknown_promote_group_is_named(tmp_path: Path) -> None:
    """`--group gadgets` was taken for a discovered group's id ('g3') and silently replaced by
    the phase's usual group; `--group unknown` said only 'name the theme's group'."""
    row = {"theme_id": "d01", "label": "Pakkeautomat", "parent_id": "g2", "phase": "receive"}
    taxonomy = load_taxonomy()
    for group in ("gadgets", "unknown"):
        with pytest.raises(CurationError, match=rf"^unknown group '{group}' \(the taxonomy's"):
            promotion(row, None, taxonomy, Curation(), tmp_path / "t.toml", group)
    known = next(iter(taxonomy.groups))
    comments = pl.DataFrame(
        {"theme_id": ["d01"], "text": ["Pakkeautomaten var fuld"], "theme_score": [0.9]}
    ).with_columns(id=pl.lit("1"), lang=pl.lit("da"))
    block = promotion(row, comments, taxonomy, Curation(), tmp_path / "t.toml", known)[1]
    assert f'group = "{known}"' in block


def test_a_promoted_name_is_written_in_the_runs_label_language(tmp_path: Path) -> None:
    """A run named in Danish wrote its Danish name under `en`, so an English report showed it
    as the English name and the file said nothing was missing in English."""
    row = {"theme_id": "d01", "label": "Fuld pakkeautomat", "phase": "receive"}
    comments = pl.DataFrame(
        {"theme_id": ["d01"], "text": ["Pakkeautomaten var fuld"], "theme_score": [0.9]}
    ).with_columns(id=pl.lit("1"), lang=pl.lit("da"))
    taxonomy, target = load_taxonomy(), tmp_path / "t.toml"
    danish = promotion(row, comments, taxonomy, Curation(), target, name_language="da")[1]
    assert 'da = "Fuld pakkeautomat"' in danish and "\nen = " not in danish
    assert "# Add its name in sv, nb, nn, en under [themes.name]." in danish
    assert "\npromoted = true\n" in danish  # no run warns of the four names it lacks
    english = promotion(row, comments, taxonomy, Curation(), target)[1]
    assert 'en = "Fuld pakkeautomat"' in english


def test_langid_into_a_pipe_closed_early_stops_quietly(tmp_path: Path) -> None:
    """`cxtext langid in.csv | head -1` ended in a 50-line BrokenPipe traceback (polars raises
    it without an errno)."""
    reader = subprocess.Popen(
        [str(CXTEXT), "langid", str(DEMO_CORPUS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    reader.stdout.close()  # as `head` does once it has its line, here before the first one
    stderr = reader.stderr.read().decode()
    assert reader.wait(timeout=120) == 1
    assert stderr == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "--initiatives file is empty: {path}"),  # was "input file is empty"
        (b"id,score\n1,5\n", "--initiatives {path} has no column of text (columns: id, score)"),
    ],
)
def test_a_bad_roadmap_is_named_as_the_roadmap(tmp_path: Path, data: bytes, message: str) -> None:
    """'no text column found; name it with --text-col' sent the user to the input's option."""
    roadmap = tmp_path / "roadmap.csv"
    roadmap.write_bytes(data)
    args = ["--initiatives", str(roadmap), "-o", str(tmp_path / "o"), "-q"]
    line = assert_one_error_line(run_cli("analyze", str(DEMO_CORPUS), *args), exit_code=2)
    assert line == f"cxtext: error: {message.format(path=roadmap)}"
