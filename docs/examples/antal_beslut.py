"""Antal beslut enligt en lag under kontrollens period: README:s exempel på en egen kontrolltyp."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel

from internkontroll import hookimpl
from internkontroll.checks import Check, ControlContext
from internkontroll.datasets import Row
from internkontroll.hookspecs import RegisterCheck
from internkontroll.metrics import Metric
from internkontroll.outcome import Outcome
from internkontroll.values import FieldType


class AntalBeslutParams(BaseModel):
    lag: str = "SoL"


class AntalBeslut(Check[AntalBeslutParams]):
    name = "antal_beslut"
    title = "Antal beslut"
    version = "1.0.0"
    Params = AntalBeslutParams
    fields: ClassVar[dict[str, FieldType]] = {
        "decision_id": "text",
        "law": "text",
        "decided": "date",
    }
    key_field = "decision_id"
    metrics: ClassVar[tuple[Metric, ...]] = (Metric("n", "beslut", "antal"),)

    def __init__(self, params: AntalBeslutParams, context: ControlContext) -> None:
        super().__init__(params, context)
        self.count = 0

    def feed(self, row: Row) -> None:
        if row["decided"] is None:
            self.reject(row, "beslutsdatum saknas")  # räknas och listas, försvinner inte
        elif row["law"] == self.params.lag and self.context.period.contains(row["decided"]):
            self.count += 1

    def outcome(self) -> Outcome:
        return Outcome(
            metrics={"n": self.count}, result_text=f"{self.count} beslut enligt {self.params.lag}."
        )


@hookimpl
def register_checks(register: RegisterCheck) -> None:
    register(AntalBeslut)
