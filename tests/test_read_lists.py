"""A plain list of comments, one a line and no header, is one column whatever punctuation its
lines hold; a real CSV is still split on its delimiter."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cxtext.io.contract import ROW_COLUMN
from cxtext.io.read import read_input, sniff_delimiter
from tests.support import DEMO_CORPUS

DANISH = [
    "Leveringen tog to uger, og ingen svarede på mine mails",
    "Appen lukker ned hver gang jeg prøver at betale med MobilePay",
    "Rigtig god service i butikken i Aarhus",
    "Prisen steg uden varsel, det er ikke i orden",
    "Jeg ventede 40 minutter i telefonkøen",
    "Fakturaen var forkert for anden måned i træk",
    "Sødt personale, men alt for lange køer ved kassen",
    "Kan ikke finde ud af at opsige mit abonnement på hjemmesiden",
]
SWEDISH = [
    "Paketet kom fram, men kartongen var trasig och en vas var sönder",
    "Kundtjänsten var snabb och trevlig",
    "Jag har väntat i tre veckor på min återbetalning",
    "Appen är seg, särskilt när man ska logga in med BankID",
    "Bra priser och stort sortiment",
    "Fakturan kom till fel adress trots att jag har ändrat den två gånger",
    "Leveransen blev försenad utan att någon hörde av sig",
    "Enkelt att beställa, men frakten är för dyr",
]


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("comments", [DANISH, SWEDISH], ids=["da", "sv"])
@pytest.mark.parametrize("name", ["kommentarer.csv", "kommentarer.txt"])
def test_a_list_whose_first_comment_holds_a_comma_is_one_column(
    tmp_path: Path, comments: list[str], name: str
) -> None:
    """The first line's comma was taken as the delimiter: its two halves became the column
    names, and every later line without exactly one comma a rejected row."""
    assert "," in comments[0]
    raw = read_input(write_lines(tmp_path / name, comments))
    assert raw.frame.columns == [ROW_COLUMN, "column_1"]
    assert raw.frame.get_column("column_1").to_list() == comments
    assert raw.rejects.height == 0
    assert raw.rows_read == raw.frame.height + raw.rejects.height == len(comments)


def test_a_long_list_of_demo_comments_loses_no_line(tmp_path: Path) -> None:
    """41 demo comments, the first with a comma: 15 were read, 25 rejected, 1 lost as header."""
    demo = pl.read_csv(DEMO_CORPUS, infer_schema=False).get_column("comment").to_list()
    one_line = [comment for comment in demo if "\n" not in comment and '"' not in comment]
    first = next(comment for comment in one_line if "," in comment)
    comments = [first, *[comment for comment in one_line if comment != first][:40]]
    raw = read_input(write_lines(tmp_path / "kommentarer.csv", comments))
    assert raw.frame.get_column("column_1").to_list() == comments
    assert raw.rows_read == raw.frame.height == len(comments)


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("id,kommentar\n1,Dyrt, men godt\n2,Fint\n3,Hurtig levering\n", ","),  # ragged: a CSV
        ("kommentar;karakter\nDyrt, men godt;4\nFint;5\n", ";"),
        ("Dyrt, men godt\nFint\nHurtig levering\nFor lang ventetid\n", "\x1f"),
        ("Dyrt, men godt\nLang kø, sur ekspedient, kold kaffe\nFint\nHurtig levering\n", "\x1f"),
    ],
)
def test_sniff_tells_a_table_from_commas_in_comments(sample: str, expected: str) -> None:
    assert sniff_delimiter(sample) == expected


def test_a_headerless_two_column_csv_still_splits(tmp_path: Path) -> None:
    lines = [f'{i},"{comment}"' for i, comment in enumerate(DANISH + SWEDISH, start=1)]
    raw = read_input(write_lines(tmp_path / "export.csv", lines))
    assert raw.frame.columns == [ROW_COLUMN, "column_1", "column_2"]
    assert raw.frame.get_column("column_2").to_list() == DANISH + SWEDISH
