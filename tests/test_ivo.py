"""The IVO worksheet and the choice of what counts as verkställd, on decisions worked by hand."""

from __future__ import annotations

from pathlib import Path

from internkontroll.engine import run_plan
from internkontroll.planfile import load_plan

from .conftest import write

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
decided = "Beslut"
executed = "Verkställt"
offered = "Erbjudet"

[[control]]
id = "K2"
risk = "R1"
title = "Verkställighetstid"
check = "verkstallighetstid"
dataset = "beslut"
[control.params]
group_by = "law"
{extra}
[control.criteria]
metric = "over_3_months"
better = "lower"
utan_anmarkning = 0
"""
EXPORT = """\
Id;Pnr;Lag;Lagrum;Insats;Beslut;Verkställt;Erbjudet
A;19800101-0027;LSS;9 § 9 LSS;Bostad med särskild service;2024-01-15;;2024-03-01
B;19121212-1212;SoL;4 kap. 1 § SoL;Särskilt boende;2024-02-10;2024-08-01;2024-04-01
C;19121212-1212;SFB;51 kap. SFB;Assistansersättning;2024-01-02;2024-09-01;
D;19121212-1212;LSS;9 § 10 LSS;Daglig verksamhet;2024-03-01;2024-04-01;
"""


def run(tmp_path: Path, extra: str = "") -> object:
    write(tmp_path / "plan.toml", PLAN.replace("{extra}", extra))
    write(tmp_path / "beslut.csv", EXPORT)
    [result] = run_plan(*load_plan(tmp_path / "plan.toml"))
    return result


def test_ivo_list_per_quarter(tmp_path: Path) -> None:
    result = run(tmp_path)
    report = result.outcome.tables["ivo_rapportering"]  # type: ignore[attr-defined]
    # A (LSS, 15 January, never verkställd): past 15 April, so in Q2, Q3 and Q4, waiting until
    # each quarter's end. B (SoL, 10 February, verkställd 1 August): past 10 May, so in Q2 still
    # waiting (1 August is not known on 30 June) and in Q3 as verkställd on 1 August. C is SFB
    # (not reported to IVO); D was in time.
    lss, sol = (
        ["A", "Bostad med särskild service", "9 § 9 LSS", "2024-01-15"],
        [
            "B",
            "Särskilt boende",
            "4 kap. 1 § SoL",
            "2024-02-10",
        ],
    )
    assert list(report.rows) == [
        ["2024-Q2", *lss, "Ej verkställt", "", 167, "Kvinna", ""],
        ["2024-Q2", *sol, "Ej verkställt", "", 141, "Man", ""],
        ["2024-Q3", *lss, "Ej verkställt", "", 259, "Kvinna", ""],
        ["2024-Q3", *sol, "Verkställt", "2024-08-01", 173, "Man", ""],
        ["2024-Q4", *lss, "Ej verkställt", "", 351, "Kvinna", ""],
    ]
    summary = result.outcome.tables["ivo_sammanstallning"]  # type: ignore[attr-defined]
    masked = "färre än 2"
    assert ["2024-Q2", "LSS", "Bostad med särskild service", "Kvinna", masked, 0, 0, masked] in (
        summary.rows
    )
    assert ["2024-Q4", "LSS", "Bostad med särskild service", "Kvinna", 0, masked, 0, masked] in (
        summary.rows
    )
    metrics = result.outcome.metrics  # type: ignore[attr-defined]
    assert metrics["over_3_months"] == 3  # A, B and C; D was verkställd in time
    assert metrics["SFB.over_3_months"] == 1


def test_offered_date_as_verkstalld(tmp_path: Path) -> None:
    result = run(tmp_path, 'verkstalld = "offered"')
    metrics = result.outcome.metrics  # type: ignore[attr-defined]
    # Offered: A after 46 days, B after 51; C and D have no offer date and are still waiting.
    assert metrics["LSS.mean_days"] == 46
    assert metrics["SoL.mean_days"] == 51
    assert metrics["not_executed"] == 2
    assert metrics["over_3_months"] == 2  # C and D: no offer by 31 December
