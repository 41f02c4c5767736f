"""spacy-lookups-data's lemma tables kept per machine as SQLite files, so lemmatising a few
new comments looks up only their words.

Loading the Swedish table (660,000 entries, gzipped JSON) costs ~0.5 CPU s and the Danish one
~0.4 s in every process; a scheduled rerun lemmatises ~250 new comments, a few thousand
words (0.02 s from SQLite). The file is built from the same table on first use, under
`$CXTEXT_CACHE/lemmas/`, keyed by the spacy-lookups-data version; without a writable cache the
table is loaded as before. Same answers either way (`tests/test_lemma_lookup.py`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Collection
from importlib.metadata import version
from pathlib import Path

from cxtext.files import cache_dir
from cxtext.languages import with_fallback

BATCH = 900  # SQLite's default limit is 999 bound values per statement


def lemma_lookup(
    lang: str, words: Collection[str], table: Callable[[str], dict[str, str]]
) -> dict[str, str]:
    """{word: lemma} for each of `words` that `lang`'s lemma table holds; `table(lang)` loads
    the whole table (to build the file, or where there is no file)."""
    path = _table_file(lang, table)
    if path is None:
        return _in_table(table(lang), words)
    found: dict[str, str] = {}
    words = list(words)
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            for start in range(0, len(words), BATCH):
                batch = words[start : start + BATCH]
                marks = ",".join("?" * len(batch))
                query = f"SELECT word, lemma FROM lemmas WHERE word IN ({marks})"
                found.update(connection.execute(query, batch).fetchall())
        finally:
            connection.close()
    except sqlite3.Error:  # a damaged file: dropped (the next run builds it again)
        path.unlink(missing_ok=True)
        return _in_table(table(lang), words)
    except UnicodeEncodeError:  # a word SQLite cannot hold (a lone surrogate)
        return _in_table(table(lang), words)
    return found


def _in_table(table: dict[str, str], words: Collection[str]) -> dict[str, str]:
    return {word: table[word] for word in words if word in table}


def _table_file(lang: str, table: Callable[[str], dict[str, str]]) -> Path | None:
    """The language's SQLite file, built on first use; None where it cannot be written."""
    source = with_fallback(lang)
    path = cache_dir() / "lemmas" / f"{source}-lookups-{version('spacy-lookups-data')}.sqlite"
    if path.is_file():
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.stem}.{os.getpid()}.tmp")
        temporary.unlink(missing_ok=True)
        connection = sqlite3.connect(temporary)
        try:
            connection.execute(
                "CREATE TABLE lemmas (word TEXT PRIMARY KEY, lemma TEXT) WITHOUT ROWID"
            )
            connection.executemany("INSERT INTO lemmas VALUES (?, ?)", table(lang).items())
            connection.commit()
        finally:
            connection.close()
        os.replace(temporary, path)
    except (OSError, sqlite3.Error, UnicodeEncodeError):
        return None
    return path
