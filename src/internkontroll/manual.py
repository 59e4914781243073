"""Manual controls and controls awaiting a person's assessment, and where each control stands.

Most of a nämnd's plan is manual: "APT minst sex gånger per år" has no export. Such a control is
"ej bedömd" until a person assesses it in bedomning.toml, or fills its checklist; until then it
counts as not carried out, with that reason, but it is not a failed run: it is waiting.

Status through the year follows from what exists: planerad (nothing yet), pågår (a run or a
checklist exists, or a person has started writing, but no assessment), genomförd (judged by the
criteria or by a person).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from internkontroll.assessment import Assessment
from internkontroll.checklist import (
    ChecklistIncomplete,
    checklist_outcome,
    read_checklist,
)
from internkontroll.criteria import judge, missing_detail
from internkontroll.engine import ControlResult, InputRecord, file_sha256
from internkontroll.models import Control, Plan
from internkontroll.privacy import PersonnummerLeak, leak_in, redact
from internkontroll.worksheets import WorksheetError

if TYPE_CHECKING:
    from internkontroll.report import ResultsFolder

PLANNED, IN_PROGRESS, DONE = "planerad", "pagar", "genomford"
STATUS_LABELS = {PLANNED: "Planerad", IN_PROGRESS: "Pågår", DONE: "Genomförd"}
NOT_ASSESSED = "Ej bedömd"


def _waiting(control: Control, status: str, reason: str, **more: Any) -> ControlResult:
    return ControlResult(
        control, Assessment.EJ_GENOMFORD, reason, awaiting=True, status=status, **more
    )


def manual_result(plan: Plan, control: Control) -> ControlResult:
    """A manual control's result: its checklist's figures when filled, otherwise waiting."""
    if not control.items:
        return _waiting(control, PLANNED, "Manuell kontroll som bedöms av ansvarig.")
    if control.worksheet is None or not plan.resolve(control.worksheet).is_file():
        return _waiting(control, PLANNED, "Checklistan är inte ifylld ännu.")
    path = plan.resolve(control.worksheet)
    record = InputRecord("checklista", control.worksheet, file_sha256(path), 0)
    try:
        answers = read_checklist(path, control.items)
    except ChecklistIncomplete as exc:
        return _waiting(control, IN_PROGRESS, f"{exc}.", inputs=[record])
    except WorksheetError as exc:
        return ControlResult(
            control,
            Assessment.EJ_GENOMFORD,
            f"Kontrollen kunde inte genomföras: {exc}",
            inputs=[record],
            status=IN_PROGRESS,
        )
    record.rows = len(answers)
    outcome = checklist_outcome(answers)
    leak = leak_in(outcome)
    if leak is not None:
        reason = redact(str(PersonnummerLeak(f"kontroll {control.id}: {leak}")))
        return ControlResult(
            control,
            Assessment.EJ_GENOMFORD,
            f"Kontrollen kunde inte genomföras: {reason}",
            inputs=[record],
            status=IN_PROGRESS,
        )
    if control.criteria is None:
        return _waiting(
            control,
            IN_PROGRESS,
            "Checklistan är ifylld; ansvarig bedömer kontrollen i bedomning.toml.",
            outcome=outcome,
            inputs=[record],
        )
    assessment, reason = judge(control.criteria, outcome.metrics)
    detail = missing_detail(control.criteria, outcome.metrics)
    return ControlResult(
        control, assessment, reason, outcome, [record], status=DONE, detail=detail
    )


def hints(plan: Plan) -> list[str]:
    """What to do next for manual controls whose checklist is not there yet (for the terminal)."""
    found = []
    for control in plan.controls:
        if not control.manual or not control.items:
            continue
        target = control.worksheet or f"granskning/{control.id}.xlsx"
        if control.worksheet is not None and plan.resolve(control.worksheet).is_file():
            continue
        here = os.path.relpath(plan.source.parent / target)
        step = (
            f"internkontroll checklist {os.path.relpath(plan.source)} --control {control.id} "
            f"--out {here}"
        )
        if control.worksheet is None:
            step += f' och ange worksheet = "{target}" under kontrollen i planen'
        found.append(f"{control.id}: skriv checklistan med {step}")
    return found


def status(result: dict[str, Any], entry: dict[str, Any]) -> str:
    """Where a control stands, from its stored result and what a person wrote."""
    written = entry.get("assessment")
    if isinstance(written, str) and written.strip():
        return DONE
    stored = result.get("status")
    if stored not in STATUS_LABELS:  # results written before statuses were recorded
        stored = IN_PROGRESS if result.get("assessment") == "ej_genomford" else DONE
    started = any(
        isinstance(entry.get(key), str) and entry[key].strip()
        for key in ("result", "motivation", "analysis")
    )
    if stored == PLANNED and started:
        return IN_PROGRESS
    return str(stored)


def awaiting(result: dict[str, Any], entry: dict[str, Any]) -> bool:
    """True when the control waits for a person's assessment and none is written yet."""
    written = entry.get("assessment")
    has_person = isinstance(written, str) and bool(written.strip())
    return bool(result.get("awaiting_assessment")) and not has_person


def not_carried_out(folder: ResultsFolder, ran: set[str]) -> tuple[list[str], list[str]]:
    """Of the controls in ``ran``: those not carried out (exit 3), and those only waiting for a
    person's assessment, which a delår run legitimately has and which do not fail a run."""
    from internkontroll.report import effective_assessment

    failed: list[str] = []
    waiting: list[str] = []
    # folder.results are in Bilaga 1's order (by risk); a list of ids reads in the plan's.
    order = {control_id: index for index, control_id in enumerate(folder.controls)}
    in_plan_order = sorted(folder.results, key=lambda r: order.get(r["id"], len(order)))
    for result in in_plan_order:
        if result["id"] not in ran:
            continue
        entry = folder.people.get(result["id"], {})
        if awaiting(result, entry):
            waiting.append(result["id"])
        elif effective_assessment(result, entry) is Assessment.EJ_GENOMFORD:
            failed.append(result["id"])
    return failed, waiting
