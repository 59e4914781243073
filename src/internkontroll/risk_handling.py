"""Warnings about how risks are handled: a risk the plan says is met by a control must have one.

A warning, not an error: a plan in draft may name the handling before the control is written, and
the plan document can still be made. ``validate`` shows it with file and line.
"""

from __future__ import annotations

from internkontroll.models import Plan
from internkontroll.tomlsource import TomlSource


def handling_warnings(plan: Plan) -> list[str]:
    """One line per risk with handling "kontroll" that no control refers to."""
    controlled = {c.risk for c in plan.controls}
    text = plan.source.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
    source = TomlSource(text)
    warnings = []
    for index, risk in enumerate(plan.risks):
        if risk.handling == "kontroll" and risk.id not in controlled:
            line = source.line_for(("risk", index, "handling"))
            where = f"{plan.source.name}:{line}" if line else plan.source.name
            warnings.append(
                f"{where}: risk {risk.id}: hanteringen är kontroll men ingen kontroll har "
                f'risk = "{risk.id}"; lägg till en [[control]] eller ändra handling '
                "(atgard, accepteras, bevakas)"
            )
    return warnings
