"""The company's editable CX model: journey phases, silos, channels, Kano classes, theme library,
off-journey sentences.

One TOML file (`models/taxonomy.toml`); `cxtext init` copies it for a company to edit. Loading
(`load`) checks every cross-reference and names the offending line when something is wrong
(`checks`); `model` holds the typed values a run reads.
"""

from cxtext.taxonomy.checks import TaxonomyError, language_gaps
from cxtext.taxonomy.load import load_taxonomy, write_default_taxonomy
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

__all__ = [
    "Channel",
    "KanoClass",
    "LibraryTheme",
    "OffJourney",
    "Phase",
    "Silo",
    "SiloRule",
    "Taxonomy",
    "TaxonomyError",
    "ThemeGroup",
    "language_gaps",
    "load_taxonomy",
    "write_default_taxonomy",
]
