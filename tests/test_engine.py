"""The engine: one pass per dataset, and one failing control never stops the others."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from internkontroll import hookimpl
from internkontroll.assessment import Assessment
from internkontroll.checks import Check, NoParams
from internkontroll.datasets import Dataset, Row
from internkontroll.engine import run_plan
from internkontroll.hookspecs import RegisterCheck
from internkontroll.outcome import Outcome
from internkontroll.planfile import load_plan

from .conftest import PLAN, extra_control, write


class Explodes(Check[NoParams]):
    name = "explodes"
    title = "Går sönder"
    fields = {"decision_id": "text"}

    def feed(self, row: Row) -> None:
        if row.number == 4:
            raise ZeroDivisionError("division med noll på rad 4")

    def outcome(self) -> Outcome:
        return Outcome()


class NotAnOutcome(Check[NoParams]):
    name = "wrong_type"
    title = "Fel typ"

    def feed(self, row: Row) -> None:
        pass

    def outcome(self) -> Outcome:
        return {"rows": 1}  # type: ignore[return-value]


class Misbehaving:
    @hookimpl
    def register_checks(self, register: RegisterCheck) -> None:
        register(Explodes)
        register(NotAnOutcome)


def test_failing_checks_do_not_stop_the_others(plan_dir: Path) -> None:
    path = write(
        plan_dir / "plan.toml",
        PLAN + extra_control("K8", "explodes") + extra_control("K9", "wrong_type"),
    )
    from internkontroll.plugins import PluginHost

    host = PluginHost()
    host.register(Misbehaving(), name="misbehaving")
    plan, host = load_plan(path, host)
    results = {r.control.id: r for r in run_plan(plan, host)}
    assert results["K1"].assessment is Assessment.FORSUMBAR_ANMARKNING
    assert results["K8"].assessment is Assessment.EJ_GENOMFORD
    assert "ZeroDivisionError: division med noll på rad 4" in results["K8"].reason
    assert results["K9"].assessment is Assessment.EJ_GENOMFORD
    assert "inte ett Outcome" in results["K9"].reason


def test_each_dataset_is_read_once_however_many_controls(
    plan_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = PLAN[PLAN.index("[[control]]") :].replace('id = "K1"', 'id = "K2"')
    third = second.replace('id = "K2"', 'id = "K3"')
    path = write(plan_dir / "plan.toml", PLAN + second + third)
    passes = []
    original = Dataset.batches

    def counted(self: Dataset, fields: Any, size: int) -> Any:
        passes.append(self.name)
        return original(self, fields, size)

    monkeypatch.setattr(Dataset, "batches", counted)
    plan, host = load_plan(path)
    results = run_plan(plan, host)
    assert passes == ["beslut"]
    assert [r.outcome.metrics["SoL.n"] for r in results] == [3, 3, 3]


def test_only_runs_the_named_controls(plan_dir: Path) -> None:
    second = PLAN[PLAN.index("[[control]]") :].replace('id = "K1"', 'id = "K2"')
    path = write(plan_dir / "plan.toml", PLAN + second)
    plan, host = load_plan(path)
    assert [r.control.id for r in run_plan(plan, host, {"K2"})] == ["K2"]


def test_unreadable_export_fails_its_controls_with_the_reason(plan_dir: Path) -> None:
    plan, host = load_plan(plan_dir / "plan.toml")
    (plan_dir / "beslut.csv").write_text("Annat;Huvud\n1;2\n", encoding="utf-8")
    [result] = run_plan(plan, host)
    assert result.assessment is Assessment.EJ_GENOMFORD
    assert "kolumnen 'Beslut-ID'" in result.reason
