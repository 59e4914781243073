"""Text a spreadsheet would run as a formula is stored as text in every CSV and XLSX written."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

from internkontroll import worksheets
from internkontroll.cell_safety import FORMULA_START, csv_cell, from_csv
from internkontroll.cli import cli

from .conftest import BESLUT_HEADER, write

HOSTILE = [
    '=HYPERLINK("http://example.invalid","klicka")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_gets_an_apostrophe(text: str) -> None:
    assert csv_cell(text) == "'" + text
    assert from_csv(csv_cell(text)) == text


@pytest.mark.parametrize("text", ["-12,50", "+46", "-1 234,5", "B1", "ja", "", "'citat"])
def test_numbers_and_plain_text_are_left_alone(text: str) -> None:
    assert csv_cell(text) == text
    assert from_csv(text) == text


@given(st.text(max_size=20))
@example("'=")  # text that itself starts with an apostrophe before a formula sign
@example("''+1x")
def test_round_trip_and_nothing_formula_like_left(text: str) -> None:
    written = csv_cell(text)
    assert from_csv(written) == text
    if isinstance(written, str) and written.startswith(FORMULA_START):
        assert written.lstrip("-+").replace(",", "").replace(".", "").replace(" ", "").isdigit()


def _cells_of_csv(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def _formula_cells(xlsx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        return [n for n in sheets if b"<f>" in archive.read(n) or b"<f " in archive.read(n)]


def test_a_hostile_export_reaches_no_file_as_a_formula(plan_dir: Path) -> None:
    write(
        plan_dir / "beslut.csv",
        f"""\
        {BESLUT_HEADER}
        B1;x;SoL;2024-01-10;2024-01-15
        =cmd|' /C calc'!A0;x;SoL;2024-03-05;
        @SUM(A1);x;LSS;2024-03-05;
        +1+1;x;LSS;2024-03-05;2024-13-01
        """,
    )
    people = plan_dir / "ut" / "bedomning.toml"
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(plan_dir / "plan.toml"), "--out", str(plan_dir / "ut")])
    people.write_text(
        people.read_text(encoding="utf-8").replace('actions = ""', 'actions = "=HYPERLINK(1)"'),
        encoding="utf-8",
    )
    findings = _cells_of_csv(plan_dir / "ut" / "avvikelser" / "K1.csv")
    assert "'=cmd|' /C calc'!A0" in findings and "'@SUM(A1)" in findings
    assert "'+1+1" in findings
    assert not [c for c in findings if c.startswith(FORMULA_START)]
    for path in (plan_dir / "ut" / "underlag").glob("*.csv"):
        assert not [c for c in _cells_of_csv(path) if c.startswith(("=", "@", "+"))]

    report_csv = plan_dir / "bilaga.csv"
    xlsx = plan_dir / "bilaga.xlsx"
    for target in (report_csv, xlsx):
        done = runner.invoke(cli, ["report", str(plan_dir / "ut"), "--output", str(target)])
        assert done.exit_code == 0, done.output
    assert "'=HYPERLINK(1)" in _cells_of_csv(report_csv)
    assert _formula_cells(xlsx.read_bytes()) == []
    sheet = openpyxl.load_workbook(xlsx).worksheets[0]
    texts = [c for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(1)"]
    assert texts and all(c.data_type == "s" for c in texts)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_worksheet_round_trip_keeps_hostile_ids(tmp_path: Path, suffix: str) -> None:
    ids = ["=1+1", "@x", "-y", "+z", "B5"]
    rows = [{"decision_id": unit, "law": "=SoL"} for unit in ids]
    header, body = worksheets.build(
        rows, {unit: "S" for unit in ids}, "decision_id", ["law"], {"uppfoljd": "ja/nej"}
    )
    for row in body:
        row[-2] = "ja"
    path = tmp_path / f"granskning{suffix}"
    worksheets.write(path, header, body, {"uppfoljd": "ja/nej"})
    if suffix == ".xlsx":
        assert _formula_cells(path.read_bytes()) == []
    else:
        assert "'=1+1" in _cells_of_csv(path) and "'=SoL" in _cells_of_csv(path)
    answers = worksheets.read_answers(path, {"uppfoljd": "ja/nej"}, {u: "S" for u in ids})
    assert sorted(answers) == sorted(ids)
    assert all(a["uppfoljd"] is True for a in answers.values())
