"""Beviljad tid: revenue at risk per decision period, and late time reports, against day-by-day
reference computations."""

from __future__ import annotations

import calendar
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from internkontroll.engine import ControlResult, run_plan
from internkontroll.planfile import load_plan

from .test_personal_assistance import BEVILJAD

START, END = date(2025, 1, 1), date(2025, 3, 31)  # the plan's period
DEADLINE = 10
PLAN = (
    BEVILJAD.replace('hours = "Timmar"\n\n[[control]]', 'hours = "Timmar"\nreported = "Rapporterad"\n\n[[control]]')
    .replace("hourly_reimbursement = 330", f"hourly_reimbursement = 330\nreport_deadline_days = {DEADLINE}")
)  # fmt: skip
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass
class Grant:
    case: str
    start: date
    end: date | None
    hours: int
    per: str
    source: str


@dataclass
class Report:
    case: str
    day: date
    hours: Decimal
    reported: date | None


def run(grants: list[Grant], reports: list[Report]) -> dict[str, float | int]:
    return run_result(grants, reports).outcome.metrics


def run_result(grants: list[Grant], reports: list[Report]) -> ControlResult:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "plan.toml").write_text(PLAN, encoding="utf-8")
        lines = ["Ärende;Från;Till;Timmar;Per;Källa"]
        lines += [f"{g.case};{g.start};{g.end or ''};{g.hours};{g.per};{g.source}" for g in grants]
        (root / "beslut.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        lines = ["Ärende;Datum;Timmar;Rapporterad"]
        lines += [
            f"{r.case};{r.day};{str(r.hours).replace('.', ',')};{r.reported or ''}" for r in reports
        ]
        (root / "tid.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        [result] = run_plan(*load_plan(root / "plan.toml"))
        assert result.outcome.metrics["invalid_rows"] == 0, result.reason
        return result


def valid(grant: Grant, day: date) -> bool:
    return grant.start <= day and (grant.end is None or day <= grant.end)


def per_day(grant: Grant, day: date) -> Fraction:
    """Exact, so that a shortfall of exactly the tolerance is not tipped over it by rounding."""
    if grant.per == "vecka":
        return Fraction(grant.hours, 7)
    return Fraction(grant.hours, calendar.monthrange(day.year, day.month)[1])


def reference_revenue(grants: list[Grant], reports: list[Report]) -> Fraction:
    """Per case-month: granted and paid summed day by day; the shortfall's paid share at risk."""
    at_risk = Fraction(0)
    for case in {g.case for g in grants} | {r.case for r in reports}:
        for month in (1, 2, 3):
            granted = paid = Fraction(0)
            day = date(2025, month, 1)
            while day.month == month:
                for g in grants:
                    if g.case == case and valid(g, day):
                        granted += per_day(g, day)
                        if g.source == "SFB":
                            paid += per_day(g, day)
                day += timedelta(days=1)
            done = sum(
                (Fraction(r.hours) for r in reports if r.case == case and r.day.month == month),
                Fraction(0),
            )
            if granted - done > 2:  # tolerance_hours = 2
                at_risk += (granted - done) * paid / granted
    return at_risk * 330


grant = st.builds(
    Grant,
    case=st.sampled_from(["A", "B"]),
    start=st.dates(min_value=date(2024, 12, 1), max_value=date(2025, 3, 31)),
    end=st.one_of(st.none(), st.dates(min_value=date(2025, 1, 15), max_value=date(2025, 5, 1))),
    hours=st.integers(min_value=1, max_value=200),
    per=st.sampled_from(["vecka", "månad"]),
    source=st.sampled_from(["SFB", "LSS"]),
).filter(lambda g: g.end is None or g.end >= g.start)
report = st.builds(
    Report,
    case=st.sampled_from(["A", "B"]),
    day=st.dates(min_value=START, max_value=END),
    hours=st.integers(min_value=0, max_value=400).map(lambda n: Decimal(n) / 4),
    reported=st.one_of(st.none(), st.dates(min_value=START, max_value=date(2025, 5, 31))),
)


@FAST
@given(st.lists(grant, max_size=4), st.lists(report, max_size=12))
@example(  # a shortfall of exactly the tolerance (2 h) is not over it, however it is summed
    [Grant("B", date(2024, 12, 1), None, 1, "månad", "SFB")] * 2, []
)
def test_revenue_at_risk_per_decision_period(grants: list[Grant], reports: list[Report]) -> None:
    metrics = run(grants, reports)
    assert metrics["revenue_at_risk"] == pytest.approx(float(reference_revenue(grants, reports)))


@FAST
@given(st.lists(grant, max_size=4), st.lists(report, max_size=12))
def test_late_and_missing_time_reports(grants: list[Grant], reports: list[Report]) -> None:
    late = never = at_risk = Decimal(0)
    for r in reports:
        last = date(2025, r.day.month, calendar.monthrange(2025, r.day.month)[1])
        due = last + timedelta(days=DEADLINE)
        if r.reported is None and due <= END:
            never += r.hours
        elif r.reported is not None and r.reported > due:
            late += r.hours
        else:
            continue
        mine = [g for g in grants if g.case == r.case and valid(g, r.day)]
        latest = max(mine, key=lambda g: g.start) if mine else None
        if latest is not None and latest.source == "SFB":
            at_risk += r.hours
    metrics = run(grants, reports)
    assert metrics["hours_reported_late"] == pytest.approx(float(late))
    assert metrics["hours_not_reported"] == pytest.approx(float(never))
    assert metrics["late_report_revenue_at_risk"] == pytest.approx(float(at_risk * 330))


def test_a_case_that_moves_from_lss_to_sfb() -> None:
    # LSS in January and February, SFB from 1 March: 100 h a month throughout. January is
    # 20 h short (LSS: no revenue at risk); March is 10 h short (SFB: 10 × 330).
    grants = [
        Grant("A", date(2024, 7, 1), date(2025, 2, 28), 100, "månad", "LSS"),
        Grant("A", date(2025, 3, 1), None, 100, "månad", "SFB"),
    ]
    reports = [
        Report("A", date(2025, 1, 15), Decimal(80), date(2025, 2, 3)),
        Report("A", date(2025, 2, 15), Decimal(100), date(2025, 3, 5)),
        Report("A", date(2025, 3, 15), Decimal(90), date(2025, 4, 30)),  # late: due 10 April
    ]
    metrics = run(grants, reports)
    assert metrics["under_reported"] == 2
    assert metrics["revenue_at_risk"] == pytest.approx(10 * 330)
    assert metrics["hours_reported_late"] == 90 and metrics["hours_not_reported"] == 0
    assert metrics["late_report_revenue_at_risk"] == pytest.approx(90 * 330)
    # A change in mid-month: SFB from 16 March pays 16 of 31 days of the month's shortfall.
    grants[0].end, grants[1].start = date(2025, 3, 15), date(2025, 3, 16)
    metrics = run(grants, reports)
    assert metrics["revenue_at_risk"] == pytest.approx(10 * 16 / 31 * 330)


def test_the_month_end_and_year_end_due_dates() -> None:
    grants = [Grant("A", date(2024, 1, 1), None, 70, "vecka", "SFB")]
    reports = [
        Report("A", date(2025, 1, 31), Decimal(10), date(2025, 2, 10)),  # due 10 February
        Report("A", date(2025, 2, 28), Decimal(10), date(2025, 3, 11)),  # due 10 March: late
        Report("A", date(2025, 3, 31), Decimal(10), None),  # due 10 April, after the period
    ]
    metrics = run(grants, reports)
    assert metrics["hours_reported_late"] == 10
    assert metrics["hours_not_reported"] == 0  # not yet due at the period's end


def test_hours_by_grant_period_are_separate_findings() -> None:
    grants = [
        Grant("A", date(2024, 7, 1), date(2025, 1, 31), 70, "vecka", "SFB"),
        Grant("A", date(2025, 2, 1), None, 70, "vecka", "LSS"),
    ]
    reports = [
        Report("A", date(2025, 1, 20), Decimal(5), None),
        Report("A", date(2025, 2, 20), Decimal(7), None),
    ]
    result = run_result(grants, reports)
    metrics = result.outcome.metrics
    assert metrics["hours_not_reported"] == 12
    assert metrics["late_report_revenue_at_risk"] == pytest.approx(5 * 330)  # LSS pays nothing
    found = {f.reference: f for f in result.outcome.findings if "beviljandeperiod" in f.description}
    assert set(found) == {"A 2024-07-01–2025-01-31", "A 2025-02-01–"}
    assert found["A 2024-07-01–2025-01-31"].amount == Decimal(5 * 330)
    assert found["A 2025-02-01–"].amount is None
    assert "7 h inte rapporterade" in found["A 2025-02-01–"].description


def test_the_source_is_compared_without_case() -> None:
    # "sfb" in the export is Försäkringskassan's SFB: March's 10 h shortfall is revenue at risk
    # whatever the spelling, as units and kinds are read without case.
    for spelling in ("SFB", "sfb", "Sfb"):
        grants = [Grant("A", date(2025, 1, 1), None, 100, "månad", spelling)]
        reports = [
            Report("A", date(2025, 1, 15), Decimal(100), date(2025, 2, 3)),
            Report("A", date(2025, 2, 15), Decimal(100), date(2025, 3, 5)),
            Report("A", date(2025, 3, 15), Decimal(90), date(2025, 4, 30)),
        ]
        metrics = run(grants, reports)
        assert metrics["revenue_at_risk"] == 10 * 330, spelling
        assert metrics["late_report_revenue_at_risk"] == 90 * 330, spelling
