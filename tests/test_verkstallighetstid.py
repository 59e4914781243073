"""Verkställighetstid on a small export whose figures are worked out by hand below."""

from __future__ import annotations

from pathlib import Path

import pytest

from internkontroll.engine import run_plan
from internkontroll.planfile import load_plan


def test_figures_by_hand(plan_dir: Path) -> None:
    plan, host = load_plan(plan_dir / "plan.toml")
    [result] = run_plan(plan, host)
    metrics = result.outcome.metrics
    # In 2024: SoL waits 5, 10 and 1 days; LSS waits 60 days, and B4 is not yet verkställd.
    # B5 was decided on 2023-12-31, outside the period.
    assert metrics["SoL.n"] == 3
    assert metrics["SoL.mean_days"] == pytest.approx(16 / 3)
    assert metrics["SoL.median_days"] == 5
    assert metrics["LSS.n"] == 1
    assert metrics["LSS.mean_days"] == 60
    assert metrics["n"] == 4
    assert metrics["median_days"] == 7.5
    assert metrics["not_executed"] == 1
    assert metrics["invalid_rows"] == 0
    assert result.outcome.population == 5
    # One late decision and one LSS decision: below min_group_size (3), so the text says
    # "färre än 3" and leaves out LSS's mean (the metric above stays exact).
    text = (
        "Granskningen visade att den genomsnittliga verkställighetstiden LSS redovisas inte "
        "eftersom den bygger på färre än 3 beslut och verkställighetstiden SoL är 5 dagar. "
        "Färre än 3 beslut hade inte verkställts inom tre månader."
    )
    assert result.outcome.result_text == text
    [by_rows] = run_plan(plan, host, batch_rows=0)
    assert by_rows.outcome.result_text == text
    plan.header.min_group_size = 1
    [shown] = run_plan(plan, host)
    assert "verkställighetstiden LSS är 60 dagar" in shown.outcome.result_text
    # B4 (LSS, 2024-03-05) is still waiting at the period's end, past its date 2024-06-05.
    assert metrics["over_3_months"] == metrics["LSS.over_3_months"] == 1
    assert metrics["SoL.over_3_months"] == 0
    # LSS waits 60 days on average: above 30 (utan anmärkning), within 60 (försumbar).
    assert result.assessment.value == "forsumbar_anmarkning"
    # The reason, as the text, does not show a mean of one decision; the plan that shows
    # groups of one above sees it.
    assert "LSS: genomsnitt (LSS.mean_days) = visas inte (färre än 3)" in result.reason
    assert "LSS: genomsnitt (LSS.mean_days) = 60" in shown.reason


def test_bad_rows_are_excluded_counted_and_listed(plan_dir: Path) -> None:
    export = plan_dir / "beslut.csv"
    export.write_text(
        export.read_text(encoding="utf-8")
        + "B7;19121212-1212;SoL;2024-02-30;2024-03-01\n"  # no such date
        + "B8;19121212-1212;SoL;2024-05-10;2024-05-01\n"  # verkställd before beslut
        + "B1;19121212-1212;SoL;2024-01-10;2024-12-15\n",  # B1 again
        encoding="utf-8",
    )
    plan, host = load_plan(plan_dir / "plan.toml")
    [result] = run_plan(plan, host)
    metrics = result.outcome.metrics
    assert metrics["invalid_rows"] == 2
    assert metrics["duplicate_rows"] == 1
    assert metrics["SoL.n"] == 3
    rows = {(f.reference, f.row) for f in result.outcome.findings if f.kind == "datakvalitet"}
    assert rows == {("B7", 8), ("B8", 9), ("B1", 10)}
