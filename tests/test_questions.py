"""Two open questions in one export: each answer is a comment with its question, in every output."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from tests.support import run_cli

EXPORT = Path(__file__).parent / "fixtures" / "exports" / "two_questions.csv"
WELL, BETTER = "Hvad gjorde vi godt?", "Hvad kan vi gøre bedre?"


@pytest.fixture(scope="module")
def two_question_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("questions") / "out"
    done = run_cli(
        "analyze", str(EXPORT), "--text-col", WELL, "--text-col", BETTER, "-o", str(out), "-q",
        timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Columns: text '{WELL}' + '{BETTER}', id 'Svar-ID'")
    (out.parent / "stdout.txt").write_text(done.stdout, encoding="utf-8")
    return out


def test_each_answer_is_a_comment_with_its_question(two_question_run: Path) -> None:
    comments = pl.read_parquet(two_question_run / "comments.parquet")
    source = pl.read_csv(EXPORT, separator=";", infer_schema=False)
    assert comments.get_column("id").is_unique().all()
    first = comments.filter(pl.col("id") == "A301-q1").row(0, named=True)
    second = comments.filter(pl.col("id") == "A301-q2").row(0, named=True)
    assert (first["question"], first["text"]) == (WELL, source.item(1, WELL))
    assert (second["question"], second["text"]) == (BETTER, source.item(1, BETTER))
    assert first["Kundetype"] == second["Kundetype"] == "Privat"  # the respondent's columns
    assert comments.get_column("id").to_list()[:3] == ["A300-q2", "A301-q1", "A301-q2"]


def test_unanswered_questions_are_rejects_and_every_answer_is_accounted(
    two_question_run: Path,
) -> None:
    run = json.loads((two_question_run / "run.json").read_text(encoding="utf-8"))
    blank = pl.read_csv(EXPORT, separator=";", infer_schema=False).get_column(WELL).is_null()
    assert run["rows_read"] == 30 and run["answers_read"] == 60
    assert run["rows_rejected"] == blank.sum() == 8
    assert run["rows_written"] + run["rows_rejected"] == 60
    assert run["columns"]["questions"] == [WELL, BETTER]
    rejects = pl.read_csv(two_question_run / "rejects.csv")
    # the reason names the question left blank: "empty comment" did not say which answer
    assert set(rejects.get_column("reason")) == {f"empty answer to '{WELL}'"}


def test_the_summary_counts_answers_so_the_rows_add_up(two_question_run: Path) -> None:
    """ "30 rows read, 52 written, 8 rejected" looked like 30 rows gone missing."""
    stdout = (two_question_run.parent / "stdout.txt").read_text(encoding="utf-8")
    assert "30 rows read (60 answers to 2 questions), 52 written, 8 rejected" in stdout


def test_comments_csv_counts_the_answers_to_each_question(
    two_question_run: Path,
) -> None:
    comments = pl.read_csv(two_question_run / "comments.csv", infer_schema=False)
    assert comments.group_by("question").len().sort("question").rows() == [(WELL, 22), (BETTER, 30)]


def test_the_report_filters_by_question(two_question_run: Path) -> None:
    html = (two_question_run / "report.html").read_text(encoding="utf-8")
    assert '<select id="filter-question">' in html
    data = html.split('<script type="application/json" id="cx-data">')[1].split("</script>")[0]
    codes = json.loads(data)["codes"]
    assert codes["questions"] == sorted([WELL, BETTER])
    answers = {q: codes["q"].count(i) for i, q in enumerate(codes["questions"])}
    comments = pl.read_parquet(two_question_run / "comments.parquet").filter(~pl.col("no_content"))
    assert answers == dict(comments.group_by("question").len().rows())
