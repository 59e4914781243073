"""Verkställighetstid and beslutsuppfoljning: the batch path gives the row path's results.

The same figures and, byte for byte, the same findings and IVO lists on dirty exports (blank
lines, stray quotes, ragged rows, bad and blank dates, repeated and blank ids, padded values),
with plans that reach every branch (groups, include and exclude, what counts as verkställd, the
IVO quarters with avbrott, declined offers and ended decisions, tidsbegränsade and tillsvidare
follow-up with its interval and grace, a cut ``as_of``); ``population_where`` and
``observe_batch`` asked directly as the engine will ask them; and partitions folded apart, then
merged, equal one pass. The row path (``batch_rows = 0``) is the reference.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from internkontroll_checks.beslutsuppfoljning import (
    Beslutsuppfoljning,
    BeslutsuppfoljningParams,
    follow_up_dues,
)
from internkontroll_checks.verkstallighetstid import (
    Verkstallighetstid,
    VerkstallighetstidParams,
)

from internkontroll.batch import Batch
from internkontroll.checks import Check, ControlContext
from internkontroll.datasets import Row
from internkontroll.engine import run_plan
from internkontroll.models import Period
from internkontroll.periods import add_months
from internkontroll.planfile import load_plan
from internkontroll.privacy import PersonnummerLeak
from internkontroll.results import FINDINGS_DIR, TABLES_DIR, write_results

COLUMNS = {
    "decision_id": "Id",
    "person_id": "Pnr",
    "law": "Lag",
    "legal_basis": "Lagrum",
    "service": "Insats",
    "decided": "Beslut",
    "executed": "Verkställt",
    "offered": "Erbjudet",
    "ended": "Avslutad",
    "end_reason": "Orsak",
    "declined": "Avböjt",
    "interrupted": "Avbrott",
    "resumed": "Återupptaget",
    "valid_to": "Giltig till",
    "followed_up": "Uppföljt",
}
HEADER = ";".join(COLUMNS.values())
DATES = ["decided", "executed", "offered", "ended", "declined", "interrupted", "resumed"]
BASE = date(2024, 1, 1)

CONTROLS = {
    "V1": 'check = "verkstallighetstid"\n[control.params]\ngroup_by = "law"\n',
    "V2": (
        'check = "verkstallighetstid"\n[control.params]\ngroups = ["SoL", "LSS"]\n'
        'verkstalld = "offered"\nexclude = { service = ["hemtjänst"] }\n'
    ),
    "V3": (
        'check = "verkstallighetstid"\nperiod = { start = 2024-02-15, end = 2024-11-20 }\n'
        '[control.params]\ngroup_by = ""\ninclude = { law = ["sol", "LSS", "SFB"] }\n'
    ),
    "V4": 'check = "verkstallighetstid"\n[control.params]\ngroup_by = "service"\nivo_laws = []\n',
    "V5": (
        'check = "verkstallighetstid"\n[control.params]\ngroups = ["sol"]\nivo_laws = ["lss"]\n'
    ),
    "F1": 'check = "beslutsuppfoljning"\n[control.params]\nkind = "tidsbegransade"\n',
    "F2": (
        'check = "beslutsuppfoljning"\n[control.params]\nkind = "tillsvidare"\n'
        'stratify_by = "law"\n'
    ),
    "F3": (
        'check = "beslutsuppfoljning"\n[control.params]\nkind = "tillsvidare"\n'
        'interval_months = 3\ngrace_days = 30\nexclude = { law = ["SFB"] }\n'
        '[control.params.strata]\n"Hemtjänst" = { service = "hemtjänst" }\n'
        '"LSS" = { law = "LSS" }\n'
    ),
    "F4": (
        'check = "beslutsuppfoljning"\n[control.params]\nkind = "tillsvidare"\n'
        'rule = "in_period"\ngrace_days = 10\ninclude = { service = ["Hemtjänst", "Boende"] }\n'
    ),
    "F5": (
        'check = "beslutsuppfoljning"\nperiod = { start = 2024-03-01, end = 2024-10-31 }\n'
        '[control.params]\nkind = "tidsbegransade"\nstratify_by = ""\n'
    ),
    "F6": (
        'check = "beslutsuppfoljning"\nperiod = { start = 2024-02-10, end = 2024-12-31 }\n'
        '[control.params]\nkind = "tillsvidare"\ninterval_months = 1\ngrace_days = 5\n'
        'stratify_by = "service"\n'
    ),
}


def plan_text() -> str:
    controls = "".join(
        f'[[control]]\nid = "{cid}"\nrisk = "R1"\ntitle = "Kontroll {cid}"\n'
        f'dataset = "beslut"\n{body}[control.criteria]\nmetric = "invalid_rows"\n'
        'better = "lower"\nutan_anmarkning = 1000000\n\n'
        for cid, body in CONTROLS.items()
    )
    columns = "".join(f'{name} = "{header}"\n' for name, header in COLUMNS.items())
    return f"""\
[plan]
title = "Test"
year = 2024
period = {{ start = 2024-01-01, end = 2024-12-31 }}

[[risk]]
id = "R1"
title = "Risk"
likelihood = 2
impact = 2

[datasets.beslut]
path = "beslut.csv"
[datasets.beslut.columns]
{columns}
{controls}"""


ODD = ["", " ", "2024-02-30", "igår", " 2024-05-01 ", "2024-01-31", "20240229"]
# Each date after the one it follows, mostly: the export's own order, so that avbrott, resumed
# and ended decisions reach the IVO list; sometimes blank, odd or out of order.
AFTER = {
    "executed": "decided",
    "offered": "decided",
    "declined": "decided",
    "interrupted": "executed",
    "resumed": "interrupted",
    "ended": "interrupted",
    "valid_to": "decided",
    "followed_up": "decided",
}


@st.composite
def dates(draw: st.DrawFn) -> dict[str, str]:
    days = {"decided": BASE + timedelta(days=draw(st.integers(-500, 400)))}
    cells = {}
    for name in ["decided", *AFTER]:
        how = draw(st.sampled_from(["after"] * 5 + ["blank"] * 2 + ["odd", "before", "compact"]))
        anchor = days.get(AFTER.get(name, ""), days["decided"])
        if name == "decided" or how in ("after", "compact"):
            later = st.one_of(st.integers(0, 100), st.integers(0, 420))
            day = anchor + timedelta(days=draw(later) if name != "decided" else 0)
        elif how == "before":
            day = anchor - timedelta(days=draw(st.integers(1, 60)))
        else:
            cells[name] = "" if how == "blank" else draw(st.sampled_from(ODD))
            continue
        days[name] = day
        cells[name] = day.strftime("%Y%m%d") if how == "compact" else day.isoformat()
    return cells


@st.composite
def lines(draw: st.DrawFn) -> list[str]:
    count = draw(st.integers(min_value=0, max_value=50))
    ids = [f"B{n}" for n in range(15)] + ["", " B1 ", "B 2"]
    out = []
    for _ in range(count):
        kind = draw(st.sampled_from(["row"] * 14 + ["blank", "short", "long", "quote"]))
        if kind == "blank":
            out.append("")
            continue
        cells = {
            "decision_id": draw(st.sampled_from(ids)),
            "person_id": draw(st.sampled_from(["19121212-1212", "19800101-0027", ""])),
            "law": draw(st.sampled_from(["SoL", "LSS", "SFB", "", " sol ", "lss"])),
            "legal_basis": draw(st.sampled_from(["4 kap. 1 § SoL", "", "9 § 9 LSS"])),
            "service": draw(st.sampled_from(["Hemtjänst", " hemtjänst", "Boende", "", "'=1+1"])),
            "end_reason": draw(st.sampled_from(["", "Avliden", "Flyttat"])),
            **draw(dates()),
        }
        row = [cells[name] for name in COLUMNS]
        if kind == "short":
            row = row[:5]
        elif kind == "long":
            row.append("extra")
        elif kind == "quote":
            row[4] = 'Hem"tjänst'
        out.append(";".join(row))
    return out


AS_OF = [None, date(2024, 8, 31), date(2024, 5, 15)]


def folder_contents(out: Path) -> dict[str, Any]:
    """resultat.json's controls and the bytes of every findings and table file."""
    document = json.loads((out / "resultat.json").read_text(encoding="utf-8"))
    files = {
        str(path.relative_to(out)): path.read_bytes()
        for sub in (FINDINGS_DIR, TABLES_DIR)
        for path in sorted((out / sub).rglob("*"))
        if path.is_file()
    }
    return {"controls": document["controls"], "files": files}


def run_both(text: str, sizes: list[int], as_of: date | None) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "beslut.csv").write_text(text, encoding="utf-8")
        (root / "plan.toml").write_text(plan_text(), encoding="utf-8")
        outputs = []
        for size in sizes:
            plan, host = load_plan(root / "plan.toml")
            plan.as_of = as_of
            results = run_plan(plan, host, batch_rows=size)
            out = root / f"ut{size}"
            try:
                write_results(plan, results, out)
            except PersonnummerLeak as exc:
                # The guard can take ten digits of a sha256 in resultat.json for a personnummer
                # (a known false alarm, whichever path ran): such an example proves nothing here.
                assert "resultat.json" in str(exc)
                reject()
            outputs.append(folder_contents(out))
        return outputs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines(), st.sampled_from([1, 3, 7, 8192]), st.sampled_from(AS_OF))
def test_batch_path_writes_what_the_row_path_writes(
    body: list[str], size: int, as_of: date | None
) -> None:
    text = "\n".join([HEADER, *body]) + "\n"
    row_path, batch_path = run_both(text, [0, size], as_of)
    assert batch_path == row_path
    assert len(row_path["controls"]) == len(CONTROLS)


# The engine's calls, asked directly: population, then feed, per batch, with the held log ----


# The bounds of both periods below, and the days either side.
BOUNDS = [
    bound + timedelta(days=step)
    for bound in (BASE, date(2024, 12, 31), date(2024, 2, 10), date(2024, 11, 20))
    for step in (-1, 0, 1)
]


def typed_rows() -> st.SearchStrategy[list[Row]]:
    """Rows that parsed: typed dates, mostly in the export's own order, and padded texts."""
    offset = st.one_of(st.none(), st.integers(0, 120), st.integers(-30, 500))

    @st.composite
    def row(draw: st.DrawFn, number: int) -> Row:
        decided = draw(st.one_of(st.none(), st.integers(-500, 400), st.sampled_from([0, 365])))
        anchor = BASE + timedelta(days=decided or 0)
        days: dict[str, date | None] = {"decided": None if decided is None else anchor}
        for name, after in AFTER.items():
            start = days.get(after) or anchor
            how = draw(st.sampled_from(["days", "days", "months", "bound"]))
            if how == "months":  # on or next to a deadline or due date
                months = draw(st.sampled_from([1, 3, 6, 12, 15]))
                days[name] = add_months(start, months) + timedelta(draw(st.integers(-1, 1)))
            elif how == "bound":
                days[name] = draw(st.sampled_from(BOUNDS))
            else:
                step = draw(offset)
                days[name] = None if step is None else start + timedelta(days=step)
        return Row(
            number,
            {
                "decision_id": draw(st.sampled_from([f"B{number}", None, " B1 "])),
                "person_id": draw(st.sampled_from(["19121212-1212", "19800101-0027", None])),
                "law": draw(st.sampled_from(["SoL", "LSS", "SFB", None, " sol ", "lss"])),
                "legal_basis": draw(st.sampled_from(["4 kap. 1 § SoL", None])),
                "service": draw(st.sampled_from(["Hemtjänst", " hemtjänst", "Boende", None])),
                "end_reason": draw(st.sampled_from([None, "Avliden"])),
                **days,
            },
        )

    return st.integers(0, 40).flatmap(
        lambda count: st.tuples(*(row(number) for number in range(2, count + 2))).map(list)
    )


VERKSTALLIGHET = [
    {"group_by": "law"},
    {"groups": ["SoL", "LSS"], "verkstalld": "offered", "exclude": {"service": ["hemtjänst"]}},
    {"group_by": None, "include": {"law": ["sol", "LSS"]}},
    {"group_by": "service", "ivo_laws": []},
    {"groups": ["sol"], "ivo_laws": ["lss"]},
]
UPPFOLJNING = [
    {"kind": "tidsbegransade"},
    {"kind": "tidsbegransade", "stratify_by": None, "include": {"law": ["SoL"]}},
    {"kind": "tillsvidare", "stratify_by": "law"},
    {
        "kind": "tillsvidare",
        "interval_months": 3,
        "grace_days": 30,
        "exclude": {"law": ["SFB"]},
        "strata": {"Hemtjänst": {"service": "hemtjänst"}, "LSS": {"law": "LSS"}},
    },
    {"kind": "tillsvidare", "rule": "in_period", "grace_days": 10},
    {"kind": "tillsvidare", "interval_months": 1, "grace_days": 5, "stratify_by": "service"},
]
PERIODS = [
    Period(start=BASE, end=date(2024, 12, 31)),
    Period(start=date(2024, 2, 10), end=date(2024, 11, 20)),
]


def fresh(kind: str, params: dict[str, Any], period: Period) -> Check[Any]:
    context = ControlContext(control_id="K", period=period)
    if kind == "verkstallighetstid":
        return Verkstallighetstid(VerkstallighetstidParams.model_validate(params), context)
    return Beslutsuppfoljning(BeslutsuppfoljningParams.model_validate(params), context)


def by_rows(check: Check[Any], rows: list[Row]) -> Check[Any]:
    for row in rows:
        if check.in_population(row):
            check.feed(row)
    return check


def by_batches(check: Check[Any], rows: list[Row], size: int) -> Check[Any]:
    """As the engine folds a batch: observe, population, feed, with the log held meanwhile."""
    for low in range(0, len(rows), size):
        batch = Batch(rows[low : low + size])
        batch.log = check.findings
        check.findings.hold()
        check.observe_batch(batch)
        fed = batch.take(check.population_where(batch))
        fed.log = check.findings
        check.feed_batch(fed)
        check.findings.release()
    return check


def summary(check: Check[Any]) -> tuple[Any, ...]:
    outcome = check.outcome()
    return (
        outcome.metrics,
        outcome.result_text,
        outcome.population,
        check.invalid_rows,
        [f.model_dump() for f in check.findings],
        {name: (t.columns, list(t.rows)) for name, t in outcome.tables.items()},
    )


@st.composite
def setups(draw: st.DrawFn) -> tuple[str, dict[str, Any], Period]:
    kind = draw(st.sampled_from(["verkstallighetstid", "beslutsuppfoljning"]))
    params = draw(st.sampled_from(VERKSTALLIGHET if kind == "verkstallighetstid" else UPPFOLJNING))
    return kind, params, draw(st.sampled_from(PERIODS))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed_rows(), setups(), st.sampled_from([1, 4, 1000]))
def test_population_and_feed_in_batches_equal_the_row_api(
    rows: list[Row], setup: tuple[str, dict[str, Any], Period], size: int
) -> None:
    one = summary(by_rows(fresh(*setup), rows))
    assert summary(by_batches(fresh(*setup), rows, size)) == one


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed_rows(), setups(), st.lists(st.integers(0, 40), max_size=4), st.data())
def test_partitions_merged_equal_one_pass(
    rows: list[Row], setup: tuple[str, dict[str, Any], Period], cuts: list[int], data: Any
) -> None:
    one = summary(by_rows(fresh(*setup), rows))
    bounds = [0, *sorted(min(c, len(rows)) for c in cuts), len(rows)]
    parts = []
    for low, high in pairwise(bounds):
        size = data.draw(st.sampled_from([1, 3, 1000]))
        parts.append(by_batches(fresh(*setup), rows[low:high], size))
    merged, *rest = parts
    for part in rest:
        merged.merge(part)
    assert summary(merged) == one


# Pointed cases: boundaries of the follow-up rule, spellings met first in another part --------


@st.composite
def follow_ups(draw: st.DrawFn, interval: int, grace: int) -> tuple[date, date | None, date | None]:
    """A decision, its latest follow-up and its end, near due dates and the period's bounds."""
    near = st.sampled_from([-31, -30, -6, -5, -1, 0, 1, 5, 6, 29, 30, 31])
    decided = add_months(BASE, draw(st.integers(-40, 11))) + timedelta(days=draw(near))
    followed_up = ended = None
    if draw(st.booleans()):
        months = interval * draw(st.integers(0, 4)) + draw(st.sampled_from([0, 0, 1, -1, 5]))
        late = draw(st.sampled_from([grace, grace + 1, grace - 1, *[0, 1, -1] * 3]))
        followed_up = max(decided, add_months(decided, months) + timedelta(days=late))
    if draw(st.integers(0, 3)) == 0:
        ended = add_months(decided, draw(st.integers(0, 30))) + timedelta(days=draw(near))
    return decided, followed_up, ended


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([1, 3, 12]), st.sampled_from([0, 5, 30, 400]), st.data())
def test_due_dates_in_batches_are_follow_up_dues(
    interval: int, grace: int, data: st.DataObject
) -> None:
    cases = data.draw(st.lists(follow_ups(interval, grace), min_size=1, max_size=30))
    period = data.draw(st.sampled_from(PERIODS))
    params = {"kind": "tillsvidare", "interval_months": interval, "grace_days": grace}
    check = fresh("beslutsuppfoljning", params, period)
    assert isinstance(check, Beslutsuppfoljning)
    rows = [
        Row(n, {"decided": decided, "followed_up": followed_up, "ended": ended})
        for n, (decided, followed_up, ended) in enumerate(cases, start=2)
    ]
    batch = Batch(rows)
    some_due, all_in_time = check._due_states(batch, batch.everything())
    expected = [
        list(follow_up_dues(*case, interval, grace, period.start, period.end)) for case in cases
    ]
    assert some_due.tolist() == [bool(dues) for dues in expected]
    assert all_in_time.tolist() == [all(due.in_time for due in dues) for dues in expected]


def test_a_stratum_spelled_otherwise_in_a_later_part_keeps_the_first_spelling() -> None:
    def decision(number: int, service: str) -> Row:
        return Row(number, {"decided": BASE, "valid_to": date(2024, 6, 1), "service": service})

    rows = [decision(2, " hemtjänst"), decision(3, "Hemtjänst"), decision(4, "Boende")]
    setup = ("beslutsuppfoljning", {"kind": "tidsbegransade"}, PERIODS[0])
    one = summary(by_rows(fresh(*setup), rows))
    first, second = by_batches(fresh(*setup), rows[:1], 5), by_batches(fresh(*setup), rows[1:], 5)
    first.merge(second)
    assert summary(first) == one
    assert one[0]["hemtjänst.n"] == 2


def test_an_ivo_law_spelled_otherwise_in_a_later_part_keeps_the_first_spelling() -> None:
    """With every law reported (``ivo_laws = []``), a blank lagrum reads as the law spelled
    as first met: in the list and in the statistics, whichever part met it."""

    def decision(number: int, law: str) -> Row:
        values = {"decision_id": f"B{number}", "law": law, "decided": date(2024, 1, number)}
        return Row(number, values)

    rows = [decision(2, " lss "), decision(3, "LSS"), decision(4, "SFB")]
    setup = ("verkstallighetstid", {"group_by": "law", "ivo_laws": []}, PERIODS[0])
    one = summary(by_rows(fresh(*setup), rows))
    first, second = by_batches(fresh(*setup), rows[:1], 5), by_batches(fresh(*setup), rows[1:], 5)
    first.merge(second)
    assert summary(first) == one
    listed = one[5]["ivo_rapportering"][1]
    assert [line[3] for line in listed if line[0] == "2024-Q2"] == ["lss", "lss", "SFB"]


def test_a_law_a_middle_part_only_names_keeps_its_spelling_in_the_statistics() -> None:
    """With every law reported, the spelling a decision in time meets first is the law's name,
    though that decision is on no list: the part that met it is merged before the part whose
    late decision lists the law otherwise spelled."""
    in_time = {"decision_id": "B3", "law": "lss", "decided": date(2024, 1, 2)}
    rows = [
        Row(2, {"decision_id": "B2", "law": "SoL", "decided": date(2024, 1, 2)}),
        Row(3, {**in_time, "executed": date(2024, 1, 10)}),
        Row(4, {"decision_id": "B4", "law": "LSS", "decided": date(2024, 3, 7)}),
    ]
    setup = ("verkstallighetstid", {"group_by": "law", "ivo_laws": []}, PERIODS[0])
    one = summary(by_rows(fresh(*setup), rows))
    parts = [by_batches(fresh(*setup), rows[n : n + 1], 5) for n in range(3)]
    for part in parts[1:]:
        parts[0].merge(part)
    assert summary(parts[0]) == one
    statistics = one[5]["ivo_sammanstallning"][1]
    assert {line[1] for line in statistics} == {"SoL", "lss"}


def test_an_avbrott_after_a_timely_start_reaches_the_ivo_list_in_batches() -> None:
    """A beslut verkställd in time is on no list; its avbrott, not resumed within three months,
    is, as are a declined offer and an end after the three months."""
    rows = [
        Row(2, {"decision_id": "A", "law": "SoL", "decided": date(2024, 1, 10)}),
        Row(
            3,
            {
                "decision_id": "B",
                "law": "LSS",
                "decided": date(2024, 1, 10),
                "executed": date(2024, 2, 1),
                "interrupted": date(2024, 3, 1),
            },
        ),
        Row(
            4,
            {
                "decision_id": "C",
                "law": "SoL",
                "decided": date(2024, 1, 10),
                "declined": date(2024, 3, 1),
                "ended": date(2024, 8, 1),
                "end_reason": "Avliden",
            },
        ),
    ]
    setup = ("verkstallighetstid", {"group_by": "law"}, PERIODS[0])
    one = summary(by_rows(fresh(*setup), rows))
    assert summary(by_batches(fresh(*setup), rows, 2)) == one
    listed = one[5]["ivo_rapportering"][1]
    assert [(line[0], line[1], line[5]) for line in listed] == [
        ("2024-Q2", "A", "Ej verkställt"),
        ("2024-Q2", "B", "Avbrott, ej återupptaget"),
        ("2024-Q2", "C", "Ej verkställt"),
        ("2024-Q3", "A", "Ej verkställt"),
        ("2024-Q3", "B", "Avbrott, ej återupptaget"),
        ("2024-Q3", "C", "Avslutat"),
        ("2024-Q4", "A", "Ej verkställt"),
        ("2024-Q4", "B", "Avbrott, ej återupptaget"),
    ]
