"""Each kind of plan mistake: found in one pass, in Swedish, with file, line and id."""

from __future__ import annotations

from pathlib import Path

import pytest

from internkontroll.errors import PlanError, PlanProblem
from internkontroll.planfile import load_plan

from .conftest import PLAN, write


def problems(tmp_path: Path, text: str) -> list[PlanProblem]:
    write(tmp_path / "beslut.csv", "Beslut-ID;Lag;Beslutsdatum;Verkställighetsdatum\n")
    path = write(tmp_path / "plan.toml", text)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    return caught.value.problems


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_valid_plan_loads(plan_dir: Path) -> None:
    plan, host = load_plan(plan_dir / "plan.toml")
    assert [c.id for c in plan.controls] == ["K1"]
    assert "verkstallighetstid" in host.checks()
    assert plan.risks[0].score == 12


def test_toml_syntax_error_names_line(tmp_path: Path) -> None:
    text = PLAN.replace("year = 2024", "year = = 2024")
    [problem] = problems(tmp_path, text)
    assert problem.line == line_of(text, "year = = 2024")
    assert "TOML-syntaxfel" in problem.message


def test_unknown_check_suggests_the_near_name(tmp_path: Path) -> None:
    text = PLAN.replace('check = "verkstallighetstid"', 'check = "verkstalighetstid"')
    [problem] = problems(tmp_path, text)
    assert problem.where == "kontroll K1"
    assert problem.line == line_of(text, 'check = "verkstalighetstid"')
    assert "okänd kontrolltyp 'verkstalighetstid'" in problem.message
    assert "menade du 'verkstallighetstid'" in problem.message


def test_unknown_dataset(tmp_path: Path) -> None:
    text = PLAN.replace('dataset = "beslut"', 'dataset = "beslutt"')
    [problem] = problems(tmp_path, text)
    assert problem.line == line_of(text, 'dataset = "beslutt"')
    assert "datamängden 'beslutt' finns inte" in problem.message


def test_unknown_risk_id(tmp_path: Path) -> None:
    text = PLAN.replace('risk = "R1"', 'risk = "R9"')
    [problem] = problems(tmp_path, text)
    assert problem.line == line_of(text, 'risk = "R9"')
    assert "risken 'R9' finns inte" in problem.message


def test_duplicate_control_id(tmp_path: Path) -> None:
    control = PLAN[PLAN.index("[[control]]") :]
    text = PLAN + "\n" + control
    [problem] = problems(tmp_path, text)
    second = [n for n, line in enumerate(text.splitlines(), 1) if line == 'id = "K1"'][1]
    assert problem.line == second
    assert "id:t 'K1' finns redan" in problem.message


def test_params_fail_the_checks_own_model(tmp_path: Path) -> None:
    text = PLAN.replace('group_by = "law"', 'group_by = "law"\ngroup_byy = 3')
    [problem] = problems(tmp_path, text)
    assert problem.where == "kontroll K1"
    assert problem.line == line_of(text, "group_byy = 3")
    assert "okänd nyckel 'group_byy'" in problem.message
    assert "menade du 'group_by'" in problem.message


def test_column_mapping_lacks_a_needed_field(tmp_path: Path) -> None:
    text = PLAN.replace('executed = "Verkställighetsdatum"\n', "")
    [problem] = problems(tmp_path, text)
    assert problem.line == line_of(text, "[datasets.beslut.columns]")
    assert "saknar executed" in problem.message


def test_mapped_column_missing_in_the_export(tmp_path: Path) -> None:
    text = PLAN.replace('law = "Lag"', 'law = "Lagen"')
    [problem] = problems(tmp_path, text)
    assert "kolumnen 'Lagen' finns inte i rubrikraden" in problem.message


def test_missing_dataset_file(tmp_path: Path) -> None:
    text = PLAN.replace('path = "beslut.csv"', 'path = "saknas.csv"')
    [problem] = problems(tmp_path, text)
    assert problem.line == line_of(text, 'path = "saknas.csv"')
    assert "filen 'saknas.csv' finns inte" in problem.message


def test_missing_plan_file(tmp_path: Path) -> None:
    with pytest.raises(PlanError) as caught:
        load_plan(tmp_path / "ingen.toml")
    assert "planfilen finns inte" in str(caught.value)


def test_wrong_type_and_missing_key_in_a_risk(tmp_path: Path) -> None:
    text = PLAN.replace("likelihood = 3", 'likelihood = "hög"').replace(
        'title = "Brister i rättssäkerhet."\n', ""
    )
    found = problems(tmp_path, text)
    messages = {p.message for p in found}
    assert "likelihood ska vara ett heltal" in messages
    assert "title saknas" in messages
    assert all(p.where == "risk R1" for p in found)
    likely = next(p for p in found if "likelihood" in p.message)
    assert likely.line == line_of(text, 'likelihood = "hög"')


def test_likelihood_outside_the_scale(tmp_path: Path) -> None:
    text = PLAN.replace("likelihood = 3", "likelihood = 5")
    [problem] = problems(tmp_path, text)
    assert "utanför skalan 1–4" in problem.message


def test_control_without_criteria_is_valid(tmp_path: Path) -> None:
    """Without criteria the figures are shown and a person assesses (test_manual.py)."""
    text = PLAN[: PLAN.index("[control.criteria]")]
    write(tmp_path / "beslut.csv", "Beslut-ID;Lag;Beslutsdatum;Verkställighetsdatum\n")
    plan, _ = load_plan(write(tmp_path / "plan.toml", text))
    assert plan.controls[0].criteria is None


def test_three_mistakes_reported_in_one_pass(tmp_path: Path) -> None:
    text = (
        PLAN.replace('risk = "R1"', 'risk = "R2"')
        .replace('dataset = "beslut"', 'dataset = "okänd"')
        .replace("year = 2024", 'year = "2024"')
    )
    found = problems(tmp_path, text)
    assert len(found) == 3
    assert sorted(p.line or 0 for p in found) == sorted(
        [
            line_of(text, 'risk = "R2"'),
            line_of(text, 'dataset = "okänd"'),
            line_of(text, 'year = "2024"'),
        ]
    )
    assert str(found[0]).startswith(f"{tmp_path / 'plan.toml'}:")


def test_a_control_with_bad_criteria_still_has_its_references_checked(tmp_path: Path) -> None:
    """Duplicate id, unknown dataset, risk and check of a control whose criteria are wrong
    show in the same pass as the criteria, not one fix later."""
    control = PLAN[PLAN.index("[[control]]") :]
    second = (
        control.replace('dataset = "beslut"', 'dataset = "besluts"')
        .replace('risk = "R1"', 'risk = "R7"')
        .replace('check = "verkstallighetstid"', 'check = "verkstalighetstid"')
        .replace("utan_anmarkning = 30", "utan_anmarkning = 90")
    )
    text = PLAN + "\n" + second
    found = problems(tmp_path, text)
    messages = " | ".join(p.message for p in found)
    assert "id:t 'K1' finns redan" in messages
    assert "datamängden 'besluts' finns inte" in messages
    assert "risken 'R7' finns inte" in messages
    assert "okänd kontrolltyp 'verkstalighetstid'" in messages
    assert "criteria" in messages
    assert len(found) == 5
    assert {p.line for p in found} >= {
        line_of(text, 'dataset = "besluts"'),
        line_of(text, 'risk = "R7"'),
        line_of(text, 'check = "verkstalighetstid"'),
    }


def test_an_action_on_a_faulty_control_is_not_told_the_control_is_missing(
    tmp_path: Path,
) -> None:
    text = PLAN.replace('title = "Verkställighetstid"', "title = 3") + (
        '\n[[action]]\naction = "Ny rutin."\ncontrol = "K1"\n'
    )
    found = problems(tmp_path, text)
    assert [p.message for p in found] == ["title ska vara text inom citattecken"]
