"""Calendar arithmetic the checks share: month steps, and splitting a period into parts."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Literal

from internkontroll.models import Period

Split = Literal["halvår", "kvartal"]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day: 2024-01-31 + 3 → 2024-04-30."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def split_period(period: Period, split: Split) -> list[tuple[str, Period]]:
    """Calendar half-years (H1, H2) or quarters (Q1..Q4) clipped to ``period``.

    Names carry the year ("2023-Q4") when the period spans more than one calendar year.
    """
    months = 6 if split == "halvår" else 3
    letter = "H" if split == "halvår" else "Q"
    with_year = period.start.year != period.end.year
    parts: list[tuple[str, Period]] = []
    start = date(period.start.year, (period.start.month - 1) // months * months + 1, 1)
    while start <= period.end:
        end = add_months(start, months).replace(day=1)
        last = date.fromordinal(end.toordinal() - 1)
        number = (start.month - 1) // months + 1
        name = f"{start.year}-{letter}{number}" if with_year else f"{letter}{number}"
        parts.append((name, Period(start=max(start, period.start), end=min(last, period.end))))
        start = end
    return parts


def part_of(day: date, parts: list[tuple[str, Period]]) -> str | None:
    for name, part in parts:
        if part.contains(day):
            return name
    return None


def quarters(period: Period) -> list[tuple[str, Period]]:
    """Calendar quarters clipped to ``period``, always named with the year: 2024-Q1."""
    out = []
    for name, part in split_period(period, "kvartal"):
        label = name if "-" in name else f"{part.start.year}-{name}"
        out.append((label, part))
    return out


def calendar_quarters(period: Period) -> list[tuple[str, Period]]:
    """Every whole calendar quarter that overlaps ``period``, named with the year: 2023-Q4 is
    October to December 2023 even when the period starts on 1 December."""
    out = []
    for label, part in quarters(period):
        first = part.start.replace(month=(part.start.month - 1) // 3 * 3 + 1, day=1)
        last = add_months(first, 3) - timedelta(days=1)
        out.append((label, Period(start=first, end=last)))
    return out
