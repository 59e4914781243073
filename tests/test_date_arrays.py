"""Month steps on columns of days are ``periods.add_months``, day by day: month ends, leap days,
blanks, steps back and forth, across the calendar ``date`` knows."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from internkontroll_checks.date_arrays import LOOK_UP_FROM, DayTexts, add_months_each

from internkontroll.periods import add_months

ENDS = [date(2024, 2, 29), date(2023, 2, 28), date(2000, 2, 29), date(1900, 2, 28)]
ENDS += [date(2024, month, 1) - timedelta(days=1) for month in range(2, 13)]
DAYS = st.one_of(
    st.none(),
    st.sampled_from(ENDS),
    st.dates(min_value=date(5, 1, 1), max_value=date(9990, 12, 31)),  # ±4 years stay in it
    st.dates(min_value=date(1969, 1, 1), max_value=date(2026, 12, 31)),
)


def column(days: list[date | None]) -> np.ndarray:  # type: ignore[type-arg]
    return np.array(days, dtype="datetime64[D]")


@settings(max_examples=300, deadline=None)
@given(st.lists(DAYS, min_size=1, max_size=40), st.integers(-48, 48), st.data())
def test_each_day_moves_as_add_months_moves_it(
    days: list[date | None], months: int, data: st.DataObject
) -> None:
    moved = add_months_each(column(days), months).tolist()
    assert moved == [None if day is None else add_months(day, months) for day in days]
    steps = data.draw(st.lists(st.integers(0, 48), min_size=len(days), max_size=len(days)))
    moved = add_months_each(column(days), np.array(steps)).tolist()
    assert moved == [
        None if day is None else add_months(day, step)
        for day, step in zip(days, steps, strict=True)
    ]


def test_hand_worked_steps() -> None:
    days = column([date(2024, 1, 31), date(2023, 11, 30), None, date(2024, 2, 29)])
    assert add_months_each(days, 3).tolist() == [
        date(2024, 4, 30),
        date(2024, 2, 29),
        None,
        date(2024, 5, 29),
    ]
    assert add_months_each(days, 12).tolist()[3] == date(2025, 2, 28)


@st.composite
def many_days(draw: st.DrawFn) -> list[date | None]:
    """Enough days for the look-up, within a span narrower than their count (looked up) or
    wider (moved as such), some blank."""
    first = draw(st.dates(min_value=date(5, 1, 1), max_value=date(9990, 12, 31)))
    span = draw(st.sampled_from([0, 1, 31, LOOK_UP_FROM, 400]))
    offsets = draw(
        st.lists(
            st.one_of(st.none(), st.integers(0, span)),
            min_size=LOOK_UP_FROM + 1,
            max_size=200,
        )
    )
    return [None if n is None else first + timedelta(days=n) for n in offsets]


@settings(max_examples=100, deadline=None)
@given(many_days(), st.integers(-48, 48))
def test_many_days_moved_by_one_step_move_as_add_months_moves_them(
    days: list[date | None], months: int
) -> None:
    moved = add_months_each(column(days), months).tolist()
    assert moved == [None if day is None else add_months(day, months) for day in days]


def test_many_blank_days_stay_blank() -> None:
    assert add_months_each(column([None] * (LOOK_UP_FROM + 1)), 3).tolist() == [None] * (
        LOOK_UP_FROM + 1
    )


TEXTS = DayTexts()  # one for every example: days met before are looked up, as in a run


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.dates()), max_size=40))
def test_day_texts_are_str_of_each_day_and_blank_for_nat(days: list[date | None]) -> None:
    expected = ["" if day is None else str(day) for day in days]
    assert TEXTS.of(column(days)) == expected
    assert TEXTS.of(column(days)) == expected
