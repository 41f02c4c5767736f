"""A file whose every row is rejected, in every input format: one error line, exit 2, and
rejects.csv with every row and its reason in --out (rows read = written + rejected)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook

from tests.support import demo_rows, run_cli
from tests.test_cli import assert_one_error_line

COMMENTS = [row["comment"] for row in demo_rows(6)]


def ragged_csv(path: Path) -> int:
    """Comments with an unquoted comma: every row has one field too many."""
    lines = [f"{i},{comment.replace(',', '')}, sendt fra app" for i, comment in enumerate(COMMENTS)]
    path.write_text("id,kommentar\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def broken_jsonl(path: Path) -> int:
    """A CSV pasted into a .jsonl file: no line is a JSON object."""
    lines = [f"{i};{comment}" for i, comment in enumerate(COMMENTS)] + ['["an", "array"]']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def json_array_of_texts(path: Path) -> int:
    """An array of bare strings, not of objects with a comment field."""
    path.write_text(json.dumps(COMMENTS, ensure_ascii=False), encoding="utf-8")
    return len(COMMENTS)


def blank_parquet(path: Path) -> int:
    """Every comment blank or whitespace: an empty comment is a reject."""
    pl.DataFrame(
        {"id": [f"R{i}" for i in range(5)], "kommentar": ["", " ", None, "\t", ""]}
    ).write_parquet(path)
    return 5


def blank_xlsx(path: Path) -> int:
    """A Danish export whose comment column came out empty (a lost formula)."""
    book = Workbook()
    book.active.append(["Kunde", "Kommentar", "Score"])
    for i in range(4):
        book.active.append([f"K{i}", None if i % 2 else "   ", 7])
    book.save(path)
    return 4


MALFORMED = {
    "feedback.csv": ragged_csv,
    "feedback.jsonl": broken_jsonl,
    "feedback.json": json_array_of_texts,
}
BLANK = {"feedback.parquet": blank_parquet, "feedback.xlsx": blank_xlsx}
INPUTS = MALFORMED | BLANK


@pytest.mark.parametrize("name", list(INPUTS))
def test_every_row_rejected_writes_rejects_and_exits_2(tmp_path: Path, name: str) -> None:
    # a malformed file fails with --state too; blank comments are a quiet week there (below)
    source = tmp_path / name
    rows = INPUTS[name](source)
    out, state = tmp_path / "out", tmp_path / "state"
    scheduled = ("--state", str(state)) if name in MALFORMED else ()
    done = run_cli("analyze", str(source), "-o", str(out), *scheduled, "-q")
    line = assert_one_error_line(done, exit_code=2)
    assert line == (
        f"cxtext: error: no usable rows: all {rows} rows were rejected; "
        f"every row and its reason in {out.resolve() / 'rejects.csv'}"
    )
    rejects = pl.read_csv(out / "rejects.csv", infer_schema=False)
    assert rejects.get_column("row").cast(int).to_list() == list(range(1, rows + 1))
    assert rejects.get_column("reason").null_count() == 0
    assert sorted(path.name for path in out.iterdir()) == ["rejects.csv", "run.json"]
    run = json.loads((out / "run.json").read_text("utf-8"))
    assert (run["rows_read"], run["rows_written"], run["rows_rejected"]) == (rows, 0, rows)
    assert run["error"].startswith("no usable rows")
    assert not (state / "themes.json").exists()  # a failed run leaves no theme state
    for command in (["report"], ["export", "--to", "xlsx"], ["themes", "list"]):
        line = assert_one_error_line(run_cli(*command, str(out)), exit_code=2)
        assert "holds a run that failed (no usable rows" in line


@pytest.mark.parametrize("name", list(BLANK))
def test_blank_comments_with_state_are_a_quiet_run(tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    rows = BLANK[name](source)
    out, state = tmp_path / "out", tmp_path / "state"
    done = run_cli("analyze", str(source), "-o", str(out), "--state", str(state), "-q")
    assert done.returncode == 0 and done.stderr.count("\n") == 1
    assert done.stderr.startswith("cxtext: warning: no usable comments in this file (no usable")
    assert pl.read_csv(out / "rejects.csv").height == rows
    run = json.loads((out / "run.json").read_text("utf-8"))
    assert (run["rows_read"], run["rows_written"], run["rows_rejected"]) == (rows, 0, rows)
    assert not (state / "themes.json").exists()  # no themes yet: nothing to record


def test_langid_writes_the_rejects_of_a_file_with_no_usable_row(tmp_path: Path) -> None:
    source = tmp_path / "feedback.jsonl"
    rows = broken_jsonl(source)
    output = tmp_path / "languages.csv"
    line = assert_one_error_line(run_cli("langid", str(source), "-o", str(output)), exit_code=2)
    assert line.endswith(f"every row and its reason in {output.with_suffix('.rejects.csv')}")
    rejects = pl.read_csv(output.with_suffix(".rejects.csv"), infer_schema=False)
    assert rejects.height == rows
    assert not output.exists()


def test_a_one_row_file_that_is_rejected_says_the_only_row(tmp_path: Path) -> None:
    source = tmp_path / "feedback.csv"
    source.write_text(f"id,kommentar\n1,{COMMENTS[0].replace(',', '')},ekstra felt\n", "utf-8")
    done = run_cli("analyze", str(source), "-o", str(tmp_path / "out"), "-q")
    assert "no usable rows: the only row was rejected" in assert_one_error_line(done, 2)


def test_two_open_questions_left_blank_count_answers(tmp_path: Path) -> None:
    """With two --text-col questions every row gives two answers; all blank, all rejected."""
    source = tmp_path / "survey.csv"
    source.write_text("id;Hvad gjorde vi godt?;Hvad kan vi gøre bedre?\n1;;\n2; ;\n3;;\n", "utf-8")
    questions = ["--text-col", "Hvad gjorde vi godt?", "--text-col", "Hvad kan vi gøre bedre?"]
    out = tmp_path / "out"
    done = run_cli("analyze", str(source), *questions, "-o", str(out), "-q")
    line = assert_one_error_line(done, exit_code=2)
    assert "no usable rows: all 6 answers were rejected" in line
    run = json.loads((out / "run.json").read_text("utf-8"))
    assert (run["rows_read"], run["answers_read"], run["rows_rejected"]) == (3, 6, 6)
