"""What a pasted table looks like: merged risk cells, real numbers, Swedish sheet names, Bilaga 2's
introduction and follow-up dates, numbers never broken, and two controls on one export told apart."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from internkontroll.cli import cli
from internkontroll.document import Table
from internkontroll.formats.office import excel_number
from internkontroll.swedish import NBSP, number
from internkontroll.wording import DEFAULT_PROVIDER_INTRODUCTION

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "controls" / "exempel"


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def demo_2025(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo2025") / "resultat"
    invoke("run", str(DEMO / "plan-2025.toml"), "--out", str(out))
    return out


@pytest.fixture(scope="module")
def demo_2024(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo2024") / "resultat"
    invoke("run", str(DEMO / "plan.toml"), "--out", str(out))
    return out


def _controls(out: Path) -> list[dict]:  # type: ignore[type-arg]
    return json.loads((out / "resultat.json").read_text(encoding="utf-8"))["controls"]  # type: ignore[no-any-return]


def _vmerge(row: object, column: int) -> str | None:
    """The w:vMerge value of a table row's ``column``-th cell as Word stores it."""
    tc = row._tr.tc_lst[column]  # type: ignore[attr-defined]
    merge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
    if merge is None:
        return None
    return merge.get(qn("w:val")) or "continue"


def test_docx_merges_the_risk_over_its_controls(demo_2025: Path, tmp_path: Path) -> None:
    target = tmp_path / "bilaga1.docx"
    invoke("report", str(demo_2025), "--format", "docx", "--output", str(target))
    [table] = WordDocument(str(target)).tables
    from internkontroll.report import grouped_by_risk

    plan = tomllib.loads((demo_2025 / "plan.toml").read_text(encoding="utf-8"))
    order = [r["id"] for r in plan["risk"]]
    risks = [c["risk"] for c in grouped_by_risk(_controls(demo_2025), order)]
    # Each risk is one group of rows, however the plan orders its controls.
    assert len({r for r in risks}) == len([r for i, r in enumerate(risks) if i == 0 or risks[i - 1] != r])
    rows = table.rows[1:]
    assert len(rows) == len(risks)
    for index, risk in enumerate(risks):
        first = index == 0 or risks[index - 1] != risk
        last_of_group = index + 1 == len(risks) or risks[index + 1] != risk
        alone = first and last_of_group
        expected = None if alone else ("restart" if first else "continue")
        for column in (0, 1):  # Identifierad risk, Riskbeskrivning
            assert _vmerge(rows[index], column) == expected, (index, column)
        assert _vmerge(rows[index], 2) is None  # Kontroll is never merged
    assert risks[0] == risks[1] != risks[2]  # the 2025 demo has a risk with two controls
    assert rows[0].cells[0].text.startswith("Oegentligheter i hanteringen av handkassor")


def test_docx_risk_register_numbers_are_right_aligned(demo_2024: Path, tmp_path: Path) -> None:
    target = tmp_path / "risker.docx"
    invoke(
        "report", str(demo_2024), "--table", "risker", "--format", "docx", "--output", str(target)
    )
    [table] = WordDocument(str(target)).tables
    header = [c.text for c in table.rows[0].cells]
    column = header.index("Riskvärde")
    cell = table.rows[1].cells[column]
    assert cell.text == "12"  # likelihood 3 × impact 4 in the demo plan
    assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[1].cells[column - 1].paragraphs[0].alignment is None


def test_xlsx_numbers_are_numbers_and_sheets_keep_swedish_letters(
    demo_2024: Path, tmp_path: Path
) -> None:
    target = tmp_path / "allt.xlsx"
    invoke("report", str(demo_2024), "--table", "all", "--format", "xlsx", "--output", str(target))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Bilaga 1", "Åtgärder", "Risker", "Bilaga 2"]
    risks = book["Risker"]
    header = [c.value for c in risks[1]]
    value = risks.cell(row=2, column=header.index("Riskvärde") + 1)
    assert value.value == 12 and value.data_type == "n"
    bilaga1 = book["Bilaga 1"]
    merged = {str(r) for r in bilaga1.merged_cells.ranges}
    assert merged == {"A2:A5", "B2:B5"}  # R1 over K1–K4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (f"1{NBSP}402", 1402),
        ("1 402,5", 1402.5),
        ("−3", -3),
        ("0,25", 0.25),
        ("007", "007"),
        ("12 dagar", "12 dagar"),
        ("", ""),
    ],
)
def test_excel_numbers(text: str, expected: object) -> None:
    assert excel_number(text) == expected


def test_bilaga2_has_the_introduction_and_next_follow_up(demo_2024: Path) -> None:
    markdown = invoke("report", str(demo_2024), "--table", "utforare", "--format", "md")
    assert DEFAULT_PROVIDER_INTRODUCTION in markdown
    assert markdown.index(DEFAULT_PROVIDER_INTRODUCTION) < markdown.index("| Berört avtal")
    assert "Nästa uppföljning" in markdown
    assert "30 april 2025" in markdown and "28 februari 2025" in markdown
    page = invoke("report", str(demo_2024), "--table", "utforare", "--format", "html")
    assert '<p class="introduction">Kommuner får enligt kommunallagen' in page


def test_text_never_breaks_a_number(demo_2025: Path) -> None:
    text = invoke("report", str(demo_2025), "--format", "txt")
    # "1 402 timmar" and "281 413 kr" wrap as whole numbers: the thousands space does not break.
    m = {c["id"]: c for c in _controls(demo_2025)}["T1"]["metrics"]
    hours, kronor = number(m["hours_under"], 0), number(m["revenue_at_risk"], 0)
    assert NBSP in hours and NBSP in kronor
    assert hours in text and kronor in text
    thousands = kronor.split(NBSP)[0]
    assert f"({hours.split(NBSP)[0]} |" not in text and f"risk {thousands} |" not in text


def test_two_controls_on_one_export_tell_their_own_result(demo_2025: Path) -> None:
    controls = {c["id"]: c for c in _controls(demo_2025)}
    markdown = invoke("report", str(demo_2025), "--format", "md")
    rows = {
        line.split("|")[3].strip().split("<br>")[0]: line
        for line in markdown.splitlines()
        if line.startswith("| ")
    }
    over = next(r for t, r in rows.items() if t == "Utförd tid mot beviljad tid")
    under = next(r for t, r in rows.items() if t == "Fullständig tidsrapportering")
    m = controls["T1"]["metrics"]
    assert f"hade {m['over_granted']} mer utförd tid än beviljat" in over
    assert "mindre rapporterad tid" not in over
    assert f"hade {controls['T2']['metrics']['under_reported']} mindre rapporterad tid" in under
    assert "mer utförd tid" not in under


def test_spans_follow_continues() -> None:
    table = Table(
        "t",
        "T",
        ["a"],
        [["1"], [""], ["2"], ["3"], [""], [""]],
        continues=[False, True, False, False, True, True],
    )
    assert table.spans() == [(0, 2), (3, 3)]


def test_html_spans_the_risk_over_its_controls(demo_2024: Path) -> None:
    page = invoke("report", str(demo_2024), "--format", "html")
    assert page.count('<td rowspan="4">') == 2  # Identifierad risk and Riskbeskrivning, K1–K4
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = body.strip().split("\n")
    assert [row.count("<td") for row in rows] == [6, 4, 4, 4]


def test_bilaga1_groups_controls_under_their_risk() -> None:
    from internkontroll.report import grouped_by_risk

    results = [{"id": "K1", "risk": "R2"}, {"id": "K2", "risk": "R1"}, {"id": "K3", "risk": "R2"},
               {"id": "K4", "risk": "R9"}, {"id": "K5", "risk": "R1"}]  # fmt: skip
    ordered = [r["id"] for r in grouped_by_risk(results, ["R1", "R2"])]
    assert ordered == ["K2", "K5", "K1", "K3", "K4"]
