"""BERTopic and spaCy are imported without transformers and PyTorch, which cxtext never calls."""

from __future__ import annotations

import subprocess
import sys

from tests.support import REPO_ROOT

CODE = """
import sys
from cxtext.imports import bertopic, spacy
model = bertopic().BERTopic(min_topic_size=5)
tokens = [t.text for t in spacy().blank("da").tokenizer("Fakturaen er uforståelig!")]
loaded = sorted(m for m in ("torch", "transformers") if m in sys.modules)
import torch  # still importable afterwards, for the sentence-transformers backend
print(loaded, type(model).__name__, tokens, torch.__name__)
"""


def test_bertopic_and_spacy_load_without_torch_which_still_imports_afterwards() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, cwd=REPO_ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[0] == (
        "[] BERTopic ['Fakturaen', 'er', 'uforståelig', '!'] torch"
    )
