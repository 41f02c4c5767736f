"""The company's editable CX model as typed values: journey phases, silos, silo rules, channels,
Kano classes, the theme library and its groups, the off-journey sentences (`cxtext.taxonomy.load`
reads them from the file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Phase:
    id: str
    order: int
    default_silo: str
    name: dict[str, str]
    description: dict[str, str]
    keywords: dict[str, list[str]]


@dataclass(frozen=True)
class Silo:
    id: str
    name: dict[str, str]
    description: dict[str, str]
    keywords: dict[str, list[str]]


@dataclass(frozen=True)
class SiloRule:
    """In `phase`, a comment that mentions one of `keywords` belongs to `silo`."""

    phase: str
    silo: str
    reason: str
    keywords: dict[str, list[str]]


@dataclass(frozen=True)
class Channel:
    id: str
    name: dict[str, str]
    keywords: dict[str, list[str]]


@dataclass(frozen=True)
class KanoClass:
    id: str
    weight: float
    name: dict[str, str]
    description: dict[str, str]


@dataclass(frozen=True)
class LibraryTheme:
    """A known CX theme with example phrasings in several languages."""

    id: str
    phase: str
    silo: str
    kano: str
    polarity: str  # problem | praise | wish
    name: dict[str, str]
    description: dict[str, str]
    examples: dict[str, list[str]]
    group: str = ""  # id of its ThemeGroup; "" in taxonomies written before groups existed
    promoted: bool = False  # added by `cxtext themes promote`: named in its run's language


@dataclass(frozen=True)
class ThemeGroup:
    """The parent level of the theme library: a named group of related themes."""

    id: str
    name: dict[str, str]


@dataclass(frozen=True)
class OffJourney:
    """Generic sentences per language of a customer writing about a company (`customer`) and of
    social-media talk (`chatter`): a theme whose comments sit nearer the chatter is not about the
    customer journey (`cxtext.themes.off_journey`)."""

    customer: dict[str, list[str]]
    chatter: dict[str, list[str]]


@dataclass(frozen=True)
class Taxonomy:
    path: Path
    digest: str
    phases: dict[str, Phase]
    silos: dict[str, Silo]
    silo_rules: list[SiloRule]
    channels: dict[str, Channel]
    kano: dict[str, KanoClass]
    themes: dict[str, LibraryTheme] = field(default_factory=dict)
    groups: dict[str, ThemeGroup] = field(default_factory=dict)
    off_journey: OffJourney | None = None  # None: a taxonomy without `[off_journey]` flags none
    warnings: tuple[str, ...] = ()  # one line: the texts that lack a language (run.json)

    def label(self, names: dict[str, str], lang: str = "en") -> str:
        """A name in `lang`, else English, else any."""
        return names.get(lang) or names.get("en") or next(iter(names.values()), "")

    def names_in(self, lang: str) -> dict[str, dict[str, str]]:
        """People's names for the phase (in journey order), silo, channel and Kano ids in
        `lang`, and the Kano classes' descriptions: what a run's outputs show beside its ids."""
        phases = sorted(self.phases.values(), key=lambda p: p.order)
        kano = self.kano.values()
        return {
            "phases": {p.id: self.label(p.name, lang) for p in phases},
            "silos": {s.id: self.label(s.name, lang) for s in self.silos.values()},
            "channels": {c.id: self.label(c.name, lang) for c in self.channels.values()},
            "kano": {k.id: self.label(k.name, lang) for k in kano},
            "kano_descriptions": {k.id: self.label(k.description, lang) for k in kano},
        }
