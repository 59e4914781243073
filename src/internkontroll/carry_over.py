"""Carry-over: what a year's results hand to next year's plan, as TOML to paste.

Open actions (with their log) and the controls judged med or försumbar anmärkning as proposed
controls, each with a comment saying where it came from. Given next year's plan, risks and
datasets it already has are not repeated, so the text appended to it validates.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from internkontroll.actions import all_actions
from internkontroll.assessment import Assessment
from internkontroll.errors import DatasetError
from internkontroll.planfile import _toml_syntax_problem
from internkontroll.report import ResultsFolder, effective_assessment
from internkontroll.result_folder import os_error_text
from internkontroll.results import PLAN_SNAPSHOT, read_results_file
from internkontroll.utf8_text import utf8_problem

CARRIED = (Assessment.MED_ANMARKNING, Assessment.FORSUMBAR_ANMARKNING)


def _table(key: str, body: dict[str, Any]) -> str:
    return tomli_w.dumps({key: [body]})


def _plan_data(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"planen kan inte läsas: {os_error_text(exc)}") from None
    not_utf8 = utf8_problem(raw)
    if not_utf8 is not None:
        raise DatasetError(f"{path}:{not_utf8[0]}: {not_utf8[1]}")
    text = raw.decode("utf-8").removeprefix("\ufeff")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DatasetError(str(_toml_syntax_problem(path, exc, text))) from None


def carry_over(folder: Path, results: ResultsFolder, year: int, next_plan: Path | None) -> str:
    """The TOML for ``year``'s plan from the results in ``folder``."""
    if year <= results.header.year:
        raise DatasetError(
            f"--year {year}: åtgärderna förs över till ett senare år än resultatens "
            f"({results.header.year} i {folder}); väntade t.ex. --year {results.header.year + 1}"
        )
    old = _plan_data(folder / PLAN_SNAPSHOT)
    source_plan = Path(str(read_results_file(folder)["plan"].get("path", "")))
    target = _plan_data(next_plan) if next_plan is not None else {}
    planned = target.get("plan", {}).get("year") if isinstance(target.get("plan"), dict) else None
    if next_plan is not None and isinstance(planned, int) and planned != year:
        raise DatasetError(f"--year {year}, men planen {next_plan} gäller år {planned}")
    have_risks = {r.get("id") for r in target.get("risk", [])}
    have_datasets = set(target.get("datasets", {}))
    have_controls = {c.get("id") for c in target.get("control", [])}
    origin = f"{results.header.title} ({results.header.organisation})".replace(" ()", "")
    parts = [
        f"# Överfört från {origin} till {year} ({folder}, per {results.looks_from()}).\n"
        "# Klistra in i nästa års plan och se över varje del.\n"
    ]
    carried: list[dict[str, Any]] = []
    for result in results.results:
        assessment = effective_assessment(result, results.people.get(result["id"], {}))
        raw = next((c for c in old.get("control", []) if c.get("id") == result["id"]), None)
        if assessment in CARRIED and raw is not None and raw["id"] not in have_controls:
            carried.append(raw)
    needed_risks = {c["risk"] for c in carried} - have_risks
    for risk in old.get("risk", []):
        if risk.get("id") in needed_risks:
            parts.append(f"# Risken {risk['id']}, som de överförda kontrollerna hör till.\n")
            parts.append(_table("risk", risk))
    needed = {
        name
        for c in carried
        for name in ([c["dataset"]] if isinstance(c["dataset"], str) else c["dataset"].values())
    }
    for name, spec in old.get("datasets", {}).items():
        if name in needed and name not in have_datasets:
            spec = dict(spec)
            spec["path"] = _relocated(spec["path"], source_plan, next_plan)
            parts.append(f"# Datamängden {name}: byt till exporten för {year}.\n")
            parts.append(tomli_w.dumps({"datasets": {name: spec}}))
    for raw in carried:
        control = {k: v for k, v in raw.items() if k != "period"}  # next year's period
        if isinstance(control.get("sample"), dict):
            control["sample"] = {k: v for k, v in control["sample"].items() if k != "worksheet"}
        result = next(r for r in results.results if r["id"] == raw["id"])
        judged = effective_assessment(result, results.people.get(raw["id"], {})).label.lower()
        parts.append(f"# Föreslagen kontroll: {raw['id']} bedömdes {judged} i {origin}.\n")
        parts.append(_table("control", control))
    kept_controls = have_controls | {c["id"] for c in carried}
    kept_risks = have_risks | {c["risk"] for c in carried}
    ids = [r["id"] for r in results.results]
    risk_of = {r["id"]: r["risk"] for r in results.results}
    for item in all_actions(results.actions, results.people, ids, risk_of):
        if not item.action.is_open():
            continue
        body = item.action.model_dump(exclude_defaults=True, mode="python")
        where = "bedömningen" if item.from_assessment else "planen"
        note = [f"# Öppen åtgärd från {where} i {origin}"]
        if item.control:
            note.append(f"kontroll {item.control}")
        if item.control in kept_controls:
            body["control"] = item.control
        if item.risk in kept_risks:
            body["risk"] = item.risk
        if not body.get("activity"):
            linked = results.controls.get(item.control or "")
            body["activity"] = linked.title if linked else "Överförd åtgärd"
        parts.append(", ".join(note) + ".\n")
        parts.append(_table("action", body))
    return "\n".join(parts)


def _relocated(path: str, source_plan: Path, next_plan: Path | None) -> str:
    """A dataset path relative to next year's plan, when both plans are known."""
    if next_plan is None or not source_plan.name:
        return path
    absolute = (source_plan.parent / path).resolve()
    return Path(os.path.relpath(absolute, next_plan.resolve().parent)).as_posix()
