"""Promote a discovered theme into the company taxonomy, so later runs recognise it.

The theme becomes a library theme under a stable id: its name, journey phase, owner, Kano
class and group come from the run, and its most central comments (closest to the theme's
centroid) become its examples, under their languages. Pure functions over the run's frames
and the loaded taxonomy: `cxtext.curate` reads the run folder and writes the taxonomy block
(checked whole first) and the decisions.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import polars as pl

from cxtext.io.contract import OUTLIER_THEME
from cxtext.languages import LANGUAGES
from cxtext.taxonomy import Taxonomy
from cxtext.themes.curation import Curation, CurationError

PROMOTED_EXAMPLES = 12  # most central comments that become the library theme's examples


def curatable_themes(themes: pl.DataFrame) -> pl.DataFrame:
    """A run's themes without the outlier row: the ones an analyst can rename, merge, promote."""
    return themes.filter(pl.col("theme_id") != OUTLIER_THEME)


def promotable_theme(themes: pl.DataFrame, theme_id: str) -> dict:
    """The run's row of the discovered theme to promote; an unknown id or a library theme is
    refused."""
    found = themes.filter(pl.col("theme_id") == theme_id)
    if found.height == 0:
        known = sorted(curatable_themes(themes).get_column("theme_id"))
        raise CurationError(f"no theme '{theme_id}' in the run; its themes are: {', '.join(known)}")
    row = found.row(0, named=True)
    if row.get("source") == "library":
        raise CurationError(f"theme '{theme_id}' is already in the taxonomy")
    return row


def promotion(
    row: dict,
    comments: pl.DataFrame,
    taxonomy: Taxonomy,
    curation: Curation,
    taxonomy_path: Path,
    group: str | None = None,
    library_id: str | None = None,
    name_language: str = "en",
) -> tuple[str, str]:
    """The promoted theme's id in the taxonomy at `taxonomy_path` and the `[[themes]]` block to
    append to it; a theme promoted before is refused. `name_language`: the language the run
    named its themes in (run.json `label_language_used`), the key its name is written under."""
    theme_id = row["theme_id"]
    if curation.promotions.get(theme_id) in taxonomy.themes:  # a second promote added a twin
        raise CurationError(
            f"theme '{theme_id}' is already promoted as library theme "
            f"'{curation.promotions[theme_id]}' in {taxonomy_path}"
        )
    name = curation.labels().get(theme_id) or row["label"]
    wanted = name if library_id is None else library_id  # `--id ''` is no id, not the name
    library_id = _new_id(wanted, taxonomy, explicit=library_id is not None)
    group = _group(group, row.get("parent_id"), row.get("phase"), taxonomy)
    examples = _central_comments(comments, theme_id, curation)
    block = _theme_block(library_id, group, row, taxonomy, {name_language: name}, examples)
    return library_id, block


def untranslated_name(library_id: str, names: dict[str, str], where: str) -> str | None:
    """The warning `cxtext themes promote` gives once, naming the languages the promoted
    theme's name lacks and where to add them (`where`: its [themes.name] line and file); later
    runs show the name it has in every language it lacks, and say nothing."""
    missing = _lacking(names)
    if not missing:
        return None
    written = ", ".join(names)
    return (
        f"theme '{library_id}' is named in {written} alone: add {', '.join(missing)} under its "
        f"[themes.name] ({where}); until then its {written} name shows under every "
        "--label-language"
    )


def _lacking(names: dict[str, str]) -> list[str]:
    return [lang for lang in LANGUAGES if lang not in names]


def _new_id(wanted: str, taxonomy: Taxonomy, explicit: bool) -> str:
    ascii_text = unicodedata.normalize("NFKD", wanted).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_") or "theme"
    if explicit and (base != wanted or base in taxonomy.themes):
        raise CurationError(f"'{wanted}' is taken or not an id (lower-case letters, digits, _)")
    candidate, number = base, 2
    while candidate in taxonomy.themes:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


def _group(asked: str | None, own: str | None, phase: str | None, taxonomy: Taxonomy) -> str:
    """The group asked for (--group, which must be the taxonomy's), else the theme's own; for a
    theme in a group of discovered themes, the group most library themes of its journey phase
    are in."""
    choices = ", ".join(taxonomy.groups)
    if asked is not None and asked not in taxonomy.groups:  # "gadgets" was taken for a g-id
        raise CurationError(f"unknown group '{asked}' (the taxonomy's groups: {choices})")
    if (asked or own) in taxonomy.groups:
        return str(asked or own)
    same_phase = Counter(
        t.group for t in taxonomy.themes.values() if t.phase == phase and t.group in taxonomy.groups
    )
    if same_phase:
        return min(same_phase, key=lambda g: (-same_phase[g], g))
    raise CurationError(f"name the theme's group with --group (one of: {choices})")


def _central_comments(
    comments: pl.DataFrame, theme_id: str, curation: Curation
) -> dict[str, list[str]]:
    """The theme's comments closest to their centroid (highest theme score), by language,
    among its own and those of every theme the analyst merged into it: the run folder keeps
    each comment's theme as discovered, and the merges live in `curation`."""
    ids = comments.get_column("theme_id").to_numpy()
    members = curation.map_ids(ids) == curation.final_id(theme_id)
    central = (
        comments.filter(pl.Series(members, dtype=pl.Boolean))
        .unique("text", keep="first", maintain_order=True)
        .sort("theme_score", "id", descending=[True, False])
        .head(PROMOTED_EXAMPLES)
    )
    examples: dict[str, list[str]] = {}
    for text, lang in central.select("text", "lang").iter_rows():
        examples.setdefault(lang, []).append(" ".join(text.split()))
    return dict(sorted(examples.items()))


def _theme_block(
    library_id: str,
    group: str,
    row: dict,
    taxonomy: Taxonomy,
    names: dict[str, str],
    examples: dict[str, list[str]],
) -> str:
    phase = row.get("phase") if row.get("phase") in taxonomy.phases else next(iter(taxonomy.phases))
    phase_silo = taxonomy.phases[phase].default_silo
    silo = row.get("silo") if row.get("silo") in taxonomy.silos else phase_silo
    kano = row.get("kano") if row.get("kano") in taxonomy.kano else "performance"
    polarity = "praise" if row.get("praise") else "problem"
    missing = _lacking(names)
    lines = [
        f"# Promoted from discovered theme {row['theme_id']} by `cxtext themes promote`.",
        *([f"# Add its name in {', '.join(missing)} under [themes.name]."] if missing else []),
        "[[themes]]",
        f"id = {json.dumps(library_id)}",
        f"group = {json.dumps(group)}",
        f"phase = {json.dumps(phase)}",
        f"silo = {json.dumps(silo)}",
        f"kano = {json.dumps(kano)}",
        f"polarity = {json.dumps(polarity)}",
        "promoted = true",
        "[themes.name]",
        *[f"{lang} = {json.dumps(name, ensure_ascii=False)}" for lang, name in names.items()],
        "[themes.examples]",
    ]
    for lang, texts in examples.items():
        lines.append(f"{lang} = [")
        lines += [f"  {json.dumps(text, ensure_ascii=False)}," for text in texts]
        lines.append("]")
    return "\n".join(lines) + "\n"
