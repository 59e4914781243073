"""Command cases of the bad-input corpus (tests/bad_inputs/results_cases.toml).

A case with ``args`` runs that command line, after an optional ``setup`` from the table below and
``replace`` edits to plan.toml or beslut.csv, and checks the exit code, the messages that must
(``expect``) and must not (``absent``) be seen, and the files that must be ``untouched``.
``{folder}`` in args and messages is the case's folder.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from internkontroll.cli import cli

from .input_setups import INPUT_SETUPS

STOPPING_PLUGIN = """\
from internkontroll import hookimpl
from internkontroll.checks import Check, NoParams
from internkontroll.outcome import Outcome


class Stopper(Check[NoParams]):
    name, title = "stopper", "Stoppar"

    def feed(self, row):
        raise SystemExit(0)

    def outcome(self):
        return Outcome()


@hookimpl
def register_checks(register):
    register(Stopper)
"""

SPY_PLUGIN = "from pathlib import Path\nPath(__file__).with_name('kordes.txt').write_text('ja')\n"


def _run(folder: Path, out: str = "ut") -> None:
    result = CliRunner().invoke(cli, ["run", str(folder / "plan.toml"), "--out", str(folder / out)])
    assert result.exit_code == 0, result.output


def _earlier(folder: Path) -> None:
    _run(folder)


def _own_files(folder: Path) -> None:
    (folder / "mina" / "underlag").mkdir(parents=True)
    (folder / "mina" / "underlag" / "budget.csv").write_text("konto;belopp\n", encoding="utf-8")
    (folder / "mina" / "plan.toml").write_text("# min egen\n", encoding="utf-8")


def _symlinked_out(folder: Path) -> None:
    (folder / "riktig").mkdir()
    (folder / "lank").symlink_to(folder / "riktig", target_is_directory=True)


def _planted_staging(folder: Path) -> None:
    _run(folder)
    (folder / "annan").mkdir()
    (folder / "annan" / "viktig.txt").write_text("rör inte", encoding="utf-8")
    (folder / ".ut.ny-planter1").symlink_to(folder / "annan", target_is_directory=True)


def _emptied_findings(folder: Path) -> None:
    _run(folder)
    for path in (folder / "ut" / "avvikelser").iterdir():
        path.unlink()


def _emptied_tables(folder: Path) -> None:
    _run(folder)
    for path in (folder / "ut" / "underlag").iterdir():
        path.write_bytes(b"")


def _extra_finding(folder: Path) -> None:
    _run(folder)
    (folder / "ut" / "avvikelser" / "K9.csv").write_text("kontroll\n", encoding="utf-8")


def _no_manifest(folder: Path) -> None:
    _run(folder)
    path = folder / "ut" / "resultat.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    del document["manifest"]
    path.write_text(json.dumps(document), encoding="utf-8")


def _spy_plugin(folder: Path) -> None:
    (folder / "lokala").mkdir()
    (folder / "lokala" / "spion.py").write_text(SPY_PLUGIN, encoding="utf-8")
    plan = folder / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("year = 2024\n", 'year = 2024\nplugins_dir = "lokala"\n'))
    _run(folder)
    (folder / "lokala" / "kordes.txt").unlink()


def _stopping_plugin(folder: Path) -> None:
    (folder / "lokala").mkdir()
    (folder / "lokala" / "stopper.py").write_text(STOPPING_PLUGIN, encoding="utf-8")
    plan = folder / "plan.toml"
    text = plan.read_text(encoding="utf-8").replace(
        "year = 2024\n", 'year = 2024\nplugins_dir = "lokala"\n'
    )
    plan.write_text(text.replace('check = "verkstallighetstid"', 'check = "stopper"'))


SETUPS: dict[str, Callable[[Path], None]] = {
    "earlier_results": _earlier,
    "own_files": _own_files,
    "symlinked_out": _symlinked_out,
    "planted_staging": _planted_staging,
    "emptied_findings": _emptied_findings,
    "emptied_tables": _emptied_tables,
    "extra_finding": _extra_finding,
    "no_manifest": _no_manifest,
    "spy_plugin": _spy_plugin,
    "stopping_plugin": _stopping_plugin,
    "locked": _earlier,
    **INPUT_SETUPS,
}


@contextmanager
def _held_lock(folder: Path, held: bool) -> Iterator[None]:
    if not held:
        yield
        return
    handle = os.open(folder / ".ut.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _snapshot(folder: Path, names: list[str]) -> dict[str, bytes]:
    found = {}
    for name in names:
        path = folder / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                found[file.relative_to(folder).as_posix()] = file.read_bytes()
    return found


def run_command_case(case: dict[str, Any], folder: Path) -> None:
    for file_name, edits in (
        ("plan.toml", case.get("replace", [])),
        ("beslut.csv", case.get("replace_export", [])),
    ):
        path = folder / file_name
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, f"{file_name} has no {old!r}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    if "setup" in case:
        SETUPS[case["setup"]](folder)
    untouched = case.get("untouched", [])
    before = _snapshot(folder, untouched)
    assert before or not untouched
    args = [a.replace("{folder}", str(folder)) for a in case["args"]]
    with _held_lock(folder, case.get("setup") == "locked"):
        result = CliRunner().invoke(cli, args)
    seen = result.output
    for name in case.get("also_read", []):
        path = folder / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        seen += "".join(f.read_text(encoding="utf-8-sig") for f in files if f.is_file())
    assert result.exit_code == case["exit"], seen
    assert "Traceback" not in seen
    for expected in case["expect"]:
        assert expected.replace("{folder}", str(folder)) in seen, seen
    for word in case.get("absent", []):
        assert word not in seen, seen
    assert _snapshot(folder, untouched) == before
