"""Shared helpers: small plans and exports written into a test's own folder."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

# In CI (CI=true) every property test runs the same examples each time, so that a landing is
# judged on the code, not on the draw; locally they explore new examples on every run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

BESLUT_HEADER = "Beslut-ID;Personnummer;Lag;Beslutsdatum;Verkställighetsdatum"

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
decided = "Beslutsdatum"
executed = "Verkställighetsdatum"

[[control]]
id = "K1"
risk = "R1"
title = "Verkställighetstid"
check = "verkstallighetstid"
dataset = "beslut"
[control.params]
group_by = "law"
[control.criteria]
metric = "*.mean_days"
better = "lower"
utan_anmarkning = 30
forsumbar_anmarkning = 60
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding=encoding)
    return path


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    """A folder with a valid one-control plan and a six-decision export."""
    write(tmp_path / "plan.toml", PLAN)
    write(
        tmp_path / "beslut.csv",
        f"""\
        {BESLUT_HEADER}
        B1;19121212-1212;SoL;2024-01-10;2024-01-15
        B2;19121212-1212;SoL;2024-02-01;2024-02-11
        B3;19121212-1212;LSS;2024-03-01;2024-04-30
        B4;19121212-1212;LSS;2024-03-05;
        B5;19121212-1212;LSS;2023-12-31;2024-01-02
        B6;19121212-1212;SoL;20240601;20240602
        """,
    )
    return tmp_path


def extra_control(control_id: str, check: str) -> str:
    """A control of ``check`` on the beslut dataset, judged by a ``rows`` figure."""
    return f"""
[[control]]
id = "{control_id}"
risk = "R1"
title = "Extra {control_id}"
check = "{check}"
dataset = "beslut"
[control.criteria]
metric = "rows"
better = "higher"
utan_anmarkning = 1
"""
