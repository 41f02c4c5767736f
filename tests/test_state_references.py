"""The state keeps the taxonomy's embedded reference texts (`references/`, ~2 MB for the
shipped library) so a run in a fresh container does not embed them again; after an edit of the
taxonomy the vectors of its old texts are no longer read, and the run deletes them, so a state
scheduled for years holds one taxonomy's, not one per edit."""

from __future__ import annotations

from pathlib import Path

from cxtext.config import DEFAULT_TAXONOMY
from tests.support import analyze_demo
from tests.test_trends_history import week_rows, write_rows


def stems(state: Path) -> set[str]:
    return {path.stem for path in (state / "references").glob("*.npy")}


def test_an_edited_taxonomy_leaves_only_its_own_references(tmp_path: Path) -> None:
    state = tmp_path / "state"
    first = analyze_demo(
        write_rows(tmp_path / "w1.csv", week_rows(0)), tmp_path / "o1", state=state
    )
    before = stems(state)
    # examples, descriptions, off-journey sentences
    assert before == set(first.references) and len(before) == 3
    edited = tmp_path / "taxonomy.toml"
    text = DEFAULT_TAXONOMY.read_text("utf-8")
    old = 'en = "When the customer is looking for information before buying'
    assert text.count(old) == 1
    edited.write_text(
        text.replace(old, 'en = "When the customer searches for information before buying'), "utf-8"
    )
    week2 = write_rows(tmp_path / "w2.csv", week_rows(1))
    second = analyze_demo(week2, tmp_path / "o2", state=state, taxonomy=edited)
    after = stems(state)
    assert after == set(second.references) and len(after) == 3
    # the examples and off-journey sentences are the same; the old descriptions are gone
    assert len(after & before) == 2
    # back to the shipped taxonomy: its descriptions come from the home cache, kept in the state
    analyze_demo(week2, tmp_path / "o3", state=state)
    assert stems(state) == before
