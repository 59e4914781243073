"""What a sample or a run writes does not depend on Python's string hashing: the same plan and
export give the same bytes whatever PYTHONHASHSEED the process started with. Set iteration
order is the usual culprit, so each command runs in fresh processes with different seeds."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .conftest import write

PLAN = """\
[plan]
title = "Internkontrollplan 2024"
organisation = "Testnämnden"
year = 2024

[[risk]]
id = "R1"
title = "Brister i rättssäkerhet."
description = "Den enskilde får inte sin rätt."
likelihood = 3
impact = 4

[datasets.beslut]
path = "beslut.csv"
[datasets.beslut.columns]
decision_id = "Beslut-ID"
law = "Lag"
service = "Insats"
decided = "Beslutsdatum"
valid_to = "Giltig till"
followed_up = "Uppföljningsdatum"
outcome = "Utfall"

[[control]]
id = "K3"
risk = "R1"
title = "Uppföljning av tidsbegränsade beslut"
check = "beslutsuppfoljning"
dataset = "beslut"
[control.params]
kind = "tidsbegransade"
include = { outcome = ["Bifall"] }
[control.params.strata]
"Hemtjänst" = { service = "Hemtjänst" }
"LSS" = { law = "LSS" }
[control.sample]
method = "stratified"
stratify_by = "law"
fraction = { SoL = 0.5, LSS = 0.5 }
seed = 7
[control.criteria]
metric = "min_rate"
better = "higher"
utan_anmarkning = 0.95
forsumbar_anmarkning = 0.90
"""

EXPORT = """\
Beslut-ID;Lag;Insats;Beslutsdatum;Giltig till;Uppföljningsdatum;Utfall
B1;SoL;Hemtjänst;2024-01-10;2024-06-30;2024-06-01;Bifall
B2;SoL;Hemtjänst;2024-02-01;2024-07-31;;Bifall
B3;LSS;Ledsagarservice;2024-03-01;2024-08-31;2024-08-01;Bifall
B4;LSS;Kontaktperson;2024-03-05;2024-09-30;;Bifall
B5;SoL;Hemtjänst;2024-04-01;2024-10-31;2024-10-01;Bifall
B6;LSS;Ledsagarservice;2024-05-01;2024-11-30;2024-11-01;Bifall
"""

COMMANDS = """\
import sys
from internkontroll.cli import cli
folder = sys.argv[1]
for args in (
    ["sample", "draw", "plan.toml", "--control", "K3", "--out", folder + "/urval.csv"],
    ["sample", "draw", "plan.toml", "--control", "K3", "--out", folder + "/urval.xlsx"],
    ["run", "plan.toml", "--out", folder + "/resultat"],
):
    try:
        cli(args)
    except SystemExit as exit:
        assert exit.code == 0, (args, exit.code)
"""


def _written(plan_dir: Path, seed: str) -> dict[str, bytes]:
    folder = plan_dir / f"seed{seed}"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-c", COMMANDS, str(folder)],
        cwd=plan_dir,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {
        str(path.relative_to(folder)): _without_clock(path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _without_clock(content: bytes) -> bytes:
    """resultat.json says when it was made (``generated_at``): the one line the clock writes."""
    return re.sub(rb'"generated_at": "[^"]*"', b'"generated_at": ""', content)


def test_sample_worksheets_and_results_are_the_same_bytes_under_any_hash_seed(
    tmp_path: Path,
) -> None:
    write(tmp_path / "plan.toml", PLAN)
    write(tmp_path / "beslut.csv", EXPORT)
    first, second = _written(tmp_path, "1"), _written(tmp_path, "2")
    assert {"urval.csv", "urval.xlsx", "resultat/resultat.json"} <= set(first)
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
    header = first["urval.csv"].decode("utf-8-sig").splitlines()[0].split(";")
    assert header.index("Insats") < header.index("Lag")  # the strata's order in the plan
