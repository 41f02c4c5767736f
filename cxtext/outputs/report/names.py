"""People's names for the taxonomy ids a run uses (phases, silos, channels, Kano classes), in the
run's label language, with the report's words in that language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cxtext.outputs.report.words import Words, report_words

NAMED_PARTS = ("phases", "silos", "channels", "kano", "kano_descriptions")


@dataclass(frozen=True)
class Names:
    """Display names and the journey's phase order; unknown ids read as 'Like this'. `words`:
    the report's wording in the language of the names."""

    phases: dict[str, str] = field(default_factory=dict)
    silos: dict[str, str] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    kano: dict[str, str] = field(default_factory=dict)
    kano_descriptions: dict[str, str] = field(default_factory=dict)
    words: Words = field(default_factory=lambda: report_words(None))

    def phase(self, key: str | None) -> str:
        return self.phases.get(key or "") or readable(key)

    def silo(self, key: str | None) -> str:
        return self.silos.get(key or "") or readable(key)

    def channel(self, key: str | None) -> str:
        return self.channels.get(key or "") or readable(key)

    def kano_class(self, key: str | None) -> str:
        return self.kano.get(key or "") or readable(key)

    def phase_order(self, present: list[str]) -> list[str]:
        """The run's phases in the taxonomy's journey order; unknown ones as they come."""
        return _in_order(self.phases, present)

    def silo_order(self, present: list[str]) -> list[str]:
        return _in_order(self.silos, present)


def run_names(run: dict[str, Any]) -> Names:
    """The names the run recorded (run.json `taxonomy_names`, in its label language), so a
    report or export drawn again later shows the run's names even where its taxonomy file has
    moved ("Ejer: Finance" in a Danish report, was "Ejer: Økonomi"); for a run from before,
    the taxonomy file's names (English for a run before the label language was recorded, and
    where the taxonomy has no name in it); ids neither knows are made readable."""
    from cxtext.errors import CxtextError
    from cxtext.taxonomy import load_taxonomy

    lang = run.get("label_language_used") or "en"
    words = report_words(lang)
    names = run.get("taxonomy_names")
    if not names:
        try:
            names = load_taxonomy(run.get("taxonomy")).names_in(lang)
        except (CxtextError, OSError):
            return Names(words=words)
    return Names(**{part: dict(names.get(part) or {}) for part in NAMED_PARTS}, words=words)


def _in_order(known: dict[str, str], present: list[str]) -> list[str]:
    seen = list(dict.fromkeys(p for p in present if p))
    return [k for k in known if k in seen] + [p for p in seen if p not in known]


def readable(key: str | None) -> str:
    """'get_help' → 'Get help'."""
    text = (key or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else "—"
