"""Helpers and constants the tests share: the demo subset, the CLI runner."""

from __future__ import annotations

import csv
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_CORPUS = REPO_ROOT / "corpora" / "demo_feedback.csv"
CXTEXT = Path(sys.executable).with_name("cxtext")

SUBSET_ROWS = 126  # ends with a comment that spans four lines
HOSTILE_COMMENT = '=HYPERLINK("http://evil.example/steal","Klik her for at få rabat")'
# Data rows appended after the demo rows: the first is content, the other two are rejects.
EXTRA_ROWS = [
    ["x-formula", "2026-03-01", "3", "private", "web", HOSTILE_COMMENT],
    ["x-blank", "2026-03-01", "5", "private", "web", "   "],
]
SHORT_ROW = "x-short,2026-03-01,5\n"
SUBSET_ROWS_READ = SUBSET_ROWS + 3


@dataclass(frozen=True)
class DemoRun:
    """One `analyze` of the demo subset and the folder its contract files were written to."""

    result: object  # cxtext.result.Result
    out: Path
    source: Path


DEMO_OPTIONS = {  # the demo corpus's metadata columns, as a user would name them
    "id_col": "id",
    "date_col": "date",
    "score_col": "score",
    "segment_col": "segment",
    "seed": 42,
}


def analyze_demo(source: Path, out: Path, **options: object):
    """`cxtext.analyze` on a demo-shaped file with its metadata columns named (`options` may
    override them, the seed included)."""
    import cxtext

    return cxtext.analyze(source, out=out, **{**DEMO_OPTIONS, **options})


def write_demo_subset(path: Path) -> Path:
    """The first SUBSET_ROWS demo rows (parsed, so quoted newlines stay whole) plus problem rows."""
    with DEMO_CORPUS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows(rows[: SUBSET_ROWS + 1])
        writer.writerows(EXTRA_ROWS)
        handle.write(SHORT_ROW)
    return path


def demo_rows(count: int = SUBSET_ROWS) -> list[dict[str, str]]:
    """The first `count` demo rows as dicts, straight from the csv module (the reference)."""
    with DEMO_CORPUS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))[:count]


def run_cli(*args: str, timeout: float = 180, env: dict | None = None):
    """Run the installed `cxtext` command; returns the CompletedProcess (text mode)."""
    return subprocess.run(
        [str(CXTEXT), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=REPO_ROOT,
    )
