"""`cxtext langid`: each row's language alone, the input's other columns redacted as `analyze`
redacts them, written as CSV to a file or stdout."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from cxtext.cli_support import LanguageMix, guard
from cxtext.errors import InputError
from cxtext.wording import counted, no_usable_rows

if TYPE_CHECKING:
    from cxtext.api import LanguageRows

errors = Console(stderr=True)

TextColumn = Annotated[
    str | None,
    typer.Option(
        help="Column holding the comment text (default: found by its name, e.g. 'comment', "
        "'kommentar', 'feedback', else by which column reads most like free text).",
        metavar="COLUMN",
        show_default=False,
    ),
]


def langid(
    input: Annotated[
        Path, typer.Argument(help="CSV, XLSX, Parquet, JSONL or JSON file.", metavar="INPUT")
    ],
    text_col: TextColumn = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="CSV to write (default: stdout).", metavar="PATH"),
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option(
            metavar="PATH",
            help="CSV for rows that cannot be used, with the reason (default: OUTPUT's name "
            "with .rejects.csv, or rejects.csv when writing to stdout); written only when "
            "there are rejects.",
            show_default=False,
        ),
    ] = None,
    language_mix: LanguageMix = True,
) -> None:
    """Detect each row's language only; writes the rows with `lang` and `lang_confidence`.
    As in `analyze`, PII is redacted in every column and formula-like cells are made inert."""
    from cxtext.api import detect_file_languages
    from cxtext.io.write import write_csv

    rejects = rejects or (output.with_suffix(".rejects.csv") if output else Path("rejects.csv"))
    guard(lambda: _not_the_input(input, [output, rejects]))
    found = guard(lambda: detect_file_languages(input, text_col, language_mix))
    if found.rejects.height:
        guard(lambda: _write_file(write_csv, found.rejects, rejects))
    if found.rows.height == 0:  # as in `analyze`: nothing usable is bad input, reasons kept
        guard(lambda: _no_usable_rows(found.rows_read, rejects))
    if output is None:
        write_csv(found.rows, sys.stdout.buffer, bom=False)
    else:
        guard(lambda: _write_file(write_csv, found.rows, output))
    _print_text_column(found, errors)  # after the rows: a closed pipe ends quietly
    written = f"to {output}" if output else "to stdout"
    kept = f" (reasons in {rejects})" if found.rejects.height else ""
    errors.print(
        f"{counted(found.rows_read, 'row')} read, {found.rows.height} written {written}, "
        f"{found.rejects.height} rejected{kept}",
        highlight=False,
        soft_wrap=True,
    )


def _print_text_column(found: LanguageRows, stderr: Console) -> None:
    """`langid`'s share of analyze's column lines: the column read, and each other column of
    free-text answers, with langid's own option in the advice."""
    from cxtext.io.columns import other_question_warnings
    from cxtext.summary import columns_line

    if found.text is None:  # every row rejected by the reader: no column was read
        return
    advice = "choose another with --text-col NAME"
    line = columns_line({"columns": {"text": found.text}}, ("text",), advice)
    stderr.print(escape(line), highlight=False, soft_wrap=True)
    for warning in other_question_warnings(found.text, list(found.other_texts), "langid"):
        stderr.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)


def _no_usable_rows(rows_read: int, rejects: Path) -> None:
    raise InputError(f"{no_usable_rows(rows_read)}; every row and its reason in {rejects}")


def _not_the_input(source: Path, targets: list[Path | None]) -> None:
    """`-o feedback.csv` on feedback.csv replaced the survey export with its language column."""
    for target in targets:
        if target is not None and target.exists() and target.resolve() == source.resolve():
            raise InputError(f"{target} is the file being read; choose another path to write")


def _write_file(write, frame, path: Path) -> None:
    """`write(frame, path)`, with a path that cannot be written as one clear error."""
    try:
        write(frame, path)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from None
