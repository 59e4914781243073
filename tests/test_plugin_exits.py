"""A plugin that tries to end the program fails only its own control; Ctrl-C still stops a run."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from internkontroll import interrupts
from internkontroll.cli import cli

from .conftest import PLAN, extra_control, write

PLUGIN = """
from internkontroll import hookimpl
from internkontroll.checks import Check, NoParams
from internkontroll.outcome import Outcome

{at_import}


class Stopper(Check[NoParams]):
    name, title = "stopper", "Stoppar"

    def feed(self, row):
        {in_feed}

    def outcome(self):
        return Outcome(metrics={{"rows": 1}})


@hookimpl
def register_checks(register):
    register(Stopper)
"""


def _plan(folder: Path, at_import: str = "", in_feed: str = "pass") -> Path:
    write(
        folder / "lokala" / "stopper.py",
        PLUGIN.format(at_import=at_import, in_feed=in_feed),
    )
    text = PLAN.replace("year = 2024\n", 'year = 2024\nplugins_dir = "lokala"\n', 1)
    return write(folder / "plan.toml", text + extra_control("K2", "stopper"))


@pytest.mark.parametrize(
    ("in_feed", "expected"),
    [
        ("raise SystemExit(0)", "pluginen försökte avsluta programmet (SystemExit: 0)"),
        ("import sys; sys.exit(5)", "pluginen försökte avsluta programmet (SystemExit: 5)"),
        ("raise KeyboardInterrupt", "pluginen avbröt programmet (KeyboardInterrupt)"),
        ("raise GeneratorExit('slut')", "GeneratorExit: slut"),
    ],
)
def test_an_exit_in_feed_fails_only_that_control(
    plan_dir: Path, in_feed: str, expected: str
) -> None:
    plan = _plan(plan_dir, in_feed=in_feed)
    result = CliRunner().invoke(cli, ["run", str(plan), "--out", str(plan_dir / "ut")])
    assert result.exit_code == 3, result.output
    assert "ej genomförda: K2" in result.output
    text = (plan_dir / "ut" / "resultat.json").read_text(encoding="utf-8")
    assert expected in text
    assert '"id": "K1"' in text and "forsumbar_anmarkning" in text


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("import sys; sys.exit(0)", "pluginen försökte avsluta programmet (SystemExit: 0)"),
        ("raise KeyboardInterrupt", "pluginen avbröt programmet (KeyboardInterrupt)"),
    ],
)
def test_an_exit_at_import_is_a_plugin_failure(
    plan_dir: Path, statement: str, expected: str
) -> None:
    plan = _plan(plan_dir, at_import=statement)
    result = CliRunner().invoke(cli, ["validate", str(plan)])
    assert result.exit_code == 1
    assert "plan.toml:40: kontroll K2: okänd kontrolltyp 'stopper'; kända: " in result.output
    assert f"(pluginen stopper.py kunde inte laddas: {expected})" in result.output


def test_the_users_ctrl_c_still_stops_the_run(plan_dir: Path) -> None:
    """SIGINT delivered while a plugin runs is the user's: the run stops, nothing is written."""
    plan = _plan(plan_dir, in_feed="import os, signal; os.kill(os.getpid(), signal.SIGINT)")
    result = CliRunner().invoke(cli, ["run", str(plan), "--out", str(plan_dir / "ut")])
    assert result.exit_code == 130  # not 1, a wrong plan's code
    assert "Avbrutet." in result.output
    assert not (plan_dir / "ut").exists()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back after


def test_without_the_handler_every_keyboard_interrupt_is_the_users() -> None:
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        interrupts._state.update(installed=False, pressed=False)
        assert interrupts.user_interrupted(KeyboardInterrupt())
        interrupts.install()
        assert not interrupts.user_interrupted(KeyboardInterrupt())
        assert not interrupts.user_interrupted(SystemExit(0))
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
        assert interrupts.user_interrupted(KeyboardInterrupt())
    finally:
        signal.signal(signal.SIGINT, previous)
        interrupts._state.update(installed=False, pressed=False)
