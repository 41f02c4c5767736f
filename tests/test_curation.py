"""Theme decisions that last: rename, merge and promote through `cxtext themes`, then two
scheduled runs with --state keep all three; bad edits are refused and change nothing."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import cxtext
from cxtext.outputs.report.names import run_names
from cxtext.taxonomy import load_taxonomy, write_default_taxonomy
from cxtext.themes.curation import Curation, CurationError, load_curation, merge, rename
from cxtext.themes.promote import PROMOTED_EXAMPLES, promotion
from tests.support import demo_rows, run_cli
from tests.test_themes import PACKAGING

ENV = {**os.environ, "PYTHONPATH": str(Path(cxtext.__file__).parents[1])}
NEW_NAME = "Staff who do not help"
LATER = [  # comments of a later month: more packaging complaints and a rude-staff one
    "So much plastic around a tiny parcel, please stop",
    "Igen alt for meget plastik i pakken",
    "The shop assistant was rude and did not help me at all",
]


@dataclass
class Curated:
    first: cxtext.result.Result
    runs: list  # the two scheduled runs after the decisions
    renamed: str
    merged: str
    into: str
    promoted: str
    library_id: str
    taxonomy: Path
    curation: Path
    promote_stderr: str  # what `cxtext themes promote` said on stderr


def comments(extra: list[str]) -> pl.DataFrame:
    demo = [(row["id"], row["comment"]) for row in demo_rows(100)]
    texts = [text for _, text in demo] + PACKAGING + extra
    ids = [i for i, _ in demo] + [f"p{i}" for i in range(len(PACKAGING) + len(extra))]
    return pl.DataFrame({"id": ids, "comment": texts})


def analyze(frame: pl.DataFrame, out: Path, state: Path, taxonomy: Path):
    return cxtext.analyze(
        frame, out=out, state=state, taxonomy=taxonomy, text_col="comment", id_col="id", seed=42
    )


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory) -> Curated:
    root = tmp_path_factory.mktemp("curation")
    taxonomy = write_default_taxonomy(root)
    state, curation = root / "state", root / "state" / "curation.toml"
    first = analyze(comments([]), root / "run1", state, taxonomy)
    themes = first.themes.filter(pl.col("theme_id") != "-1")
    # the discovered themes holding the packaging comments, largest first: discovery may
    # split a topic in two, and the analyst then merges the rest into the first
    packaging = first.comments.filter(
        pl.col("text").is_in(PACKAGING) & pl.col("theme_id").str.starts_with("n")
    )
    new = packaging.group_by("theme_id").len().sort("len", "theme_id", descending=[True, False])
    new = new.get_column("theme_id").to_list()
    library = themes.filter(pl.col("source") == "library").sort("size", "theme_id")
    merged, into, renamed = library.get_column("theme_id").to_list()[:3]
    for args in (
        ["rename", str(root / "run1"), renamed, NEW_NAME.replace(" not ", "\nnot  ")],
        ["merge", str(root / "run1"), merged, into],
        *(["merge", str(root / "run1"), other, new[0]] for other in new[1:]),
        ["promote", str(root / "run1"), new[0], "--taxonomy", str(taxonomy)],
    ):
        done = run_cli("themes", *args, env=ENV)  # a --state run's decisions go to the state
        assert done.returncode == 0, done.stderr
        promote_stderr = done.stderr
        assert str(curation) in done.stdout.replace("\n", "")
        if args[0] == "rename":  # a name typed over two lines is told back as it is kept
            wide = run_cli("themes", *args, env={**ENV, "COLUMNS": "300"}).stdout
            assert f"named '{NEW_NAME}' in" in wide
    library_id = load_curation(curation).promotions[new[0]]
    runs = [
        analyze(comments(LATER[: n + 1]), root / f"run{n + 2}", state, taxonomy) for n in (0, 1)
    ]
    return Curated(
        first, runs, renamed, merged, into, new[0], library_id, taxonomy, curation, promote_stderr
    )


def test_the_promoted_theme_enters_the_taxonomy_with_central_examples(curated: Curated) -> None:
    taxonomy = load_taxonomy(curated.taxonomy)
    theme = taxonomy.themes[curated.library_id]
    assert theme.group in taxonomy.groups
    examples = [text for texts in theme.examples.values() for text in texts]
    assert len(examples) >= 5 and set(examples) <= set(PACKAGING)
    assert set(theme.examples) <= {"da", "sv", "nb", "nn", "en"}
    assert len(theme.examples) >= 3  # tagged with the languages the comments are in


def test_promote_names_the_languages_to_add_once_and_later_runs_do_not(curated: Curated) -> None:
    """A promoted theme's name is in its run's label language alone, and every later run
    warned that it lacked the other four until someone translated it."""
    language = curated.first.run["label_language_used"]
    others = ", ".join(lang for lang in ("da", "sv", "nb", "nn", "en") if lang != language)
    said = curated.promote_stderr.strip().splitlines()
    assert len(said) == 1 and said[0].startswith("cxtext: warning: ")
    assert f"theme '{curated.library_id}' is named in {language} alone: add {others}" in said[0]
    line = int(said[0].split("(line ")[1].split(" of ")[0])
    assert f"of {curated.taxonomy})" in said[0]
    lines = curated.taxonomy.read_text("utf-8").splitlines()
    assert lines[line - 1] == "[themes.name]"
    assert lines[line].startswith(f"{language} = ")  # the block of the promoted theme
    assert f'id = "{curated.library_id}"' in lines[line - 9 : line - 1]
    for run in curated.runs:
        assert not [w for w in run.run["warnings"] if "five languages" in w], run.run["warnings"]
        # nor that it waits for a --refit: the kept theme it was promoted from holds its comments
        assert not [w for w in run.run["warnings"] if curated.library_id in w], run.run["warnings"]
    # the shipped file plus a hand-written theme named in one language is still a gap
    plain = curated.taxonomy.read_text("utf-8").replace("promoted = true\n", "")
    (curated.taxonomy.parent / "hand.toml").write_text(plain, "utf-8")
    (gap,) = load_taxonomy(curated.taxonomy.parent / "hand.toml").warnings
    assert f"theme '{curated.library_id}' ({others} in name)" in gap


def test_themes_list_shows_every_theme_and_the_decisions_to_come(curated: Curated) -> None:
    """The ids an analyst types into rename / merge / promote, with what the next run does."""
    run1 = curated.curation.parents[1] / "run1"
    done = run_cli("themes", "list", str(run1), env={**ENV, "COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    lines = {line.split()[1]: line for line in done.stdout.splitlines() if ". " in line[:6]}
    themes = curated.first.themes.filter(pl.col("theme_id") != "-1")
    assert set(lines) == set(themes.get_column("theme_id").to_list())
    assert f"to be named '{NEW_NAME}'" in lines[curated.renamed]
    assert f"to be merged into {curated.into}" in lines[curated.merged]
    assert f"promoted as {curated.library_id}" in lines[curated.promoted]
    assert done.stdout.splitlines()[-1].endswith(f"decisions in {curated.curation}")
    # the owner as analyze and the report name it, its id beside ("finance" was all it said)
    names = run_names(curated.first.run)
    for row in themes.filter(pl.col("silo").is_not_null()).iter_rows(named=True):
        owner = f"owner {names.silo(row['silo'])} ({row['silo']})"
        assert owner in lines[row["theme_id"]] and names.silo(row["silo"]) != row["silo"]
    # once a run has applied the name, the list no longer says it is still to come
    done = run_cli("themes", "list", str(run1.parent / "run3"), env={**ENV, "COLUMNS": "200"})
    later = {line.split()[1]: line for line in done.stdout.splitlines() if ". " in line[:6]}
    assert f"'{NEW_NAME}'" in later[curated.renamed]
    assert "named in the decisions file" in later[curated.renamed]
    assert "to be named" not in later[curated.renamed]


@pytest.mark.parametrize("run", [0, 1])
def test_scheduled_runs_keep_every_decision(curated: Curated, run: int) -> None:
    result = curated.runs[run]
    themes = dict(result.themes.select("theme_id", "label").iter_rows())
    assert themes[curated.renamed] == NEW_NAME
    assert curated.merged not in themes
    ids = result.comments.select("text", "theme_id")
    before = curated.first.comments.filter(pl.col("theme_id") == curated.merged)
    moved = ids.filter(pl.col("text").is_in(before.get_column("text").to_list()))
    assert moved.height > 0 and set(moved.get_column("theme_id")) == {curated.into}
    packaging = ids.filter(pl.col("text").is_in(PACKAGING)).get_column("theme_id").to_list()
    assert packaging.count(curated.library_id) >= 0.8 * len(PACKAGING)
    assert curated.promoted not in themes
    row = result.themes.filter(pl.col("theme_id") == curated.library_id).row(0, named=True)
    assert row["source"] == "library"


def test_a_later_packaging_complaint_joins_the_promoted_theme(curated: Curated) -> None:
    later = curated.runs[1].comments.filter(pl.col("text") == LATER[0])
    assert later.item(0, "theme_id") == curated.library_id


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rename", "{run}", "d99", "Whatever"], "no theme 'd99' in the run"),
        (["merge", "{run}", "{into}", "{into}"], "cannot be merged into itself"),
        (["merge", "{run}", "{merged}", "{into}"], "theme '{merged}' is already merged into"),
        (["merge", "{run}", "nope", "{into}"], "no theme 'nope' in the run"),
        (["promote", "{run}", "{into}", "--taxonomy", "{taxonomy}"], "already in the taxonomy"),
        # promoting the same discovered theme again added a twin `<id>_2` to the taxonomy
        (
            ["promote", "{run}", "{promoted}", "--taxonomy", "{taxonomy}"],
            "theme '{promoted}' is already promoted as library theme '{library_id}'",
        ),
    ],
)
def test_bad_edits_are_refused_in_one_line_and_change_nothing(
    curated: Curated, args: list[str], message: str
) -> None:
    before = curated.curation.read_bytes(), curated.taxonomy.read_bytes()
    run_dir = str(curated.taxonomy.parent / "run1")
    ids = {
        "into": curated.into,
        "merged": curated.merged,
        "taxonomy": curated.taxonomy,
        "promoted": curated.promoted,
        "library_id": curated.library_id,
    }
    filled = [a.format(run=run_dir, **ids) for a in args]
    message = message.format(**ids)
    done = run_cli("themes", *filled, "--curation", str(curated.curation), env=ENV)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert (curated.curation.read_bytes(), curated.taxonomy.read_bytes()) == before


def test_merges_follow_chains_and_refuse_circles(tmp_path: Path) -> None:
    known = {"d01", "d02", "d03"}
    curation = merge(merge(Curation(), known, "d01", "d02"), known, "d02", "d03")
    assert curation.map_ids(np.array(["d01", "d02", "d03", "-1"])).tolist() == [
        "d03",
        "d03",
        "d03",
        "-1",
    ]
    with pytest.raises(CurationError, match="theme 'd01' is already merged into 'd03'"):
        merge(curation, known, "d03", "d01")
    with pytest.raises(CurationError, match="theme 'd01' is already merged into 'd02'"):
        merge(curation, known, "d01", "d02")  # the same merge twice
    with pytest.raises(CurationError, match="cannot be merged into itself"):
        merge(curation, known, "d02", "d02")
    siblings = merge(merge(Curation(), known, "d01", "d03"), known, "d02", "d03")
    with pytest.raises(CurationError, match="'d01' and 'd02' are already one theme, 'd03'"):
        merge(siblings, known, "d01", "d02")
    named = rename(curation, known, "d01", "  Old  name ")
    assert named.labels() == {"d03": "Old name"}


def test_a_theme_keeps_its_own_name_over_one_merged_into_it() -> None:
    """Names reached d01 in file order (sorted by id), so a merged theme's name replaced d01's."""
    known = {"d01", "d02", "d03"}
    curation = rename(rename(Curation(), known, "d01", "Own name"), known, "d02", "Merged away")
    curation = merge(merge(curation, known, "d02", "d01"), known, "d03", "d02")
    assert curation.labels() == {"d01": "Own name"}
    assert merge(Curation(), known, "d02", "d01").labels() == {}


def test_a_name_another_theme_has_is_refused_case_aside() -> None:
    known, shown = {"d01", "d02", "n01"}, {"d01": "Slow refund", "d02": "Queue", "n01": "Other"}
    with pytest.raises(CurationError, match="already the name of theme 'd01'.*merge RUN_DIR n01"):
        rename(Curation(), known, "n01", "slow  REFUND", shown)
    renamed = rename(Curation(), known, "d02", "Kø på telefon", shown)
    with pytest.raises(CurationError, match="already the name of theme 'd02'"):
        rename(renamed, known, "n01", "KØ PÅ TELEFON", shown)
    assert rename(renamed, known, "n01", "Queue", shown).labels()["n01"] == "Queue"  # d02 freed it
    merged = merge(Curation(), known, "n01", "d01")
    assert rename(merged, known, "n01", "Slow refund", shown).labels() == {"d01": "Slow refund"}


def test_decisions_go_to_the_file_the_run_read(tmp_path: Path) -> None:
    from cxtext.curate import decisions_file

    def run_with(**options: str | None) -> Path:
        folder = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        (folder / "run.json").write_text(json.dumps({"options": options}), encoding="utf-8")
        return folder

    state = tmp_path / "state"
    state.mkdir()
    assert decisions_file(run_with(state=str(state)), None) == state / "curation.toml"
    named = run_with(state=str(state), curation="mine.toml")
    assert decisions_file(named, None) == Path("mine.toml")
    assert decisions_file(named, Path("given.toml")) == Path("given.toml")
    assert decisions_file(run_with(state=None), None) == Path("curation.toml")
    with pytest.raises(CurationError, match="--state .*gone.* not found from here"):
        decisions_file(run_with(state=str(tmp_path / "gone")), None)


def test_a_hand_edited_file_with_a_self_merge_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "curation.toml"
    path.write_text('[merges]\nd01 = "d01"\n', encoding="utf-8")
    with pytest.raises(CurationError, match="cannot be merged into itself"):
        load_curation(path)


def test_a_promoted_id_longer_than_every_other_id_is_kept_whole() -> None:
    import numpy as np

    from cxtext.themes.curation import Curation

    ids = np.array(["n01", "wait_time", "n01"]).astype(str)  # '<U9', as a fit returns them
    curation = Curation(promotions={"n01": "packaging_for_such_small_items"})
    assert curation.map_ids(ids).tolist() == [
        "packaging_for_such_small_items", "wait_time", "packaging_for_such_small_items",
    ]  # fmt: skip


def test_a_promoted_theme_s_examples_include_the_themes_merged_into_it(tmp_path: Path) -> None:
    """The run folder keeps each comment's theme as discovered; the merges live in the
    curation. A theme promoted after the analyst merged a second half of its topic into it
    takes its examples from both halves, so a stray comment of the smaller half (a low theme
    score) is no longer one of them."""
    stray = ["Alt gikk knirkefritt", "Kvaliteten på kläderna har blivit sämre"]
    first, second = PACKAGING[:4], PACKAGING[4:]
    texts = first + stray + second
    comments = pl.DataFrame(
        {
            "id": [f"c{i}" for i in range(len(texts))],
            "text": texts,
            "lang": ["da"] * len(texts),
            "theme_id": ["n01"] * (len(first) + len(stray)) + ["n02"] * len(second),
            "theme_score": [0.7] * len(first) + [0.42, 0.31] + [0.75] * len(second),
        }
    )
    taxonomy_path = write_default_taxonomy(tmp_path)
    curation = merge(Curation(), {"n01", "n02"}, "n02", "n01")
    row = {"theme_id": "n01", "label": "Plastic packaging"}
    taxonomy = load_taxonomy(taxonomy_path)
    _, block = promotion(row, comments, taxonomy, curation, taxonomy_path, group="product")
    assert not any(text in block for text in stray)
    assert sum(text in block for text in PACKAGING) == min(PROMOTED_EXAMPLES, len(PACKAGING))
    assert any(text in block for text in second)
