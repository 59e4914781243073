"""A run that cannot add sections to bedomning.toml warns about the results folder's file, the
one the person edits, never the temporary copy the new folder is built in."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from internkontroll.cli import cli

from .conftest import PLAN


def test_the_warning_names_the_results_folders_bedomning(plan_dir: Path) -> None:
    plan = plan_dir / "plan.toml"
    out = plan_dir / "res"
    assert CliRunner().invoke(cli, ["run", str(plan), "--out", str(out)]).exit_code == 0
    written = 'controls = { K1 = { motivation = "Viktig text" } }\n'
    (out / "bedomning.toml").write_text(written, encoding="utf-8")
    second = PLAN[PLAN.index("[[control]]") :].replace('id = "K1"', 'id = "K2"')
    plan.write_text(PLAN + "\n" + second, encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(plan), "--out", str(out)])
    assert result.exit_code == 0, result.output
    warning = result.stderr
    assert f"1 fel i {out / 'bedomning.toml'}; rätta filen" in warning
    assert f"  {out / 'bedomning.toml'}: avsnitt för K2 kan inte läggas till" in warning
    assert "controls = { ... }, och en sådan tabell kan inte utökas" in warning
    assert ".ny-" not in warning and "finns redan" not in warning
    assert (out / "bedomning.toml").read_text(encoding="utf-8") == written
