"""Every line of an export is accounted for in ``run``'s line per control: the rows read,
split into their parts, and after them the blank lines (no row, so not among the rows read);
rows of a second dataset that the check leaves out as outside the period are said as such,
not counted as used. Expected counts are worked out by hand from the files written here."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from internkontroll.accounting import run_lines
from internkontroll.cli import cli
from internkontroll.engine import run_plan
from internkontroll.planfile import load_plan

from .conftest import BESLUT_HEADER, write

ROWS = [
    "B1;19121212-1212;SoL;2024-01-10;2024-01-15",
    "B2;19121212-1212;SoL;2024-02-01;2024-02-11",
    "B3;19121212-1212;LSS;2024-03-01;2024-04-30",
    "B4;19121212-1212;LSS;2024-03-05;",
    "B5;19121212-1212;LSS;2023-12-31;2024-01-02",
    "B6;19121212-1212;SoL;20240601;20240602",
]
# verkställighetstid takes every decision (those decided before the period for its IVO list).
PARTS = "6 rader lästa: 6 använda, 0 ogiltiga, 0 dubbletter, 0 undantagna"


def lines_of(plan_path: Path) -> list[list[str]]:
    """The control's lines, read row by row and in batches."""
    found = []
    for batch_rows in (0, 2, 8192):
        plan, host = load_plan(plan_path)
        for result in run_plan(plan, host, batch_rows=batch_rows):
            rows = {source.dataset: source.rows for source in result.inputs}
            found.append(run_lines(result.control.id, rows, result.tallies, result.outcome.metrics))
    assert found[1] == found[0] and found[2] == found[0]
    return found


def test_the_blank_lines_of_a_csv_follow_the_rows_read(plan_dir: Path) -> None:
    # 10 lines: the header, 6 rows, an empty line, one of only separators and an empty last.
    text = "\n".join([BESLUT_HEADER, ROWS[0], "", ROWS[1], ";;;;", *ROWS[2:], ""]) + "\n"
    (plan_dir / "beslut.csv").write_text(text, encoding="utf-8")
    assert len(text.splitlines()) == 10
    [line] = lines_of(plan_dir / "plan.toml")[0]
    assert line == (f"K1: {PARTS}; 3 tomma rader hoppades över")
    ran = CliRunner().invoke(
        cli, ["run", str(plan_dir / "plan.toml"), "--out", str(plan_dir / "ut")]
    )
    assert ran.exit_code == 0, ran.output
    assert line in ran.stdout.splitlines()


def test_an_export_without_blank_lines_says_nothing_of_them(plan_dir: Path) -> None:
    [line] = lines_of(plan_dir / "plan.toml")[0]
    assert line == f"K1: {PARTS}"


def test_an_xlsx_counts_the_empty_rows_between_its_rows(plan_dir: Path) -> None:
    """An empty row between two rows is the export's; the formatted empty rows below the last
    row are the sheet's and are not counted."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(BESLUT_HEADER.split(";"))
    sheet.append(ROWS[0].split(";"))
    sheet.append([None] * 5)
    sheet.append([None, " ", None, None, None])
    for row in ROWS[1:]:
        sheet.append(row.split(";"))
    sheet.cell(row=20, column=1).number_format = "0"  # an empty, formatted row far below
    book.save(plan_dir / "beslut.xlsx")
    plan = (plan_dir / "plan.toml").read_text(encoding="utf-8")
    (plan_dir / "plan.toml").write_text(plan.replace("beslut.csv", "beslut.xlsx"), "utf-8")
    [line] = lines_of(plan_dir / "plan.toml")[0]
    assert line == f"K1: {PARTS}; 2 tomma rader hoppades över"


GRANTED_PLAN = """\
[plan]
title = "Test"
year = 2025
period = { start = 2025-01-01, end = 2025-03-31 }

[[risk]]
id = "R1"
title = "Risk"
likelihood = 2
impact = 2

[datasets.beviljat]
path = "beviljat.csv"
[datasets.beviljat.columns]
case_id = "Ärende"
valid_from = "Från"
valid_to = "Till"
hours = "Timmar"
per = "Per"

[datasets.utfort]
path = "utfort.csv"
[datasets.utfort.columns]
case_id = "Ärende"
date = "Datum"
hours = "Timmar"

[[control]]
id = "T1"
risk = "R1"
title = "Beviljad tid"
check = "beviljad_tid"
dataset = { granted = "beviljat", performed = "utfort" }
"""


@pytest.mark.parametrize("blank", [0, 1])
def test_performed_time_outside_the_period_is_not_used(tmp_path: Path, blank: int) -> None:
    """Of the 5 rows of performed time: two in the period (used), one in December and one in
    April (outside the period), one without hours (invalid)."""
    write(tmp_path / "plan.toml", GRANTED_PLAN)
    write(tmp_path / "beviljat.csv", "Ärende;Från;Till;Timmar;Per\nA1;2024-01-01;;100;månad\n")
    performed = [
        "Ärende;Datum;Timmar",
        "A1;2025-01-10;5",
        "A1;2024-12-20;5",
        *[""] * blank,
        "A1;2025-02-10;5",
        "A1;2025-04-02;5",
        "A1;2025-02-11;",
    ]
    write(tmp_path / "utfort.csv", "\n".join(performed) + "\n")
    lines = lines_of(tmp_path / "plan.toml")[0]
    tail = "; 1 tom rad hoppades över" if blank else ""
    assert lines == [
        "T1 (beviljat): 1 rad läst: 1 använd, 0 ogiltiga, 0 dubbletter, 0 undantagna",
        f"T1 (utfort): 5 rader lästa: 2 använda, 1 ogiltig, 2 utanför perioden{tail}",
    ]


UTREDNING_PLAN = """\
[plan]
title = "Test"
year = 2024

[[risk]]
id = "R1"
title = "Risk"
likelihood = 2
impact = 2

[datasets.beslut]
path = "beslut.csv"
[datasets.beslut.columns]
decision_id = "Beslut-ID"
applied = "Ansökt"
decided = "Beslutat"

[[control]]
id = "U1"
risk = "R1"
title = "Utredningstid"
check = "utredningstid"
dataset = "beslut"
[control.params]
group_by = ""
"""


def test_decisions_outside_the_period_are_not_used(tmp_path: Path) -> None:
    """utredningstid takes only decisions made in the period: D3 (December 2023) and D4
    (January 2025) were said to be used, though no figure held them; D5 has no decision."""
    write(tmp_path / "plan.toml", UTREDNING_PLAN)
    rows = [
        "Beslut-ID;Ansökt;Beslutat",
        "D1;2024-01-02;2024-01-12",
        "D2;2024-05-02;2024-06-01",
        "D3;2023-12-01;2023-12-20",
        "D4;2024-12-10;2025-01-05",
        "D5;2024-03-01;",
    ]
    write(tmp_path / "beslut.csv", "\n".join(rows) + "\n")
    [line] = lines_of(tmp_path / "plan.toml")[0]
    assert line == (
        "U1: 5 rader lästa: 2 använda, 1 ogiltig, 0 dubbletter, 0 undantagna, "
        "2 utanför perioden eller populationen"
    )
    plan, host = load_plan(tmp_path / "plan.toml")
    [result] = run_plan(plan, host)
    assert result.outcome.metrics["n"] == 2
