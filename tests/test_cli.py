"""The `cxtext` command as a user runs it: bad input is one line on stderr, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from cxtext.outputs.report.names import run_names
from cxtext.summary import top_fixes_lines
from tests.support import DEMO_CORPUS, HOSTILE_COMMENT, SUBSET_ROWS_READ, DemoRun, run_cli


def assert_one_error_line(done, exit_code: int | None = None) -> str:
    """Non-zero exit, exactly one stderr line starting with `cxtext: error:`, no traceback."""
    assert done.returncode != 0
    if exit_code is not None:
        assert done.returncode == exit_code
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, f"stderr has {len(lines)} lines:\n{done.stderr}"
    assert lines[0].startswith("cxtext: error: ")
    return lines[0]


BAD_INPUTS = {
    "missing": (None, "input file not found"),
    "empty.csv": (b"", "input file is empty"),
    "report.docx": (b"PK\x03\x04\x14\x00\x06\x00", "unsupported file type '.docx'"),
    "binary.csv": (bytes(range(256)) * 16, "binary"),
    "legacy.csv": (b"id,comment\n1,Pris for h\xf8j \x81\x8d\n", "cannot decode"),
    "numbers.csv": (b"id,score,country\n1,5,DK\n2,9,SE\n3,7,NO\n", "no text column found"),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_is_one_clear_line(tmp_path: Path, name: str) -> None:
    data, message = BAD_INPUTS[name]
    source = tmp_path / name
    if data is not None:
        source.write_bytes(data)
    out = tmp_path / "out"
    done = run_cli("analyze", str(source), "--out", str(out), timeout=120)
    line = assert_one_error_line(done, exit_code=2)
    assert message in line
    assert not out.exists()  # nothing half-written


def test_unknown_text_column_option(tmp_path: Path) -> None:
    source = tmp_path / "feedback.csv"
    source.write_text("id,kommentar\n1,Appen crasher\n", encoding="utf-8")
    done = run_cli("analyze", str(source), "--text-col", "svar", "-o", str(tmp_path / "o"), "-q")
    line = assert_one_error_line(done, exit_code=2)
    assert "--text-col 'svar' is not a column" in line


def test_role_option_on_the_comment_column_is_one_clear_line(tmp_path: Path) -> None:
    """Was an internal error (exit 70) after the whole pipeline had run."""
    out = tmp_path / "o"
    args = ["analyze", str(DEMO_CORPUS), "--date-col", "comment", "--text-col", "comment"]
    done = run_cli(*args, "-o", str(out), "-q")
    line = assert_one_error_line(done, exit_code=2)
    assert "--date-col 'comment' is also a --text-col" in line
    assert not out.exists()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--curation", "curation file not found: "),  # was ignored: the decisions silently lost
        ("--initiatives", "--initiatives file not found: "),  # was "input file not found"
    ],
)
def test_a_missing_option_file_is_named_as_what_it_is(
    tmp_path: Path, option: str, message: str
) -> None:
    missing = tmp_path / "decisions.toml"
    done = run_cli("analyze", str(DEMO_CORPUS), option, str(missing), "-o", str(tmp_path / "o"))
    assert assert_one_error_line(done, exit_code=2).startswith(f"cxtext: error: {message}{missing}")


def test_unknown_log_format_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "o"
    done = run_cli("analyze", str(DEMO_CORPUS), "--log-format", "xml", "-o", str(out), "-q")
    assert done.returncode == 2
    assert "invalid value for '--log-format'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--seed", "-1"], "--seed must be a whole number from 0 to 4294967295, not -1"),
        (["--seed", str(2**32)], "not 4294967296"),
        (["--engine", "ray", "--ray-workers", "0"], "--ray-workers must be at least 1, not 0"),
    ],
)
def test_an_option_value_out_of_range_is_bad_input_before_any_work(
    tmp_path: Path, option: list[str], message: str
) -> None:
    """`--seed -1` reached numpy mid-run: an internal error (exit 70)."""
    out = tmp_path / "o"
    done = run_cli("analyze", str(DEMO_CORPUS), *option, "-o", str(out), "-q")
    assert message in assert_one_error_line(done, exit_code=2)
    assert not out.exists()


def test_missing_model_folder_is_one_clear_line(tmp_path: Path) -> None:
    """sentence-transformers logged its own warning line before cxtext's error."""
    folder = tmp_path / "models" / "e5-finetuned"
    args = ["analyze", str(DEMO_CORPUS), "-o", str(tmp_path / "o"), "-q", "--model", str(folder)]
    line = assert_one_error_line(run_cli(*args), exit_code=3)
    assert line == f"cxtext: error: model folder not found: {folder}"


def test_a_file_without_comments_is_bad_input_with_its_rejects(tmp_path: Path) -> None:
    """Every comment empty: every row rejected, exit 2, the reasons in rejects.csv (it was
    exit 0 with an empty report, the only format that did not stop)."""
    source = tmp_path / "feedback.csv"
    pl.read_csv(DEMO_CORPUS, infer_schema=False).head(15).with_columns(
        comment=pl.lit("")
    ).write_csv(source)
    done = run_cli("analyze", str(source), "-o", str(tmp_path / "o"), "-q")
    line = assert_one_error_line(done, exit_code=2)
    assert "no usable rows: all 15 rows were rejected" in line
    rejects = pl.read_csv(tmp_path / "o" / "rejects.csv")
    assert rejects.get_column("reason").unique().to_list() == ["empty comment"]
    assert rejects.height == 15


def test_a_count_of_one_is_singular_in_the_summary(tmp_path: Path, demo_run: DemoRun) -> None:
    source = tmp_path / "feedback.csv"
    source.write_text("id,kommentar\n1,Appen crasher hver gang jeg åbner mine fakturaer\n")
    done = run_cli("analyze", str(source), "-o", str(tmp_path / "o"), "-q")
    assert done.returncode == 0, done.stderr
    assert "1 row read, 1 written, 0 rejected, 0 without content; 0 themes" in done.stdout
    done = run_cli("langid", str(source), "-o", str(tmp_path / "langs.csv"))
    assert done.stderr.splitlines()[-1].startswith("1 row read, 1 written")
    one_comment = demo_run.result.themes.filter(pl.col("rank") == 1).with_columns(
        size=1, respondents=1
    )
    assert " · 1 comment, " in top_fixes_lines(one_comment)[1]


def test_an_impact_on_a_mean_score_is_shown_in_hundredths(demo_run: DemoRun) -> None:
    """A 1-5 rating's impacts are hundredths of a point: one decimal showed them as '-0.0'."""
    themes = demo_run.result.themes.filter(pl.col("rank") == 1)
    on_mean = themes.with_columns(impact=pl.lit(-0.03), impact_metric=pl.lit("mean"))
    assert top_fixes_lines(on_mean)[1].endswith(", impact -0.03")
    on_nps = themes.with_columns(impact=pl.lit(-1.6), impact_metric=pl.lit("nps"))
    assert top_fixes_lines(on_nps)[1].endswith(", impact -1.6")


def test_missing_model_is_one_clear_line(tmp_path: Path) -> None:
    source = tmp_path / "feedback.csv"
    source.write_text("id,kommentar\n1,Appen crasher\n2,Fakturaen er forkert\n", encoding="utf-8")
    args = ["analyze", str(source), "-o", str(tmp_path / "o"), "-q", "--model", "no-such-model"]
    done = run_cli(*args)
    line = assert_one_error_line(done, exit_code=3)
    assert "no-such-model" in line


@pytest.fixture(scope="module")
def cli_run(demo_run: DemoRun, tmp_path_factory: pytest.TempPathFactory):
    """`cxtext analyze` in a fresh process on the same subset as the library run, with no
    column options (as a new user runs it; the library run names the columns)."""
    out = tmp_path_factory.mktemp("cli") / "out"
    done = run_cli("analyze", str(demo_run.source), "--out", str(out), "--quiet", timeout=600)
    return done, out


def test_analyze_writes_the_contract_and_a_summary(cli_run) -> None:
    done, out = cli_run
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert f"{SUBSET_ROWS_READ} rows read" in done.stdout
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["rows_read"] == run["rows_written"] + run["rows_rejected"] == SUBSET_ROWS_READ


def test_summary_lists_the_top_fixes_one_per_line_in_a_narrow_terminal(cli_run) -> None:
    """Captured output is 80 columns wide: no folded table, each fix whole on one line."""
    done, out = cli_run
    first = pl.read_csv(out / "themes.csv").filter(pl.col("rank") == 1).row(0, named=True)
    lines = done.stdout.splitlines()
    assert "Fix these first" in lines
    names = run_names(json.loads((out / "run.json").read_text(encoding="utf-8")))
    owner, phase = names.silo(first["silo"]), names.phase(first["phase"])  # names, not ids
    assert f"1. {first['label']} · owner {owner} · {phase}" in done.stdout
    assert not any(line.startswith(("│", "┃")) for line in lines)


def test_formula_comment_made_inert_in_csv_kept_raw_in_parquet(cli_run) -> None:
    _, out = cli_run
    csv_rows = pl.read_csv(out / "comments.csv", infer_schema=False).filter(
        pl.col("id") == "x-formula"
    )
    parquet_rows = pl.read_parquet(out / "comments.parquet").filter(pl.col("id") == "x-formula")
    assert csv_rows["text"].item() == "'" + HOSTILE_COMMENT
    assert parquet_rows["text"].item() == HOSTILE_COMMENT
    raw_csv = (out / "comments.csv").read_text(encoding="utf-8-sig")
    assert '\n"=HYPERLINK' not in raw_csv and ",=HYPERLINK" not in raw_csv


def test_same_seed_in_a_new_process_gives_identical_themes(cli_run, demo_run: DemoRun) -> None:
    """Reproducible across processes too (hash seeds, thread pools and caches differ)."""
    _, out = cli_run
    columns = ["id", "lang", "theme_id", "theme_label"]
    cli = pl.read_csv(out / "comments.csv", infer_schema=False).select(columns)
    library = pl.read_csv(demo_run.out / "comments.csv", infer_schema=False).select(columns)
    assert cli.equals(library)
    assert (out / "themes.csv").read_bytes() == (demo_run.out / "themes.csv").read_bytes()


def test_no_column_options_give_the_same_fixes_trends_and_metrics_as_naming_them(
    cli_run, demo_run: DemoRun
) -> None:
    """The demo's id, date, score and segment columns are found: top fixes, trends, alerts,
    segment priorities and journey metrics are those of the run that names them."""
    done, out = cli_run
    assert done.stdout.startswith("Columns: text 'comment', id 'id', date 'date', score 'score'")
    assert "choose others with --<role>-col NAME" in done.stdout.replace("\n", " ")
    for name in ("themes.csv", "trends.csv", "alerts.json", "segments.csv", "journey_metrics.csv"):
        assert (out / name).read_bytes() == (demo_run.out / name).read_bytes(), name
    assert pl.read_csv(out / "trends.csv").height > 0
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    library = json.loads((demo_run.out / "run.json").read_text(encoding="utf-8"))
    assert run["columns"]["score_scale"] == "nps"
    assert {k: v for k, v in run["columns"].items() if k != "found_by"} == {
        k: v for k, v in library["columns"].items() if k != "found_by"
    }
    assert run["columns"]["found_by"]["date"] == "name"
    assert library["columns"]["found_by"]["date"] == "option"


def test_langid_writes_language_columns(tmp_path: Path) -> None:
    source = tmp_path / "comments.csv"
    source.write_text(
        "id,comment,channel\n"
        "1,Jeg kan ikke finde jeres telefonnummer på hjemmesiden,web\n"
        "2,Jag har väntat i tre veckor på min återbetalning,app\n"
        "3,The invoice is wrong again and nobody answers the phone,email\n"
        "4,,web\n",
        encoding="utf-8",
    )
    output = tmp_path / "langs.csv"
    done = run_cli("langid", str(source), "--text-col", "comment", "-o", str(output))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    frame = pl.read_csv(output, infer_schema=False)
    assert frame.columns == ["id", "comment", "channel", "lang", "lang_confidence"]
    assert frame["lang"].to_list() == ["da", "sv", "en", "und"]
    confidences = frame["lang_confidence"].cast(pl.Float64).to_list()
    assert all(c > 0.5 for c in confidences[:3])
    assert confidences[3] == 0.0


def test_langid_reads_short_comments_by_the_files_language_mix(tmp_path: Path) -> None:
    from tests.test_language import AMBIGUOUS, DANISH

    source = tmp_path / "danish.csv"
    pl.DataFrame({"comment": DANISH * 6 + AMBIGUOUS}).write_csv(source)
    outputs = {}
    for flag in ("--no-language-mix", "--language-mix"):
        output = tmp_path / f"{flag}.csv"
        done = run_cli("langid", str(source), "-o", str(output), flag)
        assert done.returncode == 0, done.stderr
        outputs[flag] = pl.read_csv(output)["lang"].to_list()[-len(AMBIGUOUS) :]
    assert outputs["--language-mix"] == ["da"] * len(AMBIGUOUS)
    assert outputs["--no-language-mix"] != outputs["--language-mix"]


def test_langid_names_its_column_and_the_other_open_question(tmp_path: Path) -> None:
    """A kommune survey with two open questions: langid read one of them without a word. It
    now prints analyze's column lines, with its own option, and its short answers follow the
    file's Bokmål majority ("Nei" leans Nynorsk on its own)."""
    from tests.test_language import NO_CONTENT, NORWEGIAN, NYNORSK

    pairs = [f"{first}, {then.lower()}" for first in NORWEGIAN for then in NORWEGIAN]
    better = pairs + NYNORSK + NO_CONTENT
    source = tmp_path / "kommune.csv"
    columns = {"Kommentar": better, "Hva er du mest fornøyd med?": (pairs * 2)[7 : len(better) + 7]}
    pl.DataFrame(columns).write_csv(source)
    output = tmp_path / "langs.csv"
    done = run_cli("langid", str(source), "-o", str(output))
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "Columns: text 'Kommentar'; choose another with --text-col NAME",
        "warning: column 'Hva er du mest fornøyd med?' holds free-text answers too and is not "
        "read; to detect its languages run cxtext langid again with --text-col 'Hva er du mest "
        "fornøyd med?'",
        f"{len(better)} rows read, {len(better)} written to {output}, 0 rejected",
    ]
    langs = pl.read_csv(output)["lang"].to_list()
    assert langs[-len(NO_CONTENT) :] == ["nb"] * len(NO_CONTENT)
    assert langs[-len(NO_CONTENT) - len(NYNORSK) : -len(NO_CONTENT)] == ["nn"] * len(NYNORSK)
    named = run_cli("langid", str(source), "--text-col", "Hva er du mest fornøyd med?")
    assert named.stderr.splitlines()[0].startswith("Columns: text 'Hva er du mest fornøyd med?'")
    assert "warning" not in named.stderr  # a named column is the user's choice, as in analyze


def test_langid_bad_input_is_one_clear_line(tmp_path: Path) -> None:
    done = run_cli("langid", str(tmp_path / "missing.csv"), "--text-col", "comment")
    assert "input file not found" in assert_one_error_line(done, exit_code=2)


def test_version() -> None:
    import cxtext

    done = run_cli("version")
    assert done.returncode == 0
    assert done.stdout.strip() == cxtext.__version__


def test_python_dash_m_runs_the_command(tmp_path: Path) -> None:
    source = tmp_path / "feedback.csv"
    source.write_text("id,kommentar\n1,Appen crasher\n", encoding="utf-8")
    args = [sys.executable, "-m", "cxtext", "analyze", str(source), "--text-col", "svar"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("cxtext: error: --text-col 'svar' is not a column")


def test_langid_keeps_the_guarantees_analyze_keeps(tmp_path: Path) -> None:
    source = tmp_path / "hostile.csv"
    source.write_text(
        "id,comment,=SUM(A1:A9),contact\n"
        "1,Min faktura til 010190-1234 er forkert,=1+1,jens@example.dk\n"
        "2,Jag har väntat i tre veckor på min återbetalning,@SUM(A1),+46 70 123 45 67\n"
        "3,The invoice is wrong again,plain\n"  # ragged: three fields
        "4,Ring mig på 20 30 40 50 i morgen,-2+3,x\n"
        '5,=HYPERLINK("http://evil.example"),a,b,c,d\n',  # ragged: six fields
        encoding="utf-8",
    )
    output = tmp_path / "langs.csv"
    done = run_cli("langid", str(source), "-o", str(output))
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines() == [
        "Columns: text 'comment'; choose another with --text-col NAME",
        f"5 rows read, 3 written to {output}, 2 rejected "
        f"(reasons in {tmp_path / 'langs.rejects.csv'})",
    ]
    written = output.read_text("utf-8-sig")
    for secret in ("010190-1234", "jens@example.dk", "70 123 45 67", "20 30 40 50"):
        assert secret not in written
    frame = pl.read_csv(output, infer_schema=False)
    assert frame.columns[2] == "'=SUM(A1:A9)"
    assert frame.row(0) == (
        "1", "Min faktura til [ID] er forkert", "'=1+1", "EMAIL-1", "da",
        frame["lang_confidence"][0],
    )  # fmt: skip
    # a cell that is one identifier becomes a pseudonym, numbered without CXTEXT_PSEUDONYM_KEY
    assert frame["contact"].to_list() == ["EMAIL-1", "PHONE-1", "x"]
    rejects = pl.read_csv(tmp_path / "langs.rejects.csv", infer_schema=False)
    assert rejects["row"].to_list() == ["3", "5"]
    assert all("fields" in reason for reason in rejects["reason"])


def test_an_export_into_a_place_that_cannot_be_written_is_one_line(demo_run: DemoRun) -> None:
    done = run_cli("export", str(demo_run.out), "--to", "xlsx", "-o", "/proc/cxtext/run.xlsx")
    line = assert_one_error_line(done, exit_code=74)
    assert "/proc/cxtext" in line


def test_no_library_discovers_every_theme_and_says_so(tmp_path: Path) -> None:
    """Feedback about something the theme library was not written for: --no-library leaves
    the library out, and the run records that it did."""
    rows = pl.read_csv(DEMO_CORPUS, infer_schema=False).head(150)
    rows.write_csv(tmp_path / "feedback.csv")
    done = run_cli(
        "analyze", str(tmp_path / "feedback.csv"), "--out", str(tmp_path / "out"), "--no-library"
    )
    assert done.returncode == 0, done.stderr
    themes = pl.read_csv(tmp_path / "out" / "themes.csv", infer_schema=False)
    assert set(themes.get_column("source")) <= {"discovered"}
    assert themes.get_column("theme_id").str.contains(r"^d\d+$").all()
    assert themes.get_column("silo").null_count() < themes.height  # owners still assigned
    run = json.loads((tmp_path / "out" / "run.json").read_text("utf-8"))
    assert run["options"]["themes"]["use_library"] is False
