"""The company's editable CX model: journey phases, silos, channels, Kano classes, theme library.

One TOML file (`models/taxonomy.toml`); `cxtext init` copies it for a company to edit. Loading
checks every cross-reference and names the offending line when something is wrong.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from cxtext.config import DEFAULT_TAXONOMY
from cxtext.errors import InputError
from cxtext.languages import LANGUAGES


class TaxonomyError(InputError):
    """The taxonomy file cannot be used; the message names the file and line."""


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


@dataclass(frozen=True)
class ThemeGroup:
    """The parent level of the theme library: a named group of related themes."""

    id: str
    name: dict[str, str]


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


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Parse and check a taxonomy file; errors name the line to fix."""
    path = Path(path) if path else DEFAULT_TAXONOMY
    if path.is_dir():
        raise TaxonomyError(f"taxonomy {path} is a folder, not a file: name its taxonomy.toml")
    if not path.is_file():
        raise TaxonomyError(f"taxonomy file not found: {path}")
    return _parse(path, path.read_bytes())


@lru_cache(maxsize=4)
def _parse(path: Path, raw: bytes) -> Taxonomy:
    """The taxonomy in `raw`, parsed once per process and file content (a run reads it four
    times: its stages, the report and both journey exports; ~0.1 s each)."""
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise TaxonomyError(f"{path}: taxonomy must be saved as UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise TaxonomyError(f"{path}: invalid TOML: {error}") from None
    text = raw.decode("utf-8-sig")
    try:
        taxonomy = _build(data, path, hashlib.sha256(raw).hexdigest()[:16], text)
    except (KeyError, TypeError, ValueError) as error:
        raise TaxonomyError(f"{path}: {_explain(error, text)}") from None
    _check_references(taxonomy, text)
    gaps = language_gaps(taxonomy)
    return replace(taxonomy, warnings=(gaps,)) if gaps else taxonomy


def language_gaps(taxonomy: Taxonomy, shown: int = 5) -> str | None:
    """One warning naming the parts whose texts lack one of the five languages (the file's
    header asks for all five), None when none does: a missing name shows in English under
    another --label-language, and nothing said why."""
    gaps = []
    for kind, part, texts in _text_blocks(taxonomy):
        missing = {
            block: [lang for lang in LANGUAGES if lang not in text]
            for block, text in texts.items()
            if text
        }
        lacking = [lang for lang in LANGUAGES if any(lang in langs for langs in missing.values())]
        if lacking:
            blocks = ", ".join(block for block, langs in missing.items() if langs)
            gaps.append(f"{kind} '{part}' ({', '.join(lacking)} in {blocks})")
    if not gaps:
        return None
    more = f" and {len(gaps) - shown} more" if len(gaps) > shown else ""
    return (
        f"taxonomy {taxonomy.path}: texts without all five languages ({', '.join(LANGUAGES)}): "
        f"{', '.join(gaps[:shown])}{more}; a name shows in English (else a language it has) "
        "under a --label-language it lacks"
    )


def _text_blocks(taxonomy: Taxonomy) -> Iterator[tuple[str, str, dict[str, dict]]]:
    """Each part of the taxonomy as (kind, id, its text blocks by name: language -> text)."""
    for p in taxonomy.phases.values():
        yield "phase", p.id, {"name": p.name, "description": p.description, "keywords": p.keywords}
    for s in taxonomy.silos.values():
        yield "silo", s.id, {"name": s.name, "description": s.description, "keywords": s.keywords}
    for number, rule in enumerate(taxonomy.silo_rules, start=1):
        yield "silo rule", str(number), {"keywords": rule.keywords}
    for c in taxonomy.channels.values():
        yield "channel", c.id, {"name": c.name, "keywords": c.keywords}
    for k in taxonomy.kano.values():
        yield "Kano class", k.id, {"name": k.name, "description": k.description}
    for g in taxonomy.groups.values():
        yield "group", g.id, {"name": g.name}
    # a theme's examples are not shown and recognition reads them in any language: a promoted
    # theme's are the languages its comments were written in
    for t in taxonomy.themes.values():
        yield "theme", t.id, {"name": t.name, "description": t.description}


def write_default_taxonomy(folder: str | Path, force: bool = False) -> Path:
    """Copy the shipped taxonomy into `folder` for a company to edit."""
    target = Path(folder) / "taxonomy.toml"
    if Path(folder).is_file():
        raise TaxonomyError(f"{folder} is a file, not a folder: name the folder to write to")
    if target.exists() and not force:
        raise TaxonomyError(f"{target} exists; pass --force to overwrite it")
    Path(folder).mkdir(parents=True, exist_ok=True)
    target.write_bytes(DEFAULT_TAXONOMY.read_bytes())
    return target


def _build(data: dict, path: Path, digest: str, text: str) -> Taxonomy:
    entry = _EntryErrors(path, text)
    phases = {}
    for i, (pid, p) in enumerate(_section(data, "phases").items(), start=1):
        with entry(f"[phases.{pid}", f"phase '{pid}'"):
            phases[pid] = Phase(
                pid,
                int(p.get("order", i)),
                p["default_silo"],
                _texts(p, "name"),
                _texts(p, "description"),
                _words(p.get("keywords", {})),
            )
    silos = {}
    for sid, s in _section(data, "silos").items():
        with entry(f"[silos.{sid}", f"silo '{sid}'"):
            silos[sid] = Silo(
                sid,
                _texts(s, "name"),
                _texts(s, "description", required=False),
                _words(s.get("keywords", {})),
            )
    rules = []
    for number, r in enumerate(data.get("silo_rules", []), start=1):
        with entry(("[[silo_rules]]", number), f"silo rule {number}"):
            keywords = _words(r.get("keywords", {}))
            rules.append(SiloRule(r["phase"], r["silo"], r.get("reason", ""), keywords))
    channels = {}
    for cid, c in _section(data, "channels").items():
        with entry(f"[channels.{cid}", f"channel '{cid}'"):
            channels[cid] = Channel(cid, _texts(c, "name"), _words(c.get("keywords", {})))
    kano = {}
    for kid, k in _section(data, "kano").items():
        with entry(f"[kano.{kid}", f"Kano class '{kid}'"):
            kano[kid] = KanoClass(
                kid,
                float(k.get("weight", 0.0)),
                _texts(k, "name"),
                _texts(k, "description", required=False),
            )
    themes: dict[str, LibraryTheme] = {}
    for number, t in enumerate(data.get("themes", []), start=1):
        anchor = ("[[themes]]", number)  # the number-th theme block, whatever its keys
        with entry(anchor, f"theme '{t.get('id', number)}'"):
            theme = LibraryTheme(
                t["id"],
                t["phase"],
                t["silo"],
                t["kano"],
                t.get("polarity", "problem"),
                _texts(t, "name"),
                _texts(t, "description", required=False),
                _words(t.get("examples", {})),
                str(t.get("group", "")),
            )
            if theme.id in themes:
                first = _line_of(text, f'id = "{theme.id}"')
                raise ValueError(f"id is already used by the theme at line {first}")
        themes[theme.id] = theme
    groups = {}
    for gid, g in data.get("groups", {}).items():
        with entry(f"[groups.{gid}", f"group '{gid}'"):
            groups[gid] = ThemeGroup(gid, _texts(g, "name"))
    phases = dict(sorted(phases.items(), key=lambda item: item[1].order))
    return Taxonomy(path, digest, phases, silos, rules, channels, kano, themes, groups)


def _section(data: dict, name: str) -> dict:
    section = data.get(name)
    if not isinstance(section, dict) or not section:  # no line to name: it is not there
        raise ValueError(f"no [{name}.<id>] sections: the taxonomy needs at least one")
    return section


def _texts(table: dict, key: str, required: bool = True) -> dict[str, str]:
    texts = table.get(key, {})
    if isinstance(texts, str):
        texts = {"en": texts}
    if not isinstance(texts, dict):  # a list or a number was an internal error (exit 70)
        raise TypeError(f'{key} must be a table of language = "text": da = "...", en = "..."')
    if required and not texts:
        raise KeyError(key)
    return {str(lang): str(value) for lang, value in texts.items()}


def _words(table: dict) -> dict[str, list[str]]:
    if not isinstance(table, dict) or not all(isinstance(w, list) for w in table.values()):
        # a string would be read letter by letter, a number not at all
        raise TypeError('keywords and examples must be lists per language: da = ["...", "..."]')
    return {str(lang): [str(w) for w in words] for lang, words in table.items()}


class _EntryErrors:
    """Turns a part's parse error into one line naming the file, the part's line and the part:
    'line 4467: theme 'technician_no_show' has no 'kano'', not a key of the file's header."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text

    @contextmanager
    def __call__(self, anchor: str | tuple[str, int], what: str) -> Iterator[None]:
        try:
            yield
        except KeyError as error:
            raise TaxonomyError(f"{self._where(anchor)}{what} has no '{error.args[0]}'") from None
        except (TypeError, ValueError) as error:
            raise TaxonomyError(f"{self._where(anchor)}{what}: {error}") from None

    def _where(self, anchor: str | tuple[str, int]) -> str:
        needle, nth = anchor if isinstance(anchor, tuple) else (anchor, 1)
        line = _line_of(self.text, needle, nth)
        return f"{self.path}: " + (f"line {line}: " if line else "")


def _check_references(taxonomy: Taxonomy, text: str) -> None:
    """Every silo, phase and Kano class a part points to must be defined."""
    problems = []
    for phase in taxonomy.phases.values():
        if phase.default_silo not in taxonomy.silos:
            problems.append(
                (f"[phases.{phase.id}]", f"phase '{phase.id}' default_silo '{phase.default_silo}'")
            )
    for number, rule in enumerate(taxonomy.silo_rules, start=1):
        # the rule's own block: 'silo = "x"' also ends a phase's 'default_silo = "x"' line
        for kind, value, known in (
            ("phase", rule.phase, taxonomy.phases),
            ("silo", rule.silo, taxonomy.silos),
        ):
            if value not in known:
                problems.append(
                    (("[[silo_rules]]", number), f"silo rule {number} {kind} '{value}'")
                )
    for theme in taxonomy.themes.values():
        for kind, value, known in (
            ("phase", theme.phase, taxonomy.phases),
            ("silo", theme.silo, taxonomy.silos),
            ("kano", theme.kano, taxonomy.kano),
            *([("group", theme.group, taxonomy.groups)] if theme.group else []),
        ):
            if value not in known:
                problems.append((f'id = "{theme.id}"', f"theme '{theme.id}' {kind} '{value}'"))
    if problems:
        anchor, what = problems[0]
        line = _line_of(text, *anchor) if isinstance(anchor, tuple) else _line_of(text, anchor)
        where = f"line {line}: " if line else ""
        raise TaxonomyError(f"{taxonomy.path}: {where}{what} is not defined in the taxonomy")


def _line_of(text: str, needle: str, nth: int = 1) -> int | None:
    """The line of the nth line that holds `needle`, comment lines skipped (the file's header
    mentions `[phases.discover]`, `kano` and `default_silo`)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line and not line.lstrip().startswith("#"):
            nth -= 1
            if nth == 0:
                return number
    return None


def _explain(error: Exception, text: str) -> str:
    if isinstance(error, KeyError):
        key = str(error.args[0])
        line = _line_of(text, key)
        return f"missing '{key}'" + (f" (near line {line})" if line else "")
    message = str(error)
    match = re.search(r"'([^']+)'", message)
    line = _line_of(text, match.group(1)) if match else None
    return message + (f" (line {line})" if line else "")
