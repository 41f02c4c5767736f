"""Who is the respondent: a complaint export's customer number ("Kundenr", "Customer ID"),
repeated on each of a customer's cases, is found by its name and values and joins the cases;
a row number standing in for a blank id never takes another row's id."""

from __future__ import annotations

import json
import os
from pathlib import Path

import polars as pl
import pytest

from cxtext.clean import clean_comments
from cxtext.config import ColumnOptions
from cxtext.errors import InputError
from cxtext.io.columns import ResolvedColumns, resolve_columns
from cxtext.io.questions import RESPONDENT_COLUMN
from cxtext.io.respondents import fill_respondents
from cxtext.pii.audit import leaks, output_texts
from cxtext.summary import placeholder_note
from tests.support import DEMO_CORPUS, run_cli

COMPLAINTS = [
    "Pengene for den annullerede ordre er ikke kommet retur endnu",
    "Har fortfarande inte fått tillbaka pengarna för den avbokade ordern",
    "Venter fortsatt på refusjon for en TV jeg leverte tilbake for en måned siden",
    "Still havent recieved my refund, its been a month",
    "Kön i telefonen är alldeles för lång",
    "Montøren kom aldri, og ingen sa fra",
]
CUSTOMERS = ["14441181", "22334455", "14441181", "31415926", "14441181", "22334455"]


def export(**columns: list) -> pl.DataFrame:
    """A complaint export as the reader gives it: text cells and the row number."""
    return pl.DataFrame(columns).with_row_index("_row", offset=1)


@pytest.mark.parametrize(
    ("case", "customer"),
    [
        ("Sagsnr", "Kundenr"),  # da
        ("Sagsnummer", "Kundenummer"),  # da, nb, nn
        ("Ärendenummer", "Kundnummer"),  # sv
        ("Ärendenr", "Kund-ID"),  # sv
        ("Saksnr", "Medlemsnr"),  # nb
        ("Case ID", "Customer ID"),  # en
        ("Ticket ID", "Customer number"),  # en
        ("Case number", "Member ID"),  # en
    ],
)
def test_a_repeating_customer_number_is_the_respondent(case: str, customer: str) -> None:
    cases = [f"S-{n}" for n in range(1001, 1007)]
    data = export(**{case: cases, customer: CUSTOMERS, "Henvendelse": COMPLAINTS})
    columns = resolve_columns(data, ColumnOptions())
    assert (columns.id, columns.respondent) == (case, customer)
    assert columns.found_by["respondent"] == "name"
    assert columns.warnings == ()


def test_a_repeating_respondent_id_is_the_respondent_not_a_bad_id() -> None:
    """A "Respondent ID" that repeats was named in a warning as an unusable id."""
    data = export(**{"Respondent ID": CUSTOMERS, "comment": COMPLAINTS})
    columns = resolve_columns(data, ColumnOptions())
    assert (columns.id, columns.respondent, columns.warnings) == (None, "Respondent ID", ())


def test_unique_customer_numbers_add_nothing_and_are_not_taken() -> None:
    customers = [str(14441181 + n * 7919) for n in range(6)]
    data = export(Sagsnr=[str(n) for n in range(6)], Kundenr=customers, svar=COMPLAINTS)
    columns = resolve_columns(data, ColumnOptions())
    assert columns.respondent is None and columns.warnings == ()


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        (COMPLAINTS[:3] * 2, "values are text, not customer keys"),
        (["2026-05-04", "2026-05-05", "2026-05-04"] * 2, "its values are dates"),
        (["10", "9", "3"] * 2, "its values are scores"),
        (["ja", "nej"] * 3, "its values are yes/no"),
        (["99999999"] * 4 + ["14441181", "22334455"], "one value fills 4 of 6 rows"),
    ],
)
def test_a_customer_column_whose_values_are_no_keys_is_named_not_used(
    values: list[str], problem: str
) -> None:
    data = export(Sagsnr=[str(n) for n in range(6)], Kundenr=values, svar=COMPLAINTS)
    columns = resolve_columns(data, ColumnOptions())
    assert columns.respondent is None
    assert "column 'Kundenr' looks like the respondent but" in columns.warnings[0]
    assert problem in columns.warnings[0]


@pytest.mark.parametrize("placeholder", ["0", "-", "ukendt", "N/A", "anonym", "Unknown", "000"])
def test_a_placeholder_customer_number_joins_no_cases(placeholder: str) -> None:
    """Anonymous cases keyed "0" or "ukendt" were one customer: a Danish utility's 95
    anonymous cases counted as four respondents. Each is its own respondent now, and a
    placeholder on most rows no longer hides the customers the other rows name."""
    customers = [placeholder, "14441181", "22334455", "14441181", placeholder, "22334455"]
    data = export(Sagsnr=[f"S-{n}" for n in range(6)], Kundenr=customers, svar=COMPLAINTS)
    columns = resolve_columns(data, ColumnOptions())
    assert (columns.respondent, columns.warnings) == ("Kundenr", ())
    assert columns.placeholders == {placeholder: 2}
    filled = fill_respondents(clean_comments(data, columns)[0])
    respondents = filled.get_column(RESPONDENT_COLUMN).to_list()
    assert respondents == ["S-0", "14441181", "22334455", "14441181", "S-4", "22334455"]


def test_customer_numbers_are_not_placeholders() -> None:
    data = export(Kundenr=["10", "0", "x1", "NA-7", "ukendt", "-"], svar=COMPLAINTS)
    columns = ResolvedColumns(text="svar", respondent="Kundenr")
    keys = fill_respondents(clean_comments(data, columns)[0])[RESPONDENT_COLUMN].to_list()
    assert keys == ["10", "2", "x1", "NA-7", "5", "6"]


def test_respondent_col_overrides_the_guess() -> None:
    data = export(Sagsnr=[str(n) for n in range(6)], Kundenr=CUSTOMERS, Husstand=CUSTOMERS[::-1],
                  svar=COMPLAINTS)  # fmt: skip
    columns = resolve_columns(data, ColumnOptions(respondent="Husstand"))
    assert (columns.respondent, columns.found_by["respondent"]) == ("Husstand", "option")
    with pytest.raises(InputError, match="--respondent-col 'Kunde' is not a column; columns are"):
        resolve_columns(data, ColumnOptions(respondent="Kunde"))


def test_a_row_number_standing_in_for_a_blank_id_is_not_another_rows_id() -> None:
    """Row 3 has no id and "3" is row 1's: both were respondent "3", one person."""
    data = export(id=["3", "7", " ", "9"], svar=COMPLAINTS[:4])
    comments, _ = clean_comments(data, ResolvedColumns(text="svar", id="id"))
    assert comments.get_column("id").to_list() == ["3", "7", "row-3", "9"]
    assert comments.get_column(RESPONDENT_COLUMN).n_unique() == 4
    # no clash, no mark: the row number as before
    data = export(id=["c1", "c2", "", "c4"], svar=COMPLAINTS[:4])
    comments, _ = clean_comments(data, ResolvedColumns(text="svar", id="id"))
    assert comments.get_column("id").to_list() == ["c1", "c2", "3", "c4"]


def test_a_case_without_customer_number_is_its_own_respondent_apart_from_customers() -> None:
    """Case "1002" has no customer number and customer "1002" wrote case "1001"."""
    data = export(Sagsnr=["1001", "1002", "1003"], Kundenr=["1002", None, "1002"],
                  svar=COMPLAINTS[:3])  # fmt: skip
    columns = ResolvedColumns(text="svar", id="Sagsnr", respondent="Kundenr")
    comments, _ = clean_comments(data, columns)
    assert "Kundenr" not in comments.columns  # it is the respondent, not passed through
    filled = fill_respondents(comments)
    assert filled.get_column(RESPONDENT_COLUMN).to_list() == ["1002", "id-1002", "1002"]
    data = data.with_columns(pl.Series("Kundenr", ["77", None, "77"]))
    filled = fill_respondents(clean_comments(data, columns)[0])
    assert filled.get_column(RESPONDENT_COLUMN).to_list() == ["77", "1002", "77"]


REFUND = r"(?i)refund|refusjon|refusion|tilbagebetal|tilbakebetal|återbetal|pengene|pengarna"
ANGRY = "14441181"  # wrote twelve of the refund complaints
# anonymous cases, rows 71-80, as complaint systems key them: each its own respondent
PLACEHOLDERS = ["0", "ukendt", "-", "N/A", "anonym"] * 2
CPR_CUSTOMER = "0101901234"  # a utility keyed by CPR number: two cases


def complaint_export(path: Path) -> Path:
    """The demo comments as a contact-centre export: one row per case ("Sagsnr"), a customer
    number on each ("Kundenr"), most customers with one case, one who wrote twelve times about
    a refund, one keyed by a CPR number, one case without a customer number and ten anonymous
    cases keyed by a placeholder ("0", "ukendt", "-", "N/A", "anonym")."""
    rows = pl.read_csv(DEMO_CORPUS, infer_schema=False)
    refund = rows.get_column("comment").str.contains(REFUND)
    angry = refund & (refund.cum_sum() <= 12)
    number = pl.int_range(pl.len())
    customer = (
        pl.when(angry)
        .then(pl.lit(ANGRY))
        .when(number.is_in([40, 41]))
        .then(pl.lit(CPR_CUSTOMER))
        .when(number == 60)
        .then(None)
        .when(number.is_between(70, 79))
        .then(pl.Series([None] * 70 + PLACEHOLDERS + [None] * (rows.height - 80)))
        .otherwise((50000000 + number * 7919).cast(pl.String))
    )
    export = rows.with_columns(angry.alias("angry")).select(
        ("S-" + pl.col("id").str.slice(1)).alias("Sagsnr"),
        customer.alias("Kundenr"),
        pl.col("date").alias("Dato"),
        pl.col("score").alias("NPS"),
        # the angry customer asks to be called back in three of the twelve cases
        pl.when(angry & (refund.cum_sum() <= 3))
        .then(pl.col("comment") + " Ring mig venligst.")
        .otherwise(pl.col("comment"))
        .alias("Henvendelse"),
    )
    export.write_csv(path, separator=";")
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The export analysed as found (customer numbers join cases) and with every case its own
    respondent (`--respondent-col Sagsnr`, as before customer numbers were read)."""
    folder = tmp_path_factory.mktemp("customer_keys")
    source = complaint_export(folder / "sager.csv")
    env = {k: v for k, v in os.environ.items() if k != "CXTEXT_PSEUDONYM_KEY"}
    outs = {}
    for name, options in (("customers", ()), ("cases", ("--respondent-col", "Sagsnr"))):
        out = folder / name
        done = run_cli("analyze", str(source), "-o", str(out), "-q", *options, env=env,
                       timeout=600)  # fmt: skip
        assert done.returncode == 0, done.stderr
        (out / "stdout.txt").write_text(done.stdout, encoding="utf-8")
        outs[name] = out
    return outs


def test_the_customer_column_is_found_and_said(runs: dict[str, Path]) -> None:
    run = json.loads((runs["customers"] / "run.json").read_text(encoding="utf-8"))
    assert (run["columns"]["id"], run["columns"]["respondent"]) == ("Sagsnr", "Kundenr")
    assert run["columns"]["found_by"]["respondent"] == "name"
    comments = pl.read_parquet(runs["customers"] / "comments.parquet")
    assert run["respondents"] == comments.get_column("respondent").n_unique()
    assert run["respondents"] == run["rows_written"] - 11 - 1  # twelve cases, two cases
    stdout = " ".join((runs["customers"] / "stdout.txt").read_text(encoding="utf-8").split())
    placeholders = "10 rows keyed '-', '0', 'N/A', 'anonym' or 1 more are each their own"
    assert f"respondent 'Kundenr' ({run['respondents']} respondents; {placeholders})" in stdout
    assert run["respondent_placeholders"] == dict.fromkeys(sorted(set(PLACEHOLDERS)), 2)
    assert "Kundenr" not in comments.columns  # it is the respondent, not passed through
    cases = json.loads((runs["cases"] / "run.json").read_text(encoding="utf-8"))
    assert cases["columns"]["found_by"]["respondent"] == "option"
    assert cases["respondents"] == cases["rows_written"]


def test_a_customer_who_wrote_twelve_times_weighs_once_in_the_ranking(
    runs: dict[str, Path],
) -> None:
    comments = pl.read_parquet(runs["customers"] / "comments.parquet")
    angry = comments.filter(pl.col("respondent") == ANGRY)
    assert angry.height == 12
    theme = angry.get_column("theme_id").mode().sort().item(0)
    in_theme = angry.filter(pl.col("theme_id") == theme).height
    assert in_theme >= 6  # most of the refund complaints land in one theme
    by_customer, by_case = (
        pl.read_csv(runs[name] / "themes.csv").filter(pl.col("theme_id") == theme)
        for name in ("customers", "cases")
    )
    by_customer, by_case = by_customer.row(0, named=True), by_case.row(0, named=True)
    assert by_case["respondents"] == by_case["size"]
    assert by_customer["respondents"] == by_customer["size"] - in_theme + 1
    # volume: complaining customers over all customers, against cases over all cases
    content = comments.filter(~pl.col("no_content"))
    complaining = content.filter((pl.col("theme_id") == theme) & (pl.col("sentiment") == "neg"))
    volume = complaining.get_column("respondent").n_unique() / content["respondent"].n_unique()
    assert by_customer["priority_volume"] == round(volume, 4)
    assert by_customer["priority_volume"] < by_case["priority_volume"]


def test_each_case_keeps_its_own_score_in_the_impact(runs: dict[str, Path]) -> None:
    # a case export scores each case: a customer's twelve cases are twelve scores, not the
    # first one twelve times over, so the impact is the same whoever the cases belong to
    comments = pl.read_parquet(runs["customers"] / "comments.parquet")
    content = comments.filter(~pl.col("no_content"))
    theme = content.filter(pl.col("respondent") == ANGRY)["theme_id"].mode().sort().item(0)
    scores = content.get_column("NPS").cast(pl.Int64)
    without = content.filter(pl.col("theme_id") != theme).get_column("NPS").cast(pl.Int64)

    def nps(values: pl.Series) -> float:
        return 100 * ((values >= 9).mean() - (values <= 6).mean())

    impacts = [
        pl.read_csv(runs[name] / "themes.csv").filter(pl.col("theme_id") == theme)["impact"][0]
        for name in ("customers", "cases")
    ]
    assert impacts == [round(nps(scores) - nps(without), 2)] * 2


def test_follow_up_names_each_customer_once_per_reason(runs: dict[str, Path]) -> None:
    comments = pl.read_parquet(runs["customers"] / "comments.parquet")
    follow_up = pl.read_csv(runs["customers"] / "follow_up.csv", infer_schema=False)
    assert not follow_up.select("respondent", "follow_up").is_duplicated().any()
    needs = comments.filter(pl.col("follow_up").is_not_null())
    assert follow_up.height == needs.select("respondent", "follow_up").n_unique()
    assert follow_up.get_column("answers").cast(pl.Int64).sum() == needs.height
    # a customer flagged in several cases is one row per reason, with all those cases
    flagged = needs.group_by("respondent", "follow_up").len()
    several = flagged.filter(pl.col("len") > 1)
    rows = follow_up.join(several, on=["respondent", "follow_up"])
    assert rows.height == several.height > 0
    assert rows.get_column("answers").cast(pl.Int64).to_list() == rows.get_column("len").to_list()
    cases = pl.read_csv(runs["cases"] / "follow_up.csv", infer_schema=False)
    assert cases.height >= follow_up.height  # the same customer called once, not per case


def test_customer_numbers_are_redacted_as_ids_are(runs: dict[str, Path]) -> None:
    """A customer number no checksum settles stays as written (it is read under 'Kundenr',
    so an 8-digit one is no phone); one that is a CPR number is a pseudonym everywhere."""
    comments = pl.read_parquet(runs["customers"] / "comments.parquet")
    respondents = set(comments.get_column("respondent"))
    assert ANGRY in respondents and "50015838" in respondents  # c0003's
    cpr = comments.filter(pl.col("id").is_in(["S-0041", "S-0042"])).get_column("respondent")
    assert cpr.to_list() == ["ID-1", "ID-1"]
    texts = output_texts(list(runs.values()))
    assert leaks(CPR_CUSTOMER, texts) == []
    # the case without a customer number is its own respondent: its case id
    blank = comments.filter(pl.col("id") == "S-0061")
    assert blank.get_column("respondent").to_list() == ["S-0061"]
    anonymous = comments.filter(pl.col("id").is_in([f"S-00{n}" for n in range(71, 81)]))
    assert anonymous.get_column("respondent").to_list() == anonymous.get_column("id").to_list()


def test_respondent_col_naming_no_column_is_one_line(tmp_path: Path) -> None:
    source = complaint_export(tmp_path / "sager.csv")
    done = run_cli("analyze", str(source), "--respondent-col", "Kunde", "-o", str(tmp_path / "o"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        "cxtext: error: --respondent-col 'Kunde' is not a column; columns are: Sagsnr, "
        "Kundenr, Dato, NPS, Henvendelse"
    ]
    assert not (tmp_path / "o").exists()


def test_a_repeating_case_id_given_beside_customer_numbers_is_not_called_one_respondent() -> None:
    data = export(Sagsnr=["1", "1", "2", "3", "4", "5"], Kundenr=CUSTOMERS, svar=COMPLAINTS)
    (warning,) = resolve_columns(data, ColumnOptions(id="Sagsnr")).warnings
    assert warning.startswith("id column 'Sagsnr': 1 of 6 values repeat; comments that share")
    assert "one respondent" not in warning
    (warning,) = resolve_columns(data.drop("Kundenr"), ColumnOptions(id="Sagsnr")).warnings
    assert "count as one respondent" in warning


def test_the_columns_line_names_the_most_common_placeholders() -> None:
    many = {"0": 3, "-": 2, "?": 2, "N/A": 1, "n/a": 1, "ukendt": 1}
    note = "; 10 rows keyed '0', '-', '?', 'N/A' or 2 more are each their own"
    assert placeholder_note({"respondent_placeholders": many}) == note
    assert placeholder_note({"respondent_placeholders": {"0": 1}}) == "; 1 row keyed '0' is its own"
    assert placeholder_note({"respondent_placeholders": {}}) == ""
