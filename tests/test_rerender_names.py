"""A run drawn again later (`cxtext report`, `cxtext export`, `cxtext themes list`) shows the
phase, owner and channel names the run showed, in its label language, also once the company's
taxonomy file has moved: they were the ids made readable, "Ejer: Finance" in a Danish report."""

from __future__ import annotations

import csv
import json

from cxtext.outputs.exports import report_run
from cxtext.outputs.report.names import run_names
from cxtext.taxonomy import write_default_taxonomy
from tests.support import analyze_demo, demo_rows


def test_a_run_keeps_its_names_when_its_taxonomy_file_is_gone(tmp_path) -> None:
    taxonomy = write_default_taxonomy(tmp_path / "company")
    text = taxonomy.read_text("utf-8")
    taxonomy.write_text(text.replace('da = "Økonomi"', 'da = "Økonomi og opkrævning"', 1), "utf-8")
    rows = demo_rows(150)
    source = tmp_path / "feedback.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out"
    analyze_demo(source, out, taxonomy=taxonomy, label_language="da")
    drawn = (out / "report.html").read_bytes()
    assert "Økonomi og opkrævning".encode() in drawn
    taxonomy.unlink()  # the team tidied its folders
    run = json.loads((out / "run.json").read_text("utf-8"))
    names = run_names(run)
    assert names.silo("finance") == "Økonomi og opkrævning"
    assert names.phase("get_help") == "Få hjælp"
    assert list(names.phases)[:2] == ["discover", "buy"]  # the journey's order
    again = report_run(out, tmp_path / "again.html")
    assert again.read_bytes() == drawn
