"""report, due --ics and matrix never write over a person's plan or text, nor into results.

``report res --output res/bedomning.toml`` once replaced what people had written with the
report, ``--output plan.toml`` the plan, and ``--output res/resultat.json`` the results, which
every later command then failed to read; all with exit 0.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from internkontroll.cli import cli


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def ran(plan_dir: Path) -> Path:
    code, output = invoke("run", str(plan_dir / "plan.toml"), "--out", str(plan_dir / "ut"))
    assert code == 0, output
    (plan_dir / "ut" / "bedomning.toml").open("a", encoding="utf-8").write("# Egen anteckning\n")
    return plan_dir


@pytest.mark.parametrize(
    "args",
    [
        ["report", "{d}/ut", "--format", "md", "--output", "{d}/ut/bedomning.toml"],
        ["report", "{d}/ut", "--format", "md", "--output", "{d}/ut/resultat.json"],
        ["report", "{d}/ut", "--format", "docx", "--output", "{d}/ut/bilaga1.docx"],
        ["report", "{d}/ut", "--format", "md", "--output", "{d}/plan.toml"],
        ["report", "{d}/ut", "--format", "md", "--output", "{d}/ut"],
        ["due", "{d}/plan.toml", "--ics", "{d}/plan.toml"],
        ["matrix", "{d}/plan.toml", "--output", "{d}/ut/avvikelser/m.svg"],
    ],
)
def test_nothing_a_person_wrote_and_no_result_is_replaced(ran: Path, args: list[str]) -> None:
    before = fingerprint(ran)
    code, output = invoke(*(a.format(d=ran) for a in args))
    assert code == 1, output
    assert "fel:" in output and "Traceback" not in output
    assert fingerprint(ran) == before


def test_a_report_made_again_replaces_the_earlier_report(ran: Path, tmp_path: Path) -> None:
    target = tmp_path / "bilaga1.docx"
    for _ in range(2):
        code, output = invoke("report", str(ran / "ut"), "--format", "docx", "--output", str(target))
        assert code == 0, output
    assert target.stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["matrix", "{d}/plan.toml", "--output", "{t}/risker.png"],
            "risker.png: filen skrivs som SVG; ge den ändelsen .svg, t.ex. risker.svg",
        ),
        (
            ["due", "{d}/plan.toml", "--ics", "{t}/kalender"],
            "kalender: filen skrivs som ICS; ge den ändelsen .ics, t.ex. kalender.ics",
        ),
    ],
)
def test_a_file_is_not_written_under_another_kinds_name(
    plan_dir: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    """An SVG named .png opened as a broken picture, with exit 0."""
    target = tmp_path / "bilder"
    target.mkdir()
    code, output = invoke(*(a.format(d=plan_dir, t=target) for a in args))
    assert code == 1, output
    assert message in output
    assert not any(target.iterdir())
    code, output = invoke("matrix", str(plan_dir / "plan.toml"), "--output", str(target / "R.SVG"))
    assert code == 0, output
