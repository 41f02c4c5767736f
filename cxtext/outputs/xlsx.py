"""One Excel workbook per run: the fixes first, then every table of the run, one per sheet.

The "Fix first" sheet is for people: its owner, phase and Kano class are the taxonomy's names
in the run's label language, as in the report ('Økonomi', not 'finance'); every other sheet
keeps the ids, as the CSVs do.

Like the CSVs, every text cell that a spreadsheet would read as a formula gets an apostrophe
in front (`neutralise_formulas`), and every text cell is stored as text, never as a formula.
Input columns passed through to the comments (read as text) become number cells where every
value is a plain number ('9', '-3.5'; not '007', '+4512345678' or '1 234').
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from cxtext.io.contract import ADDED_COMMENT_COLUMNS, COMMENT_COLUMNS
from cxtext.io.spreadsheet import neutralise_formulas
from cxtext.io.write import LIST_SEPARATOR

if TYPE_CHECKING:
    from cxtext.outputs.report.names import Names
    from cxtext.result import Result

MAX_CELL_CHARS = 32_767  # Excel's limit per cell
MAX_ROWS = 1_048_575  # Excel's row limit, less the header
# a plain number: no leading zero, sign but '-', or grouping; 15 digits at most (Excel's precision)
PLAIN_NUMBER = r"^-?(?:0|[1-9]\d{0,14})(?:\.\d{1,15})?$"
PRIVATE_COLUMNS = ["text_original"]  # --keep-pii text belongs in comments.csv/parquet only
SHEET_TITLES = {
    "follow_up": "Follow-up",
    "ownership": "Ownership",
    "segments": "Segments",
    "trends": "Trends",
    "initiatives": "Initiatives",
    "changes": "Changes",
}


def run_sheets(result: Result) -> dict[str, pl.DataFrame]:
    """The workbook's sheets in order: Fix first, Themes, Comments, tables, Metrics, Run."""
    from cxtext.outputs.journey_metrics import journey_metrics
    from cxtext.outputs.report.names import run_names
    from cxtext.outputs.report.view import report_quotes

    sheets = {
        "Fix first": _fix_first(result.themes, run_names(result.run), report_quotes(result)),
        "Themes": result.themes,
        "Comments": _numbers_as_numbers(result.comments.drop(PRIVATE_COLUMNS, strict=False)),
    }
    for name, table in result.tables.items():
        if not name.startswith("_"):  # private tables (unredacted text) never leave the run
            sheets[SHEET_TITLES.get(name, name[:31])] = table
    sheets["Metrics"] = journey_metrics(result)
    sheets["Rejects"] = result.rejects
    sheets["Run"] = pl.DataFrame(
        {
            "key": list(result.run),
            "value": [
                v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
                for v in result.run.values()
            ],
        },
        schema={"key": pl.String, "value": pl.String},
    )
    return sheets


def write_xlsx(result: Result, path: Path) -> Path:
    """Write the run's workbook to `path`."""
    write_sheets(run_sheets(result), path)
    return path


def write_sheets(sheets: dict[str, pl.DataFrame], path: Path) -> None:
    """Each frame as a sheet with a bold, frozen, filterable header; text never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    for title, frame in sheets.items():
        frame = _flat(frame).head(MAX_ROWS)
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        for index, name in enumerate(frame.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = _width(frame, name)
        if frame.width:
            sheet.auto_filter.ref = f"A1:{get_column_letter(frame.width)}{frame.height + 1}"
        header = []
        for name in frame.columns:
            cell = WriteOnlyCell(sheet, value=_text_cell(name))
            cell.font = Font(bold=True)
            header.append(_as_text(cell))
        sheet.append(header)
        for row in frame.iter_rows():
            sheet.append([_cell(sheet, value) for value in row])
    # saved in memory first: a path that cannot be written then fails on its own, not inside
    # openpyxl's save, whose unfinished sheets printed 90 lines of tracebacks at exit
    workbook_bytes = io.BytesIO()
    workbook.save(workbook_bytes)
    path.write_bytes(workbook_bytes.getvalue())


def _fix_first(themes: pl.DataFrame, names: Names, quotes: dict[str, list[dict]]) -> pl.DataFrame:
    """The ranked themes with their owner, phase and Kano names and the report card's quotes
    (`report_quotes`: a fix's complaints first, by theme score), so the sheet quotes what the
    card does rather than the theme's examples, which ignore sentiment."""
    ranked = themes.filter(pl.col("rank").is_not_null()).sort("rank")
    named = {"silo": names.silo, "phase": names.phase, "kano": names.kano_class}
    ranked = ranked.with_columns(
        pl.col(column).replace_strict(
            {key: name(key) for key in ranked.get_column(column).drop_nulls().unique()},
            default=None,
            return_dtype=pl.String,
        )
        for column, name in named.items()
        if column in ranked.columns
    )
    columns = ["rank", "label", "silo", "phase", "kano", "size", "respondents", "negative_share"]
    columns += ["impact"]
    columns += ["priority", "cross_silo"]
    quoted = [[q["text"] for q in quotes.get(t, [])] for t in ranked.get_column("theme_id")]
    return ranked.select(*[c for c in columns if c in ranked.columns]).with_columns(
        pl.Series(f"quote_{i + 1}", [q[i] if i < len(q) else None for q in quoted], pl.String)
        for i in range(3)
    )


def _numbers_as_numbers(comments: pl.DataFrame) -> pl.DataFrame:
    """Passed-through input columns whose every value is a plain number, as numbers."""
    added = {*COMMENT_COLUMNS, *ADDED_COMMENT_COLUMNS}
    numbers = []
    for name, dtype in comments.schema.items():
        if name in added or dtype != pl.String:
            continue
        values = comments.get_column(name).str.strip_chars().replace("", None)
        present = values.drop_nulls()
        if present.is_empty() or not present.str.contains(PLAIN_NUMBER).all():
            continue
        whole = not present.str.contains(".", literal=True).any()
        numbers.append(values.cast(pl.Int64 if whole else pl.Float64))
    return comments.with_columns(numbers)


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists joined, nested values as JSON text, formula-like text made inert, and a zoned
    date-time as the wall-clock time of its zone: Excel holds no time zone, and a survey
    tool's Parquet timestamp in Europe/Oslo stopped the export with an internal error."""
    frame = frame.with_columns(
        pl.col(name).dt.replace_time_zone(None)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None
    )
    frame = frame.with_columns(
        pl.col(name).cast(pl.List(pl.String)).list.join(LIST_SEPARATOR)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.List)
    )
    frame = frame.with_columns(
        pl.col(name).map_elements(
            lambda v: json.dumps(v, ensure_ascii=False, default=str), return_dtype=pl.String
        )
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Struct | pl.Array | pl.Object)
    )
    return neutralise_formulas(frame)


def _cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, str):
        from openpyxl.cell import WriteOnlyCell

        return _as_text(WriteOnlyCell(sheet, value=_text_cell(value)))
    return value


def _as_text(cell: Any) -> Any:
    cell.data_type = "s"  # openpyxl would store a text starting with '=' as a formula
    return cell


def _text_cell(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_CHARS]


def _width(frame: pl.DataFrame, name: str) -> float:
    """About as wide as the header or a typical value, between 8 and 60 characters."""
    sample = frame.get_column(name).head(200).cast(pl.String, strict=False).drop_nulls()
    typical = int(sample.str.len_chars().quantile(0.9) or 0) if len(sample) else 0
    return float(min(60, max(8, len(name) + 2, typical + 2)))
