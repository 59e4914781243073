"""Journalgranskning end to end: draw the demo's sample, fill it in as a reviewer, read it back."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from internkontroll.cli import cli

from .test_followup_due import reference_dues

ROOT = Path(__file__).resolve().parents[1]
PERIOD = (date(2023, 12, 1), date(2024, 11, 30))


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    folder = tmp_path / "exempel"
    shutil.copytree(ROOT / "controls" / "exempel", folder)
    return folder


def with_worksheet(demo: Path, name: str) -> Path:
    plan = demo / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    marker = 'fraction = { "Särskilt boende"'
    line = next(x for x in text.splitlines() if x.startswith(marker))
    plan.write_text(text.replace(line, f'{line}\nworksheet = "{name}"'), encoding="utf-8")
    return plan


def results(out: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    document = json.loads((out / "resultat.json").read_text(encoding="utf-8"))
    return {c["id"]: c for c in document["controls"]}


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def fill(path: Path, answer: object = None) -> list[str]:
    """Answer each row as a reviewer who reads the journal would; returns the ids."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    followed = header.index("Uppföljningsdatum enligt systemet")
    decided_at, ended_at = header.index("Beslutsdatum"), header.index("Avslutad")
    answer_at, comment_at = header.index("uppfoljd"), header.index("kommentar")
    ids = []
    for row in sheet.iter_rows(min_row=2):
        ids.append(str(row[0].value))
        decided, seen, ended = (
            _day(row[decided_at].value),
            _day(row[followed].value),
            _day(row[ended_at].value),
        )
        assert decided is not None
        # Yearly, 31 days "i nära anslutning": as the demo plan's K4 reads it.
        ok = all(in_time for _, in_time in reference_dues(decided, seen, ended, 12, 31, *PERIOD))
        row[answer_at].value = answer if answer is not None else ("ja" if ok else "nej")
        if not ok:
            row[comment_at].value = "Ingen uppföljning dokumenterad i journalen."
    book.save(path)
    return ids


def test_review_through_a_worksheet(demo: Path) -> None:
    computed = demo.parent / "beraknat"
    assert invoke("run", str(demo / "plan.toml"), "--out", str(computed))[0] == 0
    plan = with_worksheet(demo, "granskning/K4.xlsx")
    out = demo.parent / "resultat"

    code, _ = invoke("run", str(plan), "--out", str(out))
    assert code == 3  # run, but K4 is ej genomförd until its worksheet is filled
    k4 = results(out)["K4"]
    assert k4["assessment"] == "ej_genomford"
    assert "internkontroll sample plan.toml --control K4 --out granskning/K4.xlsx" in k4["reason"]

    code, printed = invoke(
        "sample", str(plan), "--control", "K4", "--out", str(demo / "granskning" / "K4.xlsx")
    )
    assert code == 0, printed
    drawn = results(computed)["K4"]
    size, population = drawn["metrics"]["sample.n"], drawn["metrics"]["sample.population"]
    assert f"{size} av {population} ärenden" in printed
    sheet = openpyxl.load_workbook(demo / "granskning" / "K4.xlsx").active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["Ärende-id", "Stratum"] and header[-2:] == ["uppfoljd", "kommentar"]
    assert "Personnummer" not in header and "person_id" not in header

    ids = fill(demo / "granskning" / "K4.xlsx")
    assert len(ids) == size
    code, _ = invoke("run", str(plan), "--out", str(out))
    reviewed = results(out)["K4"]
    assert reviewed["assessment"] == "med_anmarkning"
    # The reviewer agreed with the system on every case: the same figures as computed.
    assert reviewed["metrics"] == results(computed)["K4"]["metrics"]
    assert reviewed["sample"] == drawn["sample"]
    assert reviewed["sample"]["size"] == size and reviewed["sample"]["seed"] == 2024036
    assert set(reviewed["sample"]["strata"]) == {
        "Bostad med särskild service",
        "Daglig verksamhet",
        "Särskilt boende",
    }
    findings = (out / "avvikelser" / "K4.csv").read_text(encoding="utf-8-sig")
    assert "granskaren: inte uppföljt (Ingen uppföljning dokumenterad i journalen.)" in findings

    code, printed = invoke(
        "sample", str(plan), "--control", "K4", "--out", str(demo / "granskning" / "K4.xlsx")
    )
    assert code == 1 and "skrivs inte över" in printed


def test_bad_answers_blanks_and_changed_rows(demo: Path) -> None:
    plan = with_worksheet(demo, "K4.xlsx")
    sheet_path = demo / "K4.xlsx"
    assert invoke("sample", str(plan), "--control", "K4", "--out", str(sheet_path))[0] == 0
    out = demo.parent / "resultat"

    fill(sheet_path, answer="kanske")
    invoke("run", str(plan), "--out", str(out))
    reason = results(out)["K4"]["reason"]
    assert "rad 2, kolumn uppfoljd: 'kanske'; väntade ja eller nej" in reason

    fill(sheet_path)
    book = openpyxl.load_workbook(sheet_path)
    sheet = book.active
    assert sheet is not None
    sheet.cell(row=5, column=sheet.max_column - 1).value = None
    book.save(sheet_path)
    invoke("run", str(plan), "--out", str(out))
    assert (
        f"granskningen är ofullständig: 1 av {sheet.max_row - 1} ärenden i K4.xlsx saknar svar "
        "(rad 5)"
    ) in (results(out)["K4"]["reason"])

    removed = str(sheet.cell(row=3, column=1).value)
    sheet.delete_rows(3)
    sheet.cell(row=4, column=1).value = "B999999"
    book.save(sheet_path)
    invoke("run", str(plan), "--out", str(out))
    reason = results(out)["K4"]["reason"]
    assert "stämmer inte med det dragna urvalet" in reason
    assert "ärenden som inte ingår i urvalet: B999999" in reason
    assert removed in reason


def test_csv_worksheet(demo: Path) -> None:
    plan = with_worksheet(demo, "K4.csv")
    sheet_path = demo / "K4.csv"
    assert invoke("sample", str(plan), "--control", "K4", "--out", str(sheet_path))[0] == 0
    lines = sheet_path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    answered = [lines[0]]
    for line in lines[1:]:
        cells = line.split(";")
        cells[header.index("uppfoljd")] = "Nej"
        answered.append(";".join(cells))
    sheet_path.write_text("\n".join(answered) + "\n", encoding="utf-8")
    out = demo.parent / "resultat"
    invoke("run", str(plan), "--out", str(out))
    k4 = results(out)["K4"]
    assert k4["metrics"]["rate"] == 0
    assert k4["metrics"]["sample.deviations"] == len(answered) - 1 == k4["metrics"]["sample.n"]
