"""The command line as a user runs it, through click's CliRunner."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from internkontroll.cli import cli

from .conftest import PLAN, write


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_validate_valid_plan_prints_one_summary_line(plan_dir: Path) -> None:
    code, out, _ = invoke("validate", str(plan_dir / "plan.toml"))
    assert code == 0
    assert out.strip().endswith("planen är giltig: 1 risk, 1 kontroll, 1 datamängd.")
    assert len(out.strip().splitlines()) == 1


def test_validate_reports_three_mistakes_with_lines(plan_dir: Path) -> None:
    text = (
        PLAN.replace('check = "verkstallighetstid"', 'check = "okand"')
        .replace('risk = "R1"', 'risk = "R7"')
        .replace("impact = 4", "impact = 0")
    )
    path = write(plan_dir / "plan.toml", text)
    code, _, err = invoke("validate", str(path))
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[-1] == f"fel: 3 fel i planen {path}"
    lines_by_problem = {line.split(": ", 2)[0] for line in lines[:-1]}
    assert len(lines_by_problem) == 3 and all(":" in place for place in lines_by_problem)
    assert any("risk R1: impact är för litet" in line for line in lines)
    assert "Traceback" not in err


def test_run_prints_bilaga1_and_writes_the_folder(plan_dir: Path) -> None:
    out = plan_dir / "resultat"
    code, printed, _ = invoke("run", str(plan_dir / "plan.toml"), "--out", str(out))
    assert code == 0
    assert "Bilaga 1 – Uppföljning av internkontroll" in printed
    assert "Försumbar anmärkning" in printed
    assert {p.name for p in out.iterdir()} == {
        ".internkontroll-resultatmapp",
        "resultat.json",
        "avvikelser",
        "underlag",
        "bedomning.toml",
        "plan.toml",
    }


def test_run_one_control_keeps_the_others(plan_dir: Path) -> None:
    second = PLAN[PLAN.index("[[control]]") :].replace('id = "K1"', 'id = "K2"')
    path = write(plan_dir / "plan.toml", PLAN + second)
    out = plan_dir / "ut"
    assert invoke("run", str(path), "--out", str(out))[0] == 0
    code, _, _ = invoke("run", str(path), "--out", str(out), "--control", "K2")
    assert code == 0
    document = json.loads((out / "resultat.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in document["controls"]] == ["K1", "K2"]
    code, _, err = invoke("run", str(path), "--out", str(out), "--control", "K5")
    assert code != 0 and "K5 finns inte" in err


def test_report_formats(plan_dir: Path) -> None:
    out = plan_dir / "ut"
    invoke("run", str(plan_dir / "plan.toml"), "--out", str(out))
    code, markdown, _ = invoke("report", str(out), "--format", "md")
    assert code == 0
    header = re.sub(r" +", " ", markdown.splitlines()[2])
    assert (
        header
        == "| Identifierad risk | Riskbeskrivning | Kontroll | Bedömning | Resultat | Åtgärd |"
    )
    target = plan_dir / "bilaga1.csv"
    code, _, _ = invoke("report", str(out), "--format", "csv", "--output", str(target))
    assert code == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines()[0] == (
        "Identifierad risk;Riskbeskrivning;Kontroll;Bedömning;Resultat;Åtgärd"
    )
    code, page, _ = invoke("report", str(out), "--format", "html")
    assert code == 0 and page.startswith("<!DOCTYPE html>") and "<th>Bedömning</th>" in page
    code, text, _ = invoke("report", str(out), "--format", "txt")
    assert code == 0 and "Försumbar anmärkning" in text


def test_report_on_a_folder_without_results(tmp_path: Path) -> None:
    code, _, err = invoke("report", str(tmp_path))
    assert code == 1
    assert "resultat.json finns inte" in err and "Traceback" not in err


def test_plugins_lists_name_version_title_fields() -> None:
    code, out, _ = invoke("plugins")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("verkstallighetstid"))
    assert "Verkställighetstid" in line and "decision_id, decided, executed" in line


def test_report_summary_and_verify_read_a_broken_results_file_alike(tmp_path: Path) -> None:
    (tmp_path / "resultat.json").write_text('{"plan": {}}', encoding="utf-8")
    expected = f"fel: {tmp_path / 'resultat.json'} kan inte läsas som resultat (plan eller controls saknas)"
    for command in ("report", "summary", "verify"):
        code, _, err = invoke(command, str(tmp_path))
        assert (code, err.strip()) == (1, expected), command
