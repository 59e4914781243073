"""The register: every year's and every nämnd's results folder in one SQLite database.

``publish`` reads a results folder (resultat.json, the plan snapshot, bedomning.toml and the
findings CSVs; never any code) and writes it as rows keyed by organisation and year. Publishing is
idempotent: the same folder twice changes nothing, a newer run of the same organisation and year
replaces that year's rows in one transaction, and other years and organisations are never touched.
Every text passes the personnummer guard before it is written.
"""

from __future__ import annotations

import csv
import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from internkontroll import human_assessment
from internkontroll.cell_safety import from_csv
from internkontroll.errors import DatasetError
from internkontroll.manifest import manifest_differences
from internkontroll.overview import BodyResults, ControlLine, from_folder
from internkontroll.privacy import PersonnummerLeak, guard
from internkontroll.report import ResultsFolder, effective_assessment, load_results
from internkontroll.results import RESULTS, read_results_file
from internkontroll.trend import RiskYear

SCHEMA = """
CREATE TABLE IF NOT EXISTS plans (
    id TEXT PRIMARY KEY, organisation TEXT NOT NULL, year INTEGER NOT NULL, title TEXT,
    plan_sha256 TEXT, as_of TEXT, generated_at TEXT, tool_version TEXT, digest TEXT NOT NULL,
    UNIQUE (organisation, year)
);
CREATE TABLE IF NOT EXISTS risks (
    id TEXT PRIMARY KEY, plan TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    organisation TEXT NOT NULL, year INTEGER NOT NULL, risk TEXT NOT NULL, title TEXT,
    description TEXT, likelihood INTEGER, impact INTEGER, score INTEGER, level TEXT,
    handling TEXT
);
CREATE TABLE IF NOT EXISTS controls (
    id TEXT PRIMARY KEY, plan TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    organisation TEXT NOT NULL, year INTEGER NOT NULL, control TEXT NOT NULL,
    risk_id TEXT REFERENCES risks(id), risk TEXT, title TEXT, "check" TEXT, method TEXT,
    frequency TEXT, owner TEXT
);
CREATE TABLE IF NOT EXISTS results (
    control_id TEXT PRIMARY KEY REFERENCES controls(id) ON DELETE CASCADE,
    organisation TEXT NOT NULL, year INTEGER NOT NULL, control TEXT NOT NULL,
    computed_assessment TEXT, human_assessment TEXT, assessment TEXT NOT NULL,
    assessment_label TEXT, reason TEXT, result_text TEXT, population INTEGER,
    overview_assessment TEXT, report_result TEXT, report_action TEXT
);
CREATE TABLE IF NOT EXISTS metrics (
    control_id TEXT NOT NULL REFERENCES controls(id) ON DELETE CASCADE,
    organisation TEXT NOT NULL, year INTEGER NOT NULL, control TEXT NOT NULL,
    metric TEXT NOT NULL, value REAL, label TEXT, unit TEXT,
    PRIMARY KEY (control_id, metric)
);
CREATE TABLE IF NOT EXISTS findings (
    control_id TEXT NOT NULL REFERENCES controls(id) ON DELETE CASCADE,
    n INTEGER NOT NULL, organisation TEXT NOT NULL, year INTEGER NOT NULL,
    control TEXT NOT NULL, reference TEXT, "row" INTEGER, kind TEXT, description TEXT,
    amount TEXT, PRIMARY KEY (control_id, n)
);
CREATE TABLE IF NOT EXISTS actions (
    id TEXT PRIMARY KEY, plan TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    organisation TEXT NOT NULL, year INTEGER NOT NULL, action_id TEXT, activity TEXT,
    action TEXT, status TEXT, owner TEXT, due TEXT, follow_up TEXT, risk TEXT,
    control TEXT, latest_log TEXT
);
CREATE TABLE IF NOT EXISTS action_log (
    action TEXT NOT NULL REFERENCES actions(id) ON DELETE CASCADE, n INTEGER NOT NULL,
    date TEXT, text TEXT, PRIMARY KEY (action, n)
);
CREATE TABLE IF NOT EXISTS inputs (
    control_id TEXT NOT NULL REFERENCES controls(id) ON DELETE CASCADE, n INTEGER NOT NULL,
    dataset TEXT, path TEXT, sha256 TEXT, "rows" INTEGER, PRIMARY KEY (control_id, n)
);
CREATE INDEX IF NOT EXISTS risks_plan ON risks(plan);
CREATE INDEX IF NOT EXISTS risks_org_risk ON risks(organisation, risk, year);
CREATE INDEX IF NOT EXISTS controls_plan ON controls(plan);
CREATE INDEX IF NOT EXISTS results_assessment ON results(assessment, organisation, year);
CREATE INDEX IF NOT EXISTS metrics_metric ON metrics(organisation, control, metric, year);
CREATE INDEX IF NOT EXISTS actions_plan ON actions(plan);
CREATE INDEX IF NOT EXISTS actions_status ON actions(status);

CREATE VIEW IF NOT EXISTS kontroller_med_anmarkning AS
    SELECT r.organisation AS organisation, r.year AS år, r.control AS kontroll,
        c.title AS titel, c.risk AS risk, r.assessment AS bedömning, r.result_text AS resultat
    FROM results r JOIN controls c ON c.id = r.control_id
    WHERE r.assessment = 'med_anmarkning'
    ORDER BY r.organisation, r.year, r.control;
CREATE VIEW IF NOT EXISTS risker_som_stigit AS
    SELECT now.organisation AS organisation, now.risk AS risk, now.title AS titel,
        before.year AS "från år", before.score AS "riskvärde före",
        now.year AS "till år", now.score AS "riskvärde nu"
    FROM risks now JOIN risks before
        ON before.organisation = now.organisation AND before.risk = now.risk
        AND before.year = (SELECT max(year) FROM risks p
            WHERE p.organisation = now.organisation AND p.risk = now.risk AND p.year < now.year)
    WHERE now.score > before.score
    ORDER BY now.organisation, now.year, now.risk;
CREATE VIEW IF NOT EXISTS atgarder_oppna AS
    SELECT a.organisation AS organisation, a.year AS år, a.action_id AS id,
        a.activity AS aktivitet, a.action AS åtgärd, a.status AS status, a.owner AS ansvarig,
        a.due AS "klart senast", p.as_of AS "per",
        CASE WHEN a.due IS NOT NULL AND a.due <> '' AND a.due < p.as_of THEN 'försenad'
             ELSE 'öppen' END AS läge
    FROM actions a JOIN plans p ON p.id = a.plan
    WHERE lower(coalesce(a.status, '')) NOT IN ('klar', 'genomförd', 'avslutad', 'slutförd')
    ORDER BY a.organisation, a.year, a.id;
CREATE VIEW IF NOT EXISTS matt_over_aren AS
    SELECT organisation, control AS kontroll, metric AS mått, label AS beskrivning,
        unit AS enhet, year AS år, value AS värde
    FROM metrics ORDER BY organisation, control, metric, year;
"""

TABLES = ("plans", "risks", "controls", "results", "metrics", "findings", "actions",
          "action_log", "inputs")  # fmt: skip


@dataclass(frozen=True)
class Published:
    """What one publish did: the plan's key and whether anything changed."""

    plan: str
    changed: bool
    rows: dict[str, int]


def open_register(path: Path) -> sqlite_utils.Database:
    """The register database with its tables, indexes and views (created when missing)."""
    try:
        db = sqlite_utils.Database(path)
        db.execute("PRAGMA foreign_keys = ON")
        db.conn.executescript(SCHEMA)
    except sqlite3.Error as exc:
        raise DatasetError(f"{path}: registret kan inte öppnas ({exc})") from None
    return db


def folder_digest(folder: Path) -> str:
    """What identifies a published folder's content: its results and people's assessments."""
    digest = hashlib.sha256()
    for name in (RESULTS, "bedomning.toml"):
        path = folder / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def publish(folder: Path, db_path: Path) -> Published:
    """Write one results folder into the register, replacing that organisation's year."""
    results = load_results(folder)
    header = results.header
    plan_key = f"{header.organisation}/{header.year}"
    document = read_results_file(folder)
    changed = manifest_differences(folder, document)
    if changed:
        raise DatasetError(
            f"{folder} publiceras inte, filerna stämmer inte med manifestet i {RESULTS}: "
            + "; ".join(changed)
        )
    digest = folder_digest(folder)
    db = open_register(db_path)
    stored = list(db.query("SELECT digest, generated_at FROM plans WHERE id = ?", [plan_key]))
    if stored and stored[0]["digest"] == digest:
        return Published(plan_key, False, _counts(db, plan_key))
    generated = str(document.get("generated_at") or "")
    if stored and generated and str(stored[0]["generated_at"] or "") > generated:
        raise DatasetError(
            f"{folder}: registret har redan en senare körning för {header.organisation} "
            f"{header.year} ({stored[0]['generated_at']}); en äldre skrivs inte över den"
        )
    try:
        rows = _rows(folder, results, document, plan_key, digest)
    except PersonnummerLeak as leak:
        raise DatasetError(f"{leak}; inget skrevs till registret") from None
    with db.conn:
        db.execute("DELETE FROM plans WHERE id = ?", [plan_key])
        for table in TABLES:
            if rows[table]:
                db.table(table).insert_all(rows[table])
    return Published(plan_key, True, _counts(db, plan_key))


OF_PLAN = "(SELECT id FROM {} WHERE plan = ?)"


def _counts(db: sqlite_utils.Database, plan_key: str) -> dict[str, int]:
    counts = {}
    for table in TABLES:
        if table == "plans":
            sql = "SELECT count(*) FROM plans WHERE id = ?"
        elif table in ("risks", "controls", "actions"):
            sql = f"SELECT count(*) FROM {table} WHERE plan = ?"
        elif table == "action_log":
            sql = "SELECT count(*) FROM action_log WHERE action IN " + OF_PLAN.format("actions")
        else:
            sql = f"SELECT count(*) FROM {table} WHERE control_id IN " + OF_PLAN.format("controls")
        counts[table] = db.execute(sql, [plan_key]).fetchone()[0]
    return counts


def _safe(value: Any, where: str) -> Any:
    """Text goes through the personnummer guard; numbers and None as they are."""
    if isinstance(value, str):
        return guard(value, where)
    return value


def _rows(
    folder: Path, results: ResultsFolder, document: dict[str, Any], plan_key: str, digest: str
) -> dict[str, list[dict[str, Any]]]:
    header = results.header
    org, year = header.organisation, header.year
    base = {"organisation": org, "year": year}
    where = f"registret ({folder})"
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    rows["plans"].append(
        {
            "id": plan_key,
            **base,
            "title": header.title,
            "plan_sha256": document["plan"].get("sha256"),
            "as_of": str(results.as_of or results.period_end),
            "generated_at": document.get("generated_at"),
            "tool_version": (document.get("tool") or {}).get("version"),
            "digest": digest,
        }
    )
    for risk in results.risks.values():
        rows["risks"].append(
            {
                "id": f"{plan_key}/{risk.id}",
                "plan": plan_key,
                **base,
                "risk": risk.id,
                "title": risk.title,
                "description": risk.description,
                "likelihood": risk.likelihood,
                "impact": risk.impact,
                "score": risk.score,
                "level": results.scale.level_for(risk.score).name,
                "handling": str(getattr(risk, "handling", "") or ""),
            }
        )
    for control in results.controls.values():
        rows["controls"].append(
            {
                "id": f"{plan_key}/{control.id}",
                "plan": plan_key,
                **base,
                "control": control.id,
                "risk_id": f"{plan_key}/{control.risk}" if control.risk in results.risks else None,
                "risk": control.risk,
                "title": control.title,
                "check": control.check,
                "method": control.method,
                "frequency": str(control.frequency or ""),
                "owner": control.owner,
            }
        )
    known = set(results.controls)
    lines = {line.control_id: line for line in from_folder(results).controls}
    for result in results.results:
        if result["id"] not in known:
            continue
        rows_for_result(rows, folder, results, result, plan_key, base)
        line = lines[result["id"]]
        rows["results"][-1].update(
            assessment=line.assessment,  # as the reports count it, "ej_bedomd" included
            overview_assessment=line.assessment,
            report_result=line.result,
            report_action=line.action,
        )
    for n, action in enumerate(_all_actions(results), start=1):
        key = f"{plan_key}/{n}"
        log = action.pop("log", [])
        latest = log[-1] if log else None
        rows["actions"].append(
            {"id": key, "plan": plan_key, **base, **action,
             "latest_log": f"{latest['date']}: {latest['text']}" if latest else None}
        )  # fmt: skip
        for i, entry in enumerate(log, start=1):
            rows["action_log"].append(
                {"action": key, "n": i, "date": str(entry["date"]), "text": entry["text"]}
            )
    return {
        table: [{k: _safe(v, f"{where}, tabell {table}") for k, v in row.items()} for row in items]
        for table, items in rows.items()
    }


def rows_for_result(
    rows: dict[str, list[dict[str, Any]]],
    folder: Path,
    results: ResultsFolder,
    result: dict[str, Any],
    plan_key: str,
    base: dict[str, Any],
) -> None:
    """One control's result, metrics, findings and inputs."""
    control_id = result["id"]
    key = f"{plan_key}/{control_id}"
    entry = results.people.get(control_id, {})
    person = human_assessment.person_assessment(entry)
    rows["results"].append(
        {
            "control_id": key,
            **base,
            "control": control_id,
            "computed_assessment": result["assessment"],
            "human_assessment": person.value if person else None,
            "assessment": effective_assessment(result, entry).value,
            "assessment_label": str(entry.get("assessment_label") or "") or None,
            "reason": result.get("reason"),
            "result_text": str(entry.get("result") or "") or result.get("result_text"),
            "population": result.get("population"),
        }
    )
    labels = result.get("metric_labels") or {}
    for metric, value in sorted((result.get("metrics") or {}).items()):
        label = labels.get(metric) or {}
        rows["metrics"].append(
            {
                "control_id": key,
                **base,
                "control": control_id,
                "metric": metric,
                "value": value,
                "label": label.get("label"),
                "unit": label.get("unit"),
            }
        )
    for n, finding in enumerate(_findings(folder, control_id), start=1):
        rows["findings"].append({"control_id": key, "n": n, **base, "control": control_id,
                                 **finding})  # fmt: skip
    for n, source in enumerate(result.get("inputs") or [], start=1):
        rows["inputs"].append(
            {
                "control_id": key,
                "n": n,
                "dataset": source.get("dataset"),
                "path": source.get("path"),
                "sha256": source.get("sha256"),
                "rows": source.get("rows"),
            }
        )


FINDING_COLUMNS = {"referens": "reference", "rad": "row", "typ": "kind",
                   "beskrivning": "description", "belopp": "amount"}  # fmt: skip


def _findings(folder: Path, control_id: str) -> Iterator[dict[str, Any]]:
    """The rows of avvikelser/ID.csv as the results folder wrote them (streamed); the
    apostrophe that keeps formula-like text from running in Excel is taken away again."""
    path = folder / "avvikelser" / f"{control_id}.csv"
    if not path.is_file():
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle, delimiter=";"):
            finding: dict[str, Any] = {
                key: from_csv(record.get(column) or "") for column, key in FINDING_COLUMNS.items()
            }
            finding["row"] = int(finding["row"]) if finding["row"].isdigit() else None
            yield finding


def _all_actions(results: ResultsFolder) -> list[dict[str, Any]]:
    """The plan's actions and those people wrote in bedomning.toml, as register rows."""
    found: list[dict[str, Any]] = []
    for action in results.actions:
        data = action.model_dump(mode="json")
        found.append(
            {
                "action_id": data.get("id") or None,
                "activity": data.get("activity"),
                "action": data.get("action"),
                "status": data.get("status"),
                "owner": data.get("owner"),
                "due": data.get("due"),
                "follow_up": data.get("follow_up"),
                "risk": data.get("risk"),
                "control": data.get("control"),
                "log": [
                    {"date": entry.get("date"), "text": entry.get("text")}
                    for entry in data.get("log") or []
                ],
            }
        )
    return found


def bodies(db_path: Path, year: int) -> list[BodyResults]:
    """Every nämnd's results for ``year`` as the overview reads them (kommunstyrelsen's view)."""
    db = _existing(db_path)
    found = []
    for plan in db.query(
        "SELECT id, organisation, year FROM plans WHERE year = ? ORDER BY organisation", [year]
    ):
        lines = [
            ControlLine(
                control_id=row["control"],
                title=row["title"] or row["control"],
                risk=row["risk_title"] or row["risk"] or "",
                assessment=row["overview_assessment"],
                result=row["report_result"] or "",
                action=row["report_action"] or "",
            )
            for row in db.query(
                "SELECT c.control, c.title, c.risk, k.title AS risk_title, "
                "r.overview_assessment, r.report_result, r.report_action "
                "FROM controls c JOIN results r ON r.control_id = c.id "
                "LEFT JOIN risks k ON k.id = c.risk_id WHERE c.plan = ? ORDER BY c.rowid",
                [plan["id"]],
            )
        ]
        found.append(BodyResults(plan["organisation"], plan["year"], lines))
    if not found:
        raise DatasetError(f"{db_path}: registret har inga resultat för {year}")
    return found


def risk_years(db_path: Path, year: int | None = None) -> list[RiskYear]:
    """Every risk of every nämnd and year (up to ``year``), with its controls' assessments."""
    db = _existing(db_path)
    rows = []
    limit = "" if year is None else "WHERE k.year <= ?"
    params: list[Any] = [] if year is None else [year]
    for risk in db.query(
        "SELECT k.id, k.organisation, k.year, k.risk, k.title, k.score, k.level FROM risks k "
        f"{limit} ORDER BY k.organisation, k.risk, k.year",
        params,
    ):
        controls = tuple(
            (row["control"], row["overview_assessment"])
            for row in db.query(
                "SELECT c.control, r.overview_assessment FROM controls c "
                "JOIN results r ON r.control_id = c.id WHERE c.risk_id = ? ORDER BY c.rowid",
                [risk["id"]],
            )
        )
        rows.append(
            RiskYear(
                risk["organisation"],
                risk["year"],
                risk["risk"],
                risk["title"] or "",
                risk["score"],
                risk["level"] or "",
                controls,
            )
        )
    if not rows:
        raise DatasetError(f"{db_path}: registret har inga risker")
    return rows


def _existing(db_path: Path) -> sqlite_utils.Database:
    if not db_path.is_file():
        raise DatasetError(f"{db_path} finns inte; skapa registret med internkontroll publish")
    return open_register(db_path)
