"""Bilaga 1 from a results folder: computed figures, with people's words where they wrote them.

A report reads only the results folder (resultat.json, the plan snapshot and bedomning.toml), so
the annual report can be remade from an archived folder years later.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from internkontroll import bedomning
from internkontroll.assessment import Assessment
from internkontroll.errors import DatasetError
from internkontroll.models import Control, Period, PlanHeader, Risk
from internkontroll.results import PLAN_SNAPSHOT, RESULTS

BILAGA1_COLUMNS = [
    "Identifierad risk",
    "Riskbeskrivning",
    "Kontroll",
    "Bedömning",
    "Resultat",
    "Åtgärd",
]


@dataclass
class Bilaga1Row:
    risk: str
    risk_description: str
    control: str
    assessment: str
    result: str
    action: str

    def cells(self) -> list[str]:
        return [
            self.risk,
            self.risk_description,
            self.control,
            self.assessment,
            self.result,
            self.action,
        ]


@dataclass
class ResultsFolder:
    """What a report needs from a results folder."""

    header: PlanHeader
    risks: dict[str, Risk]
    controls: dict[str, Control]
    results: list[dict[str, Any]]
    people: dict[str, dict[str, Any]]

    def period(self, control: Control) -> Period | None:
        return control.period or self.header.period


def load_results(folder: Path) -> ResultsFolder:
    results_file = folder / RESULTS
    if not results_file.is_file():
        raise DatasetError(
            f"{results_file} finns inte; kör först internkontroll run PLAN --out {folder}"
        )
    try:
        document = json.loads(results_file.read_text(encoding="utf-8"))
        plan = tomllib.loads((folder / PLAN_SNAPSHOT).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{folder}: resultatmappen kan inte läsas ({exc})") from None
    try:
        people = bedomning.read(folder)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{folder / bedomning.FILENAME} är inte giltig TOML: {exc}") from None
    return ResultsFolder(
        header=PlanHeader.model_validate(plan["plan"]),
        risks={r["id"]: Risk.model_validate(r) for r in plan.get("risk", [])},
        controls={c["id"]: Control.model_validate(c) for c in plan.get("control", [])},
        results=document["controls"],
        people=people,
    )


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def effective_assessment(result: dict[str, Any], entry: dict[str, Any]) -> Assessment:
    """The person's assessment where they wrote one, otherwise the computed one."""
    return bedomning.person_assessment(entry) or Assessment(result["assessment"])


def bilaga1_rows(folder: ResultsFolder) -> list[Bilaga1Row]:
    rows: list[Bilaga1Row] = []
    previous_risk: str | None = None
    for result in folder.results:
        control = folder.controls.get(result["id"])
        risk = folder.risks.get(result["risk"])
        entry = folder.people.get(result["id"], {})
        assessment = effective_assessment(result, entry)
        first_of_risk = result["risk"] != previous_risk
        previous_risk = result["risk"]
        title = control.title if control else result["id"]
        description = control.description if control else ""
        rows.append(
            Bilaga1Row(
                risk=risk.title if risk and first_of_risk else "",
                risk_description=risk.description if risk and first_of_risk else "",
                control=_paragraphs(title, description),
                assessment=assessment.label,
                result=_result_text(folder, control, result, entry, assessment),
                action=_text(entry, "actions"),
            )
        )
    return rows


def _result_text(
    folder: ResultsFolder,
    control: Control | None,
    result: dict[str, Any],
    entry: dict[str, Any],
    assessment: Assessment,
) -> str:
    written = _text(entry, "result")
    if written:
        computed = written
    else:
        how = ""
        if control is not None:
            period = folder.period(control)
            span = (
                f" under perioden {period.start:%Y-%m-%d}–{period.end:%Y-%m-%d}" if period else ""
            )
            method = f" {control.method.rstrip('.')}." if control.method else ""
            owner = f" Granskningen genomfördes av {control.owner}." if control.owner else ""
            how = f"Kontrollen avser {control.title.lower()}{span}.{method}{owner}"
        computed = _paragraphs(how, result.get("result_text", ""))
        if assessment is Assessment.EJ_GENOMFORD or not result.get("result_text"):
            computed = _paragraphs(computed, result.get("reason", ""))
    verdict = (
        "Kontrollpunkten har inte genomförts."
        if assessment is Assessment.EJ_GENOMFORD
        else f"Bedömningen är att kontrollpunkten är genomförd {assessment.phrase}."
    )
    return _paragraphs(computed, _text(entry, "motivation"), _text(entry, "analysis"), verdict)
