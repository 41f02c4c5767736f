"""The one home for reading dates from survey exports and for cutting them into periods.

Survey tools write dates in many shapes: ISO dates and date-times ('2026-05-04',
'2026-05-04 10:22:13', '2026-05-04T10:22:13.000Z', '2026-05-04T10:22:13+02:00'), Nordic
day-first dates ('04.05.2026', '04-05-26', '04/05/2026 10:22'), dates with a month name in
Danish, Swedish, Norwegian or English ('4. maj 2026', '4 maj 2026', '4. mai 2026', '2. okt. 2026',
'4-May-26', 'May 4, 2026'), SurveyMonkey's US '05/04/2026 10:22:13 AM', and Excel serial day
numbers ('46146'). A date-time counts on the day it was written down (its own clock, not
converted to UTC). A two-digit year is 2000-2069 from '00' to '69', else 1900-1999. A column
of 'dd.dd.dd' values that all read on a clock and whose years would span more than
`CLOCK_YEAR_SPREAD` years holds clock times ('10.05.13', '14.47.52'), not dates.
"""

from __future__ import annotations

from datetime import date

import polars as pl

LONG_PERIOD_DAYS = 26 * 7  # spans longer than this are counted by month, shorter by week
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (it counts 1900 as a leap year)
# Serial numbers from 1950 to 2100: a plain number outside this range is not a date.
EXCEL_SERIALS = (18_264, 73_051)

TWO_DIGIT_PIVOT = 70  # '69' is 2069, '70' is 1970 (as C's strptime reads %y)
MONTHS = {
    1: "january januar januari jan",
    2: "february februar februari feb",
    3: "march marts mars mar",
    4: "april apr",
    5: "may maj mai",
    6: "june juni jun",
    7: "july juli jul",
    8: "august augusti aug",
    9: "september sept sep",
    10: "october oktober oct okt",
    11: "november nov",
    12: "december desember dec des",
}
MONTH_NUMBERS = {name: str(month) for month, names in MONTHS.items() for name in names.split()}

_TIME = r"(?:[Tt ,]\s*(?:kl\.?\s*)?\d{1,2}[:.]\d{2}.*)?"
_YEAR = r"(\d{4}|\d{2})"
_ISO = rf"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}$"
_DAY_FIRST = rf"^(\d{{1,2}})[.-](\d{{1,2}})[.-]{_YEAR}{_TIME}$"
_SLASHED = rf"^(\d{{1,2}})/(\d{{1,2}})/{_YEAR}{_TIME}$"
# an optional weekday ('mandag den', 'Monday,') before a day and a month name, or a month name
# and a day: '1. juli 2026', '3 mars 2026', '2. okt. 2026', '13-Jul-26', 'July 13, 2026'
_WEEKDAY = r"(?:[a-zæøåäö]+,?\s+(?:den\s+)?)?"
_ORDINAL = r"(?:\.|st|nd|rd|th)?"
_NAMED_DAY_FIRST = rf"^{_WEEKDAY}(\d{{1,2}}){_ORDINAL}[\s-]*([a-zæøåäö]+)\.?,?[\s-]*{_YEAR}{_TIME}$"
_NAMED_MONTH_FIRST = rf"^{_WEEKDAY}([a-z]+)\.?\s+(\d{{1,2}}){_ORDINAL},?\s+{_YEAR}{_TIME}$"
_SERIAL = r"^\d{5}(?:[.,]\d+)?$"
_CLOCK_OR_SHORT_DATE = r"^\d{2}\.\d{2}\.\d{2}$"  # '10.05.13': 10 May 2013, or 10:05:13
_CLOCK = r"^(?:[01]\d|2[0-3])\.[0-5]\d\.[0-5]\d$"
CLOCK_YEAR_SPREAD = 10  # such values spanning more years than this, all on a clock, are times


def parse_dates(column: pl.Expr, serials: bool = True) -> pl.Expr:
    """Dates from any of the shapes above; null where a value is none of them.

    Slashed dates are day-first (Nordic) unless the column shows otherwise: a second number
    above 12 somewhere, or AM/PM times with no first number above 12 (US month-first).
    `serials=False` leaves plain numbers alone (when guessing which column holds dates).
    """
    text = column.cast(pl.String).str.strip_chars()
    iso = _ymd(text, _ISO, 1, 2, 3)
    day_first = _ymd(text, _DAY_FIRST, 3, 2, 1)
    # '10.05.13' is a clock time as often as a date: the column decides. Its "years" are the
    # seconds, spread over decades, where one survey's short dates span a few years at most.
    short = text.str.contains(_CLOCK_OR_SHORT_DATE)
    years = pl.when(short).then(day_first.dt.year())
    on_a_clock = ~short | text.str.contains(_CLOCK)
    clock = ((years.max() - years.min()) > CLOCK_YEAR_SPREAD) & on_a_clock.all()
    day_first = pl.when(short & clock).then(None).otherwise(day_first)
    slashed = text.str.extract_groups(_SLASHED)
    first = slashed.struct.field("1").cast(pl.Int32)
    second = slashed.struct.field("2").cast(pl.Int32)
    month_first = (second > 12).any() | (
        text.str.contains(r"(?i)\d\s*[ap]\.?m\.?$").any() & (first <= 12).all()
    )
    slashed_date = pl.when(month_first).then(_ymd(text, _SLASHED, 3, 1, 2))
    candidates = [
        iso,
        day_first,
        slashed_date.otherwise(_ymd(text, _SLASHED, 3, 2, 1)),
        _named(text.str.to_lowercase(), _NAMED_DAY_FIRST, 3, 2, 1),
        _named(text.str.to_lowercase(), _NAMED_MONTH_FIRST, 3, 1, 2),
    ]
    if serials:
        number = text.str.replace(",", ".").cast(pl.Float64, strict=False)
        days = number.floor().cast(pl.Int64, strict=False)  # "NaN", "inf": no day
        in_range = text.str.contains(_SERIAL) & days.is_between(*EXCEL_SERIALS)
        serial = pl.when(in_range).then(pl.lit(EXCEL_EPOCH) + pl.duration(days=days))
        candidates.append(serial.otherwise(None).cast(pl.Date))
    return pl.coalesce(candidates)


def _ymd(text: pl.Expr, pattern: str, year: int, month: int, day: int) -> pl.Expr:
    """The date the pattern's groups spell, or null (also for impossible days like 31.02)."""
    groups = text.str.extract_groups(pattern)
    field = groups.struct.field
    return _date(field(str(year)), field(str(month)), field(str(day)))


def _named(text: pl.Expr, pattern: str, year: int, month: int, day: int) -> pl.Expr:
    """Like `_ymd` where the month is a name ('juli', 'okt', 'Jul'); null for an unknown name."""
    groups = text.str.extract_groups(pattern)
    field = groups.struct.field
    number = field(str(month)).replace_strict(MONTH_NUMBERS, default=None, return_dtype=pl.String)
    return _date(field(str(year)), number, field(str(day)))


def _date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """The date these digit strings spell, or null; a two-digit year gets its century."""
    short = year.cast(pl.Int32)
    century = pl.when(short < TWO_DIGIT_PIVOT).then(2000).otherwise(1900)
    full = pl.when(year.str.len_chars() == 2).then(short + century).otherwise(short)
    parts = [full.cast(pl.String).str.zfill(4), month.str.zfill(2), day.str.zfill(2)]
    return pl.concat_str(parts, separator="-").str.to_date("%Y-%m-%d", strict=False)


def period_kind(dates: pl.Series) -> str:
    """'month' when the dates span more than half a year, else 'week'."""
    dates = dates.drop_nulls()
    if dates.is_empty():
        return "week"
    return "month" if (dates.max() - dates.min()).days > LONG_PERIOD_DAYS else "week"


def period_start(dates: pl.Expr, kind: str) -> pl.Expr:
    """The first day of each date's week (Monday) or month."""
    return dates.dt.truncate("1mo" if kind == "month" else "1w")
