"""Identifiers that reach an output by a route other than a comment cell: column names (a CSV
without a header row), rejected rows' raw lines, warnings that quote cell values, JSON text in a
cell, error messages, the roadmap of --initiatives and theme names. Each route is run on real
demo comments with valid identifiers, and every file and stream is searched for them."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import polars as pl
import pytest

from cxtext.config import ColumnOptions
from cxtext.io.columns import resolve_columns
from cxtext.io.read import read_input
from cxtext.pii import (
    Pseudonyms,
    redact_columns,
    redact_fields,
    redact_rejects,
    redact_warnings,
)
from cxtext.pii.audit import leaks, output_texts
from cxtext.stages.intake import redacted_initiatives
from cxtext.themes.curation import Curation, CurationError, load_curation, rename
from tests.support import DEMO_CORPUS, run_cli
from tests.test_pseudonyms import fodselsnummer, luhn_digit

CPR = "0101901234"  # born 01.01.1990
CPR_DASHED = "120385-1237"
STRIPPED_CPR = "512881238"  # CPR 0512881238 as a spreadsheet keeps it
PERSONNUMMER = f"811218-987{luhn_digit('811218987')}"
FODSELSNUMMER = next(n for i in range(100, 200) if (n := fodselsnummer(15, 3, 85, i)))
EMAIL = "jens.hansen@example.dk"
PHONE = "+45 20 30 40 50"


def demo(count: int) -> list[dict[str, str]]:
    with DEMO_CORPUS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))[:count]


def input_folder(tmp_path: Path) -> Path:
    """Where a test's input goes: apart from the outputs that are searched."""
    folder = tmp_path.parent / f"{tmp_path.name}-input"
    folder.mkdir()
    return folder


def found(values: list[str], folders: list[Path], streams: str = "") -> dict[str, list[str]]:
    """Each value that any file under `folders` or the streams still hold, with where."""
    texts = output_texts(folders)
    texts["stdout/stderr"] = streams
    return {value: files for value in values if (files := leaks(value, texts))}


def test_a_csv_without_a_header_row_gives_no_identifier_as_a_column_name(tmp_path: Path) -> None:
    """The first row becomes the column names: a CPR number and an e-mail there reach no
    header, run.json, `Columns:` line, JSON log or export; an option naming the column by
    what the file holds still finds it."""
    rows = demo(30)
    source = input_folder(tmp_path) / "uden_overskrift.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([CPR, EMAIL, rows[0]["comment"]])
        writer.writerows([r["id"], f"{r['id']}@example.com", r["comment"]] for r in rows[1:])
    out = tmp_path / "out"
    done = run_cli("analyze", str(source), "--out", str(out), "--id-col", CPR)
    assert done.returncode == 0, done.stderr
    assert "id '[ID]'" in done.stdout
    logged = run_cli(
        "analyze", str(source), "--out", str(tmp_path / "json"), "--log-format", "json"
    )
    assert logged.returncode == 0, logged.stderr
    assert json.loads(logged.stderr.splitlines()[0])["id"] == "[ID]"
    assert run_cli("export", str(out), "--to", "xlsx").returncode == 0
    refused = run_cli("analyze", str(source), "--out", str(tmp_path / "x"), "--text-col", "svar")
    assert refused.returncode == 2 and "[EMAIL]" in refused.stderr
    comments = pl.read_parquet(out / "comments.parquet")
    # the e-mail column passes through under its redacted name; the id column is `id`
    assert "[EMAIL]" in comments.columns and "[ID]" not in comments.columns
    assert comments.get_column("id").to_list()[:2] == ["c0002", "c0003"]
    streams = done.stdout + done.stderr + logged.stderr + refused.stderr
    assert found([CPR, EMAIL], [tmp_path], streams) == {}


def test_rejected_rows_keep_no_identifier_in_their_raw_line(tmp_path: Path) -> None:
    """rejects.csv's `raw` is the line as read: a CPR without its zero between `;`, and an
    e-mail that the 500-character cut would have split, are redacted before the cut."""
    lines = ["id;kommentar;kunde", *(f"{r['id']};{r['comment']};x" for r in demo(12))]
    lines += [
        f"r1;{STRIPPED_CPR};x;for mange felter",
        f"{STRIPPED_CPR};ordre 512881238 kom ikke;x;for mange felter",
        "r3;" + "lang tekst " * 44 + f"skriv til {EMAIL};x;for mange felter",
        f"r4;ring {PHONE} eller {FODSELSNUMMER};x;for mange felter",
    ]
    source = input_folder(tmp_path) / "afvist.csv"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    done = run_cli("langid", str(source), "-o", str(tmp_path / "sprog.csv"))
    assert done.returncode == 0, done.stderr
    rejects = pl.read_csv(tmp_path / "sprog.rejects.csv", infer_schema=False)
    raw = rejects.get_column("raw").to_list()
    assert raw[0] == "r1;[ID];x;for mange felter"
    # a number a word stands beside is text, as in a comment: only the field is read
    assert raw[1] == "[ID];ordre 512881238 kom ikke;x;for mange felter"
    assert len(raw[2]) == 500 and "jens" not in raw[2]
    assert raw[3] == "r4;ring [PHONE] eller [ID];x;for mange felter"
    leaked = found([STRIPPED_CPR, EMAIL, "jens.hansen", PHONE, FODSELSNUMMER], [tmp_path])
    assert set(leaked) == {STRIPPED_CPR}  # "ordre 512881238": kept, as in a comment
    assert leaks(STRIPPED_CPR, {"rejects": raw[0] + raw[2] + raw[3]}) == []


def test_warnings_quote_no_identifier_from_the_date_or_score_column(tmp_path: Path) -> None:
    """A date or score cell holding an identifier is quoted in the column warning on stdout,
    in run.json and its exports as its placeholder."""
    rows = demo(40)
    source = input_folder(tmp_path) / "roller.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "date", "score", "segment", "comment"])
        for index, r in enumerate(rows):
            date = CPR_DASHED if index in (2, 5) else r["date"]
            score = {2: FODSELSNUMMER, 5: STRIPPED_CPR}.get(index, r["score"])
            writer.writerow([r["id"], date, score, r["segment"], r["comment"]])
    out = tmp_path / "out"
    done = run_cli("analyze", str(source), "--out", str(out))
    assert done.returncode == 0, done.stderr
    warnings = json.loads((out / "run.json").read_text("utf-8"))["warnings"]
    assert len(warnings) == 2 and all("'[ID]'" in w for w in warnings)
    assert "(e.g. '[ID]', '[ID]')" in " ".join(done.stdout.split())
    values = [CPR_DASHED, FODSELSNUMMER, STRIPPED_CPR]
    assert found(values, [tmp_path], done.stdout + done.stderr) == {}


def test_json_text_cells_are_read_leaf_by_leaf(tmp_path: Path) -> None:
    """Nested JSON values kept as text (arrays, objects of varying keys) hold identifiers as
    JSON numbers (the zero lost) and as keys; each leaf is read as a cell of its own."""
    records = [
        {
            "kommentar": r["comment"],
            "tlf": [4520304050, "hjemme"],
            "noter": [PERSONNUMMER, int(STRIPPED_CPR), {"fnr": FODSELSNUMMER}, 1299.5, 20240312],
            "ekstra": {CPR_DASHED: "nøgle"} if index % 2 else "tekst",
        }
        for index, r in enumerate(demo(6))
    ]
    source = tmp_path / "svar.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    raw = read_input(source)
    redacted = redact_columns(
        raw.frame, skip=["_row"], pseudonyms=Pseudonyms(None, "numbered"), free_text=["kommentar"]
    )
    first, second = redacted.row(0, named=True), redacted.row(1, named=True)
    assert json.loads(first["tlf"]) == ["PHONE-1", "hjemme"]
    assert json.loads(first["noter"]) == ["ID-1", "ID-2", {"fnr": "ID-3"}, 1299.5, 20240312]
    assert first["ekstra"] == "tekst" and json.loads(second["ekstra"]) == {"[ID]": "nøgle"}
    assert redacted.get_column("kommentar").equals(raw.frame.get_column("kommentar"))
    text = {"frame": redacted.write_csv()}
    values = [PERSONNUMMER, STRIPPED_CPR, FODSELSNUMMER, CPR_DASHED, "4520304050"]
    assert [value for value in values if leaks(value, text)] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"r1;{STRIPPED_CPR};x", "r1;[ID];x"),
        (f"e.g. '{STRIPPED_CPR}', '7'", "e.g. '[ID]', '7'"),
        (f'{{"kunde": {STRIPPED_CPR}, "tlf": 701234567}}', '{"kunde": [ID], "tlf": [PHONE]}'),
        (f"ordre {STRIPPED_CPR} kom ikke", f"ordre {STRIPPED_CPR} kom ikke"),
        ("r2;123456789;20240312;'2024-03-12'", "r2;123456789;20240312;'2024-03-12'"),
        (f"mail {EMAIL}; cpr {CPR}", "mail [EMAIL]; cpr [ID]"),
    ],
)
def test_a_record_reads_bare_number_fields_as_spreadsheet_cells(text: str, expected: str) -> None:
    assert redact_fields(text)[0] == expected


def test_reject_reasons_and_row_numbers() -> None:
    rejects = pl.DataFrame(
        {"row": [20304050], "reason": [f"bad value '{STRIPPED_CPR}'"], "raw": [f"{CPR};x"]},
        schema_overrides={"row": pl.UInt32},
    )
    redacted = redact_rejects(rejects)
    assert redacted.row(0) == (20304050, "bad value '[ID]'", "[ID];x")  # a row number is no phone


def test_the_roadmap_and_theme_names_hold_no_identifier(tmp_path: Path) -> None:
    """--initiatives texts reach initiatives.csv and the report; a theme name reaches every
    output: the roadmap is redacted as comments are, a name with PII is refused, and one typed
    into the decisions file by hand is redacted."""
    roadmap = tmp_path / "roadmap.csv"
    roadmap.write_text(
        f"initiativ\nNy app med login (kontakt {EMAIL})\nHotline på {PHONE} til erhverv\n", "utf-8"
    )
    assert redacted_initiatives(roadmap) == [
        "Ny app med login (kontakt [EMAIL])",
        "Hotline på [PHONE] til erhverv",
    ]
    with pytest.raises(CurationError, match=r"personal data \(id\)") as refused:
        rename(Curation(), {"n01"}, "n01", f"Kunde {CPR}")
    assert CPR not in str(refused.value)
    assert rename(Curation(), {"n01"}, "n01", "Ventetid i butik").names == {
        "n01": "Ventetid i butik"
    }
    decisions = tmp_path / "curation.toml"
    decisions.write_text(f'[names]\nn01 = "Kunde {CPR_DASHED}"\nn02 = "Pakker 2024"\n', "utf-8")
    assert load_curation(decisions).names == {"n01": "Kunde [ID]", "n02": "Pakker 2024"}


def test_an_error_line_quotes_no_identifier(tmp_path: Path) -> None:
    """A column option that names no column lists the columns there are: redacted."""
    source = tmp_path / "svar.csv"
    source.write_text(f"kunde,{PERSONNUMMER}\n1,Ventetiden var alt for lang\n", "utf-8")
    env = {**os.environ}
    for log_format in ("text", "json"):
        args = ["analyze", str(source), "--out", str(tmp_path / "out"), "--id-col", "nr"]
        done = run_cli(*args, "--log-format", log_format, env=env)
        assert done.returncode == 2
        assert "[ID]" in done.stderr and found([PERSONNUMMER], [], done.stderr) == {}


def test_a_long_value_in_a_warning_is_never_cut_through_an_identifier() -> None:
    """A date cell of a sentence: cut at 40 characters, its e-mail lost its top-level domain
    and was no e-mail any more; a long value is now named by its length."""
    frame = pl.DataFrame(
        {
            "dato": [
                "2026-03-01",
                "2026-03-02",
                f"Skriv gerne til mig på {EMAIL} i morgen",
                CPR_DASHED,
            ],
            "kommentar": [r["comment"] for r in demo(4)],
        }
    )
    columns = redact_warnings(resolve_columns(frame, ColumnOptions(date="dato")))
    assert columns.warnings == (
        "date column 'dato': 2 of 4 rows have no readable date (e.g. a text of 54 characters, "
        "'[ID]'); they are left out of trends and journey metrics",
    )


def test_two_scheduled_runs_and_a_promotion_keep_no_identifier(tmp_path: Path) -> None:
    """Comments holding a CPR number and an e-mail, two runs on one --state folder (embedding,
    language and lemma caches, theme model, map, history), a theme promoted into the taxonomy
    with its central comments as examples: no identifier in any of them. Themes are discovered
    (`--no-library`): the tails no longer make themes of their own ("Ingenting cpr", three new
    themes of only tailed comments before they were left out of the embedded text)."""
    source = input_folder(tmp_path) / "svar.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "kommentar"])
        for index, r in enumerate(demo(120)):
            extra = f" mit cpr er {CPR_DASHED}, mail {EMAIL}" if index % 3 == 0 else ""
            writer.writerow([r["id"], r["comment"] + extra])
    state, taxonomy = tmp_path / "state", tmp_path / "taxonomy.toml"
    assert run_cli("init", str(tmp_path)).returncode == 0
    streams = ""
    for out in ("jan", "feb"):
        args = ["--state", str(state), "--taxonomy", str(taxonomy), "--no-library"]
        done = run_cli("analyze", str(source), "--out", str(tmp_path / out), *args)
        assert done.returncode == 0, done.stderr
        streams += done.stdout + done.stderr
        if out == "jan":
            themes = pl.read_csv(tmp_path / "jan" / "themes.csv", infer_schema=False)
            new = themes.filter(pl.col("source") != "library").get_column("theme_id")
            promote = ["themes", "promote", str(tmp_path / "jan"), new[0]]
            done = run_cli(*promote, "--taxonomy", str(taxonomy))
            assert done.returncode == 0, done.stderr
            streams += done.stdout + done.stderr
    assert "[themes.examples]" in taxonomy.read_text("utf-8")
    assert len(list(state.rglob("*"))) > 8
    assert found([CPR_DASHED, EMAIL], [tmp_path], streams) == {}


def test_a_file_named_after_a_customer_is_not_named_in_any_output(tmp_path: Path) -> None:
    """An export saved per case ("klage_010190-1234.csv") names its file in run.json, the
    report and journey.json: the CPR number in the name is redacted there as in a cell."""
    rows = pl.read_csv(DEMO_CORPUS, infer_schema=False).head(40)
    source = tmp_path / "klage_010190-1234.csv"
    rows.write_csv(source)
    done = run_cli("analyze", str(source), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    run = json.loads((tmp_path / "out" / "run.json").read_text("utf-8"))
    assert run["input"].endswith("klage_[ID].csv")
    texts = output_texts([tmp_path / "out"])
    assert leaks("010190-1234", texts) == [] and "010190-1234" not in done.stdout
