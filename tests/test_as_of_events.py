"""``run --as-of`` a day reads an event dated after it (an execution, a follow-up) as not yet
happened, on both read paths; a check that does not say which of its dates are events runs
--as-of only when the plan says it for the dataset."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.engine import run_plan
from internkontroll.planfile import load_plan

ROOT = Path(__file__).resolve().parents[1]
PLAN = """\
[plan]
title = "Test"
year = 2024
period = { start = 2024-01-01, end = 2024-12-31 }
plugins_dir = "egna"

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
decided = "Beslutsdatum"
executed = "Verkställighetsdatum"
followed_up = "Uppföljningsdatum"
valid_to = "Giltig till"

[[control]]
id = "K2"
risk = "R1"
title = "Verkställighetstid"
check = "verkstallighetstid"
dataset = "beslut"
"""
# B1 decided 1 March, executed 10 September: at 30 June not yet executed and past its
# three months (1 June). B2-B4 executed after 10, 20 and 30 days. B5 decided after 30 June.
EXPORT = """\
Beslut-ID;Lag;Beslutsdatum;Verkställighetsdatum;Uppföljningsdatum;Giltig till
B1;LSS;2024-03-01;2024-09-10;;
B2;SoL;2024-02-01;2024-02-11;2024-05-01;2024-06-01
B3;SoL;2024-04-01;2024-04-21;2024-08-01;2024-06-15
B4;SoL;2024-05-01;2024-05-31;;
B5;SoL;2024-08-01;2024-08-05;;
"""
FOLLOW_UP = """
[[control]]
id = "K3"
risk = "R1"
title = "Uppföljning"
check = "beslutsuppfoljning"
dataset = "beslut"
[control.params]
kind = "tidsbegransade"
stratify_by = "law"
"""


def _folder(tmp_path: Path, extra: str = "") -> Path:
    (tmp_path / "beslut.csv").write_text(EXPORT, encoding="utf-8")
    (tmp_path / "egna").mkdir()
    (tmp_path / "plan.toml").write_text(PLAN + extra, encoding="utf-8")
    return tmp_path / "plan.toml"


def test_an_execution_after_the_day_has_not_happened_yet(tmp_path: Path) -> None:
    plan_path = _folder(tmp_path)
    for batch_rows in (0, 2, 8192):
        plan, host = load_plan(plan_path)
        plan.as_of = date(2024, 6, 30)
        [k2] = run_plan(plan, host, batch_rows=batch_rows)
        metrics = k2.outcome.metrics
        assert (metrics["not_executed"], metrics["over_3_months"]) == (1, 1), batch_rows
        assert metrics["mean_days"] == 20  # B2-B4, not B1's 193 days
        # The full year still counts B1's execution.
        plan, host = load_plan(plan_path)
        [year] = run_plan(plan, host, batch_rows=batch_rows)
        assert year.outcome.metrics["not_executed"] == 0
        assert year.outcome.metrics["mean_days"] == (193 + 10 + 20 + 30 + 4) / 5


def test_a_run_as_of_a_day_reads_the_export_as_it_read_that_day(tmp_path: Path) -> None:
    # The same export with every event after 30 June blank: B1's and B5's executions, B3's
    # follow-up. Valid-to dates are plans, not events, and stay.
    then = (
        EXPORT.replace("2024-09-10", "")
        .replace("2024-08-05", "")
        .replace("2024-04-21;2024-08-01", "2024-04-21;")
    )
    plan_path = _folder(tmp_path, FOLLOW_UP)
    (tmp_path / "då").mkdir()
    shutil.copy(plan_path, tmp_path / "då" / "plan.toml")
    (tmp_path / "då" / "beslut.csv").write_text(then, encoding="utf-8")
    (tmp_path / "då" / "egna").mkdir()
    for batch_rows in (0, 8192):
        figures = []
        for path in (plan_path, tmp_path / "då" / "plan.toml"):
            plan, host = load_plan(path)
            plan.as_of = date(2024, 6, 30)
            results = run_plan(plan, host, batch_rows=batch_rows)
            figures.append([(r.outcome.metrics, r.outcome.result_text) for r in results])
        assert figures[0] == figures[1]
        assert figures[0][1][0]["followed_up"] == 1  # B2 only


def test_a_check_that_does_not_name_its_events_needs_the_plan_to(tmp_path: Path) -> None:
    plan_path = _folder(
        tmp_path,
        '\n[[control]]\nid = "E1"\nrisk = "R1"\ntitle = "Egen"\ncheck = "antal_beslut"\n'
        'dataset = "beslut"\n',
    )
    shutil.copy(ROOT / "docs" / "examples" / "antal_beslut.py", tmp_path / "egna")
    runner = CliRunner()
    refused = runner.invoke(
        cli, ["run", str(plan_path), "--out", str(tmp_path / "ut"), "--as-of", "2024-06-30"]
    )
    assert refused.exit_code == 1, refused.output
    assert (
        f"{plan_path}:13: kontroll E1: kontrolltypen antal_beslut säger inte vilka datum som "
        "är händelser" in refused.output
    )
    assert 'ange events = ["fält", ...] (eller events = []) under [datasets.beslut]' in (
        refused.output
    )
    assert not (tmp_path / "ut").exists()
    # Without --as-of nothing is cut, so nothing needs saying.
    year = runner.invoke(cli, ["run", str(plan_path), "--out", str(tmp_path / "helår")])
    assert year.exit_code == 0, year.output
    text = plan_path.read_text(encoding="utf-8")
    plan_path.write_text(
        text.replace('path = "beslut.csv"\n', 'path = "beslut.csv"\nevents = ["executed"]\n'),
        encoding="utf-8",
    )
    ran = runner.invoke(
        cli, ["run", str(plan_path), "--out", str(tmp_path / "ut"), "--as-of", "2024-06-30"]
    )
    assert ran.exit_code == 0, ran.output


def test_events_must_name_mapped_fields(tmp_path: Path) -> None:
    plan_path = _folder(tmp_path)
    text = plan_path.read_text(encoding="utf-8")
    plan_path.write_text(
        text.replace('path = "beslut.csv"\n', 'path = "beslut.csv"\nevents = ["verkstalld"]\n'),
        encoding="utf-8",
    )
    validated = CliRunner().invoke(cli, ["validate", str(plan_path)])
    assert validated.exit_code == 1
    assert "events nämner verkstalld, som inte finns i columns" in validated.output
    assert f"{plan_path}:1" in validated.output
