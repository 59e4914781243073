"""The IVO report per whole calendar quarter against a day-by-day reading of the rules.

The reference walks each quarter day by day: a case is overdue on a day after its three-month
date when it was not verkställd (or resumed) before that day and had not ended before it. A case
overdue on some day of the quarter is in that quarter's report: "Verkställt" when verkställd in
the quarter, "Avslutat" when it ended in the quarter, else still waiting. A verkställighet (or
resumption) dated after the beslut ended does not count.
"""

from __future__ import annotations

import calendar
import csv
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from internkontroll.engine import run_plan
from internkontroll.planfile import load_plan

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
QUARTERS = [  # the whole calendar quarters that meet 2023-12-01–2024-11-30
    ("2023-Q4", date(2023, 10, 1), date(2023, 12, 31)),
    ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
    ("2024-Q2", date(2024, 4, 1), date(2024, 6, 30)),
    ("2024-Q3", date(2024, 7, 1), date(2024, 9, 30)),
    ("2024-Q4", date(2024, 10, 1), date(2024, 12, 31)),
]


def three_months_after(day: date) -> date:
    month = day.month + 3
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_after(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass
class Case:
    id: str
    law: str
    service: str
    pnr: str
    outcome: str
    decided: date
    executed: date | None = None
    ended: date | None = None
    reason: str = ""
    declined: date | None = None
    interrupted: date | None = None
    resumed: date | None = None


def reference_lines(
    case: Case, start: date, done: date | None, avbrott: bool
) -> list[list[object]]:
    deadline = three_months_after(start)
    if done is not None and case.ended is not None and case.ended < done:
        done = None  # the beslut ended before: not verkställt
    sex = "Kvinna" if int(case.pnr[-2]) % 2 == 0 else "Man"
    lines: list[list[object]] = []
    for label, first, last in QUARTERS:
        overdue = False
        day = first
        while day <= last:
            waiting = done is None or done >= day
            open_ = case.ended is None or case.ended >= day
            if day > deadline and waiting and open_:
                overdue = True
            day += timedelta(days=1)
        if not overdue:
            continue
        notes = [f"avbrott {start}"] if avbrott else []
        if not avbrott and case.declined is not None and case.declined <= last:
            notes.append(f"erbjudande avböjt {case.declined}")
        if done is not None and first <= done <= last:
            status, when = ("Återupptaget" if avbrott else "Verkställt"), done
        elif case.ended is not None and first <= case.ended <= last:
            status, when = "Avslutat", case.ended
            if case.reason:
                notes.append(case.reason)
        else:
            status, when = ("Avbrott, ej återupptaget" if avbrott else "Ej verkställt"), None
        lines.append(
            [
                label,
                case.id,
                case.service,
                case.law,
                case.decided.isoformat(),
                status,
                when.isoformat() if when else "",
                ((when or last) - start).days,
                sex,
                "; ".join(notes),
            ]
        )
    return lines


def band(start: date, until: date) -> str:
    if until <= months_after(start, 6):
        return "3–6 månader"
    if until <= months_after(start, 12):
        return "6–12 månader"
    return "Över 12 månader"


def reference(cases: list[Case]) -> tuple[list[list[object]], Counter[tuple[str, ...]]]:
    per_quarter: dict[str, list[list[object]]] = {label: [] for label, _, _ in QUARTERS}
    counts: Counter[tuple[str, ...]] = Counter()
    for case in cases:
        if case.law not in ("SoL", "LSS") or case.outcome == "Avslag":
            continue
        parts = [(case.decided, case.executed, False)]
        if case.interrupted is not None:
            parts.append((case.interrupted, case.resumed, True))
        for start, done, avbrott in parts:
            for line in reference_lines(case, start, done, avbrott):
                per_quarter[str(line[0])].append(line)
                until = (
                    date.fromisoformat(str(line[6]))
                    if line[6]
                    else next(last for label, _, last in QUARTERS if label == line[0])
                )
                counts[
                    (str(line[0]), case.law, case.service, str(line[8]), band(start, until))
                ] += 1
    return [line for label, _, _ in QUARTERS for line in per_quarter[label]], counts


HEADER = [
    "Id", "Pnr", "Lag", "Lagrum", "Insats", "Utfall", "Beslut", "Verkställt", "Avslutad",
    "Orsak", "Tackat nej", "Avbrott", "Återupptaget",
]  # fmt: skip
PLAN = """\
[plan]
title = "Test"
year = 2024
min_group_size = 2

[[risk]]
id = "R1"
title = "Risk"
likelihood = 2
impact = 2

[datasets.beslut]
path = "beslut.csv"
[datasets.beslut.columns]
decision_id = "Id"
person_id = "Pnr"
law = "Lag"
legal_basis = "Lagrum"
service = "Insats"
outcome = "Utfall"
decided = "Beslut"
executed = "Verkställt"
ended = "Avslutad"
end_reason = "Orsak"
declined = "Tackat nej"
interrupted = "Avbrott"
resumed = "Återupptaget"

[[control]]
id = "K2"
risk = "R1"
title = "Verkställighetstid"
check = "verkstallighetstid"
dataset = "beslut"
period = { start = 2023-12-01, end = 2024-11-30 }
[control.params]
include = { outcome = ["Bifall", "Delvis bifall"] }
[control.criteria]
metric = "over_3_months"
better = "lower"
utan_anmarkning = 1000000
"""


def run_cases(cases: list[Case]) -> tuple[list[list[object]], list[list[object]]]:
    def text(day: date | None) -> str:
        return day.isoformat() if day else ""

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "plan.toml").write_text(PLAN, encoding="utf-8")
        with (root / "beslut.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(HEADER)
            for c in cases:
                writer.writerow(
                    [
                        c.id,
                        c.pnr,
                        c.law,
                        c.law,
                        c.service,
                        c.outcome,
                        text(c.decided),
                        text(c.executed),
                        text(c.ended),
                        c.reason,
                        text(c.declined),
                        text(c.interrupted),
                        text(c.resumed),
                    ]
                )
        [result] = run_plan(*load_plan(root / "plan.toml"))
        assert result.outcome.metrics["invalid_rows"] == 0, result.reason
        tables = result.outcome.tables
        return list(tables["ivo_rapportering"].rows), list(tables["ivo_sammanstallning"].rows)


def maybe_after(draw: st.DrawFn, day: date | None, most: int = 400) -> date | None:
    if day is None or draw(st.booleans()):
        return None
    return day + timedelta(days=draw(st.integers(min_value=0, max_value=most)))


@st.composite
def case(draw: st.DrawFn, number: int) -> Case:
    decided = date(2023, 3, 1) + timedelta(days=draw(st.integers(min_value=0, max_value=600)))
    if draw(st.booleans()):  # month ends make the three months interesting
        decided = decided.replace(day=calendar.monthrange(decided.year, decided.month)[1])
    executed = maybe_after(draw, decided)
    interrupted = maybe_after(draw, executed, 300)
    resumed = maybe_after(draw, interrupted, 200)
    ended = maybe_after(draw, interrupted or decided, 500)
    return Case(
        id=f"B{number}",
        law=draw(st.sampled_from(["SoL", "LSS", "SFB"])),
        service=draw(st.sampled_from(["Hemtjänst", "Daglig verksamhet"])),
        pnr=draw(st.sampled_from(["19800101-0027", "19121212-1212"])),
        outcome=draw(st.sampled_from(["Bifall", "Delvis bifall", "Avslag"])),
        decided=decided,
        executed=executed,
        ended=ended,
        reason=draw(st.sampled_from(["", "Avliden", "Flyttat"])) if ended else "",
        declined=maybe_after(draw, decided, 60) if executed is None else None,
        interrupted=interrupted,
        resumed=resumed,
    )


@FAST
@given(
    st.integers(min_value=0, max_value=25).flatmap(
        lambda n: st.tuples(*[case(i) for i in range(n)])
    )
)
def test_ivo_report_matches_a_day_by_day_reading(cases: tuple[Case, ...]) -> None:
    expected, counts = reference(list(cases))
    rows, statistics = run_cases(list(cases))
    assert rows == expected
    groups = sorted({key[:4] for key in counts})
    bands = ["3–6 månader", "6–12 månader", "Över 12 månader"]

    def shown(n: int) -> object:
        return n if n == 0 or n >= 2 else "färre än 2"

    expected_rows = []
    for g in groups:
        numbers = [counts[(*g, b)] for b in bands]
        total = sum(numbers)
        hidden = any(0 < n < 2 for n in numbers)
        expected_rows.append(
            [*g, *(shown(n) for n in numbers), "minst 2" if hidden and total >= 2 else shown(total)]
        )
    assert statistics == expected_rows


D = date.fromisoformat
WOMAN = "19800101-0027"


def lines(**fields: object) -> list[list[object]]:
    base: dict[str, object] = {
        "id": "A", "law": "LSS", "service": "Daglig verksamhet", "pnr": WOMAN,
        "outcome": "Bifall",
    }  # fmt: skip
    base.update(fields)
    return run_cases([Case(**base)])[0]  # type: ignore[arg-type]


def test_whole_calendar_quarters_as_of_their_last_day() -> None:
    # Beslut 2023-07-20, never verkställt: past 2023-10-20, so in 2023-Q4 as of 31 December
    # (164 days), not cut to the control period's start on 1 December.
    rows = lines(decided=D("2023-07-20"))
    assert [(r[0], r[5], r[7]) for r in rows] == [
        ("2023-Q4", "Ej verkställt", 164),
        ("2024-Q1", "Ej verkställt", 255),
        ("2024-Q2", "Ej verkställt", 346),
        ("2024-Q3", "Ej verkställt", 438),
        ("2024-Q4", "Ej verkställt", 530),  # as of 31 December, not 30 November
    ]


def test_a_later_execution_is_not_shown_early_and_is_reported_once() -> None:
    rows = lines(decided=D("2024-01-31"), executed=D("2024-08-15"))
    # Three months after 31 January is 30 April: past on 1 May, so first in Q2.
    assert [(r[0], r[5], r[6], r[7]) for r in rows] == [
        ("2024-Q2", "Ej verkställt", "", 151),
        ("2024-Q3", "Verkställt", "2024-08-15", 197),
    ]


def test_late_but_verkstallt_in_the_same_quarter_is_reported() -> None:
    rows = lines(decided=D("2024-02-29"), executed=D("2024-06-03"))
    assert [(r[0], r[5], r[6]) for r in rows] == [("2024-Q2", "Verkställt", "2024-06-03")]
    assert lines(decided=D("2024-02-29"), executed=D("2024-05-29")) == []  # in time


def test_ended_without_verkstallighet_is_reported_once_with_its_reason() -> None:
    rows = lines(decided=D("2023-11-30"), ended=D("2024-05-10"), reason="Flyttat")
    assert [(r[0], r[5], r[6], r[9]) for r in rows] == [
        ("2024-Q1", "Ej verkställt", "", ""),
        ("2024-Q2", "Avslutat", "2024-05-10", "Flyttat"),
    ]


def test_a_declined_offer_is_not_verkstallighet() -> None:
    rows = lines(decided=D("2024-03-15"), declined=D("2024-04-02"))
    # Three months end 15 June: reported from Q2, each quarter, with the note.
    assert [(r[0], r[5], r[9]) for r in rows] == [
        ("2024-Q2", "Ej verkställt", "erbjudande avböjt 2024-04-02"),
        ("2024-Q3", "Ej verkställt", "erbjudande avböjt 2024-04-02"),
        ("2024-Q4", "Ej verkställt", "erbjudande avböjt 2024-04-02"),
    ]


def test_an_interruption_not_resumed_within_three_months() -> None:
    rows = lines(
        decided=D("2023-12-01"),
        executed=D("2023-12-10"),
        interrupted=D("2024-03-31"),
        resumed=D("2024-08-01"),
    )
    # Avbrott 31 March: three months end 30 June, not past in Q2; past in Q3, resumed 1 August.
    assert [(r[0], r[5], r[6], r[7], r[9]) for r in rows] == [
        ("2024-Q3", "Återupptaget", "2024-08-01", 123, "avbrott 2024-03-31"),
    ]
    assert (
        lines(
            decided=D("2023-12-01"),
            executed=D("2023-12-10"),
            interrupted=D("2024-03-31"),
            resumed=D("2024-06-30"),
        )
        == []
    )


def test_avslag_and_sfb_are_not_reported() -> None:
    assert lines(decided=D("2023-07-20"), outcome="Avslag") == []
    assert lines(decided=D("2023-07-20"), law="SFB") == []


def test_a_law_spelled_in_lower_case_or_padded_is_still_on_the_ivo_list() -> None:
    # The export's " lss " is the plan's "LSS", as groups and filters compare; the decision
    # must not vanish from the IVO list while it is counted as late in the control.
    for spelling in ("lss", " LSS ", "Lss"):
        rows = lines(decided=D("2024-01-31"), law=spelling)
        assert [(r[0], r[5]) for r in rows][:1] == [("2024-Q2", "Ej verkställt")], spelling
