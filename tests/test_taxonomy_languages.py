"""A taxonomy text without every one of the five languages (the file's header: "Every text
block needs all five languages") is said once per file, naming the parts and the languages
they lack: a theme named only in Danish and English showed English under
--label-language sv, and nothing said why."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import cxtext
from cxtext.taxonomy import TaxonomyError, load_taxonomy, write_default_taxonomy
from tests.test_taxonomy_errors import THEME  # a telco's theme, in da and en alone

PLAIN = Path(__file__).parent / "fixtures" / "exports" / "plain.csv"


def edited(tmp_path: Path) -> Path:
    """The shipped taxonomy with a theme named in da and en alone, and the pay phase's
    Nynorsk name gone."""
    path = write_default_taxonomy(tmp_path)
    text = path.read_text("utf-8").replace('nn = "Betale"\n', "", 1)
    assert text != path.read_text("utf-8")
    path.write_text(text + THEME, "utf-8")
    return path


def test_the_shipped_taxonomy_has_every_language() -> None:
    assert load_taxonomy(None).warnings == ()


def test_one_warning_names_each_part_and_its_missing_languages(tmp_path: Path) -> None:
    path = edited(tmp_path)
    warnings = load_taxonomy(path).warnings
    assert len(warnings) == 1
    warning = warnings[0]
    assert str(path) in warning
    assert "phase 'pay' (nn in name)" in warning
    assert "theme 'technician_no_show' (sv, nb, nn in name)" in warning  # examples: any language
    assert "--label-language" in warning


def test_a_promoted_theme_names_no_gap_but_its_other_texts_do(tmp_path: Path) -> None:
    """`cxtext themes promote` writes `promoted = true` and names the languages to add once;
    a run then says nothing of the name it shows in every language, only of a real gap."""
    promoted = THEME.replace('polarity = "problem"', 'polarity = "problem"\npromoted = true')
    path = write_default_taxonomy(tmp_path)
    path.write_text(path.read_text("utf-8") + promoted, "utf-8")
    taxonomy = load_taxonomy(path)
    assert taxonomy.themes["technician_no_show"].promoted
    assert taxonomy.warnings == ()
    described = promoted + '[themes.description]\nen = "The technician did not come"\n'
    path.write_text(path.read_text("utf-8").replace(promoted, described), "utf-8")
    (warning,) = load_taxonomy(path).warnings
    assert "theme 'technician_no_show' (da, sv, nb, nn in description)" in warning
    path.write_text(path.read_text("utf-8").replace("promoted = true", 'promoted = "no"'), "utf-8")
    with pytest.raises(TaxonomyError, match=r"line \d+: theme 'technician_no_show': promoted must"):
        load_taxonomy(path)


def test_a_run_says_it_once(tmp_path: Path) -> None:
    result = cxtext.analyze(
        PLAIN, out=tmp_path / "out", taxonomy=edited(tmp_path), label_language="sv"
    )
    run = json.loads((tmp_path / "out" / "run.json").read_text("utf-8"))
    said = [w for w in run["warnings"] if "technician_no_show" in w]
    assert len(said) == 1 and said == [w for w in result.run["warnings"] if "taxonomy" in w]
    assert pl.read_csv(tmp_path / "out" / "themes.csv").height > 0
