"""The one language a run's theme and group names are in (`--label-language`).

The label language asked for (`ThemeOptions.label_language`: da, sv, nb, nn, en, or `auto`)
names the run's themes when at least LABEL_SHARE of its comments are in it; else, as with
`auto`, the run's most common of the five languages does. Library theme names, library group
names and discovered themes' names then all follow that one language, so a Swedish-only file
with the default `en` gets Swedish names throughout, not Swedish discovered names beside
English library ones.

A scheduled run (`--state`) keeps the language the state's names are in while the option
asked for is the same, so a month with another mix of languages renames nothing; another
`--label-language`, or `--refit`, decides again, and where that changes the language the
discovered themes are named again in it (an analyst's rename always wins).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cxtext.io.contract import OUTLIER_THEME
from cxtext.languages import AUTO_LABEL, LANGUAGE_NAMES, LANGUAGES
from cxtext.themes.names import LABEL_SHARE


@dataclass(frozen=True)
class LabelLanguage:
    """The label language asked for, the one the run's names are in, and why (`note`)."""

    asked: str
    used: str
    note: str = ""  # one line when `used` is not what was asked, or changed since the last run
    renamed: bool = False  # the state's names were in another language: name themes again


def choose_label_language(
    asked: str,
    langs: Sequence[str],
    theme_ids: Sequence[str],
    kept: tuple[str | None, str | None] = (None, None),
) -> LabelLanguage:
    """The language every name of the run is in: `asked` when enough of the themed comments
    are in it (as `names.name_themes` counts: LABEL_SHARE of the comments in the five
    languages), else (and for `auto`) the most common language of the run.

    `kept`: the (asked, used) label languages of the state's last run, (None, None) without
    one or on a refit; the used one is kept while `asked` is the same."""
    last_asked, last_used = kept
    if last_used is not None and last_asked == asked:
        note = (
            f"Names in {LANGUAGE_NAMES[last_used]}, as on the last run on this --state "
            f"(--refit decides again)"
            if last_used != asked and asked != AUTO_LABEL
            else ""
        )
        return LabelLanguage(asked, last_used, note)
    used, note = _most_common(langs, asked, theme_ids)
    renamed = last_used is not None and last_used != used
    if renamed:
        change = (
            f"not {LANGUAGE_NAMES[last_used]} as on the last run on this --state: discovered "
            "themes are named again (curated names kept)"
        )
        note = f"{note}; {change}" if note else f"Names in {LANGUAGE_NAMES[used]}, {change}"
    return LabelLanguage(asked, used, note, renamed)


def _most_common(langs: Sequence[str], asked: str, theme_ids: Sequence[str]) -> tuple[str, str]:
    """`asked`, or the run's most common language where `asked` is `auto` or too few of the
    themed comments are in it; with the line that says why names are not in `asked`."""
    langs_array = np.asarray(langs, dtype=object)
    counts = Counter(str(lang) for lang in langs_array if lang in LANGUAGES)
    common = min(counts, key=lambda lang: (-counts[lang], lang)) if counts else "en"
    if asked == AUTO_LABEL:
        return common, ""
    themed = (langs_array == asked) & (np.asarray(theme_ids, dtype=object) != OUTLIER_THEME)
    if int(themed.sum()) >= max(1, LABEL_SHARE * sum(counts.values())) or asked == common:
        return asked, ""
    return common, (
        f"Names in {LANGUAGE_NAMES[common]}, the run's most common language among comments "
        f"with content: under {LABEL_SHARE:.0%} of them are in {LANGUAGE_NAMES[asked]} "
        f"(--label-language {asked})"
    )
