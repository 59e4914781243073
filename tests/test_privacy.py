"""No personnummer reaches anything a command writes or prints.

Every command runs on the demo export (thousands of personnummer) and every file written and
everything printed is scanned, XLSX and DOCX unzipped: zero hits.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.privacy import PERSONNUMMER, is_personnummer, redact

from .test_docs import command_of
from .test_docs import commands as all_commands

ROOT = Path(__file__).resolve().parents[1]


def hits(text: str) -> list[str]:
    return [m for m in PERSONNUMMER.findall(text) if is_personnummer(m)]


def readable(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] == b"PK":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return raw.decode("utf-8", "replace")


def test_redact_masks_valid_numbers_only() -> None:
    assert redact("ärende 19121212-1212 och B000123") == "ärende [personnummer] och B000123"
    assert redact("19121212-1213") == "19121212-1213"  # fails the Luhn check


def test_every_command_on_data_full_of_personnummer(tmp_path: Path) -> None:
    demo = tmp_path / "exempel"
    shutil.copytree(ROOT / "controls" / "exempel", demo)
    plan_text = (demo / "plan.toml").read_text(encoding="utf-8")
    marker = 'fraction = { "Särskilt boende"'
    line = next(x for x in plan_text.splitlines() if x.startswith(marker))
    (demo / "plan.toml").write_text(
        plan_text.replace(line, f'{line}\nworksheet = "granskning.xlsx"'), encoding="utf-8"
    )
    export = (demo / "data" / "beslut.csv").read_text(encoding="cp1252")
    assert len(hits(export)) > 3000
    before = {p for p in demo.rglob("*")}

    out = tmp_path / "ut"
    plan = str(demo / "plan.toml")
    plan_2025 = str(demo / "plan-2025.toml")
    commands = [
        ["validate", plan],
        ["plugins"],
        ["matrix", plan, "--output", str(tmp_path / "m.svg")],
        ["sample", plan, "--control", "K4", "--out", str(demo / "granskning.xlsx")],
        ["sample", plan, "--control", "K3", "--out", str(tmp_path / "k3.csv")],
        ["run", plan, "--out", str(out)],
        ["summary", str(out)],
        ["carry-over", str(out), "--year", "2025"],
        ["verify", str(out)],
        ["publish", str(out), "--db", str(tmp_path / "register.db")],
        ["browse", str(tmp_path / "finns-inte.db")],  # refused before any server starts
        ["sample", "size", "--confidence", "0.95", "--tolerable", "0.05"],
        ["sample", "evaluate", "--size", "59", "--deviations", "1"],
        ["checklist", plan_2025, "--control", "M1", "--out", str(tmp_path / "M1.xlsx")],
        ["due", plan_2025, "--ics", str(tmp_path / "kontroller.ics")],
        ["init", str(tmp_path / "ny")],
        [
            "report",
            plan_2025,
            "--table",
            "plan",
            "--format",
            "docx",
            "--output",
            str(tmp_path / "p.docx"),
        ],
        ["report", str(out), "--table", "plan", "--format", "md"],
    ]
    for table in ("bilaga1", "risker", "atgarder", "utforare", "all"):
        for fmt in ("md", "txt", "html", "xlsx", "docx", "csv"):
            if not (fmt == "csv" and table == "all"):
                commands.append(
                    [
                        "report",
                        str(out),
                        "--table",
                        table,
                        "--format",
                        fmt,
                        "--output",
                        str(tmp_path / f"{table}.{fmt}"),
                    ]
                )
        commands.append(["report", str(out), "--table", table, "--format", "md"])
    known = all_commands(cli)
    untried = set(known) - {command_of(command, known) for command in commands}
    assert not untried, "add a run of each of these commands to this test: " + ", ".join(
        f"internkontroll {' '.join(path)}" for path in sorted(untried)
    )
    runner = CliRunner()
    printed = []
    for command in commands:
        result = runner.invoke(cli, command)
        printed.append(result.output)
        assert "Traceback" not in result.output
    assert all(hits(text) == [] for text in printed)

    written = [p for p in tmp_path.rglob("*") if p.is_file() and p not in before]
    assert len(written) > 40
    for path in written:
        if path.parent == demo / "data":
            continue
        assert hits(readable(path)) == [], path


def test_a_checksum_is_not_a_personnummer() -> None:
    from internkontroll.privacy import contains_personnummer

    # Ten digits that pass the Luhn check, inside a sha256: a checksum, not a person.
    checksum = "ab1212121212" + "c0" * 26
    assert len(checksum) == 64
    assert not contains_personnummer(f'"sha256": "{checksum}"')
    assert redact(checksum) == checksum
    # The same digits in ordinary text, or beside a short word, are still found.
    assert contains_personnummer("ärende 1212121212 saknas")
    assert contains_personnummer("id de1212121212")
    assert redact("fe1212121212") == "fe[personnummer]"
