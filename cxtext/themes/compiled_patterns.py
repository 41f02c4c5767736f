"""Regular expressions compiled once per machine: the tokenizer's patterns as `re` compiles them.

spaCy's infix pattern alone is 15-34 KB of character classes; compiling the prefix, suffix, infix
and URL patterns of sv, da and en cost ~0.09 CPU s of each scheduled rerun (the patterns' code:
~20,000 small integers). `re` keeps compiled patterns per process only, so the code `re` builds
is kept in a JSON file beside the tokenizer rules and handed to the regex engine as it is
(`_sre.compile`, what `re.compile` itself ends in). The file is keyed by the interpreter's
version and the regex engine's `MAGIC` (the code's format), and holds the pattern texts it was
built from; a pattern from it equals (`==`: same text, flags and code) `re.compile`'s. Any other
interpreter, a missing or damaged file, or an unwritable cache: `re.compile`, as before.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from cxtext.files import replace_atomically

try:  # the regex engine's internals: present in CPython 3.11-3.13, checked before use
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another interpreter
    _sre = None

Patterns = dict[str, "list | None"]  # name: [pattern text, flags] or None


def compiled(patterns: Patterns, folder: Path, stem: str) -> dict[str, re.Pattern | None]:
    """{name: compiled pattern}, from `folder`'s file for `stem` where it holds these patterns
    for this interpreter, else compiled (and the file written for the next process)."""
    if _sre is None:  # pragma: no cover - another interpreter
        return {name: _compile(pattern)[0] for name, pattern in patterns.items()}
    path = folder / f"{stem}-sre-{_engine_key()}.json"
    try:
        stored = json.loads(path.read_text("utf-8"))
        return {name: _load(pattern, stored[name]) for name, pattern in patterns.items()}
    except (OSError, ValueError, KeyError, TypeError, RuntimeError):
        pass  # none yet, other patterns, or a damaged file: compiled again
    found, code = {}, {}
    for name, pattern in patterns.items():
        found[name], code[name] = _compile(pattern)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(code)
        replace_atomically(path, lambda tmp: tmp.write_text(text, "utf-8"))
    except OSError:
        pass
    return found


def _engine_key() -> str:
    """The interpreter and the code format of its regex engine."""
    version = "-".join(str(part) for part in sys.version_info[:3])
    return f"{sys.implementation.name}-{version}-{_sre.MAGIC}"


def _compile(pattern: list | None) -> tuple[re.Pattern | None, list | None]:
    """`re.compile(text, flags)` as `re._compiler.compile` does it, and what it gave
    `_sre.compile` (after the pattern and flags asked for)."""
    if pattern is None:
        return None, None
    text, flags = pattern
    if _sre is None:  # pragma: no cover - another interpreter
        return re.compile(text, flags), None
    parsed = _parser.parse(text, flags)
    code = _compiler._code(parsed, flags)
    groups = parsed.state.groupdict
    index = [None] * parsed.state.groups
    for key, number in groups.items():
        index[number] = key
    arguments = [flags | parsed.state.flags, code, parsed.state.groups - 1, groups, index]
    return _sre.compile(text, *arguments[:4], tuple(index)), [text, flags, *arguments]


def _load(pattern: list | None, stored: list | None) -> re.Pattern | None:
    """The pattern from its stored code; KeyError where that was built for another pattern."""
    if pattern is None and stored is None:
        return None
    if pattern is None or stored is None or stored[:2] != list(pattern):
        raise KeyError("another pattern")
    text, _, flags, code, groups, group_index, index = stored
    return _sre.compile(text, flags, code, groups, group_index, tuple(index))
