"""Group values compare trimmed and without case; what falls outside is counted and named."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.grouping import GroupNames

from .conftest import BESLUT_HEADER, PLAN, write
from .decisions import Decision, run_control


def test_group_names_take_the_plans_spelling() -> None:
    closed = GroupNames(["SoL", "LSS"], closed=True)
    assert [closed.name(v) for v in [" sol ", "LSS", "lss", "SFB", None]] == [
        "SoL",
        "LSS",
        "LSS",
        None,
        None,
    ]
    open_set = GroupNames()
    assert [open_set.name(v) for v in ["Hemtjänst", " HEMTJÄNST", "LSS"]] == [
        "Hemtjänst",
        "Hemtjänst",
        "LSS",
    ]


def run_plan(tmp_path: Path, params: str, rows: list[str]) -> dict:  # type: ignore[type-arg]
    plan = PLAN.replace('[control.params]\ngroup_by = "law"', f"[control.params]\n{params}")
    plan = plan.replace('metric = "*.mean_days"', 'metric = "mean_days"')
    write(tmp_path / "plan.toml", plan)
    write(tmp_path / "beslut.csv", "\n".join([BESLUT_HEADER, *rows]) + "\n")
    result = CliRunner().invoke(
        cli, ["run", str(tmp_path / "plan.toml"), "--out", str(tmp_path / "ut")]
    )
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "ut" / "resultat.json").read_text(encoding="utf-8"))
    control: dict = document["controls"][0]  # type: ignore[type-arg]
    control["findings"] = (tmp_path / "ut" / "avvikelser" / "K1.csv").read_text("utf-8-sig")
    return control


ROWS = [
    "B1;x; sol ;2024-01-10;2024-01-15",
    "B2;x;SoL;2024-02-01;2024-02-11",
    "B3;x;lss;2024-03-01;2024-03-31",
    "B4;x;SFB;2024-03-01;2024-03-02",
    "B5;x;sfb;2024-04-01;2024-04-02",
    "B6;x;SFB;2024-04-01;2024-04-03",
    "B7;x;SFB;2024-04-01;2024-04-04",
]


def test_verkstallighetstid_counts_sol_in_sol_and_names_what_is_outside(tmp_path: Path) -> None:
    control = run_plan(tmp_path, 'group_by = "law"\ngroups = ["SoL", "LSS"]', ROWS)
    metrics = control["metrics"]
    # By hand: SoL 5 and 10 days, LSS 30 days; four SFB rows outside.
    assert (metrics["SoL.n"], metrics["SoL.mean_days"]) == (2, 7.5)
    assert (metrics["LSS.n"], metrics["LSS.mean_days"]) == (1, 30.0)
    assert (metrics["n"], metrics["outside_groups"], metrics["excluded"]) == (3, 4, 0)
    assert control["result_text"].endswith(
        "4 beslut med lag utanför SoL och LSS (SFB, sfb) ingår inte i siffrorna."
    )
    assert (
        "K1;B4;5;datakvalitet;\"lag 'SFB' är inte en av grupperna SoL, LSS; raden räknas inte "
        'i siffrorna";' in control["findings"]
    )
    assert control["findings"].count("är inte en av grupperna") == 4


def test_utredningstid_does_the_same(tmp_path: Path) -> None:
    plan_rows = [r.replace(";x;", ";2024-01-01;", 1) for r in ROWS]
    params = 'group_by = "law"\ngroups = ["SoL", "LSS"]'
    plan = PLAN.replace('check = "verkstallighetstid"', 'check = "utredningstid"').replace(
        'executed = "Verkställighetsdatum"', 'applied = "Ansökningsdatum"'
    )
    header = BESLUT_HEADER.replace("Personnummer", "Ansökningsdatum")
    write(tmp_path / "plan.toml", plan.replace('group_by = "law"', params))
    write(tmp_path / "beslut.csv", "\n".join([header, *plan_rows]) + "\n")
    result = CliRunner().invoke(
        cli, ["run", str(tmp_path / "plan.toml"), "--out", str(tmp_path / "ut")]
    )
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "ut" / "resultat.json").read_text(encoding="utf-8"))
    metrics = document["controls"][0]["metrics"]
    assert (metrics["SoL.n"], metrics["LSS.n"], metrics["outside_groups"]) == (2, 1, 4)
    assert "4 beslut med lag utanför SoL och LSS" in document["controls"][0]["result_text"]


def test_without_groups_nothing_is_outside_and_spellings_merge(tmp_path: Path) -> None:
    control = run_plan(tmp_path, 'group_by = "law"', ROWS)
    metrics = control["metrics"]
    assert "outside_groups" not in metrics
    # Spelled as first seen: " sol " comes before "SoL", "SFB" before "sfb".
    assert (metrics["sol.n"], metrics["lss.n"], metrics["SFB.n"]) == (2, 1, 4)
    assert "SoL.n" not in metrics and "sfb.n" not in metrics


def test_a_late_decision_under_lss_in_lower_case_reaches_the_ivo_list(tmp_path: Path) -> None:
    rows = ["B1;x; lss ;2024-01-10;2024-06-15", "B2;x;SFB;2024-01-10;2024-06-15"]
    run_plan(tmp_path, 'group_by = "law"', rows)
    ivo = (tmp_path / "ut" / "underlag" / "K1_ivo_rapportering.csv").read_text("utf-8-sig")
    assert ";B1;" in ivo and ";LSS;" in ivo
    assert ";B2;" not in ivo


def test_follow_up_strata_by_value_merge_spellings() -> None:
    control = """
check = "beslutsuppfoljning"
period = { start = 2024-01-01, end = 2024-11-30 }
[control.params]
kind = "tidsbegransade"
stratify_by = "service"
"""
    day = date(2024, 3, 1)
    decisions = [
        Decision("B1", "SoL", "Hemtjänst", None, day, None, date(2024, 6, 1), date(2024, 5, 1)),
        Decision("B2", "SoL", " HEMTJÄNST", None, day, None, date(2024, 6, 1), None),
    ]
    with run_control(control, decisions) as result:
        metrics = result.outcome.metrics
        assert (metrics["Hemtjänst.n"], metrics["Hemtjänst.followed_up"]) == (2, 1)
        assert not any(name.startswith("HEMTJÄNST") for name in metrics)
