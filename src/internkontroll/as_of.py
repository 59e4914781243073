"""The day a run looks from: a delår at 31 August or the year's end.

``run --as-of`` cuts each control's period at that day and records it in resultat.json; reports
and the summary judge lateness and choose their words from it, never from the clock, so a report
remade a year later is the same, byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from internkontroll.errors import DatasetError
from internkontroll.swedish import MONTHS

if TYPE_CHECKING:
    from internkontroll.models import Plan


def recorded(document: dict[str, Any], period_end: date) -> date:
    """The ``as_of`` of a resultat.json; the end of the plan's period for a folder written
    before the key existed."""
    value = document.get("as_of")
    if value is None:
        return period_end
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DatasetError(f"resultat.json: as_of {value!r} är inget datum (ÅÅÅÅ-MM-DD)") from None


def moment_words(as_of: date, period_end: date) -> str:
    """How the summary names the moment: "vid årsbokslutet" at the period's end, otherwise
    "per den 31 augusti 2024"."""
    if as_of >= period_end:
        return "vid årsbokslutet"
    return f"per den {as_of.day} {MONTHS[as_of.month - 1]} {as_of.year}"


def unknown_events(plan: Plan, checks: Mapping[str, Any], only: set[str] | None) -> list[str]:
    """Why ``--as-of`` cannot run a control: its check does not say which of its dates record
    events (``Check.event_fields``), nor does the plan (``events`` of each of its datasets).
    Without that, a date after the day would count as if it had already happened."""
    from internkontroll.models import dataset_roles
    from internkontroll.tomlsource import TomlSource

    try:
        source: TomlSource | None = TomlSource(plan.source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        source = None
    problems = []
    for control in plan.controls:
        if control.check is None or (only is not None and control.id not in only):
            continue
        kind = checks.get(control.check)
        if kind is None or kind.event_fields is not None:
            continue
        for name in dict.fromkeys(dataset_roles(control).values()):
            spec = plan.datasets.get(name)
            if spec is None or spec.events is not None:
                continue
            line = source.line_for(("datasets", name)) if source is not None else None
            where = f"{plan.source}:{line}" if line else str(plan.source)
            problems.append(
                f"{where}: kontroll {control.id}: kontrolltypen {control.check} säger inte "
                "vilka datum som är händelser, så --as-of kan inte avgöra vad som hade hänt den "
                f'dagen; ange events = ["fält", ...] (eller events = []) under [datasets.{name}]'
            )
    return problems


def refuse_mixed(earlier: dict[str, Any] | None, as_of: date, period_end: date) -> None:
    """A run of some controls into a folder judged at another day would mix two moments."""
    if earlier is None:
        return
    before = recorded(earlier, period_end)
    if before != as_of:
        raise DatasetError(
            f"resultatmappen gäller per {before}, körningen per {as_of}; kör alla kontroller "
            "(utan --control) eller använd en egen mapp för delåret"
        )
