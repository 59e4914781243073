"""The IVO quarter entries worked out for many cases at once are ``quarter_entry``'s, case by case:
status, date, days, band and note, for random dates with month ends, leap days and blanks, with
and without avbrott, end and declined offer, in quarters before, around and after the cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from internkontroll_checks.ivo_arrays import STATUSES, entries_by_quarter, quarter_entries
from internkontroll_checks.ivo_arrays import cases as cases_of
from internkontroll_checks.ivo_report import BANDS, IvoCase, IvoEntry, quarter_entry

from internkontroll.periods import add_months

QUARTER_BOUNDS = [
    day
    for year in (2023, 2024, 2025)
    for month in (1, 4, 7, 10)
    for day in (date(year, month, 1), add_months(date(year, month, 1), 3) - timedelta(days=1))
]
EDGES = [
    date(2024, 2, 29),
    date(2023, 2, 28),
    date(2024, 1, 31),
    date(2023, 11, 30),
    date(2024, 5, 31),
    date(2024, 8, 31),
    *QUARTER_BOUNDS,
]


def days_near(base: date) -> st.SearchStrategy[date | None]:
    """A day within two years of ``base``, often a month's end or a leap day, or a day next to
    the three-month date or a band's bound; sometimes blank."""
    near = st.integers(-800, 800).map(lambda n: base + timedelta(days=n))
    bounds = st.builds(
        lambda months, shift: add_months(base, months) + timedelta(days=shift),
        st.sampled_from([3, 6, 12]),
        st.integers(-1, 1),
    )
    return st.one_of(st.none(), near, st.sampled_from(EDGES), bounds)


@st.composite
def cases(draw: st.DrawFn) -> IvoCase:
    start = draw(st.one_of(st.sampled_from(EDGES), days_near(date(2024, 1, 1)).filter(bool)))
    assert start is not None
    interruption = draw(st.booleans())
    done = draw(days_near(start))
    return IvoCase(
        decision_id="x",
        law="SoL",
        service="",
        legal_basis="",
        sex="Okänt",
        decided=start,
        start=start,
        done=done,
        ended=draw(st.one_of(days_near(start), st.just(done))),
        end_reason="",
        declined=None if interruption else draw(days_near(start)),
        interruption=interruption,
    )


def quarter_of(day: date) -> tuple[date, date]:
    first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return first, add_months(first, 3) - timedelta(days=1)


@st.composite
def quarters_of(draw: st.DrawFn, batch: list[IvoCase]) -> tuple[date, date]:
    """A quarter in which something happens to a case (its three months end, it is verkställd
    or ends), or any from 2023 to 2025."""
    moments = [
        day
        for case in batch
        for day in (case.deadline, case.done, case.ended, case.declined)
        if day is not None
    ]
    year, month = draw(st.integers(2023, 2025)), draw(st.sampled_from([1, 4, 7, 10]))
    return quarter_of(draw(st.sampled_from([date(year, month, 1), *moments])))


def column(days: list[date | None]) -> np.ndarray:  # type: ignore[type-arg]
    return np.array(days, dtype="datetime64[D]")


def entries_of(batch: list[IvoCase], first: date, last: date) -> list[IvoEntry | None]:
    """The array answer, case by case, as ``IvoEntry`` (the note as the check words it): the
    beslut and the avbrott as two sets of cases, as the check makes them."""
    out: list[IvoEntry | None] = [None] * len(batch)
    for interruption in (False, True):
        positions = [n for n, case in enumerate(batch) if case.interruption == interruption]
        mine = [batch[n] for n in positions]
        columns = cases_of(
            column([case.start for case in mine]),
            column([case.done for case in mine]),
            column([case.ended for case in mine]),
            column([case.declined for case in mine]),
            interruption,
        )
        found = quarter_entries(columns, first, last)
        ever = columns.ever_listed(last)
        for at, index in enumerate(found.index.tolist()):
            assert ever[index]  # what the check reads the lines of is never too few
            case = mine[index]
            notes = []
            if case.interruption:
                notes.append(f"avbrott {case.start}")
            if found.declined[at]:
                notes.append(f"erbjudande avböjt {case.declined}")
            if found.closed[at] and case.end_reason:
                notes.append(case.end_reason)
            when = found.when[at]
            out[positions[index]] = IvoEntry(
                status=STATUSES[int(found.status[at])],
                when=None if np.isnat(when) else when.item(),
                days=int(found.days[at]),
                note="; ".join(notes),
                band=BANDS[int(found.band[at])],
            )
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(cases(), min_size=1, max_size=30), st.data(), st.sampled_from(["", "flyttat"]))
def test_every_case_reads_as_quarter_entry_reads_it(
    batch: list[IvoCase], data: st.DataObject, reason: str
) -> None:
    for case in batch:
        case.end_reason = reason
    for _ in range(3):
        first, last = data.draw(quarters_of(batch))
        expected = [quarter_entry(case, first, last) for case in batch]
        assert entries_of(batch, first, last) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(cases(), min_size=1, max_size=30), st.data())
def test_quarters_worked_out_together_are_each_quarter_on_its_own(
    batch: list[IvoCase], data: st.DataObject
) -> None:
    """Several quarters at once (``entries_by_quarter``): each quarter's entries, in turn and
    in the cases' order, are what ``quarter_entry`` gives case by case for that quarter."""
    for case in batch:
        case.end_reason = "flyttat"
    quarters = data.draw(st.lists(quarters_of(batch), min_size=1, max_size=5))
    columns = cases_of(
        column([case.start for case in batch]),
        column([case.done for case in batch]),
        column([case.ended for case in batch]),
        column([case.declined for case in batch]),
        False,
    )
    expected = []
    for number, (first, last) in enumerate(quarters):
        for index, case in enumerate(batch):
            entry = quarter_entry(replace(case, interruption=False), first, last)
            if entry is not None:
                expected.append((number, index, entry.status, entry.when, entry.days, entry.band))
    found = entries_by_quarter(columns, quarters)
    assert found.quarter.tolist() == [number for number, *_ in expected]
    got = zip(
        found.quarter.tolist(),
        found.index.tolist(),
        [STATUSES[status] for status in found.status.tolist()],
        found.when.tolist(),
        found.days.tolist(),
        [BANDS[band] for band in found.band.tolist()],
        strict=True,
    )
    assert list(got) == expected


def test_a_hand_worked_quarter() -> None:
    """Beslut 2024-01-31: three months end 2024-04-30, so first listed in Q2; verkställd in Q3
    after 153 days, 3–6 months; an avbrott from 2024-02-29 not resumed, 122 days at Q2's end."""
    beslut = IvoCase("a", "SoL", "", "", "Okänt", date(2024, 1, 31), date(2024, 1, 31), None)
    verkstalld = IvoCase(
        "b", "SoL", "", "", "Okänt", date(2024, 1, 31), date(2024, 1, 31), date(2024, 7, 2)
    )
    avbrott = IvoCase(
        "c", "LSS", "", "", "Okänt", date(2023, 5, 2), date(2024, 2, 29), None, interruption=True
    )
    batch = [beslut, verkstalld, avbrott]
    q1 = entries_of(batch, date(2024, 1, 1), date(2024, 3, 31))
    assert q1 == [None, None, None]
    q2 = entries_of(batch, date(2024, 4, 1), date(2024, 6, 30))
    assert q2[0] == IvoEntry("Ej verkställt", None, 151, "", "3–6 månader")
    assert q2[2] == IvoEntry(
        "Avbrott, ej återupptaget", None, 122, "avbrott 2024-02-29", "3–6 månader"
    )
    q3 = entries_of(batch, date(2024, 7, 1), date(2024, 9, 30))
    assert q3[1] == IvoEntry("Verkställt", date(2024, 7, 2), 153, "", "3–6 månader")
    assert q3[0] == IvoEntry("Ej verkställt", None, 243, "", "6–12 månader")


def test_a_beslut_whose_three_months_leave_the_calendar_fails_as_the_row_path_does() -> None:
    far = IvoCase("a", "SoL", "", "", "Okänt", date(9999, 10, 1), date(9999, 10, 1), None)
    with pytest.raises(ValueError) as row_path:
        quarter_entry(far, date(9999, 10, 1), date(9999, 12, 31))
    with pytest.raises(ValueError) as arrays:
        entries_of([far], date(9999, 10, 1), date(9999, 12, 31))
    assert str(arrays.value) == str(row_path.value)


def test_bands_near_the_calendar_end_are_the_row_paths() -> None:
    near = IvoCase("a", "SoL", "", "", "Okänt", date(9999, 1, 15), date(9999, 1, 15), None)
    late = IvoCase("b", "SoL", "", "", "Okänt", date(9999, 6, 15), date(9999, 6, 15), None)
    assert entries_of([near], date(9999, 4, 1), date(9999, 6, 30)) == [
        quarter_entry(near, date(9999, 4, 1), date(9999, 6, 30))
    ]
    with pytest.raises(ValueError):
        quarter_entry(late, date(9999, 10, 1), date(9999, 12, 31))
    with pytest.raises(ValueError):
        entries_of([late], date(9999, 10, 1), date(9999, 12, 31))
