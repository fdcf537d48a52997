"""Dates that keep their precision.

A date is stored as ISO text at the precision the source gives: ``1952`` (year),
``1952-04`` (month), ``2019-12-09`` with precision ``week`` (the Monday of that
week) or ``2019-12-10`` (day). ISO text sorts sensibly across precisions: a
year sorts before its months and a month before its days.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .errors import InvalidInput

PRECISIONS = ("year", "month", "week", "day")

_SHAPES = {
    "year": re.compile(r"\d{4}"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "week": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "day": re.compile(r"\d{4}-\d{2}-\d{2}"),
}
_ANY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def precision_of(value: str) -> str:
    """The precision that a bare ISO value states by its length."""
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "")


def check_date(value: str, precision: str) -> None:
    """Raise InvalidInput unless ``value`` is a real date written at ``precision``."""
    if precision not in PRECISIONS:
        raise InvalidInput(f"unknown date precision {precision!r} (use one of {', '.join(PRECISIONS)})")
    if not _SHAPES[precision].fullmatch(value or ""):
        raise InvalidInput(f"date {value!r} is not written as its precision {precision!r} needs")
    parse_bound(value)


def parse_bound(value: str) -> str:
    """Validate a user's date bound (``2019``, ``2019-11`` or ``2019-11-10``) and return it."""
    m = _ANY.fullmatch(value.strip())
    if not m:
        raise InvalidInput(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = m.groups()
    if int(year) == 0:
        raise InvalidInput(f"not a date: {value!r} (there is no year 0)")
    if month is not None and not 1 <= int(month) <= 12:
        raise InvalidInput(f"not a date: {value!r} (month {month} does not exist)")
    if day is not None:
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            raise InvalidInput(f"not a date: {value!r} (day {day} does not exist in that month)") from None
    return m.group(0)


def upper_bound(value: str) -> str:
    """The largest ISO text that still lies inside ``value`` (for inclusive ``until``)."""
    return value + "\uffff"


def format_date(value: str | None, precision: str | None, end: str | None = None) -> str:
    """A reader's label: ``1952`` / ``April 1952`` / ``week of 9 December 2019`` / ``10 December 2019``."""
    if not value:
        return "undated"
    label = _label(value, precision or precision_of(value))
    if end:
        label = f"{label}–{_label(end, precision_of(end))}"
    return label


def short_date(value: str | None, precision: str | None) -> str:
    """A compact label for narrow columns: ``1952``, ``1952-04``, ``2019-12-10``, ``wk 2019-12-09``."""
    if not value:
        return "—"
    return f"wk {value}" if precision == "week" else value


def _label(value: str, precision: str) -> str:
    parts = value.split("-")
    year = parts[0]
    if precision == "year" or len(parts) == 1:
        return year
    month = calendar.month_name[int(parts[1])]
    if precision == "month" or len(parts) == 2:
        return f"{month} {year}"
    day = int(parts[2])
    if precision == "week":
        return f"week of {day} {month} {year}"
    return f"{day} {month} {year}"
