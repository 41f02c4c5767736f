"""An id column of national ID numbers (or phone numbers, e-mails) leaves every output as stable
pseudonyms, one per customer: keyed by CXTEXT_PSEUDONYM_KEY, by the --state folder's own key, or
numbered within the run; the identifiers themselves reach no file."""

from __future__ import annotations

import csv
import hashlib
import hmac
import os
import re
import stat
from pathlib import Path

import polars as pl
import pytest

import cxtext
from cxtext.pii import Pseudonyms, find_pii, redact_columns
from cxtext.pii.audit import leaks, output_texts
from tests.support import DEMO_CORPUS, run_cli

KEY = "kundeservice-2026-hemmelig-nøgle"
FIRST_ROWS, NEW_ROWS = 60, 8


def luhn_digit(digits: str) -> str:
    """The Luhn check digit that completes `digits` (Swedish personnummer)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def fodselsnummer(day: int, month: int, year: int, individual: int) -> str | None:
    """A Norwegian fødselsnummer with both mod-11 control digits, or None when none exists."""
    digits = f"{day:02d}{month:02d}{year:02d}{individual:03d}"
    for weights in ((3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)):
        control = (11 - sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11) % 11
        if control == 10:
            return None
        digits += str(control)
    return digits


def national_ids(count: int) -> list[str]:
    """Distinct valid Danish CPR (with and without hyphen), Swedish personnummer and Norwegian
    fødselsnummer, in turn."""
    ids: list[str] = []
    index = 0
    while len(ids) < count:
        day, month, year = 10 + index % 19, 1 + index % 12, 40 + index % 59
        kind = index % 4
        if kind == 0:
            ids.append(f"{day:02d}{month:02d}{year:02d}-{1000 + index:04d}")
        elif kind == 1:
            ids.append(f"{day:02d}{month:02d}{year:02d}{2000 + index:04d}")
        elif kind == 2:
            head = f"{year:02d}{month:02d}{day:02d}{index % 1000:03d}"
            ids.append(f"{head[:6]}-{head[6:]}{luhn_digit(head)}")
        elif (number := fodselsnummer(day, month, year, 100 + index % 400)) is not None:
            ids.append(number)
        index += 1
    return ids


def write_customers(path: Path, rows: int) -> list[str]:
    """Real demo comments keyed by national ID numbers (`kunde_id`); the second comment of each
    of the first five customers repeats their key. Returns the keys, in row order."""
    with DEMO_CORPUS.open(encoding="utf-8", newline="") as handle:
        demo = list(csv.DictReader(handle))[:rows]
    ids = national_ids(rows)
    keys = [ids[i - 1] if 1 <= i <= 9 and i % 2 else ids[i] for i in range(rows)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kunde_id", "dato", "nps", "kommentar"])
        writer.writerows(
            [key, r["date"], r["score"], r["comment"]] for key, r in zip(keys, demo, strict=True)
        )
    return keys


def expected_pseudonym(key: str, value: str) -> str:
    """HMAC-SHA256 of the identifier's digits, computed here, apart from cxtext."""
    digits = re.sub(r"\D", "", value).encode()
    return "ID-" + hmac.new(key.encode(), digits, hashlib.sha256).hexdigest()[:18]


def assert_no_identifier(keys: list[str], *folders: Path) -> None:
    texts = output_texts(folders)
    assert len(texts) > 10
    assert {k: files for k in keys if (files := leaks(k, texts))} == {}


def test_ids_are_distinct_pseudonyms_in_every_output(tmp_path: Path) -> None:
    source = tmp_path / "kunder.csv"
    keys = write_customers(source, FIRST_ROWS)
    out, store = tmp_path / "run" / "out", tmp_path / "run" / "cx.duckdb"
    env = {**os.environ, "CXTEXT_PSEUDONYM_KEY": KEY}
    args = ["analyze", str(source), "--id-col", "kunde_id", "--out", str(out), "--seed", "1"]
    done = run_cli(*args, "--store", str(store), env=env)
    assert done.returncode == 0, done.stderr
    for to in ("xlsx", "journey-json", "metrics-csv"):
        assert run_cli("export", str(out), "--to", to, env=env).returncode == 0

    comments = pl.read_csv(out / "comments.csv", infer_schema=False)
    assert comments.get_column("id").to_list() == [expected_pseudonym(KEY, k) for k in keys]
    assert "kunde_id" not in comments.columns  # it became `id`, it is not there twice
    assert comments.get_column("id").n_unique() == len(set(keys)) == FIRST_ROWS - 5
    # one question per row: the respondent is the id, pseudonymised identically
    assert comments.get_column("respondent").to_list() == comments.get_column("id").to_list()
    follow_up = pl.read_csv(out / "follow_up.csv", infer_schema=False)
    assert follow_up.height > 0 and set(follow_up["id"]) <= set(comments.get_column("id"))
    assert set(follow_up["respondent"]) <= set(comments.get_column("respondent"))
    assert not follow_up.select("respondent", "follow_up").is_duplicated().any()
    assert_no_identifier(keys, tmp_path / "run")

    again = tmp_path / "again"
    done = run_cli(*args[:-4], "--out", str(again), "--seed", "1", env=env)
    assert done.returncode == 0, done.stderr
    assert (again / "comments.csv").read_bytes() == (out / "comments.csv").read_bytes()


def test_without_a_key_ids_are_numbered_by_first_appearance(tmp_path: Path) -> None:
    source = tmp_path / "kunder.csv"
    keys = write_customers(source, 30)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("CXTEXT_PSEUDONYM_KEY", raising=False)
        result = cxtext.analyze(source, out=tmp_path / "out", id_col="kunde_id")
    order = list(dict.fromkeys(keys))
    assert result.comments.get_column("id").to_list() == [f"ID-{order.index(k) + 1}" for k in keys]
    assert result.run["pseudonyms"] == "numbered"
    run = result.run
    assert run["rows_read"] == run["rows_written"] + run["rows_rejected"] == 30
    assert_no_identifier(keys, tmp_path / "out")


def test_scheduled_runs_keep_pseudonyms_and_themes(tmp_path: Path) -> None:
    state = tmp_path / "state"
    first_source, second_source = tmp_path / "jan.csv", tmp_path / "feb.csv"
    keys = write_customers(first_source, FIRST_ROWS)
    write_customers(second_source, FIRST_ROWS + NEW_ROWS)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("CXTEXT_PSEUDONYM_KEY", raising=False)
        first = cxtext.analyze(first_source, out=tmp_path / "jan", id_col="kunde_id", state=state)
        second = cxtext.analyze(second_source, out=tmp_path / "feb", id_col="kunde_id", state=state)
    key_file = state / "pseudonym.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.run["pseudonyms"] == second.run["pseudonyms"] == "state"
    seen = second.comments.head(FIRST_ROWS)
    assert seen.get_column("id").to_list() == first.comments.get_column("id").to_list()
    assert seen.get_column("theme_id").to_list() == first.comments.get_column("theme_id").to_list()
    assert second.comments.get_column("id").n_unique() == len(set(keys)) + NEW_ROWS
    # the state's key, set as CXTEXT_PSEUDONYM_KEY, gives the same pseudonyms elsewhere
    state_key = key_file.read_text("utf-8").strip()
    assert first.comments.get_column("id").to_list() == [
        expected_pseudonym(state_key, k) for k in keys
    ]
    assert_no_identifier(keys, tmp_path / "jan", tmp_path / "feb", state)


def test_a_short_key_is_one_clear_line(tmp_path: Path) -> None:
    source = tmp_path / "kunder.csv"
    write_customers(source, 12)
    env = {**os.environ, "CXTEXT_PSEUDONYM_KEY": "hemmelig"}
    done = run_cli("analyze", str(source), "--out", str(tmp_path / "out"), env=env)
    assert done.returncode == 2
    assert "CXTEXT_PSEUDONYM_KEY" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_only_a_cell_that_is_one_identifier_becomes_a_pseudonym() -> None:
    frame = pl.DataFrame(
        {
            "kunde": ["010190-1234", " 0101901234 ", "ordre 23456789", "A-1001", None],
            "kontakt": ["Jens@Example.dk", "jens@example.dk", "ring +45 20 30 40 50", "", "x"],
            "kommentar": ["010190-1234", "ok", "fint", "godt", "nej"],
            "cpr": [1506452005, 1506452005, 2107901096, None, 2107901096],  # Parquet integers
            "nps": [0, 3, 10, 7, 9],
            "_row": [12345678, 12345679, 12345680, 12345681, 12345682],  # bookkeeping
        }
    )
    redacted = redact_columns(
        frame, skip=["_row"], pseudonyms=Pseudonyms(None, "numbered"), free_text=["kommentar"]
    )
    assert redacted.get_column("kunde").to_list() == [
        "ID-1", "ID-1", "ordre 23456789", "A-1001", None
    ]  # fmt: skip
    assert redacted.get_column("kontakt").to_list() == [
        "EMAIL-1", "EMAIL-1", "ring [PHONE]", "", "x"
    ]  # fmt: skip
    assert redacted.get_column("kommentar").to_list()[0] == "[ID]"
    assert redacted.get_column("cpr").to_list() == ["ID-2", "ID-2", "ID-3", None, "ID-3"]
    assert redacted.select("nps", "_row").equals(frame.select("nps", "_row"))


def test_keyed_pseudonyms_are_never_read_as_pii_again() -> None:
    pseudonyms = Pseudonyms(KEY, "CXTEXT_PSEUDONYM_KEY")
    values = [pseudonyms.of(kind, f"{n:010d}") for n in range(20_000) for kind in ("id", "iban")]
    assert len(set(values)) == len(values)
    assert [v for v in values if find_pii(v)] == []


def test_run_json_counts_identifiers_in_passed_through_columns(tmp_path: Path) -> None:
    """`pii_redacted` counts the comments only; `pii_redacted_columns` counts, per output
    column, the cells whose identifiers became pseudonyms or placeholders (none before)."""
    source = tmp_path / "kunder.csv"
    keys = write_customers(source, 30)
    contact = [
        f"kunde{i}@example.dk"
        if i % 4 == 0
        else "ring mig på +45 23 45 67 89"
        if i % 3 == 0
        else ""
        for i in range(30)
    ]
    frame = pl.read_csv(source, infer_schema=False).with_columns(kontakt=pl.Series(contact))
    run = cxtext.analyze(frame, id_col="kunde_id").run
    emails = sum(i % 4 == 0 for i in range(30))
    phones = sum(i % 4 != 0 and i % 3 == 0 for i in range(30))
    assert run["pii_redacted_columns"] == {
        "id": {"id": len(keys)},
        "respondent": {"id": len(keys)},  # the id again: every comment's respondent
        "kontakt": {"email": emails, "phone": phones},
    }


def test_a_numbered_pseudonym_never_takes_an_input_id_that_looks_like_one() -> None:
    """Without a key ids are numbered: an input id that is literally "ID-1" keeps its name and
    the CPR numbers beside it get the next free numbers, so no two customers share an id."""
    frame = pl.DataFrame({"kunde": ["ID-1", "010190-1234", "ID-2", "1203851237", "010190-1234"]})
    redacted = redact_columns(frame, pseudonyms=Pseudonyms(None, "numbered"))
    assert redacted.get_column("kunde").to_list() == ["ID-1", "ID-3", "ID-2", "ID-4", "ID-3"]


def test_a_customer_number_column_keeps_its_numbers() -> None:
    """A Danish CRM's "Kundenr" holds eight-digit customer numbers that look like Danish phone
    numbers: they became PHONE-1, PHONE-2 for some customers and stayed for others (those
    starting with 1), so follow_up.csv could not be worked. The column's name is read as the
    number's context, as "kundenr 23456789" is in a comment; a checksum still decides."""
    frame = pl.DataFrame(
        {
            "Kundenr": ["23456789", "14441181", "010190-1234", "88776655"],
            "Ordrenummer": [45678912, 56789123, 67891234, 78912345],  # Excel numbers
            "Telefon": ["23456789", "", "ring 88776655", "x"],
            "kunde": ["23456789", "", "", ""],  # no reference word: read as a phone number
        }
    )
    redacted = redact_columns(frame, pseudonyms=Pseudonyms(None, "numbered"))
    assert redacted.get_column("Kundenr").to_list() == ["23456789", "14441181", "ID-1", "88776655"]
    assert redacted.get_column("Ordrenummer").equals(frame.get_column("Ordrenummer"))
    assert redacted.get_column("Telefon").to_list() == ["PHONE-1", "", "ring [PHONE]", "x"]
    assert redacted.get_column("kunde").to_list()[0] == "PHONE-1"


def test_the_id_column_is_read_under_its_input_name(tmp_path: Path) -> None:
    """In a run the id column is `id` by the time it is redacted: its input name still
    decides, and comments.csv and follow_up.csv carry the customer numbers as written."""
    comments = [
        "Jeg har ventet 40 minutter i telefonkøen og ingen tog den",
        "Regningen for el var dobbelt så høj som aftalt",
        "Ring til mig på 23 45 67 89, jeg vil opsige aftalen nu",
        "Fjernvarmen har været afbrudt i tre dage uden besked",
        "Tak for hurtig hjælp med flytningen",
        "Appen viser ikke mit forbrug, den logger mig bare ud",
    ] * 3
    numbers = [str(23456789 + 1111 * i) for i in range(len(comments))]
    frame = pl.DataFrame({"Kundenr": numbers, "Kommentar": comments})
    result = cxtext.analyze(frame, out=tmp_path / "out")
    assert result.run["columns"]["id"] == "Kundenr"
    written = pl.read_csv(tmp_path / "out" / "comments.csv", infer_schema=False)
    assert written.get_column("id").to_list() == numbers
    assert "[PHONE]" in written.get_column("text").to_list()[2]  # the comment's own number
    assert "id" not in result.run["pii_redacted_columns"]


def test_a_record_id_column_keeps_its_numbers() -> None:
    """A helpdesk's "Contact ID" and a case system's "Sags-ID" hold eight-digit record numbers
    that look like Danish phone numbers: "contact" alone leans to a phone, so every one became
    PHONE-n and follow_up.csv named no contact a team could look up. "<record> id" is a
    reference, as "Kunde ID" already was; "contact number" stays a phone."""
    frame = pl.DataFrame(
        {
            "Contact ID": ["40112233", "40120152", "010190-1234"],
            "Sags-ID": ["23456789", "88776655", "14441181"],
            "userid": ["40112233", "", "x"],
            "Contact number": ["40112233", "", "x"],
        }
    )
    redacted = redact_columns(frame, pseudonyms=Pseudonyms(None, "numbered"))
    assert redacted.get_column("Contact ID").to_list() == ["40112233", "40120152", "ID-1"]
    assert redacted.get_column("Sags-ID").equals(frame.get_column("Sags-ID"))
    assert redacted.get_column("userid").equals(frame.get_column("userid"))
    assert redacted.get_column("Contact number").to_list()[0] == "PHONE-1"
