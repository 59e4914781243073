"""A check whose Outcome is of the wrong shape (a word for a figure, NaN) fails only its own
control, with a Swedish reason: the reason reaches Bilaga 1, so pydantic's English must not."""

from __future__ import annotations

from pathlib import Path

import pytest

from internkontroll.engine import run_plan
from internkontroll.planfile import load_plan

from .conftest import PLAN, extra_control, write

PLUGIN = """
from internkontroll import hookimpl
from internkontroll.checks import Check, NoParams
from internkontroll.outcome import Outcome


class Fel(Check[NoParams]):
    name, title = "fel", "Fel"

    def feed(self, row):
        pass

    def outcome(self):
        return Outcome(metrics={{"rows": {value}}})


@hookimpl
def register_checks(register):
    register(Fel)
"""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"tolv"', "metrics.rows ska vara ett tal"),
        ('float("nan")', "metrics: måttet 'rows' är inget ändligt tal (nan)"),
    ],
)
def test_a_misshapen_outcome_has_a_swedish_reason(
    plan_dir: Path, value: str, expected: str
) -> None:
    write(plan_dir / "lokala" / "fel.py", PLUGIN.format(value=value))
    text = PLAN.replace("year = 2024\n", 'year = 2024\nplugins_dir = "lokala"\n', 1)
    plan = write(plan_dir / "plan.toml", text + extra_control("K2", "fel"))
    results = {r.control.id: r for r in run_plan(*load_plan(plan))}
    assert results["K2"].assessment.value == "ej_genomford"
    assert results["K2"].reason == (
        f"Kontrollen kunde inte genomföras: kontrolltypens resultat (Outcome) är ogiltigt: {expected}"
    )
    assert results["K1"].assessment.value != "ej_genomford"
