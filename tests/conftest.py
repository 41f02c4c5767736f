"""Shared fixtures: a small real slice of the demo corpus and one analysed run of it.

The pipeline is slow to start (BERTopic, UMAP's JIT), so the end-to-end tests share one run.
"""

from __future__ import annotations

import os
from pathlib import Path

# Set before anything imports huggingface_hub: tests never touch the network.
os.environ["HF_HUB_OFFLINE"] = "1"

import pytest  # noqa: E402

from tests.support import DemoRun, analyze_demo, write_demo_subset  # noqa: E402


@pytest.fixture(scope="session")
def demo_subset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """CSV with 120 real demo comments, a formula comment, a blank comment and a short row."""
    return write_demo_subset(tmp_path_factory.mktemp("input") / "demo_subset.csv")


@pytest.fixture(scope="session")
def demo_run(demo_subset: Path, tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The demo subset analysed once, with the metadata columns named, outputs written."""
    out = tmp_path_factory.mktemp("run") / "out"
    result = analyze_demo(demo_subset, out)
    return DemoRun(result=result, out=out, source=demo_subset)
