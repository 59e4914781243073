"""The due-based follow-up of tillsvidarebeslut against a plain reading of the rule.

The reference lists the due dates the plain way: every ``interval`` months from the decision.
The known follow-up belongs to the first of them it is no later than plus the grace (in time),
or to the one before, late, when it lies nearer that one; every due date before the one it
belongs to is missed. From the follow-up on, every ``interval`` months again, all missed (no later
follow-up is known).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from internkontroll_checks.beslutsuppfoljning import follow_up_dues

from .decisions import Decision, exports, run_control, usable

PERIOD = (date(2024, 1, 1), date(2024, 11, 30))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def months_later(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def reference_dues(
    decided: date,
    followed_up: date | None,
    ended: date | None,
    interval: int,
    grace: int,
    since: date,
    until: date,
) -> list[tuple[date, bool]]:
    def nominal(k: int) -> date:
        return months_later(decided, k * interval)

    dues: list[tuple[date, bool]] = []
    if followed_up is None:
        anchor = decided
    else:
        first = 1
        while followed_up > nominal(first) + timedelta(days=grace):
            first += 1
        before = first - 1
        late = before >= 1 and (followed_up - nominal(before)) <= (nominal(first) - followed_up)
        answered = before if late else first
        dues = [(nominal(k), False) for k in range(1, answered)]
        dues.append((nominal(answered), not late))
        anchor = followed_up
    k = 1
    while months_later(anchor, k * interval) <= until:
        dues.append((months_later(anchor, k * interval), False))
        k += 1
    return [
        (due, ok) for due, ok in dues if since <= due <= until and (ended is None or due <= ended)
    ]


def computed(*args: object) -> list[tuple[date, bool]]:
    return [(d.due, d.in_time) for d in follow_up_dues(*args)]  # type: ignore[arg-type]


days = st.dates(min_value=date(2018, 1, 1), max_value=date(2026, 12, 31))


@settings(max_examples=500, deadline=None)
@given(
    decided=days,
    follow_gap=st.one_of(st.none(), st.integers(min_value=0, max_value=1500)),
    end_gap=st.one_of(st.none(), st.integers(min_value=0, max_value=2500)),
    interval=st.sampled_from([1, 3, 6, 12, 24]),
    grace=st.integers(min_value=0, max_value=27),
    since=days,
    length=st.integers(min_value=0, max_value=800),
)
def test_due_dates_match_the_plain_reading(
    decided: date,
    follow_gap: int | None,
    end_gap: int | None,
    interval: int,
    grace: int,
    since: date,
    length: int,
) -> None:
    followed = None if follow_gap is None else decided + timedelta(days=follow_gap)
    ended = None if end_gap is None else decided + timedelta(days=end_gap)
    until = since + timedelta(days=length)
    args = (decided, followed, ended, interval, grace, since, until)
    assert computed(*args) == reference_dues(*args)


D = date.fromisoformat


@pytest.mark.parametrize(
    ("decided", "followed_up", "expected"),
    [
        # Due 2024-02-28; grace 10 days in a leap year: in time up to 9 March.
        ("2023-02-28", None, [("2024-02-28", False)]),
        ("2023-02-28", "2024-03-09", [("2024-02-28", True)]),
        ("2023-02-28", "2024-03-10", [("2024-02-28", False)]),
        # Decided on a leap day: due on 28 February, and on the 29th again in a leap year.
        ("2020-02-29", None, [("2024-02-29", False)]),
        ("2020-02-29", "2021-03-10", [("2024-03-10", False)]),
        ("2023-03-31", None, [("2024-03-31", False)]),
        ("2023-03-31", "2024-04-10", [("2024-03-31", True)]),
        ("2023-03-31", "2024-04-11", [("2024-03-31", False)]),
        # Year end: decided 2022-12-31, due 2023-12-31 is before the period; the late follow-up
        # on 2024-01-20 answers it, and the next falls due 2025-01-20, after the period.
        ("2022-12-31", "2024-01-20", []),
        # A follow-up nearer the next due date answers that one early: due 2023-06-30 missed
        # (before the period), 2024-06-30 answered on 2024-04-15, next due 2025-04-15.
        ("2022-06-30", "2024-04-15", [("2024-06-30", True)]),
        # Nearer the due date before: a late answer to 2024-03-31 (2024-05-20 is 50 days after).
        ("2023-03-31", "2024-05-20", [("2024-03-31", False)]),
        # Never followed up: due 2023-12-31, then 2024-12-31: none in the period.
        ("2022-12-31", None, []),
        ("2023-01-01", None, [("2024-01-01", False)]),
        # Followed up early (2023-06-01) answers the due of 2023-12-15 (before the period); the
        # next falls due 2024-06-01, with no later follow-up known: missed.
        ("2022-12-15", "2023-06-01", [("2024-06-01", False)]),
        # An old decision never followed up falls due every year: 2024-05-31 is in the period.
        ("2016-05-31", None, [("2024-05-31", False)]),
        # Decided in the period: the first due is a year on, after the period.
        ("2024-02-01", None, []),
    ],
)
def test_due_dates_at_month_and_year_ends(
    decided: str, followed_up: str | None, expected: list[tuple[str, bool]]
) -> None:
    dues = computed(D(decided), D(followed_up) if followed_up else None, None, 12, 10, *PERIOD)
    assert dues == [(D(day), ok) for day, ok in expected]


def test_a_decision_that_ended_before_its_due_date_is_not_due() -> None:
    assert computed(D("2023-03-31"), None, D("2024-03-30"), 12, 0, *PERIOD) == []
    assert computed(D("2023-03-31"), None, D("2024-03-31"), 12, 0, *PERIOD) == [
        (D("2024-03-31"), False)
    ]


@FAST
@given(exports())
def test_tillsvidare_due_rule_matches_a_plain_computation(decisions: list[Decision]) -> None:
    control = """
check = "beslutsuppfoljning"
period = { start = 2024-01-01, end = 2024-11-30 }
[control.params]
kind = "tillsvidare"
grace_days = 10
[control.params.strata]
"LSS" = { law = "LSS" }
"Hemtjänst" = { service = "Hemtjänst" }
"""
    kept, invalid, duplicates = usable(decisions, ("Beslutsdatum",))
    counts: dict[str, list[bool]] = {"LSS": [], "Hemtjänst": []}
    not_due = 0
    for d in kept:
        assert d.decided is not None
        if (d.valid_to and d.valid_to < d.decided) or (d.followed_up and d.followed_up < d.decided):
            invalid += 1
            continue
        in_force = (
            d.valid_to is None
            and d.decided <= PERIOD[1]
            and (d.ended is None or d.ended >= PERIOD[0])
        )
        if not in_force:
            continue
        dues = reference_dues(d.decided, d.followed_up, d.ended, 12, 10, *PERIOD)
        if not dues:
            not_due += 1
            continue
        ok = all(in_time for _, in_time in dues)
        if d.law == "LSS":
            counts["LSS"].append(ok)
        if d.service == "Hemtjänst":
            counts["Hemtjänst"].append(ok)
    expected: dict[str, float] = {
        "invalid_rows": invalid,
        "duplicate_rows": duplicates,
        "not_due": not_due,
    }
    for stratum, oks in counts.items():
        expected |= {f"{stratum}.n": len(oks), f"{stratum}.followed_up": sum(oks)}
        if oks:
            expected[f"{stratum}.rate"] = sum(oks) / len(oks)
    with run_control(control, decisions) as result:
        metrics = result.outcome.metrics
        for name, value in expected.items():
            assert metrics[name] == pytest.approx(value), name
