"""A library theme a company adds to its taxonomy between scheduled runs: the weekly run keeps
its stored themes, so the new theme gets no comments until a --refit, and the run says so
instead of leaving it silently empty."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl
import pytest

from cxtext.taxonomy import write_default_taxonomy
from tests.support import analyze_demo, demo_rows
from tests.test_taxonomy_errors import THEME

TECHNICIAN = [  # a Danish telco's customers, written for this test
    "Teknikeren skulle komme i går mellem 7 og 15, jeg sad hjemme hele dagen og ingen kom",
    "Har nu ventet tre gange på en tekniker til fiberen, hver gang aflyst samme morgen",
    "Montøren dukkede aldrig op, og da jeg ringede kunne de ikke se nogen aftale",
    "Fik en sms om at teknikeren var på vej, men han kom aldrig",
    "Jeg tog fri fra arbejde to gange for at vente på en tekniker, ingen dukkede op",
    "Teknikerbesøget blev flyttet uden at nogen sagde det til mig",
    "Teknikeren kom fem timer for sent og havde ikke udstyret med",
    "Ventede forgæves på teknikeren hele lørdagen",
]


def write_week(path: Path, rows: list[dict[str, str]], extra: list[str] = ()) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        for number, text in enumerate(extra):
            writer.writerow({**rows[0], "id": f"tk{number}", "comment": text})
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("telco")
    taxonomy = write_default_taxonomy(folder / "company")
    rows = demo_rows(300)
    first = write_week(folder / "week1.csv", rows[:150])
    second = write_week(folder / "week2.csv", rows[150:], TECHNICIAN)
    both = write_week(folder / "weeks.csv", rows, TECHNICIAN)
    state, out = folder / "state", {}
    analyze_demo(first, folder / "out1", state=state, taxonomy=taxonomy)
    taxonomy.write_text(taxonomy.read_text("utf-8") + THEME, "utf-8")  # the team's edit
    analyze_demo(second, folder / "out2", state=state, taxonomy=taxonomy)
    analyze_demo(both, folder / "out3", state=state, taxonomy=taxonomy, refit=True)
    analyze_demo(second, folder / "out4", state=state, taxonomy=taxonomy)
    for run in ("out2", "out3", "out4"):
        out[run] = folder / run
    return out


def warnings(out: Path) -> list[str]:
    """run.json's warnings but the taxonomy's own (the team's theme is named in da and en
    alone: `test_taxonomy_languages`)."""
    said = json.loads((out / "run.json").read_text("utf-8"))["warnings"]
    return [w for w in said if not w.startswith("taxonomy ")]


def technician_comments(out: Path) -> int:
    comments = pl.read_csv(out / "comments.csv")
    return comments.filter(pl.col("theme_id") == "technician_no_show").height


def test_a_weekly_run_says_an_added_library_theme_waits_for_a_refit(runs) -> None:
    assert technician_comments(runs["out2"]) == 0  # stored themes only: the limit it names
    added = [w for w in warnings(runs["out2"]) if "technician_no_show" in w]
    assert added == [
        "library theme 'technician_no_show' was added to the taxonomy after this --state "
        "folder's themes were fitted, and a scheduled run puts new comments in the themes it "
        "keeps: run once with --refit (on a file that joins recent exports) to recognise it"
    ]


def test_after_the_refit_the_theme_holds_its_comments_and_the_warning_stops(runs) -> None:
    # a refit keeps a seen comment in its theme unless it clearly moves: some of them move
    assert technician_comments(runs["out3"]) > 0
    for run in ("out3", "out4"):
        assert not [w for w in warnings(runs[run]) if "technician_no_show" in w], run
