"""Trust: misbehaving plugins, interrupted runs, the personnummer guard and verification."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from internkontroll import hookimpl, results
from internkontroll.assessment import Assessment
from internkontroll.checks import Check, NoParams
from internkontroll.cli import cli
from internkontroll.datasets import Row
from internkontroll.engine import run_plan
from internkontroll.hookspecs import RegisterCheck
from internkontroll.outcome import Outcome
from internkontroll.planfile import load_plan
from internkontroll.plugins import PluginHost
from internkontroll.privacy import PersonnummerLeak, guard, is_personnummer, redact

from .conftest import PLAN, extra_control, write

ROOT = Path(__file__).resolve().parents[1]


class GivesNaN(Check[NoParams]):
    name, title = "gives_nan", "Ger NaN"

    def feed(self, row: Row) -> None:
        pass

    def outcome(self) -> Outcome:
        return Outcome(metrics={"rows": math.nan})


class StrictParams(BaseModel):
    @classmethod
    def model_validate(cls, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        raise RuntimeError("parametermodellen gick sönder")


class BadParams(Check[NoParams]):
    name, title = "bad_params", "Trasig parametermodell"
    Params = StrictParams

    def feed(self, row: Row) -> None:
        pass

    def outcome(self) -> Outcome:
        return Outcome()


class LeaksInReference(Check[NoParams]):
    name, title = "leaks", "Läcker"

    def feed(self, row: Row) -> None:
        pass

    def outcome(self) -> Outcome:
        from internkontroll.outcome import Finding

        return Outcome(
            metrics={"rows": 1}, findings=[Finding(reference="19121212-1212", description="x")]
        )


class Misbehaving:
    @hookimpl
    def register_checks(self, register: RegisterCheck) -> None:
        for check in (GivesNaN, BadParams, LeaksInReference):
            register(check)


def test_misbehaving_plugins_fail_only_their_control(plan_dir: Path) -> None:
    path = write(
        plan_dir / "plan.toml",
        PLAN + extra_control("K7", "gives_nan") + extra_control("K8", "leaks"),
    )
    host = PluginHost()
    host.register(Misbehaving(), name="misbehaving")
    plan, host = load_plan(path, host)
    by_id = {r.control.id: r for r in run_plan(plan, host)}
    assert by_id["K1"].assessment is Assessment.FORSUMBAR_ANMARKNING
    assert by_id["K7"].assessment is Assessment.EJ_GENOMFORD
    assert "inget ändligt tal" in by_id["K7"].reason
    assert by_id["K8"].assessment is Assessment.EJ_GENOMFORD
    assert "kontroll K8: en avvikelse, fältet referens skulle ha innehållit ett personnummer" in (
        by_id["K8"].reason
    )
    assert not is_personnummer(by_id["K8"].reason) and "19121212" not in by_id["K8"].reason


def test_a_params_model_that_breaks_is_a_plan_problem_or_a_failed_control(plan_dir: Path) -> None:
    host = PluginHost()
    host.register(Misbehaving(), name="misbehaving")
    plan, host = load_plan(plan_dir / "plan.toml", host)
    plan.controls.append(plan.controls[0].model_copy(update={"id": "K9", "check": "bad_params"}))
    by_id = {r.control.id: r for r in run_plan(plan, host)}
    assert by_id["K9"].assessment is Assessment.EJ_GENOMFORD
    assert "parametermodellen gick sönder" in by_id["K9"].reason
    assert by_id["K1"].assessment is Assessment.FORSUMBAR_ANMARKNING


def test_an_interrupted_run_leaves_the_earlier_results(
    plan_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = plan_dir / "ut"
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", str(out)]).exit_code == 0
    )
    (out / "bedomning.toml").write_text(
        (out / "bedomning.toml")
        .read_text(encoding="utf-8")
        .replace('motivation = ""', 'motivation = "Skrivet av en människa."'),
        encoding="utf-8",
    )
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    calls = []
    real = results.write_atomic_bytes

    def fails_midway(path: Path, content: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the user pressed Ctrl-C while files were being written
        real(path, content)

    export = plan_dir / "beslut.csv"
    export.write_text(
        export.read_text(encoding="utf-8") + "B7;x;SoL;2024-05-01;2024-05-02\n", encoding="utf-8"
    )
    monkeypatch.setattr(results, "write_atomic_bytes", fails_midway)
    with pytest.raises(KeyboardInterrupt):
        plan, host = load_plan(plan_dir / "plan.toml")
        results.write_results(plan, run_plan(plan, host), out)
    after = {
        p.relative_to(out): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and ".pagaende-korning" not in p.parts
    }
    assert after == before  # every file as it was, findings included
    assert not [p for p in out.rglob("*.tmp")]
    # The next run cleans up what the interrupted one left and writes normally.
    monkeypatch.setattr(results, "write_atomic_bytes", real)
    plan, host = load_plan(plan_dir / "plan.toml")
    results.write_results(plan, run_plan(plan, host), out)
    assert not (out / ".pagaende-korning").exists()
    kept = list((out / "historik").glob("*/resultat.json"))
    assert kept and kept[0].read_bytes() == before[Path("resultat.json")]
    assert "Skrivet av en människa." in (out / "bedomning.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "number",
    [
        "19121212-1212",
        "191212121212",
        "121212-1212",
        "1212121212",
        "121212+1212",
        "19701063-2391",
        "701063-2391",  # samordningsnummer: day + 60
    ],
)
def test_guard_refuses_each_form(number: str) -> None:
    assert is_personnummer(number)
    with pytest.raises(PersonnummerLeak) as caught:
        guard(f"ärende {number} sent", "resultat.json")
    assert "resultat.json" in str(caught.value) and number not in str(caught.value)
    assert number not in redact(f"x {number} y")


@pytest.mark.parametrize(
    "text", ["19121212-1213", "B000123", "2024-01-31", "20240131", "19121312-1212", "1234567890123"]
)
def test_guard_lets_other_numbers_through(text: str) -> None:
    assert guard(text, "x") == text


def test_report_refuses_to_show_a_personnummer(plan_dir: Path) -> None:
    out = plan_dir / "ut"
    runner = CliRunner()
    runner.invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", str(out)])
    people = out / "bedomning.toml"
    people.write_text(
        people.read_text(encoding="utf-8").replace(
            'analysis = ""', 'analysis = "Gäller 19121212-1212."'
        ),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["report", str(out), "--format", "md"])
    assert result.exit_code == 1
    # Named where a person can mend it: bedomning.toml and its line, not the report's cell.
    assert f"{people}:" in result.output
    assert "kontroll K1: analysis innehåller ett personnummer" in result.output
    assert "19121212-1212" not in result.output


def test_verify_confirms_and_then_finds_a_changed_byte(tmp_path: Path) -> None:
    demo = tmp_path / "exempel"
    shutil.copytree(ROOT / "controls" / "exempel", demo)
    out = tmp_path / "ut"
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(demo / "plan.toml"), "--out", str(out)]).exit_code == 0
    confirmed = runner.invoke(cli, ["verify", str(out)])
    assert confirmed.exit_code == 0 and "bekräftat" in confirmed.output

    export = demo / "data" / "beslut.csv"
    raw = bytearray(export.read_bytes())
    at = raw.index(b"2024-05-3")  # one digit of one date
    raw[at + 9] = ord("0") if raw[at + 9] != ord("0") else ord("1")
    export.write_bytes(bytes(raw))
    changed = runner.invoke(cli, ["verify", str(out)])
    assert changed.exit_code == 1
    assert "indata beslut (data/beslut.csv) har ändrats (sha256 skiljer sig)" in changed.output
    document = json.loads((out / "resultat.json").read_text(encoding="utf-8"))
    assert len(document["controls"]) == 4
