"""The checks that make a broken taxonomy edit one line naming the file, the line and the part
(`line 4467: theme 'technician_no_show' has no 'kano'`), and the warning naming the parts whose
texts lack one of the five languages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cxtext.errors import InputError
from cxtext.languages import LANGUAGES
from cxtext.taxonomy.model import Taxonomy


class TaxonomyError(InputError):
    """The taxonomy file cannot be used; the message names the file and line."""


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
    if taxonomy.off_journey is not None:  # a comment is scored on its own language's sentences
        sides = taxonomy.off_journey
        yield "section", "off_journey", {"customer": sides.customer, "chatter": sides.chatter}
    # a theme's examples are not shown and recognition reads them in any language: a promoted
    # theme's are the languages its comments were written in, and its name is in its run's
    # label language, which every other language shows (`cxtext themes promote` said which
    # languages to add, once, rather than every later run)
    for t in taxonomy.themes.values():
        name = {} if t.promoted else {"name": t.name}
        yield "theme", t.id, {**name, "description": t.description}


class EntryErrors:
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
        line = line_of(self.text, needle, nth)
        return f"{self.path}: " + (f"line {line}: " if line else "")


def check_references(taxonomy: Taxonomy, text: str) -> None:
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
        line = line_of(text, *anchor) if isinstance(anchor, tuple) else line_of(text, anchor)
        where = f"line {line}: " if line else ""
        raise TaxonomyError(f"{taxonomy.path}: {where}{what} is not defined in the taxonomy")


def line_of(text: str, needle: str, nth: int = 1) -> int | None:
    """The line of the nth line that holds `needle`, comment lines skipped (the file's header
    mentions `[phases.discover]`, `kano` and `default_silo`)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line and not line.lstrip().startswith("#"):
            nth -= 1
            if nth == 0:
                return number
    return None


def explain_parse_error(error: Exception, text: str) -> str:
    """A parse error that no part's block caught, with the line it most likely points to."""
    if isinstance(error, KeyError):
        key = str(error.args[0])
        line = line_of(text, key)
        return f"missing '{key}'" + (f" (near line {line})" if line else "")
    message = str(error)
    match = re.search(r"'([^']+)'", message)
    line = line_of(text, match.group(1)) if match else None
    return message + (f" (line {line})" if line else "")
