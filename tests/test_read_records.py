"""JSON arrays: each element is read as the same JSON line would be, with the same rejects."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given

from cxtext.errors import InputError
from cxtext.io.read import RawInput, read_input
from tests.support import run_cli
from tests.test_hostile import FAST, json_lines


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("records")


def parses(line: str) -> bool:
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True


def read_or_error(path: Path) -> RawInput | str:
    try:
        return read_input(path)
    except InputError as error:
        return str(error).removesuffix(f": {path}")


@FAST
@given(lines=json_lines())
def test_a_json_array_reads_as_its_elements_as_json_lines(workdir: Path, lines: list[str]) -> None:
    lines = [line for line in lines if parses(line)]
    if not lines:
        return
    as_lines = workdir / "records.jsonl"
    as_array = workdir / "records.json"
    as_lines.write_text("\n".join(lines), "utf-8")
    as_array.write_text("[\n" + ",\n".join(lines) + "\n]", "utf-8")
    by_line, by_element = read_or_error(as_lines), read_or_error(as_array)
    if isinstance(by_line, str) or isinstance(by_element, str):  # no usable object in them
        assert by_element == by_line == "input file has no data rows"
        return
    assert by_element.frame.equals(by_line.frame, null_equal=True)
    assert by_element.rejects.drop("raw").equals(by_line.rejects.drop("raw"))
    assert by_element.rows_read == len(lines)


def test_a_lone_surrogate_in_a_json_array_is_a_reject_as_in_json_lines(tmp_path: Path) -> None:
    """Such an element was written back to JSON with the surrogate in it, and polars failed on
    it with a UnicodeEncodeError traceback; now it is the reject a JSON line gets."""
    elements = ['{"id": 1, "comment": "Appen crasher"}', '{"id": 2, "comment": "K\\ud800n"}', "7"]
    array = tmp_path / "export.json"
    array.write_text("[" + ", ".join(elements) + "]", "utf-8")
    lines = tmp_path / "export.jsonl"
    lines.write_text("\n".join(elements), "utf-8")
    raw = read_input(array)
    assert raw.frame.get_column("comment").to_list() == ["Appen crasher"]
    assert raw.rejects.to_dicts() == read_input(lines).rejects.to_dicts()
    assert raw.rejects.get_column("raw").to_list() == ['{"id": 2, "comment": "K\\ud800n"}', "7"]
    assert (
        raw.rejects.get_column("reason")
        .to_list()[0]
        .startswith("unusable JSON: 'utf-8' codec can't encode character '\\ud800'")
    )


@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}")])
def test_records_nested_too_deep_are_rejects_not_a_traceback(
    tmp_path: Path, opening: str, closing: str
) -> None:
    """A line nested ~990 deep parsed, then crashed with RecursionError where its value was
    written as text for the frame (the depth that crashes depends on the stack, so every depth
    around Python's recursion limit is tried, through the CLI as a user runs it)."""
    lines = [
        '{"comment": "Fakturaen er umulig at læse", "extra": '
        + opening * depth
        + '"x"'
        + closing * depth
        + "}"
        for depth in range(960, 1001)
    ]
    lines.append('{"comment": "Ventetiden var lang", "extra": 1}')
    path = tmp_path / "deep.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, rejects = tmp_path / "languages.csv", tmp_path / "rejects.csv"
    done = run_cli("langid", str(path), "-o", str(out), "--rejects", str(rejects))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-500:]
    written = pl.read_csv(out)
    rejected = pl.read_csv(rejects) if rejects.exists() else pl.DataFrame({"reason": []})
    assert written.height + rejected.height == len(lines)
    assert "Ventetiden var lang" in written.get_column("comment").to_list()
