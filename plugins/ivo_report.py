"""The IVO report of gynnande beslut not verkställda within three months, and the statistics report.

SoL and LSS: each calendar quarter the nämnd reports to IVO every gynnande
beslut not verkställt within three months of the beslut, and every verkställighet interrupted and
not resumed within three months of the avbrott. Each quarter is read as of its last day:

- a case is reportable once its three months have passed by the quarter's last day (beslut
  2024-01-31: past on 2024-05-01, so not in Q1, first in Q2);
- not verkställd (or not resumed) by the quarter's end: "Ej verkställt", days to the quarter's
  end; a later execution date is not known yet and is not shown;
- verkställd (or resumed) during the quarter after its three months: "Verkställt" with the date,
  once, in that quarter; a case verkställd in an earlier quarter is not reported again;
- ended (``ended``) without verkställighet during the quarter after its three months: "Avslutat"
  with the date and ``end_reason``, once, in that quarter and never after;
- a date of verkställighet after the beslut ended is not counted: it ended first;
- an offer the person declined does not make the beslut verkställt: it stays reported, noted
  "Erbjudande avböjt" with the date.

The statistics report to fullmäktige and the revisorer counts
the same cases per quarter, law, insats and kön, by the time since the beslut (or avbrott) at the
quarter's end or at verkställighet: 3–6 months, 6–12 months, over 12 months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from internkontroll.periods import add_months

DEADLINE_MONTHS = 3
BANDS = ("3–6 månader", "6–12 månader", "Över 12 månader")
NOT_EXECUTED, EXECUTED, ENDED = "Ej verkställt", "Verkställt", "Avslutat"
INTERRUPTED, RESUMED = "Avbrott, ej återupptaget", "Återupptaget"


@dataclass(slots=True)
class IvoCase:
    """One beslut, or one avbrott in its verkställighet, as the IVO report needs it: no
    personnummer, only the kön derived from it."""

    decision_id: str
    law: str
    service: str
    legal_basis: str
    sex: str
    decided: date
    start: date
    """The beslut's date, or the avbrott's: the three months run from it."""
    done: date | None
    """Verkställd (``executed``), or resumed for an avbrott."""
    ended: date | None = None
    end_reason: str = ""
    declined: date | None = None
    interruption: bool = False

    @property
    def deadline(self) -> date:
        return add_months(self.start, DEADLINE_MONTHS)


@dataclass(frozen=True, slots=True)
class IvoEntry:
    """How a case reads in one quarter's report."""

    status: str
    when: date | None
    days: int
    note: str
    band: str


def band(start: date, until: date) -> str:
    """The time since ``start`` at ``until`` as the statistics report groups it."""
    if until <= add_months(start, 6):
        return BANDS[0]
    if until <= add_months(start, 12):
        return BANDS[1]
    return BANDS[2]


def quarter_entry(case: IvoCase, first: date, last: date) -> IvoEntry | None:
    """The case's line in the report of the quarter ``first``–``last``, or None."""
    deadline = case.deadline
    done = case.done
    if done is not None and case.ended is not None and case.ended < done:
        done = None  # ended first: a later date is not verkställighet of this beslut
    if deadline >= last:
        return None  # three months not yet passed on the quarter's last day
    notes = []
    if case.interruption:
        notes.append(f"avbrott {case.start}")
    if case.declined is not None and case.declined <= last:
        notes.append(f"erbjudande avböjt {case.declined}")
    if done is not None and done <= last:
        if done < first or done <= deadline:
            return None  # reported as verkställd before this quarter, or verkställd in time
        status, when = (RESUMED if case.interruption else EXECUTED), done
    elif case.ended is not None and case.ended <= last:
        if case.ended < first or case.ended <= deadline:
            return None  # reported as ended before this quarter, or ended before it was late
        status, when = ENDED, case.ended
        if case.end_reason:
            notes.append(case.end_reason)
    else:
        status, when = (INTERRUPTED if case.interruption else NOT_EXECUTED), None
    until = when or last
    return IvoEntry(
        status=status,
        when=when,
        days=(until - case.start).days,
        note="; ".join(notes),
        band=band(case.start, until),
    )
