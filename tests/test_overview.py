"""Kommunstyrelsen's overview: several nämnders' results folders in one document."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document as WordDocument

from internkontroll.cli import cli
from internkontroll.overview import BodyResults, ControlLine, overview_document

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["utan_anmarkning", "forsumbar_anmarkning", "med_anmarkning", "ej_genomford"]


def invoke(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The demo as a vård- och omsorgsnämnd, and a socialnämnd made from it whose K2 threshold
    is strict enough to give a second anmärkning."""
    base = tmp_path_factory.mktemp("ks")
    von = base / "von"
    invoke("run", str(ROOT / "controls" / "exempel" / "plan.toml"), "--out", str(von))
    demo = base / "sn-plan"
    shutil.copytree(ROOT / "controls" / "exempel", demo)
    plan = demo / "plan.toml"
    text = plan.read_text(encoding="utf-8").replace(
        'organisation = "Vård- och omsorgsnämnden"', 'organisation = "Socialnämnden"'
    )
    k2 = text.index('id = "K2"')
    strict = text[k2:].replace("utan_anmarkning = 60", "utan_anmarkning = 5", 1).replace(
        "forsumbar_anmarkning = 90", "forsumbar_anmarkning = 6", 1
    )
    plan.write_text(text[:k2] + strict, encoding="utf-8")
    sn = base / "sn"
    invoke("run", str(plan), "--out", str(sn))
    return [von, sn]


def expected_counts(folder: Path) -> list[int]:
    """Counted straight from resultat.json (nobody has written an assessment)."""
    document = json.loads((folder / "resultat.json").read_text(encoding="utf-8"))
    counted = Counter(c["assessment"] for c in document["controls"])
    return [len(document["controls"]), *(counted[key] for key in ORDER)]


def test_counts_per_nämnd_and_in_total(folders: list[Path], tmp_path: Path) -> None:
    von, sn = (expected_counts(f) for f in folders)
    assert von != sn  # the socialnämnd's stricter K2 differs
    target = tmp_path / "ks.xlsx"
    invoke("report", *map(str, folders), "--table", "sammanstallning", "--output", str(target))
    sheet = openpyxl.load_workbook(target)["Sammanställning"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:7] == [
        "Nämnd",
        "År",
        "Kontrollpunkter",
        "Utan anmärkning",
        "Försumbar anmärkning",
        "Med anmärkning",
        "Ej genomförd",
    ]
    assert rows[1][0] == "Vård- och omsorgsnämnden" and rows[1][2:7] == von
    assert rows[2][0] == "Socialnämnden" and rows[2][2:7] == sn
    assert rows[3][0] == "Totalt" and rows[3][2:7] == [a + b for a, b in zip(von, sn, strict=True)]


def test_every_control_with_anmärkning_is_listed(folders: list[Path]) -> None:
    text = invoke("report", *map(str, folders), "--table", "sammanstallning", "--format", "md")
    remarks = text[text.index("Kontrollpunkter med anmärkning") :]
    lines = [line for line in remarks.splitlines() if line.startswith("| ") and "Nämnd" not in line]
    named = [(line.split("|")[1].strip(), line.split("|")[3].strip()) for line in lines]
    assert named == [
        ("Vård- och omsorgsnämnden", "Uppföljning av tillsvidarebeslut"),
        ("Socialnämnden", "Verkställighetstid"),
        ("Socialnämnden", "Uppföljning av tillsvidarebeslut"),
    ]
    assert "Brister i rättssäkerhet" in lines[0]  # the risk
    assert (
        "Sammanställningen av två nämnders internkontroll 2024 visar att fem av åtta "
        "kontrollpunkter har genomförts utan anmärkning eller med försumbar anmärkning och att "
        "tre kontrollpunkter har genomförts med anmärkning." in text
    )
    assert "Anmärkningarna finns hos Vård- och omsorgsnämnden (1) och Socialnämnden (2)." in text


@pytest.mark.parametrize("fmt", ["md", "txt", "csv", "html", "xlsx", "docx"])
def test_renders_in_every_format(folders: list[Path], tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"ks.{fmt}"
    invoke("report", *map(str, folders), "--table", "sammanstallning", "--output", str(target))
    if fmt == "docx":
        tables = WordDocument(str(target)).tables
        assert tables[0].rows[2].cells[0].text == "Socialnämnden"
        assert len(tables[1].rows) == 4  # header and three controls med anmärkning
    elif fmt == "xlsx":
        assert openpyxl.load_workbook(target).sheetnames == ["Sammanställning", "Med anmärkning"]
    else:
        text = target.read_text(encoding="utf-8-sig")
        assert "Socialnämnden" in text and "Vård- och omsorgsnämnden" in text


def test_the_same_nämnd_and_year_twice_is_refused(folders: list[Path]) -> None:
    message = invoke(
        "report", str(folders[0]), str(folders[0]), "--table", "sammanstallning", code=1
    )
    assert "Vård- och omsorgsnämnden 2024 finns med två gånger" in message


def test_several_folders_need_the_overview_table(folders: list[Path]) -> None:
    message = invoke("report", *map(str, folders), code=1)
    assert "flera mappar går bara med --table sammanstallning" in message


def test_callable_with_rows_from_elsewhere() -> None:
    """A register holding results in a database gives plain rows, no folders."""
    body = BodyResults(
        "Kultur- och fritidsnämnden",
        2025,
        [
            ControlLine("K1", "Kassa", "Stöld", "med_anmarkning", "Två differenser.", "Rutin."),
            ControlLine("K2", "Avtal", "Fel pris", "utan_anmarkning"),
            ControlLine("K3", "Bidrag", "Fel mottagare", "ej_bedomd"),
        ],
    )
    document = overview_document([body])
    counts, remarks = document.tables
    assert counts.rows == [["Kultur- och fritidsnämnden", "2025", "3", "1", "0", "1", "0", "1"]]
    assert remarks.rows == [
        ["Kultur- och fritidsnämnden", "Stöld", "Kassa", "Två differenser.", "Rutin."]
    ]
    assert document.summary == (
        "Sammanställningen av en nämnds internkontroll 2025 visar att en av tre kontrollpunkter "
        "har genomförts utan anmärkning eller med försumbar anmärkning och att en kontrollpunkt "
        "har genomförts med anmärkning. En kontrollpunkt har inte genomförts eller bedömts. "
        "Anmärkningarna finns hos Kultur- och fritidsnämnden (1)."
    )
