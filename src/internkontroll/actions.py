"""Actions (åtgärder) from the plan and from bedomning.toml, gathered per control and worded for
Bilaga 1's Åtgärd cell and the action plan.

A plan action names its control with ``control = "K4"``; a person's action is written under the
control in bedomning.toml (``[[controls.K4.action]]``). Both carry owner, due date, status and a
log of återrapporteringar; lateness is judged at the results' ``as_of``, never the clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from internkontroll.models import Action, ActionFields
from internkontroll.swedish import DateStyle, day_text


@dataclass(frozen=True)
class Linked:
    """An action and where it came from: the plan, or the assessment of a control."""

    action: ActionFields
    control: str | None
    risk: str | None
    from_assessment: bool


def person_actions(entry: Mapping[str, Any]) -> list[ActionFields]:
    """The validated actions of one bedomning.toml entry (validation names file and line)."""
    return [ActionFields.model_validate(a) for a in entry.get("action", []) or []]


def all_actions(
    plan_actions: list[Action],
    people: Mapping[str, Mapping[str, Any]],
    control_ids: list[str],
    risk_of: Mapping[str, str],
) -> list[Linked]:
    """The plan's actions, then each control's actions from bedomning.toml, in plan order."""
    linked = [Linked(a, a.control, a.risk, False) for a in plan_actions]
    for cid in control_ids:
        for action in person_actions(people.get(cid, {})):
            linked.append(Linked(action, cid, risk_of.get(cid), True))
    return linked


def for_control(linked: list[Linked], control_id: str) -> list[ActionFields]:
    return [item.action for item in linked if item.control == control_id]


def status_text(action: ActionFields, as_of: date) -> str:
    late = " – FÖRSENAD" if action.overdue(as_of) else ""
    return f"{action.status}{late}" if action.status else late.removeprefix(" – ")


def cell_text(action: ActionFields, as_of: date, style: DateStyle) -> str:
    """One action as Bilaga 1's Åtgärd cell shows it: the text, then ansvarig, klart senast and
    status on one line."""
    details = []
    if action.owner:
        details.append(f"Ansvarig: {action.owner}.")
    if action.due is not None:
        details.append(f"Klart senast: {day_text(action.due, style)}.")
    status = status_text(action, as_of)
    if status:
        details.append(f"Status: {status}.")
    return "\n".join(part for part in (action.action.strip(), " ".join(details)) if part)


def log_text(action: ActionFields, as_of: date, style: DateStyle) -> str:
    """The newest återrapportering at ``as_of``: "Senast 3 mars 2025: Rutinen är remitterad."."""
    entry = action.latest(as_of)
    if entry is None:
        return ""
    return f"Senast {day_text(entry.date, style)}: {entry.text.strip()}"
