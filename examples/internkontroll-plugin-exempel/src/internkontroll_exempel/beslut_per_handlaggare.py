"""Antal beslut per handläggare under kontrollens period, och vilka som har fler än en gräns.

Varje rad med beslutsdatum i perioden räknas på sin handläggare. En rad utan handläggare eller
beslutsdatum räknas inte men listas som datakvalitetsfel: ingenting försvinner tyst.
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from internkontroll.checks import Check, ControlContext
from internkontroll.datasets import Row
from internkontroll.metrics import Metric
from internkontroll.outcome import Finding, Outcome, ReportTable
from internkontroll.values import FieldType


class BeslutPerHandlaggareParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_beslut: int | None = Field(default=None, ge=1)
    """Fler beslut än så för en handläggare under perioden är en avvikelse; inget värde = ingen
    gräns."""


class BeslutPerHandlaggare(Check[BeslutPerHandlaggareParams]):
    name = "beslut_per_handlaggare"
    title = "Antal beslut per handläggare"
    version = "0.1.0"
    Params = BeslutPerHandlaggareParams
    fields: ClassVar[dict[str, FieldType]] = {
        "decision_id": "text",
        "officer": "text",
        "decided": "date",
    }
    key_field = "decision_id"
    metrics: ClassVar[tuple[Metric, ...]] = (
        Metric("beslut", "beslut under perioden", "antal"),
        Metric("handlaggare", "handläggare med beslut", "antal"),
        Metric("max_per_handlaggare", "flest beslut för en handläggare", "antal"),
        Metric("over_grans", "handläggare över gränsen", "antal"),
    )

    def __init__(self, params: BeslutPerHandlaggareParams, context: ControlContext) -> None:
        super().__init__(params, context)
        self.per_officer: Counter[str] = Counter()

    def feed(self, row: Row) -> None:
        decided, officer = row["decided"], row["officer"]
        if decided is None:
            self.reject(row, "beslutsdatum saknas")
        elif not officer:
            self.reject(row, "handläggare saknas")
        elif self.start <= decided <= self.end:
            self.per_officer[officer] += 1

    def outcome(self) -> Outcome:
        ranked = sorted(self.per_officer.items(), key=lambda item: (-item[1], item[0]))
        limit = self.params.max_beslut
        over = [(officer, n) for officer, n in ranked if limit is not None and n > limit]
        for officer, n in over:
            self.findings.append(
                Finding(reference=officer, description=f"{n} beslut, fler än gränsen {limit}")
            )
        total, most = sum(self.per_officer.values()), ranked[0][1] if ranked else 0
        text = f"{total} beslut fördelade på {len(ranked)} handläggare; som mest {most} per person."
        if limit is not None:
            text += f" {len(over)} handläggare hade fler än {limit} beslut."
        return Outcome(
            metrics={
                "beslut": total,
                "handlaggare": len(ranked),
                "max_per_handlaggare": most,
                "over_grans": len(over),
            },
            result_text=text,
            findings=self.findings,
            tables={
                "per_handlaggare": ReportTable(
                    title="Beslut per handläggare",
                    columns=["Handläggare", "Beslut"],
                    rows=[[officer, n] for officer, n in ranked],
                )
            },
        )
