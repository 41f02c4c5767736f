"""Several open questions per respondent: every comment row names its respondent, a respondent
is called back once per reason, and theme sizes and ranking count people as well as answers.

The fixture is a real two-question export (Danish, Swedish and English answers): some
respondents write about the same invoice in both answers or ask twice to be called, three are
keyed by CPR numbers and one has no id at all.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import polars as pl
import pytest
from openpyxl import load_workbook

import cxtext
from cxtext.outputs.journey_json import validate_journey
from cxtext.pii.audit import leaks, output_texts
from cxtext.priority.follow_up import follow_up_list
from tests.support import run_cli

EXPORT = Path(__file__).parent / "fixtures" / "exports" / "respondents.csv"
WELL, IMPROVE = "What did we do well?", "What should we improve?"
CPR_NUMBERS = ("0101901234", "1505851234", "2312750987")  # rows 4, 8 and 21
BLANK_ID_ROW = 12


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One CLI run (numbered pseudonyms), stored in DuckDB and exported to XLSX."""
    folder = tmp_path_factory.mktemp("respondents")
    out, store = folder / "out", folder / "cx.duckdb"
    env = {k: v for k, v in os.environ.items() if k != "CXTEXT_PSEUDONYM_KEY"}
    args = ["analyze", str(EXPORT), "--text-col", WELL, "--text-col", IMPROVE, "-o", str(out)]
    done = run_cli(*args, "--store", str(store), "-q", env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    (folder / "stdout.txt").write_text(done.stdout, encoding="utf-8")
    for to, name in (("xlsx", "run.xlsx"), ("journey-json", "journey_export.json")):
        exported = run_cli("export", str(out), "--to", to, "-o", str(folder / name), env=env)
        assert exported.returncode == 0, exported.stderr
    return out


def comments_of(out: Path) -> pl.DataFrame:
    return pl.read_parquet(out / "comments.parquet")


def test_every_answer_names_its_respondent(run: Path) -> None:
    comments = comments_of(run)
    number = pl.col("question").replace_strict({WELL: "1", IMPROVE: "2"})
    expected = pl.concat_str(pl.col("respondent"), pl.lit("-q"), number)
    assert comments.select((pl.col("id") == expected).all()).item()
    assert comments.columns.index("respondent") == comments.columns.index("pii") + 1
    both = comments.filter(pl.col("respondent") == "c0006").sort("id")
    assert both.get_column("question").to_list() == [WELL, IMPROVE]
    # a respondent without an id is their row number, never a blank shared by all of them
    blank = comments.filter(pl.col("respondent") == str(BLANK_ID_ROW))
    assert blank.get_column("id").to_list() == [f"{BLANK_ID_ROW}-q1", f"{BLANK_ID_ROW}-q2"]
    assert comments.filter(pl.col("respondent").str.strip_chars() == "").is_empty()


def test_an_id_that_is_a_cpr_number_is_one_pseudonym_in_both_columns(run: Path) -> None:
    """Before, "0101901234-q1" was redacted as text: "[ID]-q1" for every CPR respondent."""
    comments = comments_of(run)
    keyed = comments.filter(pl.col("respondent").str.starts_with("ID-"))
    assert sorted(keyed.get_column("respondent").unique()) == ["ID-1", "ID-2", "ID-3"]
    assert keyed.filter(~pl.col("id").str.starts_with(pl.col("respondent") + "-q")).is_empty()
    assert not comments.get_column("id").str.contains(r"\[ID\]").any()
    texts = output_texts([run, run.parent / "cx.duckdb", run.parent / "run.xlsx"])
    assert {cpr: leaks(cpr, texts) for cpr in CPR_NUMBERS} == dict.fromkeys(CPR_NUMBERS, [])


def test_follow_up_lists_each_respondent_once_per_reason(run: Path) -> None:
    comments = comments_of(run).filter(pl.col("follow_up").is_not_null())
    follow_up = pl.read_csv(run / "follow_up.csv", infer_schema=False)
    assert follow_up.columns[:3] == ["respondent", "id", "text"]
    assert not follow_up.select("respondent", "follow_up").is_duplicated().any()
    assert follow_up.height == comments.select("respondent", "follow_up").n_unique()
    assert follow_up.get_column("answers").cast(pl.Int64).sum() == comments.height
    # asked to be called in both answers (Danish, about a CPR-keyed bill; English, c0015)
    for respondent in ("ID-1", "c0015"):
        row = follow_up.filter(pl.col("respondent") == respondent).row(0, named=True)
        assert row["follow_up"] == "asks to be contacted"
        assert row["answers"] == "2"
        assert row["answer_ids"] == f"{respondent}-q1 | {respondent}-q2"
        assert row["answer_questions"] == f"{WELL} | {IMPROVE}"
        texts = comments.filter(pl.col("respondent") == respondent).sort("id")["text"]
        assert row["answer_texts"] == " | ".join(texts)
        assert row["id"] in row["answer_ids"] and row["text"] in row["answer_texts"]


def test_the_report_counts_customers_to_contact_not_answers(run: Path) -> None:
    comments = comments_of(run).filter(pl.col("follow_up").is_not_null())
    people = comments.get_column("respondent").n_unique()
    assert people < comments.height  # some asked in both answers
    html = (run / "report.html").read_text(encoding="utf-8")
    kpi = f'<span class="kpi-value">{people}</span><span class="kpi-label">customers to contact'
    assert kpi in html
    assert f"{people} respondents ask for contact" in html


def test_themes_count_respondents_beside_comments(run: Path) -> None:
    themes = pl.read_csv(run / "themes.csv")
    # added last (then `off_journey`): earlier columns keep their place
    assert themes.columns[-2:] == ["respondents", "off_journey"]
    content = comments_of(run).filter(~pl.col("no_content"))
    counted = content.group_by("theme_id").agg(
        pl.len().alias("comments"), pl.col("respondent").n_unique().alias("people")
    )
    joined = themes.join(counted, on="theme_id")
    assert joined.select((pl.col("respondents") == pl.col("people")).all()).item()
    assert joined.select((pl.col("size") == pl.col("comments")).all()).item()
    invoice = joined.filter(pl.col("theme_id") == "invoice_unclear").row(0, named=True)
    assert invoice["respondents"] < invoice["size"]  # c0006, c0014 wrote it in both answers


def test_ranking_volume_counts_a_respondent_who_complains_twice_once(run: Path) -> None:
    content = comments_of(run).filter(~pl.col("no_content"))
    everyone = content.get_column("respondent").n_unique()
    complaining = (
        content.filter(pl.col("sentiment") == "neg")
        .group_by("theme_id")
        .agg((pl.col("respondent").n_unique() / everyone).round(4).alias("volume"))
    )
    themes = pl.read_csv(run / "themes.csv").join(complaining, on="theme_id")
    assert themes.height > 5
    assert themes.select((pl.col("priority_volume") == pl.col("volume")).all()).item()
    stdout = (run.parent / "stdout.txt").read_text(encoding="utf-8")
    invoice = themes.filter(pl.col("theme_id") == "invoice_unclear").row(0, named=True)
    said = f"{invoice['size']} comments from {invoice['respondents']} respondents"
    assert said in " ".join(stdout.split())  # the terminal wraps lines
    html = (run / "report.html").read_text(encoding="utf-8")
    assert f"from <b>{invoice['respondents']}</b> respondents" in html


def test_impact_counts_each_respondents_score_once(run: Path) -> None:
    # NPS is a respondent's answer: one who names the invoice in both answers weighs once,
    # and leaves the "without the theme" NPS with all their answers
    content = comments_of(run).filter(~pl.col("no_content"))
    people = content.group_by("respondent", maintain_order=True).agg(
        pl.col("NPS").cast(pl.Int64).first(),
        (pl.col("theme_id") == "invoice_unclear").any().alias("invoice"),
    )

    def nps(scores: pl.Series) -> float:
        return 100 * ((scores >= 9).mean() - (scores <= 6).mean())

    everyone, without = people.get_column("NPS"), people.filter(~pl.col("invoice"))["NPS"]
    invoice = pl.read_csv(run / "themes.csv").filter(pl.col("theme_id") == "invoice_unclear")
    assert invoice.item(0, "impact") == round(nps(everyone) - nps(without), 2)
    answers = content.get_column("NPS").cast(pl.Int64)  # the answer-weighted figure it used to be
    per_answer = nps(answers) - nps(
        content.filter(pl.col("theme_id") != "invoice_unclear")["NPS"].cast(pl.Int64)
    )
    assert round(per_answer, 2) != invoice.item(0, "impact")


def test_the_store_xlsx_and_journey_carry_the_respondent(run: Path) -> None:
    comments = comments_of(run)
    with duckdb.connect(str(run.parent / "cx.duckdb"), read_only=True) as connection:
        stored = connection.execute("SELECT respondent FROM comments ORDER BY comment_row")
        assert [r for (r,) in stored.fetchall()] == comments.get_column("respondent").to_list()
        view = connection.execute("SELECT DISTINCT respondent FROM comment_themes").fetchall()
        assert {r for (r,) in view} == set(comments.get_column("respondent"))
        sizes = connection.execute("SELECT theme_id, respondents FROM themes").fetchall()
    themes = pl.read_csv(run / "themes.csv")
    assert dict(sizes) == dict(themes.select("theme_id", "respondents").iter_rows())

    workbook = load_workbook(run.parent / "run.xlsx", read_only=True)
    for sheet in ("Comments", "Follow-up", "Fix first"):
        header = [cell.value for cell in next(workbook[sheet].iter_rows(max_row=1))]
        assert ("respondents" if sheet == "Fix first" else "respondent") in header, sheet

    journey = json.loads((run.parent / "journey_export.json").read_text(encoding="utf-8"))
    validate_journey(journey)
    respondent_of = dict(comments.select("id", "respondent").iter_rows())
    quotes = [
        quote
        for phase in journey["phases"]
        for point in phase["touchpoints"]
        for theme in point["themes"]
        for quote in theme["quotes"]
    ]
    assert quotes and all(q["respondent"] == respondent_of[q["comment_id"]] for q in quotes)


def test_without_an_id_column_the_respondent_is_the_row_number() -> None:
    frame = pl.read_csv(EXPORT, separator=";", infer_schema=False).drop("Kunde-ID")
    result = cxtext.analyze(frame, text_col=[WELL, IMPROVE])
    comments = result.comments
    first = comments.filter(pl.col("respondent") == "2").sort("id")
    assert first.get_column("id").to_list() == ["2-q1", "2-q2"]
    assert comments.group_by("respondent").len().get_column("len").max() == 2
    assert not result.tables["follow_up"].select("respondent", "follow_up").is_duplicated().any()


def test_the_store_says_which_question_each_answer_answers(run: Path) -> None:
    """A webshop asking 'what went well' and 'what to improve' queries complaints per
    question; the store had the question only inside input_json. Now it is a column of
    `comments` and of the `comment_themes` view."""
    comments = comments_of(run)
    with duckdb.connect(str(run.parent / "cx.duckdb"), read_only=True) as connection:
        stored = connection.execute("SELECT question FROM comments ORDER BY comment_row")
        assert [q for (q,) in stored.fetchall()] == comments.get_column("question").to_list()
        per_question = connection.execute(
            "SELECT question, count(*) FROM comment_themes WHERE sentiment = 'neg' GROUP BY 1"
        ).fetchall()
    negative = comments.filter(pl.col("sentiment") == "neg").group_by("question").len()
    assert dict(per_question) == dict(negative.iter_rows())
    assert set(dict(per_question)) == {WELL, IMPROVE}


def test_follow_up_list_keeps_the_most_negative_answer_first() -> None:
    """Two answers of one respondent, both asking to be called: one row, led by the worse."""
    comments = pl.DataFrame(
        {
            "id": ["c7-q1", "c7-q2", "c8-q2"],
            "respondent": ["c7", "c7", "c8"],
            "question": [WELL, IMPROVE, IMPROVE],
            "text": [
                "Intet. Ring mig om regningen",
                "Ring mig tilbage, I har trukket for meget",
                "Kontakta mig om fakturan",
            ],
            "lang": ["da", "da", "sv"],
            "follow_up": ["asks to be contacted"] * 3,
            "silo": ["finance"] * 3,
            "sentiment_score": [-0.6, -0.9, -0.7],
        }
    )
    listed = follow_up_list(comments)
    assert listed.select("respondent", "id", "answers").rows() == [
        ("c7", "c7-q2", 2),
        ("c8", "c8-q2", 1),
    ]
    assert listed.row(0, named=True)["answer_texts"] == (
        "Intet. Ring mig om regningen | Ring mig tilbage, I har trukket for meget"
    )


def test_customer_numbers_stay_as_written_in_both_columns() -> None:
    """An 8-digit 'Kundenr' is read under its column's name as a customer number (no phone):
    with two questions the respondent column is read under that name too, not as 'respondent'."""
    answers = ["Fakturaen er umulig at forstå", "Lang ventetid i telefonen", "Hurtig levering"]
    numbers = [str(14441181 + n * 7919) for n in range(6)]
    data = pl.DataFrame(
        {
            "Kundenr": numbers,
            "Hvad gik godt?": answers * 2,
            "Hvad kan vi gøre bedre?": answers[::-1] * 2,
        }
    )
    questions = ["Hvad gik godt?", "Hvad kan vi gøre bedre?"]
    result = cxtext.analyze(data, text_col=questions, id_col="Kundenr")
    assert result.comments.get_column("respondent").unique().sort().to_list() == sorted(numbers)
    assert result.comments.get_column("id").str.replace(r"-q\d$", "").is_in(numbers).all()


def test_follow_up_lists_those_who_asked_to_be_called_first() -> None:
    """A complaint export's 'very negative' rows (a third of it) buried the customer who asked
    for a call: contact requests come first, then those leaving, each most negative first."""
    texts = {
        "v1": "Elendig service, helt uacceptabelt",
        "l1": "Jeg skifter til et andet selskab",
        "c1": "Ring mig venligst angående regningen",
        "v2": "Det værste firma jeg har handlet med",
        "c2": "Kontakt mig om fejlen på fakturaen",
    }
    reasons = {"v": "very negative", "l": "says they will leave", "c": "asks to be contacted"}
    scores = {"v1": -0.95, "l1": -0.4, "c1": -0.2, "v2": -0.99, "c2": -0.7}
    comments = pl.DataFrame(
        {
            "id": list(texts),
            "respondent": list(texts),
            "text": list(texts.values()),
            "lang": ["da"] * len(texts),
            "follow_up": [reasons[key[0]] for key in texts],
            "silo": ["customer_service"] * len(texts),
            "sentiment_score": [scores[key] for key in texts],
        }
    )
    listed = follow_up_list(comments)
    assert listed.get_column("id").to_list() == ["c2", "c1", "l1", "v2", "v1"]
