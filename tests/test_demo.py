"""The demo plan reproduces the annual report's Bilaga 1, and reads the same from CSV and from XLSX."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.engine import run_plan
from internkontroll.planfile import load_plan

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "controls" / "exempel"


@pytest.fixture(scope="module")
def demo_results(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    out = tmp_path_factory.mktemp("demo") / "resultat"
    result = CliRunner().invoke(cli, ["run", str(DEMO / "plan.toml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    document = json.loads((out / "resultat.json").read_text(encoding="utf-8"))
    return {
        "out": out,
        "printed": result.output,
        "controls": {c["id"]: c for c in document["controls"]},
    }


def test_assessments_are_the_seeds(demo_results: dict) -> None:  # type: ignore[type-arg]
    controls = demo_results["controls"]
    assert controls["K1"]["assessment"] == "utan_anmarkning"
    assert controls["K2"]["assessment"] == "utan_anmarkning"
    assert controls["K3"]["assessment"] in ("utan_anmarkning", "forsumbar_anmarkning")
    assert controls["K4"]["assessment"] == "med_anmarkning"


def test_figures_land_near_the_seeds(demo_results: dict) -> None:  # type: ignore[type-arg]
    m = {cid: c["metrics"] for cid, c in demo_results["controls"].items()}
    near = pytest.approx
    assert m["K1"]["SoL.H1.mean_days"] == near(8, abs=1.5)
    assert m["K1"]["LSS.H1.mean_days"] == near(57, abs=5)
    assert m["K1"]["SoL.H2.mean_days"] == near(11, abs=1.5)
    assert m["K1"]["LSS.H2.mean_days"] == near(70, abs=5)
    assert m["K2"]["SoL.mean_days"] == near(6, abs=1.5)
    assert m["K2"]["LSS.mean_days"] == near(40, abs=5)
    assert m["K3"]["Hemtjänst.rate"] == near(0.99, abs=0.02)
    assert m["K3"]["Korttidsboende.rate"] == near(1.0, abs=0.02)
    assert m["K3"]["LSS.rate"] == near(0.95, abs=0.02)
    assert m["K4"]["Särskilt boende.rate"] == 0
    assert m["K4"]["Bostad med särskild service.rate"] == near(0.21, abs=0.05)
    assert m["K4"]["Daglig verksamhet.rate"] == near(0.25, abs=0.05)
    for name in ("invalid_rows", "duplicate_rows"):
        assert all(name in metrics for metrics in m.values())
    assert m["K2"]["over_3_months"] == m["K2"]["SoL.over_3_months"] + m["K2"]["LSS.over_3_months"]
    assert m["K1"]["SoL.p90_days"] >= m["K1"]["SoL.median_days"]


def test_bilaga1_reads_like_the_seed(demo_results: dict) -> None:  # type: ignore[type-arg]
    printed = " ".join(demo_results["printed"].split())
    assert "Bilaga 1 – Uppföljning av internkontroll" in printed
    text = demo_results["controls"]["K2"]["result_text"]
    assert text.startswith(
        "Granskningen visade att den genomsnittliga verkställighetstiden SoL är "
    )
    assert "och verkställighetstiden LSS är " in text
    k3 = demo_results["controls"]["K3"]["result_text"]
    assert k3.startswith("Resultatet visade att 99 procent av besluten avseende hemtjänst, ")
    assert (
        "hade följts upp innan beslutet löper ut under perioden 1 december 2023 "
        "till 30 november 2024. Urvalet om "
    ) in k3
    assert demo_results["controls"]["K3"]["sample"]["seed"] == 2024036


def test_ivo_worksheet_has_no_personnummer_column(demo_results: dict) -> None:  # type: ignore[type-arg]
    path = demo_results["out"] / "underlag" / "K2_ivo_rapportering.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == [
        "Kvartal",
        "Ärende-id",
        "Insats",
        "Lagrum",
        "Beslutsdatum",
        "Status",
        "Datum",
        "Dagar",
        "Kön",
        "Anmärkning",
    ]
    assert len(rows) > 10
    assert {r[8] for r in rows[1:]} <= {"Kvinna", "Man"}
    assert all(int(r[7]) > 89 for r in rows[1:])
    statuses = {r[5] for r in rows[1:]}
    assert {"Ej verkställt", "Verkställt", "Avslutat", "Avbrott, ej återupptaget"} <= statuses
    assert any(r[9].startswith("erbjudande avböjt") for r in rows[1:])


def _as_xlsx(source: Path, target: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Beslut"
    with source.open(encoding="cp1252", newline="") as handle:
        for index, row in enumerate(csv.reader(handle, delimiter=";")):
            cells: list[object] = []
            for cell in row:
                try:
                    cells.append(date.fromisoformat(cell) if index and len(cell) == 10 else cell)
                except ValueError:
                    cells.append(cell)  # an impossible date stays text, as in the CSV
            sheet.append([c if c != "" else None for c in cells])
    book.save(target)


def test_csv_and_xlsx_give_identical_metrics(tmp_path: Path) -> None:
    demo = tmp_path / "exempel"
    shutil.copytree(DEMO, demo)
    _as_xlsx(demo / "data" / "beslut.csv", demo / "data" / "beslut.xlsx")
    plan_text = (demo / "plan.toml").read_text(encoding="utf-8")
    (demo / "plan-xlsx.toml").write_text(
        plan_text.replace(
            'path = "data/beslut.csv"', 'path = "data/beslut.xlsx"\nsheet = "Beslut"'
        ),
        encoding="utf-8",
    )
    from_csv = run_plan(*load_plan(demo / "plan.toml"))
    from_xlsx = run_plan(*load_plan(demo / "plan-xlsx.toml"))
    assert [r.outcome.metrics for r in from_csv] == [r.outcome.metrics for r in from_xlsx]
    assert [r.outcome.result_text for r in from_csv] == [r.outcome.result_text for r in from_xlsx]
    assert [len(r.outcome.findings) for r in from_csv] == [
        len(r.outcome.findings) for r in from_xlsx
    ]


def test_the_2025_plan_runs_both_personal_assistance_checks(tmp_path: Path) -> None:
    out = tmp_path / "resultat-2025"
    result = CliRunner().invoke(cli, ["run", str(DEMO / "plan-2025.toml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    document = json.loads((out / "resultat.json").read_text(encoding="utf-8"))
    controls = {c["id"]: c for c in document["controls"]}
    assert {c["check"] for c in controls.values() if c["check"]} == {"handkassa", "beviljad_tid"}
    manual = [cid for cid, c in controls.items() if c["check"] is None]
    assert manual == ["M1", "M2", "M3", "M4", "M5", "M6"]
    assert all(controls[cid]["awaiting_assessment"] for cid in manual)
    assessments = {c["assessment"] for c in controls.values()}
    assert len(assessments) >= 2, assessments  # a mix, as a real year has
    for cid in ("H1", "T1", "T2"):
        lines = (out / "avvikelser" / f"{cid}.csv").read_text(encoding="utf-8-sig").splitlines()
        assert lines[0] == "kontroll;referens;rad;typ;beskrivning;belopp"
        assert len(lines) > 5
    h1 = controls["H1"]["metrics"]
    for rule in (
        "missing_receipt",
        "missing_attest",
        "self_attested",
        "over_limit",
        "missing_purpose",
        "blocked_category",
        "reconciliation_differences",
        "missing_month_counts",
    ):
        assert h1[rule] > 0, rule
    # The planted split purchase and one-person count, and nothing else of either.
    assert h1["split_purchases"] == 1 and h1["single_counter"] == 1
    assert h1["missing_counts"] == 0  # count_every = "månad" replaces the rolling rule
    assert h1["invalid_rows"] == 0 and h1["duplicate_rows"] == 0
    assert controls["T2"]["metrics"]["revenue_at_risk"] > 0
    assert [i["dataset"] for i in controls["H1"]["inputs"]] == ["kassabok", "kassarakningar"]
