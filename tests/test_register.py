"""The register: publishing results folders into SQLite, its views, and Datasette's pages.

Expected row counts are taken from the folders themselves (resultat.json, the plan snapshot and
the findings CSVs), not from the register's own code.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import json
import shutil
import sqlite3
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from internkontroll.cli import cli
from internkontroll.errors import DatasetError
from internkontroll.register import publish
from internkontroll.register_browse import PLUGINS_DIR, QUERIES, metadata

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "controls" / "exempel"


def _run(plan: Path, out: Path) -> Path:
    result = CliRunner().invoke(cli, ["run", str(plan), "--out", str(out)])
    assert result.exit_code in (0, 3), result.output
    return out


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("register")
    vard_2024 = _run(DEMO / "plan.toml", base / "vard-2024")
    vard_2025 = _run(DEMO / "plan-2025.toml", base / "vard-2025")
    social_2024 = _as_other_organisation(vard_2024, base / "social-2024", "Socialnämnden")
    return {"vard-2024": vard_2024, "vard-2025": vard_2025, "social-2024": social_2024}


def _as_other_organisation(folder: Path, target: Path, organisation: str) -> Path:
    """A second nämnd: the same results under another organisation's name."""
    shutil.copytree(folder, target)
    for name in ("resultat.json", "plan.toml"):
        path = target / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Vård- och omsorgsnämnden", organisation), encoding="utf-8")
    return _reseal(target)


def _reseal(folder: Path, name: str = "plan.toml") -> Path:
    """Record an edited file in the manifest: a consistent folder of its own."""
    document_path = folder / "resultat.json"
    document = json.loads(document_path.read_text(encoding="utf-8"))
    document["manifest"][name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    document_path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return folder


def _expected(folder: Path) -> dict[str, int]:
    document = json.loads((folder / "resultat.json").read_text(encoding="utf-8"))
    plan = tomllib.loads((folder / "plan.toml").read_text(encoding="utf-8"))
    known = {c["id"] for c in plan.get("control", [])}
    controls = [c for c in document["controls"] if c["id"] in known]
    findings = 0
    for path in (folder / "avvikelser").glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            findings += sum(1 for _ in csv.DictReader(handle, delimiter=";"))
    return {
        "plans": 1,
        "risks": len(plan.get("risk", [])),
        "controls": len(plan.get("control", [])),
        "results": len(controls),
        "metrics": sum(len(c["metrics"]) for c in controls),
        "findings": findings,
        "actions": len(plan.get("action", [])),
        "inputs": sum(len(c["inputs"]) for c in controls),
    }


def _dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return list(connection.iterdump())


def _query(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, params).fetchall()


def test_publishing_gives_the_folders_rows(folders: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "register.db"
    for folder in folders.values():
        done = publish(folder, db)
        expected = _expected(folder)
        assert done.changed
        assert {k: v for k, v in done.rows.items() if k in expected} == expected
    assert _query(db, "SELECT count(*) FROM plans") == [(3,)]
    totals = {name: sum(_expected(f)[name] for f in folders.values()) for name in ("metrics",)}
    assert _query(db, "SELECT count(*) FROM metrics") == [(totals["metrics"],)]


def test_publishing_again_changes_nothing(folders: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "register.db"
    for folder in folders.values():
        publish(folder, db)
    before = _dump(db)
    again = [publish(folder, db) for folder in folders.values()]
    assert not any(done.changed for done in again)
    assert _dump(db) == before


def test_a_newer_run_replaces_only_its_year(folders: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "register.db"
    for folder in folders.values():
        publish(folder, db)
    others = _query(db, "SELECT * FROM results WHERE organisation = 'Socialnämnden' ORDER BY 1")
    newer = tmp_path / "vard-2024-ny"
    shutil.copytree(folders["vard-2024"], newer)
    document = json.loads((newer / "resultat.json").read_text(encoding="utf-8"))
    document["generated_at"] = "2099-01-01T00:00:00+00:00"
    (newer / "resultat.json").write_text(json.dumps(document), encoding="utf-8")
    bedomning = newer / "bedomning.toml"
    text = bedomning.read_text(encoding="utf-8")
    assert text.index("[controls.K1]") < text.index('assessment = ""')  # K1 comes first
    bedomning.write_text(
        text.replace('assessment = ""', 'assessment = "med_anmarkning"', 1), encoding="utf-8"
    )
    assert publish(newer, db).changed
    rows = _query(
        db,
        "SELECT human_assessment, assessment FROM results "
        "WHERE organisation = 'Vård- och omsorgsnämnden' AND year = 2024 AND control = 'K1'",
    )
    assert rows == [("med_anmarkning", "med_anmarkning")]
    assert _query(db, "SELECT count(*) FROM plans") == [(3,)]
    assert (
        _query(db, "SELECT * FROM results WHERE organisation = 'Socialnämnden' ORDER BY 1")
        == others
    )
    with pytest.raises(DatasetError, match="senare körning"):
        publish(folders["vard-2024"], db)


def test_views(folders: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "register.db"
    for folder in folders.values():
        publish(folder, db)
    flagged = _query(db, "SELECT organisation, år, kontroll FROM kontroller_med_anmarkning")
    assert ("Vård- och omsorgsnämnden", 2024, "K4") in flagged
    assert ("Socialnämnden", 2024, "K4") in flagged
    assert all(row[2] != "K1" for row in flagged if row[1] == 2024)
    # A risk whose score rose: the same risk a year later with a higher likelihood.
    later = tmp_path / "vard-2025-R1"
    shutil.copytree(folders["vard-2024"], later)
    for name in ("resultat.json", "plan.toml"):
        path = later / name
        text = path.read_text(encoding="utf-8")
        text = text.replace('"year": 2024', '"year": 2025').replace("year = 2024", "year = 2025")
        path.write_text(text, encoding="utf-8")
    plan = tomllib.loads((later / "plan.toml").read_text(encoding="utf-8"))
    old_score = plan["risk"][0]["likelihood"] * plan["risk"][0]["impact"]
    text = (later / "plan.toml").read_text(encoding="utf-8")
    likelihood = f"likelihood = {plan['risk'][0]['likelihood']}"
    (later / "plan.toml").write_text(
        text.replace(likelihood, "likelihood = 4", 1), encoding="utf-8"
    )
    publish(_reseal(later), db)
    risen = _query(db, 'SELECT risk, "riskvärde före", "riskvärde nu" FROM risker_som_stigit')
    assert risen == [("R1", old_score, 4 * plan["risk"][0]["impact"])]
    opened = _query(db, "SELECT år, åtgärd, läge FROM atgarder_oppna WHERE organisation = ?",
                    "Vård- och omsorgsnämnden")  # fmt: skip
    demo_actions = tomllib.loads((DEMO / "plan.toml").read_text(encoding="utf-8")).get("action", [])
    done = {"klar", "genomförd", "avslutad", "slutförd"}
    open_2024 = [a for a in demo_actions if a.get("status", "").lower() not in done]
    assert len([row for row in opened if row[0] == 2024]) == len(open_2024)
    over_years = _query(
        db,
        "SELECT år, värde FROM matt_over_aren WHERE organisation = ? AND kontroll = 'K1' "
        "AND mått = 'SoL.mean_days' ORDER BY år",
        "Vård- och omsorgsnämnden",
    )
    assert [year for year, _ in over_years] == [2024, 2025]


def test_a_personnummer_never_enters(folders: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "lacka"
    shutil.copytree(folders["vard-2024"], folder)
    path = folder / "avvikelser" / "K2.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines.append("K2;19121212–1212;5;avvikelse;ett personnummer;")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "register.db"
    with pytest.raises(DatasetError, match="personnummer") as caught:
        publish(_reseal(folder, "avvikelser/K2.csv"), db)
    assert "1212" not in str(caught.value)
    assert _query(db, "SELECT count(*) FROM plans") == [(0,)]


def test_cli_publish_and_missing_folder(folders: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "register.db"
    runner = CliRunner()
    first = runner.invoke(cli, ["publish", str(folders["vard-2024"]), "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert "Publicerade Vård- och omsorgsnämnden/2024" in first.output
    again = runner.invoke(cli, ["publish", str(folders["vard-2024"]), "--db", str(db)])
    assert "Oförändrat i registret" in again.output
    missing = runner.invoke(cli, ["publish", str(tmp_path / "finns-inte"), "--db", str(db)])
    assert missing.exit_code == 1
    assert "finns inte" in missing.output


def test_publish_refuses_a_folder_that_fails_its_manifest(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    folder = shutil.copytree(folders["vard-2024"], tmp_path / "andrad")
    findings = sorted((folder / "avvikelser").glob("*.csv"))[0]
    findings.write_text(findings.read_text(encoding="utf-8-sig") + "\n", encoding="utf-8")
    name = f"avvikelser/{findings.name}"
    db = tmp_path / "register.db"
    verified = CliRunner().invoke(cli, ["verify", str(folder)])
    assert f"{name} har ändrats" in verified.output
    refused = CliRunner().invoke(cli, ["publish", str(folder), "--db", str(db)])
    assert refused.exit_code == 1
    assert f"{name} har ändrats" in refused.output
    assert "publiceras inte" in refused.output
    assert not db.exists() or _query(db, "SELECT count(*) FROM plans") == [(0,)]


def test_datasette_pages(folders: dict[str, Path], tmp_path: Path) -> None:
    datasette_app = pytest.importorskip("datasette.app")
    db = tmp_path / "register.db"
    for folder in folders.values():
        publish(folder, db)
    ds = datasette_app.Datasette([str(db)], metadata=metadata(db), plugins_dir=str(PLUGINS_DIR))

    async def pages() -> dict[str, Any]:
        got = {}
        for name in QUERIES:
            params = "?kontroll=K1&matt=SoL.mean_days" if name == "matt_over_aren" else ""
            got[name] = await ds.client.get(
                f"/register/{name}.json{params}&_shape=array"
                if params
                else f"/register/{name}.json?_shape=array"
            )
        got["faceted"] = await ds.client.get("/register/results?_facet=assessment")
        return got

    got = asyncio.run(pages())
    for name in QUERIES:
        assert got[name].status_code == 200, name
    flagged = got["med_anmarkning"].json()
    assert {(row["organisation"], row["kontroll"]) for row in flagged} >= {
        ("Vård- och omsorgsnämnden", "K4"),
        ("Socialnämnden", "K4"),
    }
    assert [row["år"] for row in got["matt_over_aren"].json()].count(2024) == 2
    page = got["faceted"].text
    assert got["faceted"].status_code == 200
    assert "Resultat" in page and "med_anmarkning" in page
    assert "#ffc7ce" in page  # the assessment colour from the plugin


def _report(args: list[str]) -> str:
    result = CliRunner().invoke(cli, ["report", *args, "--format", "md"])
    assert result.exit_code == 0, result.output
    return result.output


def test_overview_and_trend_from_the_register_equal_the_folders(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    db = tmp_path / "register.db"
    for folder in folders.values():
        publish(folder, db)
    # The register lists nämnder alphabetically; the folders are given in that order.
    in_2024 = [str(folders["social-2024"]), str(folders["vard-2024"])]
    from_folders = _report([*in_2024, "--table", "sammanstallning"])
    from_register = _report(["--db", str(db), "--year", "2024", "--table", "sammanstallning"])
    assert from_register == from_folders
    assert "| Socialnämnden" in from_register and "| Totalt" in from_register
    every = [str(f) for f in folders.values()]
    trend_folders = _report([*every, "--table", "trend"])
    trend_register = _report(["--db", str(db), "--table", "trend"])
    assert trend_register == trend_folders
    assert "Riskerna över åren" in trend_register
    assert "| 2024 |" in trend_register and "| 2025 |" in trend_register
    for fmt in ("docx", "xlsx", "html", "csv", "txt"):
        out = tmp_path / f"trend.{fmt}"
        result = CliRunner().invoke(
            cli, ["report", "--db", str(db), "--table", "trend", "--output", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0


def test_report_from_the_register_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["report", "--db", str(tmp_path / "x.db"), "--table", "trend"])
    assert missing.exit_code == 1 and "finns inte" in missing.output
    no_year = runner.invoke(cli, ["report", "--db", "x.db", "--table", "sammanstallning"])
    assert no_year.exit_code == 1 and "--year" in no_year.output
    wrong = runner.invoke(cli, ["report", "--db", "x.db", "--table", "bilaga1"])
    assert wrong.exit_code == 1 and "sammanstallning eller trend" in wrong.output
