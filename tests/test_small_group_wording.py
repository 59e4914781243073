"""A group's figure from fewer than min_group_size cases is masked wherever a person reads it:
the plan's own figures template and the assessment's reason, on both read paths; resultat.json
keeps the exact figure."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from internkontroll.assessment import Assessment
from internkontroll.cli import cli
from internkontroll.criteria import judge
from internkontroll.engine import run_plan
from internkontroll.models import Criteria
from internkontroll.planfile import load_plan
from internkontroll.results import write_results

PLAN = """\
[plan]
title = "Test"
year = 2024
period = { start = 2024-01-01, end = 2024-12-31 }

[[risk]]
id = "R1"
title = "Risk"
likelihood = 2
impact = 2

[datasets.beslut]
path = "beslut.csv"
[datasets.beslut.columns]
decision_id = "Beslut-ID"
law = "Lag"
applied = "Ansökningsdatum"
decided = "Beslutsdatum"

[[control]]
id = "U1"
risk = "R1"
title = "Utredningstid"
check = "utredningstid"
dataset = "beslut"
[control.params]
group_by = "law"
[control.criteria]
metric = "*.mean_days"
better = "lower"
utan_anmarkning = 25
forsumbar_anmarkning = 40

[report.controls.U1]
figures = "Utredningstiden LSS: {LSS.mean_days:dagar}. Utredningstiden SoL: {SoL.mean_days:dagar}."
"""
# One LSS decision of 31 days; four SoL decisions of 10, 20, 30 and 30 days (mean 22.5).
EXPORT = """\
Beslut-ID;Lag;Ansökningsdatum;Beslutsdatum
B1;LSS;2024-02-01;2024-03-03
B2;SoL;2024-02-01;2024-02-11
B3;SoL;2024-02-01;2024-02-21
B4;SoL;2024-02-01;2024-03-02
B5;SoL;2024-05-01;2024-05-31
"""


def test_the_reason_and_the_template_do_not_show_a_mean_of_one(tmp_path: Path) -> None:
    (tmp_path / "beslut.csv").write_text(EXPORT, encoding="utf-8")
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    for batch_rows in (0, 8192):
        plan, host = load_plan(tmp_path / "plan.toml")
        out = tmp_path / f"ut{batch_rows}"
        write_results(plan, run_plan(plan, host, batch_rows=batch_rows), out)
        [control] = json.loads((out / "resultat.json").read_text(encoding="utf-8"))["controls"]
        metrics = control["metrics"]
        assert (metrics["LSS.n"], metrics["LSS.mean_days"], metrics["SoL.mean_days"]) == (
            1,
            31,
            22.5,
        )
        # Judged on the exact figure: 31 days is above 25 but within 40.
        assert control["assessment"] == "forsumbar_anmarkning"
        reason = control["reason"]
        assert "(LSS.mean_days) = visas inte (färre än 3) når inte gränsen" in reason, reason
        assert "31" not in reason
        report = CliRunner().invoke(cli, ["report", str(out), "--format", "txt"])
        assert report.exit_code == 0, report.output
        flat = re.sub(r"[\s|]+", " ", report.output)
        assert (
            "Utredningstiden LSS: visas inte (färre än 3). Utredningstiden SoL: 23 dagar." in flat
        ), flat
        assert "31 dagar" not in flat


def test_every_figure_within_the_limit_lists_the_hidden_one_masked() -> None:
    criteria = Criteria(metric="*.mean_days", better="lower", utan_anmarkning=40)
    metrics = {"LSS.n": 2, "LSS.mean_days": 31.0, "SoL.n": 4, "SoL.mean_days": 22.5}
    assessment, reason = judge(criteria, metrics, smallest=3)
    assert assessment is Assessment.UTAN_ANMARKNING
    assert reason.endswith(": LSS.mean_days = visas inte (färre än 3), SoL.mean_days = 22,5."), (
        reason
    )
    # A plan that lets groups of two be shown sees the figure.
    assert "LSS.mean_days = 31" in judge(criteria, metrics, smallest=2)[1]
