"""Reports for the annual report: every table in every format, opened as the user opens them."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document as WordDocument
from docx.oxml.ns import qn

from internkontroll.cli import cli
from internkontroll.report import bilaga1_table, load_results

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = '''motivation = """Verksamhetens bedömning:
- rutinen saknas,
- uppföljningen görs på metodmöten.

Se även rapporten."""'''


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rapport") / "resultat"
    invoke("run", str(ROOT / "controls" / "exempel" / "plan.toml"), "--out", str(out))
    people = out / "bedomning.toml"
    text = people.read_text(encoding="utf-8")
    k4 = text.index("[controls.K4]")
    people.write_text(
        text[:k4]
        + text[k4:]
        .replace('motivation = ""', PEOPLE, 1)
        .replace('actions = ""', 'actions = "Rutin tas fram 2025."', 1),
        encoding="utf-8",
    )
    return out


def test_every_table_in_every_format(results: Path, tmp_path: Path) -> None:
    for table in ("bilaga1", "risker", "atgarder", "utforare", "all"):
        for fmt in ("md", "txt", "html", "xlsx", "docx", "csv"):
            if fmt == "csv" and table == "all":
                continue
            target = tmp_path / f"{table}.{fmt}"
            invoke(
                "report", str(results), "--table", table, "--format", fmt, "--output", str(target)
            )
            assert target.stat().st_size > 100, target


def test_docx_bilaga1_cell_by_cell(results: Path, tmp_path: Path) -> None:
    target = tmp_path / "bilaga1.docx"
    invoke("report", str(results), "--format", "docx", "--output", str(target))
    expected = bilaga1_table(load_results(results))
    [table] = WordDocument(str(target)).tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == expected.columns
    # The risk's cells span its controls: Word shows the first row's text in every merged row.
    for row, values in enumerate(expected.rows, start=1):
        for column, value in enumerate(values):
            spanned = column in expected.merged_columns and expected.continues[row - 1]
            assert cells[row][column] == (cells[row - 1][column] if spanned else value)
    header = table.rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None
    assert "uppföljningen görs på metodmöten.\n\nSe även rapporten." in cells[4][4]
    # What the person wrote about the actions stands alone: the plan's two actions linked to K4
    # are not listed after it (they are in the action plan).
    assert cells[4][5] == "Rutin tas fram 2025."
    shading = table.rows[4].cells[3]._tc.tcPr.find(qn("w:shd"))
    assert shading.get(qn("w:fill")) == "FFC7CE"  # med anmärkning, at a glance


def test_xlsx_bilaga1_cell_by_cell(results: Path, tmp_path: Path) -> None:
    target = tmp_path / "bilaga1.xlsx"
    invoke("report", str(results), "--format", "xlsx", "--output", str(target))
    expected = bilaga1_table(load_results(results))
    book = openpyxl.load_workbook(target)
    sheet = book.active
    assert sheet is not None and sheet.title == "Bilaga 1"
    rows = [[c.value or "" for c in row] for row in sheet.iter_rows()]
    assert rows[0] == expected.columns
    assert rows[1:] == expected.rows
    assert sheet["A1"].font.bold and sheet["E2"].alignment.wrap_text
    assert sheet.freeze_panes == "A2"
    assert sheet.print_title_rows == "$1:$1"


def test_csv_opens_in_swedish_excel(results: Path, tmp_path: Path) -> None:
    target = tmp_path / "bilaga1.csv"
    invoke("report", str(results), "--format", "csv", "--output", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines()[0].split(";")[:3] == [
        "Identifierad risk",
        "Riskbeskrivning",
        "Kontroll",
    ]


def test_peoples_words_in_every_text_format(results: Path) -> None:
    markdown = invoke("report", str(results), "--format", "md")
    assert "- rutinen saknas,<br>- uppföljningen görs på metodmöten.<br><br>Se även" in markdown
    page = invoke("report", str(results), "--format", "html")
    assert "- rutinen saknas,<br>- uppföljningen görs på metodmöten.<br><br>Se även" in page


def test_person_overrides_assessment(results: Path, tmp_path: Path) -> None:
    copy = tmp_path / "kopia"
    shutil.copytree(results, copy)
    people = copy / "bedomning.toml"
    text = people.read_text(encoding="utf-8")
    k3 = text.index("[controls.K3]")
    people.write_text(
        text[:k3] + text[k3:].replace('assessment = ""', 'assessment = "försumbar anmärkning"', 1),
        encoding="utf-8",
    )
    rows = bilaga1_table(load_results(copy)).rows
    assert rows[2][3] == "Försumbar anmärkning"
    assert "genomförd med försumbar anmärkning." in rows[2][4]


def test_action_plan_marks_overdue(results: Path) -> None:
    from internkontroll.report import action_table

    table = action_table(load_results(results), date(2025, 1, 15))
    assert table.columns == ["Aktivitet", "Åtgärd", "Status", "Ansvarig", "Uppföljning"]
    statuses = [row[2] for row in table.rows]
    assert statuses[:3] == ["Pågår", "Klar", "Pågår – FÖRSENAD"]
    assert table.marks[:3] == [None, None, "overdue"]
    # The action a person wrote in bedomning.toml joins the plan's own.
    assert table.rows[-1][:2] == ["Uppföljning av tillsvidarebeslut", "Rutin tas fram 2025."]


def test_provider_table_is_the_seeds_bilaga2(results: Path) -> None:
    text = invoke("report", str(results), "--table", "utforare", "--format", "csv")
    header = text.splitlines()[0].split(";")
    assert header[0] == "Berört avtal" and header[2].endswith("(Ja/Nej)")
    assert ";Ja;" in text.splitlines()[1]


def test_compare_puts_last_year_beside_this_year(results: Path, tmp_path: Path) -> None:
    demo = tmp_path / "exempel"
    shutil.copytree(ROOT / "controls" / "exempel", demo)
    plan = demo / "plan.toml"
    plan.write_text(
        plan.read_text(encoding="utf-8")
        .replace("year = 2024", "year = 2023")
        .replace("utan_anmarkning = 60", "utan_anmarkning = 30"),
        encoding="utf-8",
    )
    last = tmp_path / "resultat-2023"
    invoke("run", str(plan), "--out", str(last))
    text = invoke("report", str(results), "--compare", str(last), "--format", "csv")
    lines = text.splitlines()
    assert lines[0].endswith(";Utfall 2023")
    compared = invoke(
        "report", str(results), "--table", "jamforelse", "--compare", str(last), "--format", "csv"
    ).splitlines()
    assert compared[0] == "Kontroll;Mått;Utfall 2024;Utfall 2023;Bedömning 2024;Bedömning 2023"
    # Labels and units, not engine names; rates as percent.
    k2 = [line for line in compared if line.startswith("Verkställighetstid;LSS: genomsnitt, dagar")]
    assert k2 and k2[0].endswith(";Utan anmärkning;Försumbar anmärkning")
    assert not any("mean_days" in line or "min_rate" in line for line in compared)
    rates = [line for line in compared if "lägsta andel uppföljda i en grupp, procent" in line]
    assert rates and all(line.split(";")[2].endswith(" procent") for line in rates)


def _refused(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 1, result.output
    return result.output


def test_compare_refuses_the_same_year_and_another_organisation(
    results: Path, tmp_path: Path
) -> None:
    same = _refused("report", str(results), "--compare", str(results), "--format", "csv")
    assert "år 2024" in same and "tidigare år" in same and str(results) in same
    assert "Utfall 2024 och 2024" not in same
    other = tmp_path / "socialnamnden-2023"
    shutil.copytree(results, other)
    for name in ("resultat.json", "plan.toml"):
        path = other / name
        text = path.read_text(encoding="utf-8").replace("Vård- och omsorgsnämnden", "Socialnämnden")
        path.write_text(
            text.replace('"year": 2024', '"year": 2023').replace("year = 2024", "year = 2023"),
            encoding="utf-8",
        )
    foreign = _refused(
        "report", str(results), "--table", "jamforelse", "--compare", str(other), "--format", "csv"
    )
    assert "Socialnämnden" in foreign and "Vård- och omsorgsnämnden" in foreign
    assert str(other) in foreign and str(results) in foreign


def test_risk_matrix_svg(tmp_path: Path) -> None:
    target = tmp_path / "riskmatris.svg"
    invoke("matrix", str(ROOT / "controls" / "exempel" / "plan.toml"), "--output", str(target))
    svg = ET.parse(target).getroot()
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "R1" in texts  # likelihood 3, impact 4
    assert "Mycket hög (12)" in texts and "Låg (1)" in texts  # readable in black and white
    assert sum(1 for _ in svg.iter("{http://www.w3.org/2000/svg}rect")) == 16


def test_html_report_in_headless_chromium(results: Path, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium finns inte på maskinen (.ci/run installerar det)")
    page = tmp_path / "internkontroll.html"
    invoke("report", str(results), "--table", "all", "--format", "html", "--output", str(page))
    flags = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profil'}",
    ]
    dom = subprocess.run(
        [*flags, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "Uppföljningen vid årsbokslutet visar att tre av fyra kontrollpunkter" in dom
    assert dom.count("<table>") == 4 and "<svg" in dom
    shot = tmp_path / "internkontroll.png"
    subprocess.run(
        [*flags, f"--screenshot={shot}", "--window-size=1400,2400", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_compare_masks_a_figure_from_fewer_cases_than_min_group_size(
    results: Path, tmp_path: Path
) -> None:
    """DESIGN: a figure that describes fewer people than ``min_group_size`` is not shown. The
    table reads each group's figures beside its count (``LSS.mean_days`` beside ``LSS.n``)."""
    last = tmp_path / "resultat-2023"
    shutil.copytree(results, last)
    data = json.loads((results / "resultat.json").read_text(encoding="utf-8"))
    k2 = next(r for r in data["controls"] if r["id"] == "K2")
    group = next(n[: -len(".mean_days")] for n in k2["metrics"] if n.endswith(".mean_days"))
    k2["metrics"][f"{group}.n"] = 2
    (last / "resultat.json").write_text(
        json.dumps(data, ensure_ascii=False).replace('"year": 2024', '"year": 2023'),
        encoding="utf-8",
    )
    plan = last / "plan.toml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("year = 2024", "year = 2023"), encoding="utf-8"
    )
    compared = invoke(
        "report", str(results), "--table", "jamforelse", "--compare", str(last), "--format", "csv"
    ).splitlines()
    mean = [line for line in compared if line.startswith(f"Verkställighetstid;{group}: genomsnitt")]
    assert mean, compared
    cells = mean[0].split(";")
    assert cells[3] == "visas inte (färre än 3)"
    assert cells[2] not in ("", "visas inte (färre än 3)")  # this year's count is not small
