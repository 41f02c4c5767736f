"""Read the taxonomy file into a checked `Taxonomy`; write the shipped one for a company to edit."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from cxtext.config import DEFAULT_TAXONOMY
from cxtext.taxonomy.checks import (
    EntryErrors,
    TaxonomyError,
    check_references,
    explain_parse_error,
    language_gaps,
    line_of,
)
from cxtext.taxonomy.model import (
    Channel,
    KanoClass,
    LibraryTheme,
    OffJourney,
    Phase,
    Silo,
    SiloRule,
    Taxonomy,
    ThemeGroup,
)


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
        raise TaxonomyError(f"{path}: {explain_parse_error(error, text)}") from None
    check_references(taxonomy, text)
    gaps = language_gaps(taxonomy)
    return replace(taxonomy, warnings=(gaps,)) if gaps else taxonomy


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
    entry = EntryErrors(path, text)
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
                _flag(t, "promoted"),
            )
            if theme.id in themes:
                first = line_of(text, f'id = "{theme.id}"')
                raise ValueError(f"id is already used by the theme at line {first}")
        themes[theme.id] = theme
    groups = {}
    for gid, g in data.get("groups", {}).items():
        with entry(f"[groups.{gid}", f"group '{gid}'"):
            groups[gid] = ThemeGroup(gid, _texts(g, "name"))
    off_journey = None
    if "off_journey" in data:
        section = data["off_journey"]
        with entry("[off_journey", "off_journey"):
            off_journey = OffJourney(
                _sentences(section, "customer"), _sentences(section, "chatter")
            )
    phases = dict(sorted(phases.items(), key=lambda item: item[1].order))
    return Taxonomy(path, digest, phases, silos, rules, channels, kano, themes, groups, off_journey)


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


def _flag(table: dict, key: str) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):  # "false" would be read as true
        raise TypeError(f"{key} must be true or false")
    return value


def _sentences(section: dict, side: str) -> dict[str, list[str]]:
    table = section[side] if isinstance(section, dict) else None
    if not isinstance(table, dict) or not all(isinstance(s, list) for s in table.values()):
        raise TypeError('customer and chatter must be lists per language: da = ["...", "..."]')
    if not any(table.values()):  # nothing to compare a comment with
        raise ValueError(f"{side} has no sentences: leave the section out to mark no theme")
    return _words(table)


def _words(table: dict) -> dict[str, list[str]]:
    if not isinstance(table, dict) or not all(isinstance(w, list) for w in table.values()):
        # a string would be read letter by letter, a number not at all
        raise TypeError('keywords and examples must be lists per language: da = ["...", "..."]')
    return {str(lang): [str(w) for w in words] for lang, words in table.items()}
