"""Journey cue-word counts kept in the state (`journey-cues-*`): a weekly rerun searches only the
comments its state never counted, with the same counts as searching every comment; a damaged,
cut-short or other-version cache, or a state from before the cache, gives the same outputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import cxtext
from cxtext.config import DEFAULT_TAXONOMY
from cxtext.journey import cue_hits, cue_hits_version, cue_lists
from cxtext.journey.channel import named_channel_ids
from cxtext.journey.evidence import keyword_hits
from cxtext.state import rows_with_cache
from cxtext.state.versions import cache_stem
from cxtext.taxonomy import load_taxonomy
from tests.support import DEMO_CORPUS

DEMO = pl.read_csv(DEMO_CORPUS, infer_schema=False)
TAXONOMY = load_taxonomy(DEFAULT_TAXONOMY)


def test_cue_hits_are_the_three_searches_side_by_side() -> None:
    """One search of every cue list: the phases', the silo rules' and the channels' counts,
    each as its own search finds them."""
    texts = DEMO.get_column("comment").head(200).to_list()
    langs = ["da", "sv", "nb", "en"] * 50
    phases = keyword_hits(texts, langs, [p.keywords for p in TAXONOMY.phases.values()])
    rules = keyword_hits(texts, langs, [r.keywords for r in TAXONOMY.silo_rules])
    channels = [TAXONOMY.channels[c].keywords for c in named_channel_ids(TAXONOMY)]
    expected = np.hstack([phases, rules, keyword_hits(texts, langs, channels)])
    assert expected.sum() > 0  # real cue words found
    assert np.array_equal(cue_hits(texts, langs, TAXONOMY), expected)
    assert len(cue_lists(TAXONOMY)) == expected.shape[1]


def test_cached_rows_equal_counting_every_comment_at_once(tmp_path: Path) -> None:
    texts = DEMO.get_column("comment").head(300).to_list()
    langs = ["da", "sv", "nb"] * 100
    lang_of = dict(zip(texts, langs, strict=True))
    searched: list[int] = []

    def count(new: list[str]) -> np.ndarray:
        searched.append(len(new))
        return cue_hits(new, [lang_of[text] for text in new], TAXONOMY)

    version = cue_hits_version(TAXONOMY)
    rows_with_cache(texts[:200], tmp_path, "journey-cues", version, count, langs[:200], "<f4")
    rows = rows_with_cache(texts, tmp_path, "journey-cues", version, count, langs, "<f4")
    assert searched == [len(set(texts[:200])), len(set(texts[200:]) - set(texts[:200]))]
    assert rows.dtype == np.float32  # counts kept as float32
    assert np.array_equal(rows, cue_hits(texts, langs, TAXONOMY))


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """A state after 40 demo comments, and the outputs of a rerun with 10 more on a copy."""
    base = tmp_path_factory.mktemp("cues")
    cxtext.analyze(DEMO.head(40), out=base / "first", state=base / "state")
    assert len(list((base / "state").glob("journey-cues-*.keys.npz"))) == 1
    intact = Path(shutil.copytree(base / "state", base / "intact"))
    return base / "state", cxtext.analyze(DEMO.head(50), out=base / "second", state=intact)


def rerun(state: Path, tmp_path: Path, damage) -> object:
    folder = Path(shutil.copytree(state, tmp_path / "state"))
    damage(folder)
    result = cxtext.analyze(DEMO.head(50), out=tmp_path / "out", state=folder)
    assert len(list(folder.glob("journey-cues-*.keys.npz"))) == 1  # rebuilt, one version
    return result


def _cut_short(folder: Path) -> None:
    [rows] = folder.glob("journey-cues-*.f32")
    rows.write_bytes(rows.read_bytes()[:100])


OLD_STEM = cache_stem("journey-cues", "rules 0")  # an earlier version's files


def _other_version(folder: Path) -> None:
    for path in folder.glob("journey-cues-*"):
        path.rename(path.with_name(OLD_STEM + path.name[len(path.name.split(".")[0]) :]))


def _removed(folder: Path) -> None:  # a state written before the cache existed
    for path in folder.glob("journey-cues-*"):
        path.unlink()


@pytest.mark.parametrize("damage", [_cut_short, _other_version, _removed])
def test_a_damaged_old_or_missing_cue_cache_gives_the_same_outputs(
    first_run: tuple[Path, object], tmp_path: Path, damage
) -> None:
    state, expected = first_run
    result = rerun(state, tmp_path, damage)
    assert result.comments.equals(expected.comments)
    assert result.themes.equals(expected.themes)
    assert not list((tmp_path / "state").glob(OLD_STEM + "*"))  # the old version's files gone
