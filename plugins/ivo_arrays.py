"""The IVO report's quarter entries for many cases at once, as ``ivo_report.quarter_entry`` gives
them one at a time.

A batch of a million decisions has tens of thousands of lines on the IVO list; working them out
case by case, with a ``date`` and three month steps each, was most of the control's time. Here
each quarter is a few array operations over every case of a batch, and only the text of the lines
that are listed is made in Python (by the caller).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from internkontroll.periods import add_months

from .date_arrays import LAST_SAFE, add_months_each
from .ivo_report import (
    BANDS,
    DEADLINE_MONTHS,
    ENDED,
    EXECUTED,
    INTERRUPTED,
    NOT_EXECUTED,
    RESUMED,
    band,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from .date_arrays import Days, Ints

    Mask = npt.NDArray[np.bool_]

STATUSES = (NOT_EXECUTED, EXECUTED, ENDED, INTERRUPTED, RESUMED)
"""The statuses by code: an avbrott's codes are its beslut's plus three."""
WAITING, DONE, CLOSED = 0, 1, 2
LAST_YEAR_SAFE = "9998-12-31"
"""The last day a year can be added to within the calendar ``date`` knows."""


@dataclass(frozen=True, slots=True)
class QuarterEntries:
    """The cases listed in one quarter's report and their entries, element by element."""

    index: Ints
    """The listed cases' positions among the cases, in order."""
    status: Ints
    """An index into ``STATUSES``."""
    when: Days
    """The date of verkställighet, resumption or end; NaT while the case is still waiting."""
    days: Ints
    band: Ints
    """An index into ``ivo_report.BANDS``."""
    declined: Mask
    """Whether the note names the declined offer."""
    closed: Mask
    """Whether the case ended in the quarter: the note then ends with the reason, if any."""
    quarter: Ints
    """The quarter of each entry, by its place among the quarters asked for."""


@dataclass(frozen=True, slots=True)
class Cases:
    """Cases as columns: the beslut's or the avbrott's date (the three months run from it), the
    date verkställd or resumed (NaT when it ended first: a later date is not verkställighet of
    this beslut), ended and declined (NaT where none), whether they are avbrott, and their
    three-month dates, worked out once for every quarter (``cases``)."""

    start: Days
    done: Days
    ended: Days
    declined: Days
    interruption: Mask
    deadline: Days

    def __len__(self) -> int:
        return len(self.start)

    def take(self, indices: Ints | Mask) -> Cases:
        """The cases at ``indices`` (or flagged by a mask), in order."""
        return Cases(
            self.start[indices],
            self.done[indices],
            self.ended[indices],
            self.declined[indices],
            self.interruption[indices],
            self.deadline[indices],
        )

    def ever_listed(self, last: date) -> Mask:
        """The cases that can be listed in a quarter ending by ``last``: three months passed
        before it, and neither verkställd nor ended within them."""
        import numpy as np

        listed: Mask = (self.deadline < np.datetime64(last, "D")) & ~(self.done <= self.deadline)
        listed &= ~(np.isnat(self.done) & (self.ended <= self.deadline))
        return listed


def joined(first: Cases, second: Cases) -> Cases:
    """The cases of ``first``, then those of ``second``."""
    import numpy as np

    return Cases(
        *(
            np.concatenate([getattr(first, name), getattr(second, name)])
            for name in ("start", "done", "ended", "declined", "interruption", "deadline")
        )
    )


def cases(
    start: Days,
    done: Days,
    ended: Days,
    declined: Days,
    interruption: bool,
    deadline: Days | None = None,
) -> Cases:
    """Cases from their dates; ``deadline`` when the caller has the three-month dates already.
    Fails as ``IvoCase.deadline`` fails on a date whose three months end after year 9999."""
    import numpy as np

    if deadline is None:
        beyond = start[start > np.datetime64(LAST_SAFE, "D")]
        if len(beyond):
            add_months(beyond[0].item(), DEADLINE_MONTHS)
        deadline = add_months_each(start, DEADLINE_MONTHS)
    return Cases(
        start=start,
        done=np.where(ended < done, np.datetime64("NaT", "D"), done),  # NaT compares false
        ended=ended,
        declined=declined,
        interruption=np.full(len(start), interruption, dtype=np.bool_),
        deadline=deadline,
    )


def quarter_entries(cases: Cases, first: date, last: date) -> QuarterEntries:
    """``quarter_entry`` of every case for the quarter ``first``–``last``: the listed ones."""
    return entries_by_quarter(cases, [(first, last)])


def entries_by_quarter(cases: Cases, quarters: Sequence[tuple[date, date]]) -> QuarterEntries:
    """``quarter_entries`` for each quarter (first and last day) in turn, as one set of entries:
    the first quarter's listed cases in order, then the next one's (``quarter`` says which).
    Worked out for every quarter at once, so that a batch costs the same few array operations
    whatever the number of quarters, and the band bounds once per case, not per quarter."""
    import numpy as np

    lows = np.array([first for first, _ in quarters], dtype="datetime64[D]")[:, None]
    highs = np.array([last for _, last in quarters], dtype="datetime64[D]")[:, None]
    deadline, done, ended = cases.deadline, cases.done, cases.ended
    is_done = done <= highs
    is_closed = ~is_done & (ended <= highs)
    listed = deadline < highs
    listed &= ~(is_done & ((done < lows) | (done <= deadline)))
    listed &= ~(is_closed & ((ended < lows) | (ended <= deadline)))
    quarter, index = np.nonzero(listed)  # quarter by quarter, each in the cases' order
    high = highs[quarter, 0]
    done, ended, start = done[index], ended[index], cases.start[index]
    is_done = done <= high
    is_closed = ~is_done & (ended <= high)
    kind = np.where(is_done, DONE, np.where(is_closed, CLOSED, WAITING))
    status = kind + np.where(cases.interruption[index] & (kind != CLOSED), 3, 0)
    nat = np.datetime64("NaT", "D")
    when = np.where(is_done, done, np.where(is_closed, ended, nat))
    until = np.where(np.isnat(when), high, when)
    six, twelve = add_months_each(cases.start, 6), add_months_each(cases.start, 12)
    bands = np.where(until <= six[index], 0, np.where(until <= twelve[index], 1, 2))
    for at in np.flatnonzero(start > np.datetime64(LAST_YEAR_SAFE, "D")).tolist():
        # Near year 9999 the bands are the row path's own, which fails where it fails.
        bands[at] = BANDS.index(band(start[at].item(), until[at].item()))
    return QuarterEntries(
        index=index,
        status=status.astype(np.int64),
        when=when,
        days=(until - start).astype(np.int64),
        band=bands.astype(np.int64),
        declined=cases.declined[index] <= high,
        closed=is_closed,
        quarter=quarter,
    )
