"""Generated decision exports and straightforward reference computations for the case checks.

The reference functions below are written the plain way, from the rules in the issue text, so that
a test compares the checks' streaming folds with an independent answer.
"""

from __future__ import annotations

import calendar
import csv
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from hypothesis import strategies as st

from internkontroll.engine import ControlResult, run_plan
from internkontroll.planfile import load_plan

HEADER = [
    "Beslut-ID",
    "Personnummer",
    "Lag",
    "Insats",
    "Ansökningsdatum",
    "Beslutsdatum",
    "Verkställighetsdatum",
    "Giltig till",
    "Uppföljningsdatum",
    "Avslutad",
]
COLUMNS = """\
[datasets.beslut.columns]
decision_id = "Beslut-ID"
person_id = "Personnummer"
law = "Lag"
service = "Insats"
applied = "Ansökningsdatum"
decided = "Beslutsdatum"
executed = "Verkställighetsdatum"
valid_to = "Giltig till"
followed_up = "Uppföljningsdatum"
ended = "Avslutad"
"""
SERVICES = ["Hemtjänst", "Korttidsboende", "Daglig verksamhet"]


@dataclass
class Decision:
    decision_id: str
    law: str
    service: str
    applied: date | None
    decided: date | None
    executed: date | None
    valid_to: date | None
    followed_up: date | None
    ended: date | None = None
    broken: str | None = None  # a column whose cell is written as an impossible date

    def cells(self) -> list[str]:
        def text(day: date | None) -> str:
            return "" if day is None else day.isoformat()

        row = [
            self.decision_id,
            "19121212-1212",
            self.law,
            self.service,
            text(self.applied),
            text(self.decided),
            text(self.executed),
            text(self.valid_to),
            text(self.followed_up),
            text(self.ended),
        ]
        if self.broken is not None:
            row[HEADER.index(self.broken)] = "2024-02-30"
        return row


days_around = st.integers(min_value=-200, max_value=600)
BASE = date(2023, 12, 1)


@st.composite
def decision(draw: st.DrawFn, number: int) -> Decision:
    decided = BASE + timedelta(days=draw(days_around))
    maybe = st.one_of(st.none(), st.integers(min_value=-10, max_value=200))

    def offset(value: int | None) -> date | None:
        return None if value is None else decided + timedelta(days=value)

    # Month ends make the three-month rule interesting.
    if draw(st.booleans()):
        last = calendar.monthrange(decided.year, decided.month)[1]
        decided = decided.replace(day=last)
    broken = draw(st.sampled_from([None] * 8 + ["Beslutsdatum", "Verkställighetsdatum"]))
    return Decision(
        decision_id=f"B{number}",
        law=draw(st.sampled_from(["SoL", "LSS", "SFB"])),
        service=draw(st.sampled_from(SERVICES)),
        applied=offset(draw(st.integers(min_value=-120, max_value=3))),
        decided=decided,
        executed=offset(draw(maybe)),
        valid_to=offset(draw(st.one_of(st.none(), st.integers(min_value=-5, max_value=400)))),
        followed_up=offset(draw(maybe)),
        ended=offset(draw(st.one_of(st.none(), st.integers(min_value=0, max_value=300)))),
        broken=broken,
    )


@st.composite
def exports(draw: st.DrawFn) -> list[Decision]:
    count = draw(st.integers(min_value=0, max_value=40))
    decisions = [draw(decision(n)) for n in range(count)]
    # A few repeated ids: only the first row of each counts.
    for index in draw(st.lists(st.integers(min_value=0, max_value=max(count - 1, 0)), max_size=3)):
        if decisions:
            twin = draw(decision(index))
            decisions.append(twin)
    return decisions


def write_export(path: Path, decisions: list[Decision], encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(d.cells() for d in decisions)


def plan_text(control: str, export: str = "beslut.csv") -> str:
    return f"""\
[plan]
title = "Test"
year = 2024

[[risk]]
id = "R1"
title = "Risk"
likelihood = 2
impact = 2

[datasets.beslut]
path = "{export}"
{COLUMNS}
[[control]]
id = "K"
risk = "R1"
title = "Kontroll"
dataset = "beslut"
{control}
[control.criteria]
metric = "invalid_rows"
better = "lower"
utan_anmarkning = 1000000
"""


@contextmanager
def run_control(control: str, decisions: list[Decision]) -> Iterator[ControlResult]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_export(root / "beslut.csv", decisions)
        (root / "plan.toml").write_text(plan_text(control), encoding="utf-8")
        plan, host = load_plan(root / "plan.toml")
        [result] = run_plan(plan, host)
        yield result


def usable(decisions: list[Decision], needs: tuple[str, ...]) -> tuple[list[Decision], int, int]:
    """(kept, invalid, duplicates): a row whose needed columns do not parse is invalid; else a
    row whose id appeared on an earlier row of the export (valid or not) is a duplicate."""
    kept: list[Decision] = []
    seen: set[str] = set()
    invalid = duplicates = 0
    for d in decisions:
        repeated = d.decision_id in seen
        seen.add(d.decision_id)
        if d.broken in needs:
            invalid += 1
        elif repeated:
            duplicates += 1
        else:
            kept.append(d)
    return kept, invalid, duplicates


def add_three_months(day: date) -> date:
    month = day.month + 3
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def summary(values: list[int], prefix: str) -> dict[str, float]:
    if not values:
        return {f"{prefix}n": 0}
    return {
        f"{prefix}n": len(values),
        f"{prefix}mean_days": sum(values) / len(values),
        f"{prefix}median_days": statistics.median(values),
    }
