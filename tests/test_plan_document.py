"""The plan document from the plan alone, the calendar of what is due, and ``init``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document as WordDocument
from docx.oxml.ns import qn
from icalendar import Calendar

from internkontroll.cli import cli
from internkontroll.plan_document import scope
from internkontroll.planfile import load_plan
from internkontroll.timing import execution_dates

from .conftest import PLAN, write
from .test_manual import MANUAL

DEMO = Path(__file__).parent.parent / "controls" / "exempel" / "plan-2025.toml"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def level_colour(score: int) -> str:
    """The default scale's colours by lowest score, written out again here."""
    if score >= 12:
        return "E06666"
    if score >= 8:
        return "F4A460"
    if score >= 4:
        return "F7E07B"
    return "9BD49B"


def shading(cell: object) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None  # type: ignore[attr-defined]
    return None if shd is None else shd.get(qn("w:fill"))


@pytest.fixture
def plan_only(tmp_path: Path) -> Path:
    """A plan whose export does not exist yet: the plan document comes before the data."""
    return write(tmp_path / "plan.toml", PLAN + MANUAL)


def test_plan_docx_has_risk_table_shaded_matrix_and_controls(plan_only: Path) -> None:
    out = plan_only.parent / "plan.docx"
    code, output = invoke(
        "report", str(plan_only), "--table", "plan", "--format", "docx", "--output", str(out)
    )
    assert code == 0, output
    word = WordDocument(str(out))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Internkontrollplan 2024, Testnämnden",
        "Inledning",
        "Riskanalys",
        "Riskmatris",
        "Kontrollmoment",
    ]
    risks, matrix, controls = word.tables
    assert [c.text for c in risks.rows[0].cells] == [
        "Risk",
        "Beskrivning",
        "Sannolikhet",
        "Konsekvens",
        "Riskvärde",
        "Hantering",
        "Motivering",
    ]
    assert [r.cells[4].text for r in risks.rows[1:]] == ["12 (Mycket hög)", "9 (Hög)"]
    assert risks.rows[2].cells[5].text == "Kontroll"
    # The matrix: likelihood 4 at the top, impact 1..4 across; each cell shaded by its level.
    assert len(matrix.rows) == 5 and len(matrix.columns) == 5
    for row_index, likelihood in enumerate([4, 3, 2, 1], start=1):
        for impact in range(1, 5):
            cell = matrix.rows[row_index].cells[impact]
            assert shading(cell) == level_colour(likelihood * impact), (likelihood, impact)
    assert matrix.rows[2].cells[4].text.startswith("R1")  # likelihood 3, impact 4
    assert matrix.rows[2].cells[3].text.startswith("R2")  # likelihood 3, impact 3
    assert [c.text for c in controls.rows[0].cells] == [
        "Kontrollmoment",
        "Risk",
        "Metod",
        "Omfattning/urval",
        "Frekvens",
        "Ansvarig",
        "Rapporteras",
    ]
    k7 = controls.rows[2].cells
    assert k7[0].text.startswith("Bilaga J") and k7[2].text == "Stickprov"
    assert k7[3].text == "Checklista, tre punkter, period 240101–241231"
    assert k7[4].text == "Kvartalsvis" and k7[6].text == "Delår och helår"
    assert controls.rows[3].cells[2].text == "Manuell kontroll"


@pytest.mark.parametrize("fmt", ["md", "html", "txt", "csv", "xlsx"])
def test_plan_renders_in_every_format(plan_only: Path, fmt: str) -> None:
    out = plan_only.parent / f"plan.{fmt}"
    code, output = invoke(
        "report", str(plan_only), "--table", "plan", "--format", fmt, "--output", str(out)
    )
    assert code == 0, output
    if fmt == "xlsx":
        book = openpyxl.load_workbook(out)
        assert len(book.sheetnames) == 3
        matrix = book.worksheets[1]
        assert matrix["E3"].fill.fgColor.rgb.endswith(level_colour(12))
        return
    text = out.read_text(encoding="utf-8-sig")
    assert "Bilaga J" in text and "APT minst sex gånger per år" in text
    if fmt == "csv":  # one flat sheet: one row per control, with its risk beside it
        lines = text.splitlines()
        assert lines[0].startswith("Risk;Beskrivning;Sannolikhet")
        assert len(lines) == 1 + 3 + 0  # three controls; both risks have one
    if fmt == "html":
        assert "background:#E06666" in text


def test_plan_table_from_a_plan_needs_no_run_but_other_tables_do(plan_only: Path) -> None:
    code, output = invoke("report", str(plan_only), "--table", "bilaga1")
    assert code == 1 and "Ur planen själv: --table plan" in output


def test_docx_all_shows_the_matrix_as_a_table(plan_dir: Path) -> None:
    out = plan_dir / "resultat"
    assert invoke("run", str(plan_dir / "plan.toml"), "--out", str(out))[0] == 0
    target = plan_dir / "allt.docx"
    code, _ = invoke(
        "report", str(out), "--table", "all", "--format", "docx", "--output", str(target)
    )
    assert code == 0
    word = WordDocument(str(target))
    matrix = word.tables[0]
    assert matrix.rows[0].cells[0].text == "Sannolikhet \\ Konsekvens"
    assert shading(matrix.rows[1].cells[4]) == level_colour(16)


def reference_quarters(start: date, end: date) -> list[date]:
    """Quarter ends counted from the period's first month, the last cut at the period's end."""
    ends = []
    year, month = start.year, start.month
    while True:
        month += 2
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        last = date.fromordinal(nxt.toordinal() - 1)
        ends.append(min(last, end))
        if last >= end:
            return ends
        year, month = nxt.year, nxt.month


def test_quarters_follow_the_period() -> None:
    for start, end in [
        (date(2025, 1, 1), date(2025, 12, 31)),
        (date(2023, 12, 1), date(2024, 11, 30)),
        (date(2025, 2, 1), date(2025, 6, 15)),
    ]:
        got = [day for day, _ in execution_dates("kvartalsvis", start, end)]
        assert got == reference_quarters(start, end)


def test_due_lists_dates_and_writes_a_calendar(plan_only: Path) -> None:
    code, output = invoke("due", str(plan_only))
    assert code == 0, output
    lines = [line for line in output.splitlines() if line[:4] == "2024"]
    # K7 quarterly (4) and reported at delår and helår (2); K8 yearly (1); K1 has no timing.
    assert len(lines) == 7
    assert "Utan frequency och report_at (inga datum): K1" in output
    # The last day: K7 is carried out before it is reported, then K8 in the plan's order.
    assert [line.split()[1] for line in lines[-3:]] == ["K7", "K7", "K8"]
    assert "Utförs (kvartal 4)" in lines[-3] and "Rapporteras (helår)" in lines[-2]
    code, march = invoke("due", str(plan_only), "--month", "2024-03")
    assert [line.split()[0] for line in march.splitlines() if line.startswith("2024")] == [
        "2024-03-31"
    ]
    ics = plan_only.parent / "kontroller.ics"
    code, _ = invoke("due", str(plan_only), "--ics", str(ics))
    assert code == 0
    calendar = Calendar.from_ical(ics.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 7
    days = sorted(e.decoded("dtstart") for e in events)
    assert days[0] == date(2024, 3, 31) and date(2024, 8, 31) in days
    assert len({str(e["uid"]) for e in events}) == 7
    first = ics.read_bytes()
    invoke("due", str(plan_only), "--ics", str(ics))
    assert ics.read_bytes() == first  # the same plan gives the same file
    code, output = invoke("due", str(plan_only), "--month", "2024-13")
    assert code == 1 and "2025-03" in output


def test_init_then_validate_then_run(tmp_path: Path) -> None:
    folder = tmp_path / "ny"
    code, output = invoke("init", str(folder))
    assert code == 0, output
    plan = folder / "plan.toml"
    code, output = invoke("validate", str(plan))
    assert code == 0 and "2 risker, 2 kontroller" in output
    code, output = invoke("run", str(plan), "--out", str(folder / "resultat"))
    assert code == 0, output
    assert "väntar på bedömning i bedomning.toml: K2" in output
    sheet = folder / "granskning" / "K2.xlsx"
    assert invoke("checklist", str(plan), "--control", "K2", "--out", str(sheet))[0] == 0
    assert invoke("due", str(plan), "--ics", str(folder / "k.ics"))[0] == 0
    # A second init changes nothing.
    plan.write_text(plan.read_text(encoding="utf-8") + "# min ändring\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    code, output = invoke("init", str(folder))
    assert code == 1 and "skrivs inte över" in output
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_demo_plan_document_has_the_personal_assistance_controls() -> None:
    code, output = invoke("report", str(DEMO), "--table", "plan", "--format", "md")
    assert code == 0, output
    assert "Bilaga J" in output and "Nämndinitiativ" in output
    assert "Beloppsurval, 95 % säkerhet, tolerabelt felbelopp 5 %" in output


def test_a_checklist_of_one_item_is_en_punkt(plan_only: Path) -> None:
    plan, _ = load_plan(plan_only, check_files=False)
    k7 = next(c for c in plan.controls if c.items)
    one = k7.model_copy(update={"items": ["Bilaga J är ifylld."]})
    assert scope(one, None) == "Checklista, en punkt"
    assert scope(k7, None) == "Checklista, tre punkter"


def test_a_plan_of_risks_only_says_it_has_no_controls(tmp_path: Path) -> None:
    plan = write(
        tmp_path / "plan.toml",
        """\
        [plan]
        title = "Internkontrollplan 2025"
        organisation = "Överförmyndarnämnden"
        year = 2025

        [[risk]]
        id = "R1"
        title = "Ställföreträdare redovisar inte"
        likelihood = 2
        impact = 3
        handling = "bevakas"
        """,
    )
    code, output = invoke("report", str(plan), "--table", "plan", "--format", "md")
    assert code == 0, output
    assert "Planen har inga kontrollmoment." in output
    assert "noll" not in output
