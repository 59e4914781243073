"""When a control is carried out and reported: the plan's frequencies and report moments as dates.

A plan says "kvartalsvis" and "delår, helår"; owners need the dates. Every date follows from the
plan's period and these rules, so ``due`` and its calendar file give the same answer every time.
"""

from __future__ import annotations

import calendar
import difflib
from dataclasses import dataclass
from datetime import date

from internkontroll.swedish import MONTHS

# Frequency → months per occasion (löpande: every month, the control runs continuously).
FREQUENCIES: dict[str, int] = {
    "löpande": 1,
    "månadsvis": 1,
    "kvartalsvis": 3,
    "tertialvis": 4,
    "halvårsvis": 6,
    "årligen": 12,
}
REPORT_MOMENTS = ("delår", "helår")
# The delår report follows the August accounts in most municipalities (delårsbokslut per augusti).
DELAR_MONTH = 8


def normalise_frequency(text: str) -> str:
    """The frequency as the plan's key ("Årligen" → "årligen"), or ValueError with a hint."""
    wanted = text.strip().lower()
    if wanted == "" or wanted in FREQUENCIES:
        return wanted
    close = difflib.get_close_matches(wanted, list(FREQUENCIES), n=1, cutoff=0.5)
    hint = f" (menade du {close[0]!r}?)" if close else ""
    raise ValueError(f"frekvensen {text!r} är okänd{hint}; väntade en av {', '.join(FREQUENCIES)}")


def normalise_moment(text: str) -> str:
    wanted = text.strip().lower()
    if wanted in REPORT_MOMENTS:
        return wanted
    raise ValueError(f"{text!r} är okänt; väntade delår och/eller helår")


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Occasion:
    """One date in the year: a control carried out, or its result reported."""

    day: date
    control_id: str
    title: str
    owner: str
    what: str  # "utförs" or "rapporteras"
    label: str  # e.g. "kvartal 2", "delår"


def _months(start: date, end: date) -> list[tuple[int, int]]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def execution_dates(frequency: str, start: date, end: date) -> list[tuple[date, str]]:
    """The last day of each interval of ``frequency`` in [start, end], with a Swedish label.

    Intervals are counted from the period's first month, so a period from December splits into
    December–February, March–May and so on; the last interval ends at the period's end.
    """
    step = FREQUENCIES.get(frequency)
    if step is None:
        return []
    months = _months(start, end)
    words = {1: "månad", 3: "kvartal", 4: "tertial", 6: "halvår", 12: "år"}
    dates: list[tuple[date, str]] = []
    for number, first in enumerate(range(0, len(months), step), start=1):
        year, month = months[min(first + step, len(months)) - 1]
        day = min(month_end(year, month), end)
        if step == 1:
            label = _month_label(year, month)
        elif step == 12:
            label = "året"
        else:
            label = f"{words[step]} {number}"
        dates.append((day, label))
    return dates


def _month_label(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def report_dates(moments: list[str], year: int, end: date) -> list[tuple[date, str]]:
    """Delår: the end of August of the plan year; helår: the end of the period."""
    dates = []
    for moment in moments:
        if moment == "delår":
            dates.append((month_end(year, DELAR_MONTH), "delår"))
        elif moment == "helår":
            dates.append((end, "helår"))
    return dates
