"""A company's broken taxonomy edit is one line naming the file, the line of the part and the
part: the theme block a key is missing from, not the first line of the file's header that
happens to hold the key's name."""

from __future__ import annotations

import pytest

from cxtext.taxonomy import TaxonomyError, load_taxonomy, write_default_taxonomy
from tests.support import run_cli

THEME = """
[[themes]]
id = "technician_no_show"
group = "delivery"
phase = "receive"
silo = "operations"
kano = "basic"
polarity = "problem"
[themes.name]
da = "Teknikeren kom ikke"
en = "Technician did not show up"
[themes.examples]
da = ["Teknikeren skulle komme mellem 8 og 12, ingen kom og ingen ringede"]
en = ["I took a day off work to wait for the technician and nobody turned up"]
"""


def edited(tmp_path, theme: str = THEME, before: str = "", after: str = ""):
    """The shipped taxonomy with a Danish telco's theme appended, `before` replaced by `after`."""
    path = write_default_taxonomy(tmp_path)
    text = path.read_text("utf-8") + theme
    path.write_text(text.replace(before, after, 1) if before else text, "utf-8")
    return path, path.read_text("utf-8").splitlines()


def line_of(lines: list[str], start: str, nth: int = 1) -> int:
    found = [number for number, line in enumerate(lines, start=1) if line.startswith(start)]
    return found[nth - 1]


def test_the_edited_taxonomy_loads(tmp_path) -> None:
    path, _ = edited(tmp_path)
    theme = load_taxonomy(path).themes["technician_no_show"]
    assert theme.name["da"] == "Teknikeren kom ikke" and len(theme.examples["en"]) == 1


def test_a_theme_without_its_kano_names_the_theme_and_its_line(tmp_path) -> None:
    # the appended theme lost its kano line; before: "missing 'kano' (near line 46)", a comment
    path, lines = edited(tmp_path, THEME.replace('kano = "basic"\n', ""))
    block = line_of(lines, "[[themes]]", sum(line.startswith("[[themes]]") for line in lines))
    with pytest.raises(TaxonomyError) as error:
        load_taxonomy(path)
    message = str(error.value)
    assert message == f"{path}: line {block}: theme 'technician_no_show' has no 'kano'"


def test_a_duplicate_theme_id_names_the_second_block_and_the_first(tmp_path) -> None:
    path, lines = edited(tmp_path, THEME.replace("technician_no_show", "opening_hours"))
    blocks = [n for n, line in enumerate(lines, start=1) if line.startswith("[[themes]]")]
    first = line_of(lines, 'id = "opening_hours"')
    with pytest.raises(TaxonomyError) as error:
        load_taxonomy(path)
    # before: "theme 'opening_hours' is defined twice (line 799)", the first, correct, theme
    assert str(error.value) == (
        f"{path}: line {blocks[-1]}: theme 'opening_hours': "
        f"id is already used by the theme at line {first}"
    )


def test_examples_written_as_one_string_are_refused(tmp_path) -> None:
    """A string was read letter by letter: 68 one-letter examples, no error."""
    one = 'da = "Teknikeren skulle komme mellem 8 og 12, ingen kom og ingen ringede"'
    path, _ = edited(tmp_path, THEME.replace(THEME.splitlines()[-2], one))
    with pytest.raises(TaxonomyError, match=r"theme 'technician_no_show': keywords and examples "):
        load_taxonomy(path)


def test_an_unknown_default_silo_points_at_the_phase_not_the_header(tmp_path) -> None:
    shipped = 'order = 1\ndefault_silo = "marketing"'
    path, lines = edited(tmp_path, "", shipped, shipped.replace("marketing", "marketting"))
    section = line_of(lines, "[phases.discover]")
    with pytest.raises(TaxonomyError) as error:
        load_taxonomy(path)
    # before: line 12, the header comment that names [phases.discover] as an example
    assert str(error.value) == (
        f"{path}: line {section}: phase 'discover' default_silo 'marketting' "
        "is not defined in the taxonomy"
    )


def test_analyze_with_a_broken_taxonomy_is_one_line_and_exit_2(tmp_path) -> None:
    path, _ = edited(tmp_path, THEME.replace('silo = "operations"', 'silo = "feltservice"'))
    data = tmp_path / "telco.csv"
    data.write_text("Kommentar\nTeknikeren kom aldrig\nFakturaen er forkert\n", "utf-8")
    done = run_cli("analyze", str(data), "--out", str(tmp_path / "out"), "--taxonomy", str(path))
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert str(path) in lines[0] and "theme 'technician_no_show' silo 'feltservice'" in lines[0]


def test_a_silo_rule_with_an_unknown_phase_names_the_rule_and_its_block(tmp_path) -> None:
    rule = (
        '\n[[silo_rules]]\nphase = "instalation"\nsilo = "operations"\nreason = "Teknikere"\n'
        '[silo_rules.keywords]\nda = ["tekniker"]\n'
    )
    shipped = "\n[[silo_rules]]\n"
    path, lines = edited(tmp_path, "", shipped, rule + shipped)
    with pytest.raises(TaxonomyError) as error:
        load_taxonomy(path)
    # before: "line 114: silo rule instalation -> operations is not defined", line 114 being
    # the receive phase's 'default_silo = "operations"'
    assert str(error.value) == (
        f"{path}: line {line_of(lines, '[[silo_rules]]')}: silo rule 1 phase 'instalation' "
        "is not defined in the taxonomy"
    )


def test_a_name_written_as_a_list_is_one_line_not_an_internal_error(tmp_path) -> None:
    names = '[themes.name]\nda = "Teknikeren kom ikke"\nen = "Technician did not show up"\n'
    path, lines = edited(tmp_path, THEME.replace(names, 'name = ["Teknikeren kom ikke"]\n'))
    block = [n for n, line in enumerate(lines, start=1) if line.startswith("[[themes]]")][-1]
    with pytest.raises(TaxonomyError) as error:  # was AttributeError: exit 70
        load_taxonomy(path)
    assert str(error.value) == (
        f"{path}: line {block}: theme 'technician_no_show': "
        'name must be a table of language = "text": da = "...", en = "..."'
    )


def test_a_silo_rule_without_its_phase_names_the_rule(tmp_path) -> None:
    shipped = '[[silo_rules]]\nphase = "use"\nsilo = "operations"'
    path, lines = edited(tmp_path, "", shipped, '[[silo_rules]]\nsilo = "operations"')
    rule = line_of(lines, "[[silo_rules]]", 2)  # the second rule lost its phase
    with pytest.raises(TaxonomyError) as error:  # was "missing 'phase' (near line 60)"
        load_taxonomy(path)
    assert str(error.value) == f"{path}: line {rule}: silo rule 2 has no 'phase'"


def test_a_missing_section_is_named_without_a_line_it_is_not_on(tmp_path) -> None:
    path = write_default_taxonomy(tmp_path)
    text = path.read_text("utf-8")
    start, end = text.index("[kano.basic]"), text.index("[groups.service.name]")
    path.write_text(text[:start] + text[end:], "utf-8")
    with pytest.raises(TaxonomyError) as error:  # was "missing 'kano' (near line 743)": a theme
        load_taxonomy(path)
    assert str(error.value) == f"{path}: no [kano.<id>] sections: the taxonomy needs at least one"
