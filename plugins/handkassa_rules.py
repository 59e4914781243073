"""Handkassa rules that look at more than one row: monthly counts, split purchases, two counters.

Plain functions over a handkassa's dates and amounts, so that each rule can be tested on its own
and the check stays a fold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from internkontroll.periods import add_months


def months_without_count(
    start: date, end: date, counted: Sequence[date]
) -> list[tuple[date, date]]:
    """The calendar months of ``start``–``end`` (cut to it) in which no count was taken."""
    days = set(counted)
    missing = []
    first = start.replace(day=1)
    while first <= end:
        following = add_months(first, 1)
        part = (max(first, start), min(following - timedelta(days=1), end))
        span = (part[1] - part[0]).days + 1
        if not any(part[0] + timedelta(days=i) in days for i in range(span)):
            missing.append(part)
        first = following
    return missing


def split_groups(
    purchases: Sequence[tuple[date, Decimal]], split_days: int, max_amount: Decimal
) -> list[list[int]]:
    """Purchases (by one person in one handkassa) that look split to stay under the maximum.

    A window is two or more purchases, each not above ``max_amount``, dated at most
    ``split_days`` apart, whose sum is above it. Overlapping windows are one group. Returns the
    groups as indexes into ``purchases``, in date order.
    """
    order = sorted(
        (i for i, (_, amount) in enumerate(purchases) if amount <= max_amount),
        key=lambda i: purchases[i][0],
    )
    flagged: list[list[int]] = []
    for at, first in enumerate(order):
        window = [
            i for i in order[at:] if (purchases[i][0] - purchases[first][0]).days <= split_days
        ]
        if len(window) < 2 or sum(purchases[i][1] for i in window) <= max_amount:
            continue
        if flagged and set(window) & set(flagged[-1]):
            flagged[-1] = sorted(set(flagged[-1]) | set(window), key=order.index)
        else:
            flagged.append(window)
    return flagged


_SEPARATORS = re.compile(r"\s*(?:/|,|;|&|\+|\boch\b)\s*", re.IGNORECASE)


def counters(counted_by: str) -> set[str]:
    """The different people named in a count's "räknat av": "A. Berg / O. Said" is two."""
    return {name.casefold() for name in _SEPARATORS.split(counted_by.strip()) if name.strip()}
