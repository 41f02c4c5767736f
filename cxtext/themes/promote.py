"""Promote a discovered theme into the company taxonomy, so later runs recognise it.

The theme becomes a library theme under a stable id: its name, journey phase, owner, Kano
class and group come from the run, and its most central comments (closest to the theme's
centroid) become its examples, under their languages. The block is appended to the taxonomy
file, which is checked whole before it replaces the old one.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import polars as pl

from cxtext.files import replace_atomically
from cxtext.io.contract import OUTLIER_THEME
from cxtext.io.load import load_run
from cxtext.taxonomy import Taxonomy, TaxonomyError, load_taxonomy
from cxtext.themes.curation import (
    CURATION_FILE,
    Curation,
    CurationError,
    load_curation,
    merge,
    promoted,
    rename,
    save_curation,
)

PROMOTED_EXAMPLES = 12  # most central comments that become the library theme's examples


def decisions_file(run_dir: Path, given: Path | None) -> Path:
    """The decisions file a `cxtext themes` command updates: the one named, else the one the
    run read (its `--curation`, or `STATE/curation.toml` of a `--state` run, which the next
    scheduled run reads by itself), else `curation.toml` here. Paths in run.json are as the
    run was given them, so a state folder not found from here is an error, not a file the
    next run would never read."""
    if given is not None:
        return given
    try:
        options = json.loads((run_dir / "run.json").read_text("utf-8")).get("options") or {}
    except (OSError, ValueError):
        return Path(CURATION_FILE)  # not a run folder: the command itself says so
    if options.get("curation"):
        return Path(options["curation"])
    if not options.get("state"):
        return Path(CURATION_FILE)
    state = Path(options["state"])
    if not state.is_dir():
        raise CurationError(
            f"{run_dir} was a scheduled run with --state {state}, not found from here; name "
            f"the decisions file with --curation (the state folder's {CURATION_FILE})"
        )
    return state / CURATION_FILE


def run_theme_ids(run_dir: Path) -> pl.DataFrame:
    """The finished run's themes (without the outlier row)."""
    themes = load_run(run_dir).themes
    return themes.filter(pl.col("theme_id") != OUTLIER_THEME)


def rename_theme(run_dir: Path, curation_path: Path, theme_id: str, name: str) -> Curation:
    """Record a new name for a theme of the run; returns the decisions now in the file."""
    themes = run_theme_ids(run_dir)
    labels = dict(themes.select("theme_id", "label").iter_rows())
    curation = rename(load_curation(curation_path), set(labels), theme_id, name, labels)
    save_curation(curation, curation_path)
    return curation


def merge_themes(run_dir: Path, curation_path: Path, theme_id: str, into: str) -> Curation:
    """Record that `theme_id`'s comments belong to `into`; returns the decisions now in the file."""
    known = set(run_theme_ids(run_dir).get_column("theme_id"))
    curation = merge(load_curation(curation_path), known, theme_id, into)
    save_curation(curation, curation_path)
    return curation


def promote_theme(
    run_dir: Path,
    curation_path: Path,
    taxonomy_path: Path,
    theme_id: str,
    group: str | None = None,
    library_id: str | None = None,
) -> str:
    """Add the run's discovered theme to the taxonomy file and record the promotion; returns
    the theme's id in the taxonomy."""
    run = load_run(run_dir)
    themes = run.themes.filter(pl.col("theme_id") == theme_id)
    if themes.height == 0:
        known = sorted(run_theme_ids(run_dir).get_column("theme_id"))
        raise CurationError(f"no theme '{theme_id}' in the run; its themes are: {', '.join(known)}")
    row = themes.row(0, named=True)
    if row.get("source") == "library":
        raise CurationError(f"theme '{theme_id}' is already in the taxonomy")
    if not taxonomy_path.is_file():
        raise CurationError(f"{taxonomy_path} not found: write one with `cxtext init` first")
    taxonomy = load_taxonomy(taxonomy_path)
    curation = load_curation(curation_path)
    if curation.promotions.get(theme_id) in taxonomy.themes:  # a second promote added a twin
        raise CurationError(
            f"theme '{theme_id}' is already promoted as library theme "
            f"'{curation.promotions[theme_id]}' in {taxonomy_path}"
        )
    name = curation.labels().get(theme_id) or row["label"]
    library_id = _new_id(library_id or name, taxonomy, explicit=library_id is not None)
    group = _group(group or row.get("parent_id"), row.get("phase"), taxonomy)
    examples = _central_comments(run.comments, theme_id)
    block = _theme_block(library_id, group, row, taxonomy, name, examples)
    text = taxonomy_path.read_text("utf-8-sig").rstrip("\n") + "\n\n" + block
    _check_and_write(taxonomy_path, text)
    save_curation(promoted(curation, theme_id, library_id), curation_path)
    return library_id


def _new_id(wanted: str, taxonomy: Taxonomy, explicit: bool) -> str:
    ascii_text = unicodedata.normalize("NFKD", wanted).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_") or "theme"
    if explicit and (base != wanted or base in taxonomy.themes):
        raise CurationError(f"'{wanted}' is taken or not an id (lower-case letters, digits, _)")
    candidate, number = base, 2
    while candidate in taxonomy.themes:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


def _group(group: str | None, phase: str | None, taxonomy: Taxonomy) -> str:
    """The group asked for or the theme's own; for a theme in a group of discovered themes,
    the group most library themes of its journey phase are in."""
    if group in taxonomy.groups:
        return str(group)
    same_phase = Counter(
        t.group for t in taxonomy.themes.values() if t.phase == phase and t.group in taxonomy.groups
    )
    if same_phase and (group is None or group.startswith("g")):
        return min(same_phase, key=lambda g: (-same_phase[g], g))
    choices = ", ".join(taxonomy.groups)
    raise CurationError(f"name the theme's group with --group (one of: {choices})")


def _central_comments(comments: pl.DataFrame, theme_id: str) -> dict[str, list[str]]:
    """The theme's comments closest to its centroid (highest theme score), by language."""
    central = (
        comments.filter(pl.col("theme_id") == theme_id)
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
    name: str,
    examples: dict[str, list[str]],
) -> str:
    phase = row.get("phase") if row.get("phase") in taxonomy.phases else next(iter(taxonomy.phases))
    phase_silo = taxonomy.phases[phase].default_silo
    silo = row.get("silo") if row.get("silo") in taxonomy.silos else phase_silo
    kano = row.get("kano") if row.get("kano") in taxonomy.kano else "performance"
    polarity = "praise" if row.get("praise") else "problem"
    lines = [
        f"# Promoted from discovered theme {row['theme_id']} by `cxtext themes promote`.",
        "[[themes]]",
        f"id = {json.dumps(library_id)}",
        f"group = {json.dumps(group)}",
        f"phase = {json.dumps(phase)}",
        f"silo = {json.dumps(silo)}",
        f"kano = {json.dumps(kano)}",
        f"polarity = {json.dumps(polarity)}",
        "[themes.name]",
        *[f"{lang} = {json.dumps(name, ensure_ascii=False)}" for lang in ("en",)],
        "[themes.examples]",
    ]
    for lang, texts in examples.items():
        lines.append(f"{lang} = [")
        lines += [f"  {json.dumps(text, ensure_ascii=False)}," for text in texts]
        lines.append("]")
    return "\n".join(lines) + "\n"


def _check_and_write(path: Path, text: str) -> None:
    """Load the new taxonomy text first: a file that would not load is never written."""
    trial = path.with_name(f".{path.stem}.check{path.suffix}")
    try:
        trial.write_text(text, "utf-8")
        load_taxonomy(trial)
    except TaxonomyError as error:
        raise CurationError(f"the promoted theme would break the taxonomy: {error}") from None
    finally:
        trial.unlink(missing_ok=True)
    replace_atomically(path, lambda tmp: tmp.write_text(text, "utf-8"))
