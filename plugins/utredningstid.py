"""Utredningstid: days from ansökan to beslut, per group and optionally per half-year or quarter."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from internkontroll import hookimpl
from internkontroll.checks import Check, ControlContext
from internkontroll.datasets import Row
from internkontroll.daystats import DayHistogram
from internkontroll.grouping import OUTSIDE_GROUPS, GroupNames, OutsideGroups
from internkontroll.hookspecs import RegisterCheck
from internkontroll.metrics import Metric
from internkontroll.outcome import Outcome
from internkontroll.periods import Split, part_of, split_period
from internkontroll.row_filters import RowSelection, selection_sentence
from internkontroll.swedish import days, join
from internkontroll.values import FieldType


class UtredningstidParams(RowSelection, BaseModel):
    model_config = ConfigDict(extra="forbid")

    group_by: str | None = "law"
    """The field that splits the figures, e.g. ``law``; none for one figure."""
    groups: list[str] = []
    """Groups to report, in this order; empty means all, sorted."""
    split: Split | None = None
    """"halvår" or "kvartal": the same figures per calendar part of the period."""


class Utredningstid(Check[UtredningstidParams]):
    name = "utredningstid"
    title = "Utredningstid"
    version = "0.2.0"
    Params = UtredningstidParams
    fields: ClassVar[dict[str, FieldType]] = {
        "decision_id": "text",
        "applied": "date",
        "decided": "date",
    }
    key_field = "decision_id"
    metrics: ClassVar[tuple[Metric, ...]] = (
        Metric("excluded", "beslut som undantagits", "antal"),
        *DayHistogram.declare(p90=True),
        *DayHistogram.declare("{group}", "{group}: ", p90=True),
        *DayHistogram.declare("{group}.{part}", "{group} {part}: ", p90=True),
        OUTSIDE_GROUPS,
    )

    @classmethod
    def needed_fields(cls, params: Any) -> dict[str, FieldType]:
        needed = dict(cls.fields)
        for name in [params.group_by, *params.selection_fields()]:
            if name:
                needed[name] = "text"
        return needed

    def __init__(self, params: UtredningstidParams, context: ControlContext) -> None:
        super().__init__(params, context)
        self.parts = split_period(context.period, params.split) if params.split else []
        self.histograms: dict[tuple[str, str], DayHistogram] = {}
        self.in_period = 0
        self.excluded = 0
        self.group_names = GroupNames(params.groups, closed=True)
        self.outside = OutsideGroups(params.group_by or "", params.groups)

    def feed(self, row: Row) -> None:
        applied, decided = row["applied"], row["decided"]
        if decided is None:
            self.reject(row, "beslutsdatum saknas")
            return
        if not self.start <= decided <= self.end:
            return
        if applied is None:
            self.reject(row, "ansökningsdatum saknas")
            return
        if decided < applied:
            self.reject(row, f"beslutsdatum {decided} ligger före ansökningsdatum {applied}")
            return
        self.in_period += 1
        if not self.params.admits(row):
            self.excluded += 1
            return
        group = ""
        if self.params.group_by:
            value = row[self.params.group_by] or "(uppgift saknas)"
            named = self.group_names.name(value)
            if named is None:
                self.findings.append(self.outside.note(self.reference(row), row.number, value))
                return
            group = named
        waited = (decided - applied).days
        self.histograms.setdefault((group, ""), DayHistogram()).add(waited)
        part = part_of(decided, self.parts) if self.parts else None
        if part is not None:
            self.histograms.setdefault((group, part), DayHistogram()).add(waited)

    def _groups(self) -> list[str]:
        return list(self.params.groups) or sorted({g for g, _ in self.histograms})

    def outcome(self) -> Outcome:
        overall = DayHistogram()
        metrics: dict[str, float | int] = {"excluded": self.excluded}
        if self.params.groups:
            metrics["outside_groups"] = self.outside.count
        for (_, part), histogram in self.histograms.items():
            if part == "":
                overall.merge(histogram)
        metrics.update(overall.metrics("", p90=True))
        for group in self._groups():
            for part in ["", *(name for name, _ in self.parts)]:
                histogram = self.histograms.get((group, part), DayHistogram())
                prefix = ".".join(p for p in (group, part) if p)
                if prefix:
                    metrics.update(histogram.metrics(prefix, p90=True))
        return Outcome(metrics=metrics, result_text=self._sentence(), population=self.in_period)

    def _figures(self, part: str) -> list[tuple[str, str]]:
        """(group, mean days) for the groups with decisions in ``part`` ("" is the whole)."""
        figures = []
        for group in self._groups():
            histogram = self.histograms.get((group, part))
            if histogram and histogram.n:
                figures.append((group, days(histogram.mean())))
        return figures

    def _sentence(self) -> str:
        whole = self._figures("")
        if not whole:
            return f"Inga beslut fattades under perioden {self.context.span()}."
        if self.parts:
            spans = [
                (
                    self.context.span(span),
                    join([f"{g} {d}".strip() for g, d in self._figures(name)]),
                )
                for name, span in self.parts
            ]
            spans = [(label, figures) for label, figures in spans if figures]
            (label, figures), *rest = spans
            text = (
                f"Granskningen visade att den genomsnittliga utredningstiden under perioden "
                f"{label} var {figures}"
                + "".join(f", och under perioden {lbl} {fig}" for lbl, fig in rest)
                + "."
            )
        else:
            parts = [f"utredningstiden {g} är {d}".replace("  ", " ") for g, d in whole]
            text = f"Granskningen visade att den genomsnittliga {join(parts)}."
        exclusion = selection_sentence(self.params)
        outside = self.outside.sentence("beslut", "beslut", self.context.min_group_size)
        return " ".join(part for part in (text, exclusion, outside) if part)


@hookimpl
def register_checks(register: RegisterCheck) -> None:
    register(Utredningstid)
