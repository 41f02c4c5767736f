"""Readers: every supported format gives every data row, numbered from 1, or a reject for it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook

from cxtext.errors import InputError
from cxtext.io.contract import REJECT_COLUMNS, ROW_COLUMN
from cxtext.io.read import read_input, sniff_delimiter
from tests.support import DEMO_CORPUS


def demo_rows(count: int) -> list[dict]:
    """The first rows of the demo corpus (real comments in five languages)."""
    return pl.read_csv(DEMO_CORPUS, infer_schema=False).head(count).to_dicts()


def write(path: Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def column(raw, name: str) -> list:
    return raw.frame.get_column(name).to_list()


# --- CSV ---------------------------------------------------------------------------------------


def test_comma_utf8_csv(tmp_path: Path) -> None:
    path = write(
        tmp_path / "export.csv",
        'id,comment,score\nc1,Appen crasher når jeg åbner den,3\nc2,"Langsom levering, igen",5\n',
    )
    raw = read_input(path)
    assert raw.frame.columns == [ROW_COLUMN, "id", "comment", "score"]
    assert column(raw, ROW_COLUMN) == [1, 2]
    assert column(raw, "comment") == ["Appen crasher når jeg åbner den", "Langsom levering, igen"]
    assert column(raw, "score") == ["3", "5"]  # CSV values stay text; no type guessing
    assert raw.rejects.height == 0
    assert raw.rows_read == 2
    assert raw.file_format == "csv"
    assert raw.file_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_utf8_bom_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    path = write(
        tmp_path / "excel.csv", b"\xef\xbb\xbf" + "id,kommentar\n1,Kön var lång\n".encode()
    )
    raw = read_input(path)
    assert raw.frame.columns == [ROW_COLUMN, "id", "kommentar"]
    assert column(raw, "kommentar") == ["Kön var lång"]


def test_semicolon_cp1252_csv_from_nordic_excel(tmp_path: Path) -> None:
    text = (
        "Id;Kommentar;Score\n"
        "1;Æbler, øl og blåbær på én faktura;5\n"
        "2;Kön är för lång, tre veckor;3\n"
        "3;Ærlig talt: for dårlig;1\n"
    )
    path = write(tmp_path / "nordic.csv", text, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # the fixture really is cp1252
    raw = read_input(path)
    assert raw.frame.columns == [ROW_COLUMN, "Id", "Kommentar", "Score"]
    assert column(raw, "Kommentar") == [
        "Æbler, øl og blåbær på én faktura",
        "Kön är för lång, tre veckor",
        "Ærlig talt: for dårlig",
    ]
    assert raw.rejects.height == 0


def test_excel_separator_hint_line_names_the_delimiter(tmp_path: Path) -> None:
    """Excel's "sep=;" first line: was read as the header ("no text column found")."""
    rows = demo_rows(3)
    lines = ["sep=;", "Kommentar;Dato;Score", *(f"{r['comment']};{r['date']};9,5" for r in rows)]
    lines.insert(3, "Fakturaen\x00 er forkert;2026-01-02;3")  # a NUL row keeps its own line
    path = write(tmp_path / "excel.csv", "\r\n".join(lines) + "\r\n", encoding="cp1252")
    raw = read_input(path)
    assert raw.frame.columns == [ROW_COLUMN, "Kommentar", "Dato", "Score"]
    assert column(raw, "Kommentar") == [row["comment"] for row in rows]
    assert raw.rejects.to_dicts()[0]["reason"] == "NUL byte in the row (line 4)"
    with pytest.raises(InputError, match="no rows"):
        read_input(write(tmp_path / "hint_only.csv", "sep=;\r\n"))


def test_tab_separated(tmp_path: Path) -> None:
    path = write(tmp_path / "export.tsv", "id\tsvar\n1\tBra, men dyrt; för dyrt\n2\tFint\n")
    raw = read_input(path)
    assert column(raw, "svar") == ["Bra, men dyrt; för dyrt", "Fint"]
    assert raw.file_format == "tsv"


def test_utf16_tab_text_as_excel_unicode_export(tmp_path: Path) -> None:
    path = write(tmp_path / "unicode.txt", "id\tKommentar\n1\tGebyret er for højt\n", "utf-16")
    raw = read_input(path)
    assert column(raw, "Kommentar") == ["Gebyret er for højt"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_recognised(tmp_path: Path, encoding: str) -> None:
    text = "id\tKommentar\n1\tGebyret er for højt\n2\tKön var lång, ingen svarade\n"
    raw = read_input(write(tmp_path / "unicode.txt", text, encoding))
    assert column(raw, "Kommentar") == ["Gebyret er for højt", "Kön var lång, ingen svarade"]


def test_rows_with_nul_bytes_are_rejects_naming_their_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "nul.csv",
        'id,comment\n1,Fakturaen er forkert\n2,"To linjer\nher\x00"\n3,Kön\x00 var lång\n4,Fint\n',
    )
    raw = read_input(path)
    assert column(raw, "id") == ["1", "4"]
    assert raw.rejects.get_column("row").to_list() == [2, 3]
    assert raw.rejects.get_column("reason").to_list() == [
        "NUL byte in the row (line 3)",
        "NUL byte in the row (line 5)",
    ]
    assert raw.rows_read == 4


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2,5;3\n4;5,0;6\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ("a|b\n1|2\n", "|"),
    ],
)
def test_sniff_delimiter(sample: str, expected: str) -> None:
    assert sniff_delimiter(sample) == expected


def test_row_with_wrong_field_count_is_rejected_and_counted(tmp_path: Path) -> None:
    path = write(
        tmp_path / "ragged.csv",
        "id,comment,score\n1,Fin service,9\n2,for mange felter,4,ekstra\n3,Dårlig app,2\n",
    )
    raw = read_input(path)
    assert column(raw, "id") == ["1", "3"]
    assert column(raw, ROW_COLUMN) == [1, 3]  # row numbers stay those of the file
    assert raw.rejects.columns == REJECT_COLUMNS
    [reject] = raw.rejects.to_dicts()
    assert reject["row"] == 2
    assert reject["reason"] == "row has 4 fields, header has 3"
    assert "for mange felter" in reject["raw"]
    assert raw.rows_read == raw.frame.height + raw.rejects.height == 3


def test_row_of_only_delimiters_is_rejected_not_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "blank.csv", "id,comment\n1,Hej\n,\n2,Hallo\n")
    raw = read_input(path)
    assert raw.rows_read == 3
    assert raw.rejects.to_dicts() == [{"row": 2, "reason": "empty row", "raw": ""}]


def test_duplicate_and_blank_headers_are_renamed(tmp_path: Path) -> None:
    path = write(tmp_path / "headers.csv", "comment,comment,,score\nHej,Igen,x,4\n")
    raw = read_input(path)
    assert raw.frame.columns == [ROW_COLUMN, "comment", "comment_2", "column_3", "score"]
    assert raw.frame.row(0) == (1, "Hej", "Igen", "x", "4")


def test_renamed_header_does_not_overwrite_an_existing_column(tmp_path: Path) -> None:
    # "a" twice becomes "a", "a_2" — but "a_2" is already a header: no column may be lost.
    path = write(tmp_path / "clash.csv", "a,a,a_2\n1,2,3\n")
    raw = read_input(path)
    assert raw.frame.width == 4
    assert sorted(raw.frame.row(0)[1:]) == ["1", "2", "3"]


def test_quoted_newline_stays_inside_its_field(tmp_path: Path) -> None:
    path = write(
        tmp_path / "multiline.csv",
        'id,comment\n1,"Tre ting:\n1) ventetiden\n2) ingen ringer tilbage"\n2,Fin\n',
    )
    raw = read_input(path)
    assert column(raw, "comment") == ["Tre ting:\n1) ventetiden\n2) ingen ringer tilbage", "Fin"]
    assert column(raw, ROW_COLUMN) == [1, 2]


def test_input_column_named_like_the_row_column_is_kept(tmp_path: Path) -> None:
    path = write(tmp_path / "row.csv", "_row,comment\n17,Hej\n")
    raw = read_input(path)
    assert column(raw, ROW_COLUMN) == [1]
    assert column(raw, f"{ROW_COLUMN}_input") == ["17"]


# --- XLSX, Parquet, JSONL ----------------------------------------------------------------------


def test_xlsx_first_sheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append([None, None, None, None])  # a blank row above the header is skipped
    sheet.append(["id", "Kommentar", "Score", "Dato"])
    sheet.append([101, "Kundeservice var uhøflig", 2, dt.datetime(2026, 1, 5, 9, 30)])
    sheet.append([102, "Leveringen tog én uge", 7.5, None])
    sheet.append([103, None, 10, dt.datetime(2026, 1, 7)])
    book.create_sheet("Other").append(["not", "read"])
    path = tmp_path / "survey.xlsx"
    book.save(path)

    raw = read_input(path)
    assert raw.frame.columns == [ROW_COLUMN, "id", "Kommentar", "Score", "Dato"]
    assert column(raw, ROW_COLUMN) == [1, 2, 3]
    assert column(raw, "id") == ["101", "102", "103"]  # whole numbers without ".0"
    assert column(raw, "Kommentar") == ["Kundeservice var uhøflig", "Leveringen tog én uge", None]
    assert column(raw, "Score") == ["2", "7.5", "10"]
    assert column(raw, "Dato") == ["2026-01-05T09:30:00", None, "2026-01-07T00:00:00"]
    assert raw.file_format == "xlsx"
    assert raw.rows_read == 3


def test_xlsx_date_cells_are_dates_without_a_time(tmp_path: Path) -> None:
    """Excel stores a date as a midnight date-time: comments.csv showed '2025-01-01T00:00:00'."""
    book = Workbook()
    book.active.append(["Kommentar", "Dato", "Tidspunkt"])
    for day, row in enumerate(demo_rows(3), start=1):
        book.active.append([row["comment"], dt.datetime(2025, 1, day), dt.datetime(2025, 1, day)])
    book.active["C2"] = dt.datetime(2025, 1, 1, 14, 5)  # one real time: the column keeps times
    path = tmp_path / "svar.xlsx"
    book.save(path)
    raw = read_input(path)
    assert column(raw, "Dato") == ["2025-01-01", "2025-01-02", "2025-01-03"]
    assert column(raw, "Tidspunkt")[:2] == ["2025-01-01T14:05:00", "2025-01-02T00:00:00"]


def test_parquet_keeps_types_and_numbers_rows(tmp_path: Path) -> None:
    path = tmp_path / "export.parquet"
    pl.DataFrame(
        {"comment": ["Appen er langsom", "Fakturaen er forkert"], "score": [3, 8], "_row": [9, 9]}
    ).write_parquet(path)
    raw = read_input(path)
    assert column(raw, ROW_COLUMN) == [1, 2]
    assert column(raw, "comment") == ["Appen er langsom", "Fakturaen er forkert"]
    assert raw.frame.schema["score"] == pl.Int64
    assert column(raw, f"{ROW_COLUMN}_input") == [9, 9]
    assert raw.file_format == "parquet"


def test_jsonl_with_invalid_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": 1, "comment": "Chatten svarer aldrig", "meta": {"channel": "chat"}}),
        '{"id": 2, "comment": "broken',
        "",
        "[1, 2, 3]",
        json.dumps({"id": 3, "comment": "Bra app", "score": 9.5, "extra": None}),
    ]
    path = write(tmp_path / "export.jsonl", "\n".join(lines) + "\n")
    raw = read_input(path)
    assert column(raw, "comment") == ["Chatten svarer aldrig", "Bra app"]
    assert column(raw, "id") == ["1", "3"]
    assert column(raw, "score") == [None, "9.5"]
    assert column(raw, "meta.channel") == ["chat", None]  # an object's fields are columns
    assert column(raw, ROW_COLUMN) == [1, 4]
    rejects = raw.rejects.to_dicts()
    assert [r["row"] for r in rejects] == [2, 3]
    assert rejects[0]["reason"].startswith("invalid JSON")
    assert rejects[0]["raw"] == '{"id": 2, "comment": "broken'
    assert rejects[1]["reason"] == "JSON line is not an object"
    assert raw.rows_read == 4 == raw.frame.height + raw.rejects.height


def test_jsonl_key_named_like_the_row_column_does_not_replace_row_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path / "row.jsonl",
        '{"_row": "r-7", "comment": "Hej"}\n{"_row": "r-8", "comment": "Hallo"}\n',
    )
    raw = read_input(path)
    assert column(raw, ROW_COLUMN) == [1, 2]
    assert column(raw, f"{ROW_COLUMN}_input") == ["r-7", "r-8"]


def test_jsonl_nested_objects_become_one_column_per_field(tmp_path: Path) -> None:
    """A survey tool's JSON export nests the answer: its comment, score and date are found."""
    from cxtext.config import ColumnOptions
    from cxtext.io.columns import resolve_columns

    rows = demo_rows(12)
    records = [
        {
            "id": row["id"],
            "response": {"comment": row["comment"], "score": int(row["score"])},
            "meta": {"date": row["date"], "tags": [row["segment"], row["channel"]]},
        }
        for row in rows
    ]
    lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    path = write(tmp_path / "export.jsonl", lines)
    raw = read_input(path)
    assert raw.frame.columns == [
        ROW_COLUMN,
        "id",
        "response.comment",
        "response.score",
        "meta.date",
        "meta.tags",
    ]
    assert column(raw, "response.comment") == [row["comment"] for row in rows]
    assert json.loads(column(raw, "meta.tags")[0]) == [rows[0]["segment"], rows[0]["channel"]]
    resolved = resolve_columns(raw.frame, ColumnOptions())
    assert (resolved.text, resolved.score, resolved.date) == (
        "response.comment",
        "response.score",
        "meta.date",
    )


def test_json_array_export_gives_a_row_per_element(tmp_path: Path) -> None:
    """A .json export (an array, pretty-printed) was "unsupported file type '.json'"."""
    rows = demo_rows(4)
    elements = [{"id": r["id"], "answer": {"comment": r["comment"]}} for r in rows[:3]] + ["x"]
    path = write(tmp_path / "export.json", json.dumps(elements, ensure_ascii=False, indent=2))
    raw = read_input(path)
    assert column(raw, "answer.comment") == [row["comment"] for row in rows[:3]]
    assert raw.rejects.to_dicts()[0]["row"] == 4
    assert raw.rows_read == 4
    with pytest.raises(InputError, match=r"cannot read .*broken.json as JSON: .* \(line 3\)"):
        read_input(write(tmp_path / "broken.json", '[\n{"id": 1},\n{"id": }\n]'))


def test_parquet_struct_columns_become_one_column_per_field(tmp_path: Path) -> None:
    rows = demo_rows(3)
    path = tmp_path / "export.parquet"
    pl.DataFrame(
        {
            "id": [row["id"] for row in rows],
            "svar": [{"kommentar": row["comment"], "nps": {"score": 7}} for row in rows[:2]]
            + [None],
        }
    ).write_parquet(path)
    raw = read_input(path)
    assert raw.frame.columns == [ROW_COLUMN, "id", "svar.kommentar", "svar.nps.score"]
    assert column(raw, "svar.kommentar") == [rows[0]["comment"], rows[1]["comment"], None]
    assert column(raw, "svar.nps.score") == [7, 7, None]


def test_csv_saved_from_an_excel_sheet_with_title_rows(tmp_path: Path) -> None:
    """Excel writes a sheet's title rows as `Title;;;;`: the header row was read as an answer
    ("Kommentar" became a comment) and every column lost its name."""
    text = (
        "Kundetilfredshed Q1 2026;;;;\n"
        "Eksporteret 01.04.2026;;;;\n"
        ";;;;\n"
        "Løbenr;Dato;Karakter;Kommentar;\n"
        '1;03.01.2026;3;"Ventede 40 minutter.\nIngen svarede!";\n'
        "2;04.01.2026;9;Hurtig levering;\n"
    )
    raw = read_input(write(tmp_path / "titled.csv", text, encoding="cp1252"))
    # the empty column of the trailing `;` is dropped, not passed through as `column_5`
    assert raw.frame.columns == [ROW_COLUMN, "Løbenr", "Dato", "Karakter", "Kommentar"]
    assert column(raw, "Kommentar") == ["Ventede 40 minutter.\nIngen svarede!", "Hurtig levering"]
    assert (raw.layout, raw.rows_read, raw.rejects.height) == ("title rows", 2, 0)
    # a first row with blank names over answers that hold numbers stays the header
    plain = read_input(write(tmp_path / "blank_names.csv", "Kommentar;;\nGod service;4;7\n"))
    assert plain.frame.columns == [ROW_COLUMN, "Kommentar", "column_2", "column_3"]
    assert (plain.layout, plain.rows_read) == (None, 1)


def test_xlsx_notes_sheet_in_front_of_the_answers_is_skipped(tmp_path: Path) -> None:
    rows = demo_rows(5)
    book = Workbook()
    notes = book.active
    notes.title = "Info"
    notes.append(["Eksport fra kundeportal"])
    notes.append(["Lavet 30.11.2026"])
    answers = book.create_sheet("Svar")
    answers.append(["Kundetilfredshed Q3 2026"])  # a title row above the header
    answers.append(["Kunde nr", "Kommentar", "Anbefaling"])
    for row in rows:
        answers.append([row["id"], row["comment"], int(row["score"])])
    book.create_sheet("Pivot").append(["a", "b"])
    path = tmp_path / "survey.xlsx"
    book.save(path)

    raw = read_input(path)
    assert raw.frame.columns == [ROW_COLUMN, "Kunde nr", "Kommentar", "Anbefaling"]
    assert column(raw, "Kommentar") == [row["comment"] for row in rows]
    assert raw.layout == "title rows"


def test_xlsx_summary_sheet_in_front_of_the_cases_is_skipped(tmp_path: Path) -> None:
    """A complaint system's workbook opens on a two-column summary ("Rapport | Klager Q1"):
    it was read as the table, and the run stopped at "no text column found"."""
    rows = demo_rows(6)
    book = Workbook()
    summary = book.active
    summary.title = "Oversigt"
    for line in (["Rapport", "Klager Q1 2026"], ["Antal", 6], ["Udtrukket", "05-04-2026 08:00"]):
        summary.append(line)
    cases = book.create_sheet("Henvendelser")
    cases.append(["Sagsnr", "Kundenr", "Oprettet", "Beskrivelse"])
    for n, row in enumerate(rows):
        cases.append([f"SAG-{n}", "ukendt", "05-01-2026 14:03", row["comment"]])
    path = tmp_path / "klager.xlsx"
    book.save(path)
    raw = read_input(path)
    assert raw.frame.columns == [ROW_COLUMN, "Sagsnr", "Kundenr", "Oprettet", "Beskrivelse"]
    assert column(raw, "Beskrivelse") == [row["comment"] for row in rows]


def test_xlsx_long_one_column_list_of_comments_is_read(tmp_path: Path) -> None:
    rows = demo_rows(30)
    book = Workbook()
    book.active.append(["Kommentar"])
    for row in rows:
        book.active.append([row["comment"]])
    book.create_sheet("Pivot").append(["segment", "antal"])
    book["Pivot"].append(["private", 30])
    path = tmp_path / "comments.xlsx"
    book.save(path)
    assert column(read_input(path), "Kommentar") == [row["comment"] for row in rows]


# --- files that cannot be read: one clear InputError -------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "input file is empty"),
        ("blank.csv", b"  \n\n \r\n", "input file is empty"),
        ("header_only.csv", b"id,comment\n", "no data rows"),
        ("report.docx", b"PK\x03\x04 not really", "unsupported file type '.docx'"),
        ("noext", b"id,comment\n1,hej\n", "unsupported file type"),
        ("binary.csv", bytes(range(256)) * 4, "binary"),
        ("latin.csv", b"id,comment\n1,caf\xe9 \x81 \x8d\n", "cannot decode"),
        ("fake.xlsx", b"id,comment\n1,hej\n", "as XLSX"),
        ("fake.parquet", b"PAR1 definitely not parquet", "as Parquet"),
    ],
)
def test_unreadable_input_raises_input_error(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = write(tmp_path / name, data)
    with pytest.raises(InputError, match=re.escape(message)) as info:
        read_input(path)
    assert "\n" not in str(info.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_input(tmp_path / "nowhere.csv")
    with pytest.raises(InputError, match="folder"):
        read_input(tmp_path)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_headers_polars_would_read_as_patterns_are_kept_as_plain_names(
    tmp_path: Path, suffix: str
) -> None:
    """A header `*` (polars: every column) or `^id$` (a regex) must stay one column."""
    from cxtext.clean import clean_comments
    from cxtext.config import ColumnOptions
    from cxtext.io.columns import resolve_columns

    rows = [{"*": "x", "^id$": "7", "kommentar": "Fakturaen er uforståelig"}]
    path = tmp_path / f"odd{suffix}"
    if suffix == ".csv":
        pl.DataFrame(rows).write_csv(path)
    else:
        path.write_text(json.dumps(rows[0], ensure_ascii=False) + "\n", encoding="utf-8")
    raw = read_input(path)
    assert [c for c in raw.frame.columns if c != ROW_COLUMN] == ["*_", "^id$_", "kommentar"]
    comments, _ = clean_comments(raw.frame, resolve_columns(raw.frame, ColumnOptions()))
    assert comments["text"].to_list() == ["Fakturaen er uforståelig"]


@pytest.mark.parametrize(
    ("name", "data", "rows"),
    [
        ("garbage.jsonl", "not json\nnor this\n[1, 2]\n", 3),
        ("texts.json", '["Appen crasher", "Fakturaen er forkert"]', 2),
        ("ragged.csv", "id,kommentar\n1,Appen crasher, igen\n2,Lang kø, igen\n", 2),
    ],
)
def test_a_file_of_rejected_rows_is_read_as_its_rejects(
    tmp_path: Path, name: str, data: str, rows: int
) -> None:
    """No usable row is not "no data rows": every row is accounted for as a reject (JSON was
    refused outright, CSV read), so that the run can write them with their reasons."""
    raw = read_input(write(tmp_path / name, data))
    assert raw.frame.height == 0
    assert raw.rejects.height == raw.rows_read == rows


def test_an_empty_blank_headed_xlsx_column_is_dropped(tmp_path: Path) -> None:
    """A sheet whose header runs one cell past the data (a stray border or a deleted column):
    the empty blank-headed column is not passed through as `column_3`."""
    rows = demo_rows(4)
    book = Workbook()
    book.active.append(["Kommentar", "Karakter", None, "Note"])
    for row in rows:
        book.active.append([row["comment"], int(row["score"]), None, None])
    path = tmp_path / "comments.xlsx"
    book.save(path)
    raw = read_input(path)
    assert raw.frame.columns == [ROW_COLUMN, "Kommentar", "Karakter", "Note"]


ONE_LINE_COMMENTS = [r["comment"] for r in demo_rows(60) if "\n" not in r["comment"]][:25]


def test_a_one_column_csv_keeps_comments_with_commas_whole(tmp_path: Path) -> None:
    """'Kommentar' over comments with commas: the commas were read as delimiters and a
    comment's pieces became a "header" over nothing ("input file has no data rows")."""
    lines = ["Kommentar", *ONE_LINE_COMMENTS]
    assert any("," in line for line in ONE_LINE_COMMENTS)
    raw = read_input(write(tmp_path / "kommentarer.csv", "\n".join(lines) + "\n"))
    assert column(raw, "Kommentar") == ONE_LINE_COMMENTS
    assert raw.rejects.height == 0


@pytest.mark.parametrize("name", ["kommentarer.txt", "kommentarer.csv"])
def test_a_list_of_comments_without_a_header_loses_no_line(tmp_path: Path, name: str) -> None:
    comments = [c for c in ONE_LINE_COMMENTS if "," not in c.split()[0]]
    assert "," not in comments[0] and len(comments[0].split()) >= 4
    raw = read_input(write(tmp_path / name, "\n".join(comments) + "\n"))
    assert raw.frame.columns == [ROW_COLUMN, "column_1"]
    assert column(raw, "column_1") == comments  # the first comment is a row, not the header


def test_a_csv_saved_without_its_header_keeps_its_first_row(tmp_path: Path) -> None:
    rows = [f'{i},"{comment}"' for i, comment in enumerate(ONE_LINE_COMMENTS, start=1)]
    raw = read_input(write(tmp_path / "export.csv", "\n".join(rows) + "\n"))
    assert raw.frame.columns == [ROW_COLUMN, "column_1", "column_2"]
    assert column(raw, "column_2") == ONE_LINE_COMMENTS
    assert raw.rows_read == len(ONE_LINE_COMMENTS)


@pytest.mark.parametrize(
    "header", ["Kommentar", "Hvad kan vi gøre bedre?", "Skriv din kommentar her", "Fritekst:"]
)
def test_a_one_column_header_stays_a_header(tmp_path: Path, header: str) -> None:
    raw = read_input(write(tmp_path / "svar.csv", "\n".join([header, *ONE_LINE_COMMENTS]) + "\n"))
    assert raw.frame.columns == [ROW_COLUMN, header]
    assert raw.rows_read == len(ONE_LINE_COMMENTS)
