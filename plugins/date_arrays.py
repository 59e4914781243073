"""Calendar arithmetic on columns of days (``datetime64[D]``), as ``periods`` does it on one date.

A check's ``feed_batch`` needs the three-month date of every decision in a batch, or each
follow-up's due date; these give, element by element, what ``periods.add_months`` gives (NaT
where the day is blank), without a Python call per row. numpy is imported by the caller's batch.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Days = npt.NDArray[np.datetime64]
    Ints = npt.NDArray[np.int64]

MONTH_LENGTHS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
LOOK_UP_FROM = 64
"""From how many days ``add_months_each`` moves them through a table of their span."""
LAST_SAFE = "9999-09-30"
"""The last day ``add_months(day, 3)`` can reach without leaving the calendar ``date`` knows."""


def month_index(days: Days) -> Ints:
    """Months since January 1970 of each day: year * 12 + month, up to a constant."""
    import numpy as np

    index: Ints = days.astype("datetime64[M]").astype(np.int64)
    return index


def add_months_each(days: Days, months: Any) -> Days:
    """Each day ``months`` later (a number or one per day), or that month's last day; NaT stays.

    Worked out on the days' numbers (the civil calendar's formulas, after Howard Hinnant's
    ``days_from_civil``), not through ``datetime64[M]``: numpy's conversions between days and
    months cost three times as much, and this runs for every decision of every batch. Many days
    moved by one step are worked out once per day of their span and looked up (``_looked_up``)."""
    import numpy as np

    if np.ndim(months) == 0 and len(days) > LOOK_UP_FROM:
        return _looked_up(days, int(months))
    return _moved(days, months)


def _moved(days: Days, months: Any) -> Days:
    import numpy as np

    blank = np.isnat(days)
    year, month, day = _civil(days.astype(np.int64))
    index = year * 12 + (month - 1) + np.asarray(months, dtype=np.int64)
    year, month = index // 12, index % 12 + 1
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    length = np.array(MONTH_LENGTHS, dtype=np.int64)[month - 1] + ((month == 2) & leap)
    moved: Days = _days(year, month, np.minimum(day, length)).astype("datetime64[D]")
    if blank.any():
        moved[blank] = np.datetime64("NaT", "D")
    return moved


def _looked_up(days: Days, months: int) -> Days:
    """``_moved`` of many days by one step through a table of every day from the first to the
    last of them: a batch's decisions fall on a few hundred distinct days, and a look-up costs
    a tenth of the calendar's arithmetic. Days spread wider than their count are moved as such."""
    import numpy as np

    number = days.astype(np.int64)
    blank = np.isnat(days)
    some_blank = bool(blank.any())
    present = number[~blank] if some_blank else number
    if not len(present):
        return days.copy()
    low, high = int(present.min()), int(present.max())
    if high - low >= len(days):
        return _moved(days, months)
    table = _moved(np.arange(low, high + 1).astype("datetime64[D]"), months)
    moved: Days = table[(np.where(blank, low, number) if some_blank else number) - low]
    if some_blank:
        moved[blank] = np.datetime64("NaT", "D")
    return moved


def _civil(number: Ints) -> tuple[Ints, Ints, Ints]:
    """Year, month (1-12) and day of each day numbered from 1970-01-01."""
    shifted = number + 719468  # from 0000-03-01: a year's leap day comes last
    era = shifted // 146097
    of_era = shifted - era * 146097
    year_of_era = (of_era - of_era // 1460 + of_era // 36524 - of_era // 146096) // 365
    of_year = of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    from_march = (5 * of_year + 2) // 153
    day = of_year - (153 * from_march + 2) // 5 + 1
    month = from_march + 3 - 12 * (from_march >= 10)
    year = year_of_era + era * 400 + (month <= 2)
    return year, month, day


def _days(year: Ints, month: Ints, day: Ints) -> Ints:
    """The number from 1970-01-01 of each year, month (1-12) and day."""
    year = year - (month <= 2)
    era = year // 400
    year_of_era = year - era * 400
    of_year = (153 * (month + 9 - 12 * (month > 2)) + 2) // 5 + day - 1
    of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + of_year
    days: Ints = era * 146097 + of_era - 719468
    return days


class DayTexts:
    """Days as the text ``str(date)`` gives them ("" for NaT), each distinct day's made once a
    run: a million decisions' IVO lines and findings name a few thousand distinct days, and
    the lines then share each day's text (one object, which pickle writes once a chunk)."""

    def __init__(self) -> None:
        self._texts: dict[int, str] = {}

    def of(self, days: Days) -> list[str]:
        import numpy as np

        numbers: list[int] = days.astype(np.int64).tolist()
        texts = self._texts
        for number in set(numbers).difference(texts):
            texts[number] = "" if number == _NAT else str(_EPOCH + timedelta(days=number))
        return list(map(texts.__getitem__, numbers))


_NAT = -(2**63)
"""A NaT day as a number."""
_EPOCH = date(1970, 1, 1)
