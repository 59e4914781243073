"""Messages a user meets on small mistakes: Swedish, with the file named, no Python names."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.errors import PlanError
from internkontroll.planfile import load_plan

from .conftest import PLAN, write


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout + result.stderr


def plan_messages(tmp_path: Path, text: str) -> list[str]:
    write(tmp_path / "beslut.csv", "Beslut-ID;Lag;Beslutsdatum;Verkställighetsdatum\n")
    path = write(tmp_path / "plan.toml", text)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    return [p.message for p in caught.value.problems]


def test_a_period_written_as_a_year_is_told_how_to_write_it(tmp_path: Path) -> None:
    text = PLAN.replace("year = 2024", 'year = 2024\nperiod = "2025"')
    assert plan_messages(tmp_path, text) == [
        "period ska vara en tabell, t.ex. { start = 2025-01-01, end = 2025-12-31 }"
    ]


def test_a_dataset_as_a_list_names_the_key_not_a_python_type(tmp_path: Path) -> None:
    text = PLAN.replace('dataset = "beslut"', 'dataset = ["beslut"]')
    assert plan_messages(tmp_path, text) == [
        "dataset ska vara text inom citattecken eller en tabell"
    ]


def test_a_dataset_table_with_a_number_names_the_role(tmp_path: Path) -> None:
    text = PLAN.replace('dataset = "beslut"', "dataset = { ledger = 3 }")
    assert plan_messages(tmp_path, text) == ["dataset.ledger ska vara text inom citattecken"]


def test_a_tolerable_rate_of_zero_suggests_a_tolerable_rate() -> None:
    code, output = invoke("sample", "size", "--confidence", "0.95", "--tolerable", "0")
    assert code == 1
    assert "'--tolerable': ska ligga mellan 0 och 1 (inte 0 eller 1), t.ex. 0.05" in output


def test_csv_of_all_tables_asks_for_one_table(plan_dir: Path) -> None:
    out = plan_dir / "res"
    assert invoke("run", str(plan_dir / "plan.toml"), "--out", str(out))[0] == 0
    code, output = invoke("report", str(out), "--format", "csv", "--table", "all")
    assert code == 1
    assert "CSV rymmer en tabell per fil; välj en med --table" in output
    assert "ValueError" not in output


def test_a_report_too_large_for_the_file_system_names_its_file(
    plan_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = plan_dir / "res"
    assert invoke("run", str(plan_dir / "plan.toml"), "--out", str(out))[0] == 0
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, stream: Any) -> None:
            self.stream = stream

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.EFBIG, "File too large")

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: Full(real_fdopen(*a, **k)))
    target = plan_dir / "bilaga1.html"
    code, output = invoke("report", str(out), "--output", str(target))
    assert code == 1
    assert f"filen blir större än systemet tillåter (filstorleksgränsen): {target}" in output
    assert not target.exists()
    assert [p.name for p in plan_dir.iterdir() if p.name.startswith(".bilaga1")] == []
