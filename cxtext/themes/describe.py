"""Describe themes for people: label, keywords per language, size, languages, example comments."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from cxtext.config import ThemeOptions
from cxtext.io.contract import OUTLIER_THEME, THEME_DTYPES
from cxtext.themes.keywords import Written, theme_keywords
from cxtext.themes.names import name_themes

THEME_SCHEMA = {
    name: THEME_DTYPES[name]
    for name in ("theme_id", "label", "keywords", "size", "share", "languages", "examples")
}


def describe_themes(
    texts: Sequence[str],
    langs: Sequence[str],
    theme_ids: np.ndarray,
    embeddings: np.ndarray,
    options: ThemeOptions,
    names: dict[str, str] | None = None,
    lemmas: Sequence[list[str]] | None = None,
    written: Mapping[tuple[str, str], Written] | None = None,
) -> pl.DataFrame:
    """One row per theme (largest first); `names` gives known themes their library name;
    `lemmas`: each comment's keyword lemmas when already at hand (`comment_lemmas`);
    `written`: the texts `comment_lemmas` split, for names shown as written."""
    names = names or {}
    total = len(texts)
    top_n = options.keywords_per_language
    keywords = theme_keywords(texts, langs, list(theme_ids), top_n, lemmas)
    names = names | name_themes(
        texts, langs, theme_ids, embeddings, options.label_language, names, written=written
    )
    rows = []
    for theme_id in _themes_by_size(theme_ids):
        members = np.flatnonzero(theme_ids == theme_id)
        examples = representative(members, embeddings, langs, options.examples_per_theme)
        rows.append(
            {
                "theme_id": theme_id,
                "label": names[theme_id],
                "keywords": json.dumps(keywords.get(theme_id, {}), ensure_ascii=False),
                "size": len(members),
                "share": round(len(members) / total, 4) if total else 0.0,
                "languages": json.dumps(
                    dict(sorted(Counter(langs[i] for i in members).items())), ensure_ascii=False
                ),
                "examples": [texts[i] for i in examples],
            }
        )
    return pl.DataFrame(rows, schema=THEME_SCHEMA)


def _themes_by_size(theme_ids: np.ndarray) -> list[str]:
    counts = Counter(t for t in theme_ids if t != OUTLIER_THEME)
    return [t for t, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def representative(
    members: np.ndarray, embeddings: np.ndarray, langs: Sequence[str], count: int
) -> list[int]:
    """Comments closest to the theme centroid, preferring a new language for each pick."""
    centroid = embeddings[members].mean(axis=0)
    order = members[np.argsort(-(embeddings[members] @ centroid), kind="stable")]
    picked: list[int] = []
    for index in order[: max(count * 10, 30)]:
        if len(picked) < count and langs[index] not in {langs[i] for i in picked}:
            picked.append(int(index))
    for index in order:
        if len(picked) >= count:
            break
        if int(index) not in picked:
            picked.append(int(index))
    return picked
