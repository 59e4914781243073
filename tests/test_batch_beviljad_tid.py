"""Beviljad tid in batches gives what it gives row by row: the same figures, findings and
order, on dirty exports of decisions and time reports; and partitions merged equal one pass."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from internkontroll.checks import ControlContext
from internkontroll.datasets import Row
from internkontroll.models import Period
from plugins.beviljad_tid import BeviljadTid, BeviljadTidParams

from .batch_folds import fold_batches, fold_parts, fold_rows, run_sizes, summary, with_role

START = date(2025, 1, 1)
CASES = ["A", "B", "C", "D", "", " B "]

CONTROLS = {
    # Defaults: no tolerance, no kronor.
    "T1": "",
    # Kronor, a tolerance in hours and late time reports.
    "T2": (
        "tolerance_hours = 2\nhourly_cost = 400\nhourly_reimbursement = 330\n"
        'report_deadline_days = 10\nrevenue_sources = [" sfb ", "LSS"]\n'
    ),
    # A share as tolerance, decisions left out by source, reports due the month's last day.
    "T3": (
        'tolerance_share = 0.1\nexclude = { source = ["lss"] }\nreport_deadline_days = 0\n'
        "hourly_reimbursement = 300\n"
    ),
    # Only decisions from Försäkringskassan, within a shorter period, words of its own.
    "T4": (
        'include = { source = "SFB" }\nhourly_cost = 250\n'
        'units = { week = ["v"], month = ["mån", "Månad"] }\n'
    ),
}
PERIODS = {"T4": "period = { start = 2025-02-10, end = 2025-05-20 }\n"}


def plan_text() -> str:
    controls = "".join(
        f'[[control]]\nid = "{cid}"\nrisk = "R1"\ntitle = "Beviljad tid {cid}"\n'
        f'check = "beviljad_tid"\ndataset = {{ granted = "beslut", performed = "tid" }}\n'
        f"{PERIODS.get(cid, '')}[control.params]\n{body}[control.criteria]\n"
        'metric = "invalid_rows"\nbetter = "lower"\nutan_anmarkning = 1000000\n\n'
        for cid, body in CONTROLS.items()
    )
    return f"""\
[plan]
title = "Test"
year = 2025
period = {{ start = 2025-01-01, end = 2025-06-30 }}

[[risk]]
id = "R1"
title = "Risk"
likelihood = 2
impact = 2

[datasets.beslut]
path = "beslut.csv"
[datasets.beslut.columns]
case_id = "Ärende"
valid_from = "Från"
valid_to = "Till"
hours = "Timmar"
per = "Per"
source = "Källa"

[datasets.tid]
path = "tid.csv"
[datasets.tid.columns]
case_id = "Ärende"
date = "Datum"
hours = "Timmar"
reported = "Rapporterad"

{controls}"""


def day_cell() -> st.SearchStrategy[str]:
    good = st.integers(min_value=-40, max_value=220).map(
        lambda n: (START + timedelta(days=n)).isoformat()
    )
    odd = st.sampled_from(["", " ", "2025-02-30", "igår", " 2025-03-01 ", "20250415"])
    return st.one_of(good, good, good, odd)


HOURS = ["8", "7,5", "0", "100", "12.25", "", "-2", "tio", " 40 ", "1 000", "0,333"]


def csv_lines(draw: st.DrawFn, cells: list[st.SearchStrategy[str]]) -> list[str]:
    out = []
    for _ in range(draw(st.integers(min_value=0, max_value=40))):
        kind = draw(st.sampled_from(["row"] * 12 + ["blank", "short", "long", "quote"]))
        if kind == "blank":
            out.append("")
            continue
        row = [draw(cell) for cell in cells]
        if kind == "short":
            row = row[:2]
        elif kind == "long":
            row.append("extra")
        elif kind == "quote":
            row[0] = 'A"1'
        out.append(";".join(row))
    return out


@st.composite
def exports(draw: st.DrawFn) -> dict[str, str]:
    case = st.sampled_from(CASES)
    granted = csv_lines(
        draw,
        [
            case,
            day_cell(),
            st.one_of(st.just(""), day_cell()),
            st.sampled_from(["100", "40", "10,5", "", "-1", "x", "0"]),
            st.sampled_from(["månad", "Vecka", "tim/vecka", "mån", "v", "", "dag", " Månad "]),
            st.sampled_from(["SFB", "sfb", "LSS", "", " SFB "]),
        ],
    )
    performed = csv_lines(
        draw,
        [case, day_cell(), st.sampled_from(HOURS), st.one_of(st.just(""), day_cell())],
    )
    return {
        "beslut.csv": "\n".join(["Ärende;Från;Till;Timmar;Per;Källa", *granted]) + "\n",
        "tid.csv": "\n".join(["Ärende;Datum;Timmar;Rapporterad", *performed]) + "\n",
    }


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports(), st.sampled_from([1, 3, 8192]))
def test_a_run_in_batches_writes_what_a_run_row_by_row_writes(
    files: dict[str, str], size: int
) -> None:
    row_path, batch_path = run_sizes(files, plan_text(), [0, size])
    assert batch_path == row_path
    assert len(row_path["controls"]) == len(CONTROLS)


def test_a_planted_run_is_judged_the_same_in_batches() -> None:
    granted = ["Ärende;Från;Till;Timmar;Per;Källa"] + [
        f"C{n % 40};{(START + timedelta(days=n % 90)).isoformat()};;{10 + n % 7};"
        f"{'vecka' if n % 2 else 'månad'};{'SFB' if n % 3 else 'LSS'}"
        for n in range(200)
    ]
    performed = ["Ärende;Datum;Timmar;Rapporterad"] + [
        f"C{n % 45};{(START + timedelta(days=n % 181)).isoformat()};{n % 9},5;"
        f"{(START + timedelta(days=n % 181 + n % 50)).isoformat() if n % 11 else ''}"
        for n in range(3000)
    ]
    files = {"beslut.csv": "\n".join(granted) + "\n", "tid.csv": "\n".join(performed) + "\n"}
    row_path, batch_path = run_sizes(files, plan_text(), [0, 64])
    assert batch_path == row_path
    metrics = row_path["controls"][1]["metrics"]
    assert metrics["case_months"] > 200 and metrics["hours_reported_late"] > 0


# Directly on the check: both roles in batches, and partitions merged ----------------------------

maybe_day = st.one_of(
    st.none(), st.integers(min_value=-40, max_value=220).map(lambda n: START + timedelta(n))
)
maybe_hours = st.sampled_from(
    [None, Decimal("8"), Decimal("7.5"), Decimal("0"), Decimal("-1"), Decimal("0.25"), Decimal(40)]
)


@st.composite
def streams(draw: st.DrawFn) -> list[tuple[str, list[Row]]]:
    case = st.sampled_from(["A", "B", "C", None, "D"])
    decisions = draw(
        st.lists(
            st.tuples(
                case,
                maybe_day,
                maybe_day,
                maybe_hours,
                st.sampled_from(["månad", "vecka", None, "dag", "V"]),
                st.sampled_from(["SFB", "LSS", None]),
            ),
            max_size=20,
        )
    )
    # Reports sent on a month's last day, or five days later: due dates of the plans below.
    edges = [date(2025, m + 1, 1) - timedelta(days=1) for m in range(1, 6)]
    due = st.sampled_from([*edges, *(day + timedelta(5) for day in edges)])
    reported = st.one_of(maybe_day, due, due)
    reports = draw(st.lists(st.tuples(case, maybe_day, maybe_hours, reported), max_size=60))
    granted = [
        Row(
            n + 2,
            dict(
                zip(("case_id", "valid_from", "valid_to", "hours", "per", "source"), c, strict=True)
            ),
        )
        for n, c in enumerate(decisions)
    ]
    performed = [
        Row(n + 2, dict(zip(("case_id", "date", "hours", "reported"), c, strict=True)))
        for n, c in enumerate(reports)
    ]
    stream = [
        ("granted", with_role("granted", granted)),
        ("performed", with_role("performed", performed)),
    ]
    return stream


PARAMS: list[dict[str, Any]] = [
    {},
    {"tolerance_hours": 1, "hourly_cost": 400, "hourly_reimbursement": 330},
    {"report_deadline_days": 5, "hourly_reimbursement": 300, "exclude": {"source": "LSS"}},
    {"report_deadline_days": 0, "tolerance_share": "0.2", "include": {"source": ["sfb"]}},
]


def fresh(params: dict[str, Any]) -> BeviljadTid:
    context = ControlContext(control_id="T", period=Period(start=START, end=date(2025, 6, 30)))
    return BeviljadTid(BeviljadTidParams.model_validate(params), context)


@settings(max_examples=100, deadline=None)
@given(
    streams(),
    st.sampled_from(PARAMS),
    st.sampled_from([1, 2, 7, 8192]),
    st.lists(st.integers(min_value=0, max_value=80), max_size=4),
    st.booleans(),
)
def test_both_roles_in_batches_and_in_merged_parts_equal_one_pass_row_by_row(
    stream: list[tuple[str, list[Row]]],
    params: dict[str, Any],
    size: int,
    cuts: list[int],
    columnar: bool,
) -> None:
    one = summary(fold_rows(fresh(params), stream))
    assert summary(fold_batches(fresh(params), stream, size, columnar)) == one
    assert summary(fold_parts(lambda: fresh(params), stream, cuts, size, columnar)) == one


def test_hours_are_summed_to_the_last_digit_as_the_row_path_sums_them() -> None:
    """Decimals keep their exponent: 7.50 + 2 is 9.50, and a cost of 9.50 × 400 is written
    as such in the findings file, so the batch path must add the same Decimals."""
    reports = [
        Row(2, {"case_id": "A", "date": date(2025, 1, 3), "hours": Decimal("7.50")}),
        Row(3, {"case_id": "A", "date": date(2025, 1, 4), "hours": Decimal("2")}),
    ]
    stream = [("granted", []), ("performed", with_role("performed", reports))]
    params = {"hourly_cost": 400}
    one = summary(fold_rows(fresh(params), stream))
    assert summary(fold_batches(fresh(params), stream, 8192)) == one
    [finding] = one[4]
    assert finding["amount"] == Decimal("3800.00")


def test_a_case_left_out_in_a_later_part_drops_the_time_read_before() -> None:
    """Every decision of case A is LSS and left out: its time reports, read before the
    decisions (as when the plan names the time reports first), are dropped with it."""
    decision = Row(2, {"case_id": "A", "valid_from": START, "hours": Decimal(10)})
    decision.update(per="vecka", source="LSS")
    report = Row(2, {"case_id": "A", "date": date(2025, 2, 3), "hours": Decimal(30)})
    stream = [
        ("performed", with_role("performed", [report])),
        ("granted", with_role("granted", [decision])),
    ]
    params = {"exclude": {"source": "LSS"}}
    one = summary(fold_rows(fresh(params), stream))
    assert one[0]["case_months"] == 0 and one[0]["excluded"] == 1
    assert summary(fold_parts(lambda: fresh(params), stream, [1], 8192)) == one
