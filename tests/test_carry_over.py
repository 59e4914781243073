"""Carry-over: open actions and controls with anmärkning, as TOML for next year's plan."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.planfile import load_plan

ROOT = Path(__file__).resolve().parents[1]

PERSON_ACTION = """
[[controls.K3.action]]
action = "Påminnelse i verksamhetssystemet före slutdatum."
owner = "Systemförvaltare"
status = "Pågår"

[[controls.K3.action.log]]
date = 2024-11-20
text = "Beställd av leverantören."
"""


def invoke(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("carry") / "resultat"
    invoke("run", str(ROOT / "controls" / "exempel" / "plan.toml"), "--out", str(out))
    with (out / "bedomning.toml").open("a", encoding="utf-8") as handle:
        handle.write(PERSON_ACTION)
    return out


def test_appended_to_next_years_plan_it_validates(results: Path, tmp_path: Path) -> None:
    demo = tmp_path / "exempel"
    shutil.copytree(ROOT / "controls" / "exempel", demo)
    plan = demo / "plan-2025.toml"
    before, _ = load_plan(plan)
    text = invoke("carry-over", str(results), "--year", "2025", "--plan", str(plan))
    with plan.open("a", encoding="utf-8") as handle:
        handle.write("\n" + text)
    after, _ = load_plan(plan)
    added = [c.id for c in after.controls if c.id not in {c.id for c in before.controls}]
    assert added == ["K3", "K4"]  # försumbar and med anmärkning; K1 and K2 were utan
    assert all(c.period is None for c in after.controls if c.id in added)  # next year's period
    new_actions = after.actions[len(before.actions) :]
    # The two open plan actions and the person's, not the one marked "Klar".
    assert [a.action for a in new_actions] == [
        "Ta fram en rutin för uppföljning av icke tidsbegränsade tillsvidarebeslut.",
        "Följa upp områden som kräver förbättringar på metodmöten.",
        "Påminnelse i verksamhetssystemet före slutdatum.",
    ]
    person = new_actions[2]
    assert person.control == "K3" and person.activity == "Uppföljning av tidsbegränsade beslut"
    assert [(e.date.isoformat(), e.text) for e in person.log] == [
        ("2024-11-20", "Beställd av leverantören.")
    ]
    assert "# Föreslagen kontroll: K4 bedömdes med anmärkning i Internkontrollplan 2024" in text


def test_without_next_years_plan_it_brings_its_risk_and_dataset(results: Path) -> None:
    data = tomllib.loads(invoke("carry-over", str(results), "--year", "2026"))
    assert [r["id"] for r in data["risk"]] == ["R1"]
    assert list(data["datasets"]) == ["beslut"]
    assert all("worksheet" not in c.get("sample", {}) for c in data["control"])


def test_writes_only_a_new_file(results: Path, tmp_path: Path) -> None:
    target = tmp_path / "overfort.toml"
    invoke("carry-over", str(results), "--year", "2026", "--output", str(target))
    assert tomllib.loads(target.read_text(encoding="utf-8"))["control"]
    target.write_text("# mitt\n", encoding="utf-8")
    message = invoke(
        "carry-over", str(results), "--year", "2026", "--output", str(target), code=1
    )
    assert "finns redan" in message
    assert target.read_text(encoding="utf-8") == "# mitt\n"


def test_next_years_plan_not_in_utf8_is_refused_at_its_line(results: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan-2025.toml"
    plan.write_bytes(
        '[plan]\ntitle = "Plan 2025"\norganisation = "Vård- och omsorgsnämnden"\nyear = 2025\n'.encode(
            "cp1252"
        )
    )
    output = invoke("carry-over", str(results), "--year", "2025", "--plan", str(plan), code=1)
    assert f"{plan}:3: filen är inte UTF-8" in output
    assert "codec" not in output


@pytest.mark.parametrize("year", ["2024", "2023"])
def test_a_year_not_after_the_results_is_refused(results: Path, year: str) -> None:
    """The demo's results are for 2024: carrying them over "to 2024" once gave TOML, exit 0."""
    output = invoke("carry-over", str(results), "--year", year, code=1)
    assert f"--year {year}" in output and "2024" in output and "--year 2025" in output


def test_next_years_plan_for_another_year_is_refused(results: Path) -> None:
    plan = ROOT / "controls" / "exempel" / "plan-2025.toml"
    output = invoke("carry-over", str(results), "--year", "2026", "--plan", str(plan), code=1)
    assert "--year 2026" in output and "gäller år 2025" in output
