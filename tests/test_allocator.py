"""One malloc arena is asked for only by the command line's own process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from internkontroll import allocator
from internkontroll.cli import cli


def test_asking_for_one_arena_is_harmless_in_a_process_of_its_own() -> None:
    code = "from internkontroll.allocator import one_arena; one_arena(); print(sum(range(10)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "45\n"


def test_a_run_inside_a_callers_process_leaves_its_allocator_alone(
    plan_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse() -> None:
        raise AssertionError("one_arena in a caller's process")

    monkeypatch.setattr(allocator, "one_arena", refuse)
    result = CliRunner().invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", str(plan_dir / "ut")])
    assert result.exit_code == 0, result.output


def test_give_back_is_harmless_in_a_process_of_its_own() -> None:
    code = (
        "from internkontroll.allocator import one_arena, give_back\n"
        "one_arena(); data = [bytes(1000) for _ in range(10000)]; del data[::2]\n"
        "give_back(); print(len(data))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "5000\n"
