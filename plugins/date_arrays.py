"""Calendar arithmetic on columns of days (``datetime64[D]``), as ``periods`` does it on one date.

A check's ``feed_batch`` needs the three-month date of every decision in a batch, or each
follow-up's due date; these give, element by element, what ``periods.add_months`` gives (NaT
where the day is blank), without a Python call per row. numpy is imported by the caller's batch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Days = npt.NDArray[np.datetime64]
    Ints = npt.NDArray[np.int64]

LAST_SAFE = "9999-09-30"
"""The last day ``add_months(day, 3)`` can reach without leaving the calendar ``date`` knows."""


def month_index(days: Days) -> Ints:
    """Months since January 1970 of each day: year * 12 + month, up to a constant."""
    import numpy as np

    index: Ints = days.astype("datetime64[M]").astype(np.int64)
    return index


def add_months_each(days: Days, months: Any) -> Days:
    """Each day ``months`` later (a number or one per day), or that month's last day."""
    import numpy as np

    start = days.astype("datetime64[M]")
    offset = (days - start.astype("datetime64[D]")).astype(np.int64)
    target = start + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    first = target.astype("datetime64[D]")
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - first).astype(np.int64)
    moved: Days = first + np.minimum(offset, length - 1).astype("timedelta64[D]")
    return moved
