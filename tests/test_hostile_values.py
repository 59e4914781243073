"""Values a plan or a results folder should never hold: each is a Swedish message naming the
file (and line or key) with exit 1, never an internal error (exit 4)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from internkontroll.cli import cli


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout + result.stderr


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def test_a_period_from_year_one_to_9999_is_refused_by_validate_and_run(plan_dir: Path) -> None:
    plan = plan_dir / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(
        text.replace(
            "year = 2024", "year = 2024\nperiod = { start = 0001-01-01, end = 9999-12-31 }"
        ),
        encoding="utf-8",
    )
    line = line_of(plan, "period = ")
    for args in (["validate", str(plan)], ["run", str(plan), "--out", str(plan_dir / "res")]):
        code, output = invoke(*args)
        assert code == 1, output
        assert f"plan.toml:{line}:" in output
        assert "ska ligga mellan 1900-01-01 och 2199-12-31" in output
        assert "internt fel" not in output


def test_a_year_beyond_any_calendar_is_refused(plan_dir: Path) -> None:
    plan = plan_dir / "plan.toml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("year = 2024", "year = 99999999999999999999"),
        encoding="utf-8",
    )
    code, output = invoke("validate", str(plan))
    assert code == 1
    assert "year är för stort (gräns 2199)" in output


def test_a_nul_in_a_dataset_path_is_a_plan_error(plan_dir: Path) -> None:
    plan = plan_dir / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace('path = "beslut.csv"', 'path = "beslut.csv\\u0000x"'))
    code, output = invoke("validate", str(plan))
    assert code == 1, output
    assert f"plan.toml:{line_of(plan, 'path = ')}:" in output
    assert "innehåller ett styrtecken (U+0000)" in output


def test_an_unknown_assessment_in_resultat_json_is_named_with_its_file_and_key(
    plan_dir: Path,
) -> None:
    out = plan_dir / "res"
    code, output = invoke("run", str(plan_dir / "plan.toml"), "--out", str(out))
    assert code == 0, output
    results = out / "resultat.json"
    document = json.loads(results.read_text(encoding="utf-8"))
    document["controls"][0]["assessment"] = "super"
    results.write_text(json.dumps(document), encoding="utf-8")
    for args in (
        ["summary", str(out)],
        ["report", str(out)],
        ["report", str(out), "--table", "all"],
    ):
        code, output = invoke(*args)
        assert code == 1, (args, output)
        assert (
            f"{results}: kontroll K1, nyckeln assessment: 'super' är ingen känd bedömning" in output
        )
        assert "not a valid" not in output
