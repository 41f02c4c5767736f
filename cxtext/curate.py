"""`cxtext themes ...` on a finished run folder: read its themes and comments, record a
decision (rename, merge, promote) in the decisions file, add a promoted theme to the taxonomy.

The run folder, the decisions file and the taxonomy are read and written here; the decisions
themselves are pure functions in `cxtext.themes.curation` and `cxtext.themes.promote`.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from cxtext.files import replace_atomically
from cxtext.io.load import load_run
from cxtext.taxonomy import TaxonomyError, load_taxonomy
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
from cxtext.themes.promote import (
    curatable_themes,
    promotable_theme,
    promotion,
    untranslated_name,
)


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
    return curatable_themes(load_run(run_dir).themes)


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
) -> tuple[str, str | None]:
    """Add the run's discovered theme to the taxonomy file and record the promotion; returns
    the theme's id in the taxonomy and a warning naming the languages its name lacks."""
    run = load_run(run_dir)
    row = promotable_theme(run.themes, theme_id)
    if not taxonomy_path.is_file():
        raise CurationError(f"{taxonomy_path} not found: write one with `cxtext init` first")
    taxonomy = load_taxonomy(taxonomy_path)
    curation = load_curation(curation_path)
    name_language = run.run.get("label_language_used") or "en"
    library_id, block = promotion(
        row, run.comments, taxonomy, curation, taxonomy_path, group, library_id, name_language
    )
    before = taxonomy_path.read_text("utf-8-sig").rstrip("\n") + "\n\n"
    _check_and_write(taxonomy_path, before + block)
    save_curation(promoted(curation, theme_id, library_id), curation_path)
    name_line = before.count("\n") + block.splitlines().index("[themes.name]") + 1
    names = load_taxonomy(taxonomy_path).themes[library_id].name
    return library_id, untranslated_name(library_id, names, f"line {name_line} of {taxonomy_path}")


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
