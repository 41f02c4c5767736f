"""Importing heavy libraries without the optional dependencies cxtext never calls.

BERTopic imports transformers and PyTorch at import time for text-generation and image
representations; spaCy's thinc imports PyTorch for neural layers a tokenizer never uses. Both
fall back cleanly when those modules are missing, and cxtext uses neither feature, so while
they are imported the two are made to look missing: ~4.5 s off every theme fit, ~1.5 s off
every keyword run. Where PyTorch is loaded already (the sentence-transformers backend),
nothing is hidden.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

OPTIONAL = ("torch", "transformers")


@contextmanager
def without(*names: str) -> Iterator[None]:
    """Inside the block `import name` raises ModuleNotFoundError for each of `names` not
    already imported; afterwards they import normally again."""
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # importing it now fails fast
    try:
        yield
    finally:
        for name in hidden:
            del sys.modules[name]


def bertopic() -> ModuleType:
    """The bertopic package, imported without transformers and PyTorch (see module doc)."""
    if "bertopic" in sys.modules or "torch" in sys.modules:
        import bertopic as module

        return module
    # scipy and scikit-learn look `torch` up in sys.modules while they import: import them first
    import hdbscan  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401
    import umap  # noqa: F401

    with without(*OPTIONAL):
        import bertopic as module
    return module


def spacy() -> ModuleType:
    """spaCy, imported without PyTorch (see module doc)."""
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy as module

        return module
    with without("torch"):
        import spacy as module
    return module
