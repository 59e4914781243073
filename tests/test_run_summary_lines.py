"""The lines ``run`` ends with: a control that was not carried out says so and why instead of
counting rows, both read paths count a control that fails mid-read alike, and the lists of
controls are in the plan's order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.engine import run_plan
from internkontroll.planfile import load_plan

from .conftest import PLAN, write

# Fails on the row that holds B7, whichever way the rows come.
PLUGIN = """
from internkontroll import hookimpl
from internkontroll.checks import Check, NoParams
from internkontroll.outcome import Outcome


class Breaks(Check[NoParams]):
    name, title = "breaks", "Går sönder"
    fields = {"decision_id": "text", "decided": "date"}

    def __init__(self, params, context):
        super().__init__(params, context)
        self.rows = 0

    def feed(self, row):
        if row["decision_id"] == "B7":
            raise ValueError("rad B7 går inte att räkna")
        self.rows += 1

    def outcome(self):
        return Outcome(metrics={"rows": self.rows})
{folds}


@hookimpl
def register_checks(register):
    register(Breaks)
"""

# The batch path folds a check with feed_batch a batch at a time: its population is counted
# before the batch is fed, so a fold that fails has counted rows the row path never reached.
FOLDS = """
    def feed_batch(self, batch):
        for row in batch.rows:
            self.feed(row)
"""

BREAKS = """
[[control]]
id = "K2"
risk = "R1"
title = "Går sönder"
check = "breaks"
dataset = "beslut"
[control.criteria]
metric = "rows"
better = "higher"
utan_anmarkning = 1
"""


def _breaking_plan(folder: Path, folds: bool = False) -> Path:
    write(folder / "lokala" / "breaks.py", PLUGIN.replace("{folds}", FOLDS if folds else ""))
    rows = "".join(
        f"B{n};19121212-1212;SoL;2024-02-{n:02d};{'bad' if n == 3 else '2024-03-01'}\n"
        for n in range(1, 21)
    )
    write(
        folder / "beslut.csv",
        "Beslut-ID;Personnummer;Lag;Beslutsdatum;Verkställighetsdatum\n" + rows,
    )
    text = PLAN.replace("year = 2024\n", 'year = 2024\nplugins_dir = "lokala"\n', 1)
    return write(folder / "plan.toml", text + BREAKS)


@pytest.mark.parametrize("folds", [False, True])
@pytest.mark.parametrize("batch_rows", [1, 4, 8192])
def test_a_control_failing_mid_read_counts_alike_in_both_paths(
    tmp_path: Path, batch_rows: int, folds: bool
) -> None:
    plan_path = _breaking_plan(tmp_path, folds)
    plan, host = load_plan(plan_path)
    by_row = {r.control.id: r for r in run_plan(plan, host, batch_rows=0)}
    plan, host = load_plan(plan_path)
    in_batches = {r.control.id: r for r in run_plan(plan, host, batch_rows=batch_rows)}
    for results in (by_row, in_batches):
        assert results["K2"].failure == "ValueError: rad B7 går inte att räkna"
        assert (results["K2"].rows_in_population, results["K2"].rows_refused) == (0, 0)
        assert results["K1"].failure == ""
    for cid in ("K1", "K2"):
        one, other = by_row[cid], in_batches[cid]
        assert (one.rows_in_population, one.rows_refused, one.reason) == (
            other.rows_in_population,
            other.rows_refused,
            other.reason,
        )
        assert [i.rows for i in one.inputs] == [i.rows for i in other.inputs] == [20]
    assert (by_row["K1"].rows_in_population, by_row["K1"].rows_refused) == (19, 1)


def test_a_failed_control_says_so_instead_of_counting_rows(tmp_path: Path) -> None:
    plan_path = _breaking_plan(tmp_path)
    ran = CliRunner().invoke(cli, ["run", str(plan_path), "--out", str(tmp_path / "ut")])
    assert ran.exit_code == 3, ran.output
    lines = ran.stdout.splitlines()
    assert "K1: 20 rader lästa: 19 använda, 1 ogiltig, 0 dubbletter, 0 undantagna" in lines
    assert "K2: ej genomförd: ValueError: rad B7 går inte att räkna" in lines
    assert not any(line.startswith("K2: ") and "rader lästa" in line for line in lines)
    assert "19121212" not in ran.output


MANUAL = """
[[risk]]
id = "R2"
title = "Andra risken"
likelihood = 1
impact = 1

[[control]]
id = "KB"
risk = "R2"
title = "Manuell B"

[[control]]
id = "KA"
risk = "R1"
title = "Manuell A"

[[control]]
id = "KC"
risk = "R2"
title = "Manuell C"
"""


def test_controls_waiting_for_a_person_are_listed_in_plan_order(plan_dir: Path) -> None:
    # Bilaga 1 shows them by risk (K1, KA under R1; KB, KC under R2); the list follows the plan.
    plan = plan_dir / "plan.toml"
    plan.write_text(plan.read_text(encoding="utf-8") + MANUAL, encoding="utf-8")
    ran = CliRunner().invoke(cli, ["run", str(plan), "--out", str(plan_dir / "ut")])
    assert ran.exit_code == 0, ran.output
    assert "väntar på bedömning i bedomning.toml: KB, KA, KC" in ran.stdout
