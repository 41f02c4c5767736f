"""Versions of a state folder's caches: each cache's files are named `<name>-<version hash>`, and a
cache that keeps one version removes the files that other versions of it left behind."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

VERSION_HASH = "[0-9a-f]{12}"


def cache_stem(name: str, version: str) -> str:
    """`<name>-<12 hex digits>`: the stem of the files of this version of the cache `name`."""
    return f"{name}-{hashlib.sha256(version.encode()).hexdigest()[:12]}"


def remove_other_versions(folder: Path, stem: str, suffixes: Sequence[str]) -> list[Path]:
    """Delete the files (or folders) of the cache `stem` names in every version but `stem`'s own:
    exactly `<name>-<12 hex digits><suffix>`, so `language` never touches `language-scores-…`.
    A new model file or new code orphans the old version's files; nothing else ever reads them."""
    name = stem.rsplit("-", 1)[0]
    endings = "|".join(re.escape(suffix) for suffix in suffixes)
    pattern = re.compile(rf"(?P<stem>{re.escape(name)}-{VERSION_HASH})(?:{endings})")
    stale = [
        path
        for path in sorted(folder.iterdir())
        if (match := pattern.fullmatch(path.name)) and match["stem"] != stem
    ]
    for path in stale:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    return stale
