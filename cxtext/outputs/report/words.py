"""The report's words in one language: `models/report/words.toml`, English where a key is missing.

The report is written in the run's label language (run.json `label_language_used`), so the
words around the theme names are in the language the names are in; numbers, percentages and
dates follow that language too (12,5 % and 5. januar 2026 in Danish, 12.5% and 5 January 2026
in English).
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cxtext.config import REPORT_WORDS
from cxtext.errors import InputError
from cxtext.priority.follow_up import REASONS
from cxtext.priority.initiatives import STATUSES

ENGLISH = "en"
THIN_SPACE = "\u202f"  # between thousands: 12 345 in every language, never read as a decimal
# follow_up.csv's reasons and the roadmap check's statuses as the report words them
REASON_KEYS = dict(
    zip(REASONS, ("reason_contact", "reason_leave", "reason_very_negative"), strict=True)
)
STATUS_KEYS = dict(
    zip(STATUSES, ("status_unaddressed", "status_supported", "status_no_evidence"), strict=True)
)


@dataclass(frozen=True)
class Words:
    """The wording of one language; `words["key"]` (in the template `w.key`) falls back to
    English, and a key English lacks too is a KeyError, so a typo fails the render."""

    lang: str
    table: dict[str, Any]
    english: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        value = self.table.get(key)
        return self.english[key] if value is None else value

    def text(self, key: str, **fields: object) -> str:
        """The words under `key` with their `{field}`s filled in."""
        return str(self[key]).format(**fields)

    def count(self, count: int, noun: str) -> str:
        """'1 comment', '1.234 kommentarer': the number and the noun's singular or plural."""
        return f"{self.number(count)} {self.noun(count, noun)}"

    def noun(self, count: int | None, noun: str) -> str:
        singular, plural = self[noun]
        return singular if count == 1 else plural

    def number(self, value: float | None, digits: int = 0) -> str:
        """12 345 or 0.25 in English, 12 345 or 0,25 in the Nordic languages; '–' for none."""
        if value is None:
            return "–"
        text = f"{value:,.{digits}f}".replace(",", THIN_SPACE).replace("-", "−")
        return text.replace(".", self["decimal"])

    def pct(self, share: float | None, digits: int = 0) -> str:
        """A share (0-1) as a percentage: 12.5% in English, 12,5 % (no break) in Danish."""
        if share is None:
            return "–"
        return self.text("percent", value=self.number(100 * share, digits)).replace(" ", "\u00a0")

    def signed(self, value: float | None, digits: int = 1) -> str:
        """+1.5 / −1.5; a value that rounds to zero is 0.0 (not −0.0 or +0.0)."""
        if value is None:
            return "–"
        if round(value, digits) == 0:
            return self.number(0, digits)
        return ("+" if value > 0 else "") + self.number(value, digits)

    def date(self, iso: str | None) -> str:
        """'2026-01-05' as '5 January 2026', '5. januar 2026', ...; other text as it is."""
        try:
            day = datetime.date.fromisoformat(str(iso))
        except ValueError:
            return str(iso or "")
        month = self["months"][day.month - 1]
        return self.text("long_date", day=day.day, month=month, year=day.year)

    def language(self, code: str | None) -> str:
        """A language code's name ('da' → 'Danish', 'Dansk', 'Danska')."""
        key = f"lang_{code}"
        return self[key] if key in self.english else code or self["lang_unknown"]

    def reason(self, reason: str | None) -> str:
        """A follow-up reason of follow_up.csv in words."""
        return self[REASON_KEYS[reason]] if reason in REASON_KEYS else reason or ""

    def status(self, status: str | None) -> str:
        """A roadmap status of initiatives.csv in words."""
        return self[STATUS_KEYS[status]] if status in STATUS_KEYS else status or ""

    def plot_locale(self) -> dict[str, Any]:
        """What plotly needs to write dates and numbers in this language, registered under a
        name of its own (a locale named `en` would replace plotly's full English one, which
        fills in every date word this one lacks)."""
        return {
            "name": f"cx-{self.lang}",
            "months": self["months"],
            "shortMonths": self["short_months"],
            "decimal": self["decimal"],
            "thousands": THIN_SPACE,
        }


def report_words(lang: str | None, path: Path = REPORT_WORDS) -> Words:
    """The words of `lang` (English for None or a language the file has no table for)."""
    tables = load_words(path)
    return Words(lang or ENGLISH, tables.get(lang or ENGLISH, {}), tables[ENGLISH])


@cache
def load_words(path: Path = REPORT_WORDS) -> dict[str, dict[str, Any]]:
    """Every language's table of `path`; the English one must be there (it is the fallback)."""
    try:
        tables = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"report words {path} cannot be read: {error}") from error
    if not isinstance(tables.get(ENGLISH), dict):
        raise InputError(f"report words {path} has no [{ENGLISH}] table (the fallback)")
    return tables
