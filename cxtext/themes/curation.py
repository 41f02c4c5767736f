"""An analyst's theme decisions that every later run keeps: renames, merges, promotions.

One TOML file holds them (`cxtext themes rename|merge|promote` write it; people may edit it):

    [names]        theme id = "Name people read"
    [merges]       theme id = "id of the theme it was merged into"
    [promotions]   discovered theme id = "its id in the company taxonomy"

A run that reads the file (`--curation`, or `curation.toml` in the `--state` folder) moves the
comments of a merged or promoted theme to the theme it now is, and shows every renamed theme
under its new name. Discovered ids (`d01`, `n01`) stay the same from run to run with `--state`,
or for the same input and seed.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cxtext.errors import InputError
from cxtext.files import replace_atomically
from cxtext.pii import redact_text

CURATION_FILE = "curation.toml"  # in a --state folder, read when no other file is named
MAX_NAME_CHARS = 80


class CurationError(InputError):
    """A theme decision cannot be made or read; nothing was changed."""


@dataclass(frozen=True)
class Curation:
    """Decisions by theme id; `merges` and `promotions` already resolved to their final id."""

    names: dict[str, str] = field(default_factory=dict)
    merges: dict[str, str] = field(default_factory=dict)
    promotions: dict[str, str] = field(default_factory=dict)

    def merge_chain(self, theme_id: str) -> list[str]:
        """The ids a theme's comments went to, merge by merge; a circle is refused."""
        chain = [theme_id]
        while chain[-1] in self.merges:
            following = self.merges[chain[-1]]
            if following in chain:
                raise CurationError(f"merges go round in a circle through '{following}'")
            chain.append(following)
        return chain

    def final_id(self, theme_id: str) -> str:
        """The theme a theme id now is, after merges (followed to their end) and promotion."""
        last = self.merge_chain(theme_id)[-1]
        return self.promotions.get(last, last)

    def map_ids(self, theme_ids: np.ndarray) -> np.ndarray:
        """Each comment's theme id, moved to the theme its theme was merged or promoted into."""
        if not self.merges and not self.promotions:
            return theme_ids
        mapping = {t: self.final_id(t) for t in set(theme_ids.tolist())}
        # a new array, not one of the input's dtype: '<U23' would cut a longer promoted id
        return np.array([mapping[t] for t in theme_ids.tolist()], dtype=object)

    def labels(self) -> dict[str, str]:
        """Renames by the id the theme has now (a name given before a promotion follows it, as
        does the name of a theme merged into one that has none). A theme's own name wins over
        names that reach it through merges, whatever their order in the file."""
        by_distance = sorted(self.names.items(), key=lambda item: -len(self.merge_chain(item[0])))
        return {self.final_id(t): name for t, name in by_distance}


def load_curation(path: Path | None) -> Curation:
    """The decisions in `path` (none when it is None or absent); a bad file is refused."""
    if path is not None and path.is_dir():  # it read as no decisions, and could not be written
        raise CurationError(f"curation file {path} is a folder: name a file such as curation.toml")
    if path is None or not path.is_file():
        return Curation()
    try:
        data = tomllib.loads(path.read_text("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CurationError(f"{path}: not a readable TOML file: {error}") from None
    tables = {}
    for key in ("names", "merges", "promotions"):
        table = data.get(key, {})
        if not isinstance(table, dict) or not all(
            isinstance(v, str) and v.strip() for v in table.values()
        ):
            raise CurationError(f"{path}: [{key}] must map theme ids to non-empty text")
        tables[key] = {str(k): v.strip() for k, v in table.items()}
    # a name typed into the file reaches every output: it is redacted as a comment is
    tables["names"] = {k: redact_text(v)[0] for k, v in tables["names"].items()}
    curation = Curation(**tables)
    for source, target in curation.merges.items():
        if source == target:
            raise CurationError(f"{path}: theme '{source}' cannot be merged into itself")
        curation.final_id(source)
    return curation


def save_curation(curation: Curation, path: Path) -> None:
    """Write the decisions as TOML, sorted, in one atomic replace."""
    lines = [
        "# Theme decisions by `cxtext themes ...`, kept by every run that reads this file.",
        "# [names] theme id = name; [merges] theme id = the theme it joined;",
        "# [promotions] discovered theme id = its id in the company taxonomy.",
    ]
    for key in ("names", "merges", "promotions"):
        lines += ["", f"[{key}]"]
        table = getattr(curation, key)
        lines += [
            f"{json.dumps(k)} = {json.dumps(table[k], ensure_ascii=False)}" for k in sorted(table)
        ]
    text = "\n".join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(path, lambda tmp: tmp.write_text(text, "utf-8"))


def rename(
    curation: Curation,
    known: set[str],
    theme_id: str,
    name: str,
    run_labels: dict[str, str] | None = None,
) -> Curation:
    """`theme_id` shown as `name` from now on. A name another theme has (in the run,
    `run_labels`, or by an earlier rename; case aside) is refused: two themes would read the
    same in every output."""
    name = " ".join(name.split())
    _check_known(theme_id, known, curation)
    if not name or len(name) > MAX_NAME_CHARS:
        raise CurationError(f"a theme name needs 1 to {MAX_NAME_CHARS} characters")
    if kinds := redact_text(name)[1]:
        raise CurationError(
            f"a theme name cannot hold personal data ({', '.join(kinds)}): it reaches every output"
        )
    target = curation.final_id(theme_id)
    shown = {t: label for t, label in (run_labels or {}).items() if curation.final_id(t) == t}
    for other, label in (shown | curation.labels()).items():
        if other != target and label.casefold() == name.casefold():
            raise CurationError(
                f"'{name}' is already the name of theme '{other}'; choose another name, or "
                f"put the two together with `cxtext themes merge RUN_DIR {theme_id} {other}`"
            )
    return Curation(curation.names | {theme_id: name}, curation.merges, curation.promotions)


def merge(curation: Curation, known: set[str], theme_id: str, into: str) -> Curation:
    """The comments of `theme_id` belong to `into` from now on."""
    _check_known(theme_id, known, curation)
    _check_known(into, known, curation)
    if curation.final_id(theme_id) == curation.final_id(into):
        raise CurationError(_already_one(curation, theme_id, into))
    merged = Curation(curation.names, curation.merges | {theme_id: into}, curation.promotions)
    merged.final_id(theme_id)  # refuses a circle
    return merged


def _already_one(curation: Curation, theme_id: str, into: str) -> str:
    """What makes `theme_id` and `into` one theme already: the same id, or an earlier merge."""
    if theme_id == into:
        return f"theme '{theme_id}' cannot be merged into itself"
    if into in curation.merge_chain(theme_id):
        return f"theme '{theme_id}' is already merged into '{into}'"
    if theme_id in curation.merge_chain(into):
        return f"theme '{into}' is already merged into '{theme_id}'"
    return f"themes '{theme_id}' and '{into}' are already one theme, '{curation.final_id(into)}'"


def promoted(curation: Curation, theme_id: str, library_id: str) -> Curation:
    """`theme_id` is the taxonomy theme `library_id` from now on."""
    return Curation(curation.names, curation.merges, curation.promotions | {theme_id: library_id})


def _check_known(theme_id: str, known: set[str], curation: Curation) -> None:
    if theme_id not in known and theme_id not in curation.merges:
        listed = ", ".join(sorted(known)[:12]) + (", …" if len(known) > 12 else "")
        raise CurationError(f"no theme '{theme_id}' in the run; its themes are: {listed}")
