"""The state's lemma cache: keyword lemmas by language and comment, in append-only parquet parts.

  lemmas-<version>.parquet/part-<n>.parquet   key (`language_key`), lemmas (list of words),
                                              spans (`keywords.Written`'s token index, first
                                              and end character per lemma; null if not split)

The spans let a rerun name a new theme without splitting every seen comment again: names are
built against all comments' phrases, shown as written (5,250 reviews: ~0.9 CPU s of a 9 s rerun).

A run reads only the rows of its own comments (a filtered scan over the parts) and writes its new
lemmas as one new part, replaced atomically, so a state that has seen a million comments is
neither read nor rewritten whole each week. Past MAX_PARTS parts, all parts are merged into one
new part before the old ones are deleted: a run killed in between leaves rows twice (the same
lemmas), which the next merge drops.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import polars as pl

from cxtext.files import replace_atomically
from cxtext.state.versions import cache_stem, remove_other_versions

MAX_PARTS = 16
# Keys are `language_key`s; caches of other key formats (the single-file `lemmas-<version>.parquet`
# keyed "<lang>:<comment_key>") are another version: dropped, their lemmas computed again.
KEY_FORMAT = "parts keyed by language_key, with spans"
PART = re.compile(r"part-(\d+)\.parquet")  # a killed run's temporary files start with "."
SCHEMA = {"key": pl.String, "lemmas": pl.List(pl.String), "spans": pl.List(pl.Int32)}
Entry = tuple[list[str], list[int] | None]  # a comment's lemmas and their spans, if known
Written = tuple[list[str], array]  # `cxtext.themes.keywords.Written`: lemmas, spans


class LemmaStore:
    """Cached lemmas by key for one `version` of the lemmatiser in one state folder."""

    def __init__(self, folder: Path, version: str) -> None:
        self._state = folder
        self._stem = cache_stem("lemmas", f"{version}; {KEY_FORMAT}")
        self.folder = folder / f"{self._stem}.parquet"

    def parts(self) -> list[Path]:
        """The part files, oldest first."""
        if not self.folder.is_dir():
            return []
        numbered = [(_part_number(path), path) for path in self.folder.iterdir()]
        return [path for number, path in sorted(numbered) if number >= 0]

    def lemmas_of(self, keys: Iterable[str]) -> dict[str, Entry]:
        """The cached lemmas (and spans) of those of `keys` this cache has."""
        parts = self.parts()
        if not parts:
            return {}
        wanted = pl.col("key").is_in(list(set(keys)))
        try:
            found = pl.scan_parquet(parts).filter(wanted).collect()
        except pl.exceptions.PolarsError:  # a damaged part: removed, its lemmas computed again
            parts = [part for part in parts if _readable(part)]
            found = pl.scan_parquet(parts).filter(wanted).collect() if parts else None
        if found is None:
            return {}
        entries = zip(found["lemmas"].to_list(), found["spans"].to_list(), strict=True)
        return dict(zip(found["key"].to_list(), entries, strict=True))

    def append(self, entries: Mapping[str, Entry]) -> None:
        """Write `entries` as a new part; merge the parts past MAX_PARTS; drop other versions."""
        if not entries:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        lemmas, spans = zip(*entries.values(), strict=True)
        frame = pl.DataFrame(
            {"key": list(entries), "lemmas": list(lemmas), "spans": list(spans)}, SCHEMA
        )
        self._write_part(frame.sort("key").write_parquet)
        parts = self.parts()
        if len(parts) > MAX_PARTS:
            merged = pl.scan_parquet(parts).unique("key", keep="any").sort("key")
            self._write_part(merged.sink_parquet)
            for part in parts:
                part.unlink()
        remove_other_versions(self._state, self._stem, [".parquet"])

    def _write_part(self, write: Callable[[Path], object]) -> None:
        """`write(path)` a part numbered after every existing one, atomically."""
        parts = self.parts()
        number = _part_number(parts[-1]) + 1 if parts else 1
        replace_atomically(self.folder / f"part-{number}.parquet", write)


def _readable(part: Path) -> bool:
    """Can the part be read? A part that cannot is deleted (the cache's own file)."""
    try:
        pl.read_parquet(part, schema=SCHEMA)
    except pl.exceptions.PolarsError:
        part.unlink(missing_ok=True)
        return False
    return True


def _part_number(path: Path) -> int:
    """n of a `part-<n>.parquet` file, -1 for any other file."""
    match = PART.fullmatch(path.name)
    return int(match[1]) if match else -1
