"""PII is redacted before embedding and in every output; --keep-pii adds the original text to
the local comments file only."""

from __future__ import annotations

import polars as pl
import pytest

import cxtext

EMAIL = "jens.hansen@example.dk"
PHONE = "+45 20 30 40 50"
COMMENTS = [
    f"Ring mig på {PHONE}, I har trukket to gange på min faktura",
    f"Send svar til {EMAIL}, jeg har ventet i tre uger på min refusion",
    "Fakturaen er umulig at læse, hvad betaler jeg for?",
    "Ventetiden i telefonen er alt for lang",
    "Ingen kommentar",
] * 4


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[cxtext.result.Result, object]:
    out = tmp_path_factory.mktemp("pii") / "out"
    frame = pl.DataFrame({"id": [str(i) for i in range(len(COMMENTS))], "comment": COMMENTS})
    return cxtext.analyze(frame, out=out, id_col="id", keep_pii=True), out


def test_comment_text_is_redacted_with_typed_placeholders(run) -> None:
    result, _ = run
    texts = " ".join(result.comments.get_column("text"))
    assert EMAIL not in texts and "20 30 40 50" not in texts
    assert "[EMAIL]" in texts and "[PHONE]" in texts
    assert result.run["pii_redacted"] == {"email": 4, "phone": 4}


def test_no_output_but_the_comments_file_holds_pii(run) -> None:
    _, out = run
    for path in out.iterdir():
        if path.name.startswith("comments."):
            continue
        data = path.read_bytes()
        assert EMAIL.encode() not in data and b"20 30 40 50" not in data, path.name


def test_keep_pii_keeps_the_original_in_the_comments_file(run) -> None:
    _, out = run
    comments = pl.read_parquet(out / "comments.parquet")
    assert comments.columns[:3] == ["id", "text", "text_original"]
    assert EMAIL in " ".join(comments.get_column("text_original"))
