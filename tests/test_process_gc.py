"""The command line's own process freezes its long-lived objects; a caller's process does not."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from internkontroll.cli import _is_the_program, cli

REPORT_FREEZE = (
    "import atexit, gc, sys\n"
    "from internkontroll.cli import cli\n"
    "atexit.register(lambda: print('frysta:', gc.get_freeze_count() > 0, file=sys.stderr))\n"
    "sys.argv = ['internkontroll', *sys.argv[1:]]\n"
    "cli()\n"
)


def test_a_command_run_inside_a_callers_process_leaves_its_collector_alone(
    plan_dir: Path,
) -> None:
    frozen = gc.get_freeze_count()
    out = str(plan_dir / "ut")
    result = CliRunner().invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", out])
    assert result.exit_code == 0, result.output
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled()


def test_only_the_console_scripts_call_is_the_program() -> None:
    assert _is_the_program((), {})
    assert _is_the_program((None,), {})
    assert not _is_the_program((["run"],), {})
    assert not _is_the_program((), {"args": []})
    assert not _is_the_program((), {"standalone_mode": False})
    assert not _is_the_program((None, None, None, False), {})


def test_the_command_lines_own_process_freezes_and_writes_every_result(plan_dir: Path) -> None:
    out = plan_dir / "ut"
    plan = str(plan_dir / "plan.toml")
    run = subprocess.run(
        [sys.executable, "-c", REPORT_FREEZE, "run", plan, "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "frysta: True" in run.stderr
    assert "1 kontroll körd" in run.stdout
    in_process = CliRunner().invoke(cli, ["run", plan, "--out", str(plan_dir / "jämför")])
    assert in_process.exit_code == 0
    assert run.stdout.replace(str(out), "X") == in_process.stdout.replace(
        str(plan_dir / "jämför"), "X"
    )
    written = json.loads((out / "resultat.json").read_text(encoding="utf-8"))
    compared = json.loads((plan_dir / "jämför" / "resultat.json").read_text(encoding="utf-8"))
    del written["generated_at"], compared["generated_at"]
    assert written == compared
    assert sorted(p.name for p in out.rglob("*")) == sorted(
        p.name for p in (plan_dir / "jämför").rglob("*")
    )


PAUSE_AND_RESUME = """\
import gc
from internkontroll import process_gc

process_gc.loading()
assert gc.isenabled(), "a caller's process: the collector runs on"
process_gc.own_process()
process_gc.loading()
assert not gc.isenabled(), "no collection while the run makes what it keeps"
process_gc.settled()
assert gc.isenabled() and gc.get_freeze_count() > 0
gc.disable()
process_gc.loading()
process_gc.settled()
assert not gc.isenabled(), "a collector turned off before the run stays off"
print("ok")
"""


def test_the_collector_pauses_while_a_run_loads_and_resumes_as_it_was() -> None:
    run = subprocess.run(
        [sys.executable, "-c", PAUSE_AND_RESUME], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"
