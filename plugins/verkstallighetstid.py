"""Verkställighetstid: days from beslut to verkställighet, per group (e.g. SoL and LSS)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from internkontroll import hookimpl
from internkontroll.checks import Check
from internkontroll.datasets import Row
from internkontroll.daystats import DayHistogram
from internkontroll.models import Outcome
from internkontroll.swedish import join, round_half_up
from internkontroll.values import FieldType

MISSING_GROUP = "(uppgift saknas)"


class VerkstallighetstidParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    group_by: str | None = "law"
    """The field that splits the figures, e.g. ``law`` for SoL and LSS; none for one figure."""
    groups: list[str] = []
    """Groups to report, in this order (e.g. ["SoL", "LSS"]); empty means all, sorted."""


def days_phrase(days: float) -> str:
    whole = int(round_half_up(days))
    return f"{whole} dag" if whole == 1 else f"{whole} dagar"


class Verkstallighetstid(Check[VerkstallighetstidParams]):
    name = "verkstallighetstid"
    title = "Verkställighetstid"
    version = "0.1.0"
    Params = VerkstallighetstidParams
    fields: ClassVar[dict[str, FieldType]] = {
        "decision_id": "text",
        "decided": "date",
        "executed": "date",
    }
    key_field = "decision_id"

    @classmethod
    def needed_fields(cls, params: Any) -> dict[str, FieldType]:
        needed = dict(cls.fields)
        if params.group_by:
            needed[params.group_by] = "text"
        return needed

    def __init__(self, params: VerkstallighetstidParams, context: Any) -> None:
        super().__init__(params, context)
        self.histograms: dict[str, DayHistogram] = {}
        self.in_period = 0
        self.not_executed = 0

    def _group(self, row: Row) -> str:
        if not self.params.group_by:
            return ""
        return str(row[self.params.group_by] or MISSING_GROUP)

    def feed(self, row: Row) -> None:
        decided, executed = row["decided"], row["executed"]
        if decided is None:
            self.reject(row, "beslutsdatum saknas")
            return
        if not self.context.period.contains(decided):
            return
        if executed is not None and executed < decided:
            self.reject(row, f"verkställighetsdatum {executed} ligger före beslutsdatum {decided}")
            return
        self.in_period += 1
        group = self._group(row)
        if self.params.groups and group not in self.params.groups:
            return
        histogram = self.histograms.setdefault(group, DayHistogram())
        if executed is None:
            self.not_executed += 1
            return
        histogram.add((executed - decided).days)

    def _ordered_groups(self) -> list[str]:
        return list(self.params.groups) or sorted(self.histograms)

    def outcome(self) -> Outcome:
        metrics: dict[str, float | int] = {"not_executed": self.not_executed}
        overall = DayHistogram()
        for histogram in self.histograms.values():
            overall.merge(histogram)
        metrics.update(overall.metrics(""))
        phrases = []
        for group in self._ordered_groups():
            histogram = self.histograms.get(group, DayHistogram())
            if self.params.group_by:
                metrics.update(histogram.metrics(group))
            if histogram.n:
                phrases.append((group, days_phrase(histogram.mean())))
        return Outcome(
            metrics=metrics,
            result_text=self._sentence(phrases, overall),
            population=self.in_period,
        )

    def _sentence(self, phrases: list[tuple[str, str]], overall: DayHistogram) -> str:
        period = self.context.period
        if not overall.n:
            return f"Inga verkställda beslut fattades under perioden {period.label()}."
        if not self.params.group_by:
            return (
                f"Granskningen visade att den genomsnittliga verkställighetstiden är "
                f"{days_phrase(overall.mean())}."
            )
        parts = [f"verkställighetstiden {group} är {days}" for group, days in phrases]
        return f"Granskningen visade att den genomsnittliga {join(parts)}."


@hookimpl
def register_checks(register: Callable[[type[Any]], None]) -> None:
    register(Verkstallighetstid)
