"""The case checks against straightforward computations on generated decisions (hypothesis)."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings

from .decisions import (
    Decision,
    add_three_months,
    exports,
    run_control,
    summary,
    usable,
)

PERIOD = (date(2024, 1, 1), date(2024, 11, 30))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def in_period(day: date | None, period: tuple[date, date] = PERIOD) -> bool:
    return day is not None and period[0] <= day <= period[1]


def assert_metrics(actual: dict[str, float | int], expected: dict[str, float]) -> None:
    for name, value in expected.items():
        assert name in actual, name
        assert actual[name] == pytest.approx(value), name


@FAST
@given(exports())
def test_utredningstid_matches_a_plain_computation(decisions: list[Decision]) -> None:
    control = """
check = "utredningstid"
period = { start = 2024-01-01, end = 2024-11-30 }
[control.params]
group_by = "law"
exclude = { law = "SFB" }
split = "halvår"
"""
    kept, invalid, duplicates = usable(decisions, ("Beslutsdatum",))
    counted = []
    for d in kept:
        if not in_period(d.decided):
            continue
        assert d.decided is not None and d.applied is not None
        if d.decided < d.applied:
            invalid += 1
        elif d.law != "SFB":
            counted.append(d)
    expected: dict[str, float] = {"invalid_rows": invalid, "duplicate_rows": duplicates}
    for law in ("SoL", "LSS"):
        waits = [(d.decided - d.applied).days for d in counted if d.law == law]  # type: ignore[operator]
        if not waits:
            continue  # a group with no decisions has no figures
        expected |= summary(waits, f"{law}.")
        first = [
            (d.decided - d.applied).days  # type: ignore[operator]
            for d in counted
            if d.law == law and d.decided <= date(2024, 6, 30)  # type: ignore[operator]
        ]
        expected |= summary(first, f"{law}.H1.")
    for part, low, high in (("H1", 1, 6), ("H2", 7, 12)):  # all decisions, per half-year
        waits = [
            (d.decided - d.applied).days  # type: ignore[operator]
            for d in counted
            if low <= d.decided.month <= high  # type: ignore[union-attr]
        ]
        expected |= summary(waits, f"{part}.")
    with run_control(control, decisions) as result:
        assert_metrics(result.outcome.metrics, expected)
        assert "SFB" not in {k.split(".")[0] for k in result.outcome.metrics}


@FAST
@given(exports())
def test_utredningstid_without_group_by_gives_one_figure_per_part(
    decisions: list[Decision],
) -> None:
    control = """
check = "utredningstid"
period = { start = 2024-01-01, end = 2024-11-30 }
[control.params]
split = "kvartal"
"""
    kept, invalid, duplicates = usable(decisions, ("Beslutsdatum",))
    counted = [d for d in kept if in_period(d.decided)]
    waits = {
        d.decision_id: (d.decided - d.applied).days  # type: ignore[operator]
        for d in counted
        if d.decided >= d.applied  # type: ignore[operator]
    }
    invalid += len(counted) - len(waits)
    expected: dict[str, float] = {"invalid_rows": invalid, "duplicate_rows": duplicates}
    expected |= summary(list(waits.values()), "")
    quarter_of = {d.decision_id: (d.decided.month - 1) // 3 + 1 for d in counted if d.decided}
    for quarter in (1, 2, 3, 4):
        of_quarter = [wait for key, wait in waits.items() if quarter_of[key] == quarter]
        expected |= summary(of_quarter, f"Q{quarter}.")
    with run_control(control, decisions) as result:
        assert_metrics(result.outcome.metrics, expected)
        # One figure for all: no group of any field, not even the law.
        assert not [name for name in result.outcome.metrics if name.startswith(("SoL", "LSS"))]


@FAST
@given(exports())
def test_verkstallighetstid_matches_a_plain_computation(decisions: list[Decision]) -> None:
    control = """
check = "verkstallighetstid"
period = { start = 2024-01-01, end = 2024-11-30 }
[control.params]
group_by = "law"
"""
    kept, invalid, duplicates = usable(decisions, ("Beslutsdatum", "Verkställighetsdatum"))
    good = []
    for d in kept:
        if d.executed is not None and d.decided is not None and d.executed < d.decided:
            invalid += 1
        else:
            good.append(d)
    expected: dict[str, float] = {"invalid_rows": invalid, "duplicate_rows": duplicates}
    late_total = 0
    for law in ("SoL", "LSS", "SFB"):
        mine = [d for d in good if d.law == law and in_period(d.decided)]
        waits = [(d.executed - d.decided).days for d in mine if d.executed]  # type: ignore[operator]
        late = 0
        for d in mine:
            assert d.decided is not None
            deadline = add_three_months(d.decided)
            if (d.executed and d.executed > deadline) or (not d.executed and PERIOD[1] > deadline):
                late += 1
        late_total += late
        if mine:
            expected |= summary(waits, f"{law}.") | {f"{law}.over_3_months": late}
    expected["over_3_months"] = late_total
    with run_control(control, decisions) as result:
        assert_metrics(result.outcome.metrics, expected)


@pytest.mark.parametrize(
    ("decided", "executed", "late"),
    [
        ("2024-01-31", "2024-04-30", False),  # three months after 31 January is 30 April
        ("2024-01-31", "2024-05-01", True),
        ("2023-11-30", "2024-02-29", False),  # leap year: 29 February
        ("2023-11-30", "2024-03-01", True),
        ("2024-05-31", "2024-08-31", False),
        ("2024-09-15", None, False),  # still waiting, but its date (15 December) is after the end
        ("2024-08-29", None, True),  # 29 November < 30 November: waited too long
        ("2024-08-30", None, False),  # the date is the period's last day: not yet past
    ],
)
def test_three_month_rule_at_month_ends(decided: str, executed: str | None, late: bool) -> None:
    decision = Decision(
        "B1",
        "LSS",
        "Daglig verksamhet",
        None,
        date.fromisoformat(decided),
        date.fromisoformat(executed) if executed else None,
        None,
        None,
    )
    control = """
check = "verkstallighetstid"
period = { start = 2023-11-01, end = 2024-11-30 }
"""
    with run_control(control, [decision]) as result:
        assert result.outcome.metrics["over_3_months"] == int(late)


@FAST
@given(exports())
def test_tidsbegransade_followup_matches_a_plain_computation(decisions: list[Decision]) -> None:
    control = """
check = "beslutsuppfoljning"
period = { start = 2024-01-01, end = 2024-11-30 }
[control.params]
kind = "tidsbegransade"
stratify_by = "service"
"""
    kept, invalid, duplicates = usable(decisions, ("Beslutsdatum",))
    counts: dict[str, list[bool]] = {}
    for d in kept:
        assert d.decided is not None
        if (d.valid_to and d.valid_to < d.decided) or (d.followed_up and d.followed_up < d.decided):
            invalid += 1
            continue
        if in_period(d.valid_to):
            ok = d.followed_up is not None and d.followed_up <= d.valid_to  # type: ignore[operator]
            counts.setdefault(d.service, []).append(ok)
    expected: dict[str, float] = {"invalid_rows": invalid, "duplicate_rows": duplicates}
    for service, oks in counts.items():
        expected |= {
            f"{service}.n": len(oks),
            f"{service}.followed_up": sum(oks),
            f"{service}.rate": sum(oks) / len(oks),
        }
    if counts:
        expected["min_rate"] = min(sum(v) / len(v) for v in counts.values())
    with run_control(control, decisions) as result:
        assert_metrics(result.outcome.metrics, expected)
        misses = [f for f in result.outcome.findings if f.kind == "avvikelse"]
        assert len(misses) == sum(len(v) - sum(v) for v in counts.values())


@FAST
@given(exports())
def test_tillsvidare_in_period_rule_matches_a_plain_computation(decisions: list[Decision]) -> None:
    control = """
check = "beslutsuppfoljning"
period = { start = 2024-01-01, end = 2024-11-30 }
[control.params]
kind = "tillsvidare"
rule = "in_period"
grace_days = 10
[control.params.strata]
"LSS" = { law = "LSS" }
"Hemtjänst" = { service = "Hemtjänst" }
"""
    kept, invalid, duplicates = usable(decisions, ("Beslutsdatum",))
    counts: dict[str, list[bool]] = {"LSS": [], "Hemtjänst": []}
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
        ok = d.followed_up is not None and PERIOD[0] <= d.followed_up <= date(2024, 12, 10)
        if d.law == "LSS":
            counts["LSS"].append(ok)
        if d.service == "Hemtjänst":
            counts["Hemtjänst"].append(ok)
    expected: dict[str, float] = {"invalid_rows": invalid, "duplicate_rows": duplicates}
    rates = []
    for stratum, oks in counts.items():
        expected |= {f"{stratum}.n": len(oks), f"{stratum}.followed_up": sum(oks)}
        if oks:
            expected[f"{stratum}.rate"] = sum(oks) / len(oks)
            rates.append(sum(oks) / len(oks))
    with run_control(control, decisions) as result:
        assert_metrics(result.outcome.metrics, expected)
        if rates:
            assert result.outcome.metrics["min_rate"] == pytest.approx(min(rates))
        else:
            assert "min_rate" not in result.outcome.metrics
        assert all(math.isfinite(v) for v in result.outcome.metrics.values())
