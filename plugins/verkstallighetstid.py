"""Verkställighetstid: days from beslut to verkställighet, the three-month rule and the IVO list.

A decision is late when it was verkställd after the date three calendar months after the beslut
(beslut 2024-01-31: in time up to and including 2024-04-30), or is not verkställd at the period's
end and that end is past the three-month date. What counts as verkställd, the first day of the
insats (``executed``) or the date it was offered (``offered``), is a parameter: IVO's guidance
allows both readings.

The IVO worksheet lists, per calendar quarter of the period, each SoL or LSS decision that had
waited past its three-month date without being verkställd before the quarter began: case id,
insats, lagrum, beslutsdatum, days waited and kön (from the personnummer's ninth digit; the number
itself is never kept). Beside it, counts by insats and kön for the nämnd and the revisorer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from internkontroll import hookimpl
from internkontroll.checks import Check, ControlContext
from internkontroll.datasets import Row
from internkontroll.daystats import DayHistogram
from internkontroll.hookspecs import RegisterCheck
from internkontroll.metrics import Metric
from internkontroll.outcome import Cell, Finding, Outcome, ReportTable
from internkontroll.periods import add_months, quarters
from internkontroll.privacy import sex_from_personnummer
from internkontroll.row_filters import RowSelection, selection_sentence
from internkontroll.spill import SpillList
from internkontroll.swedish import days, join, people_count
from internkontroll.values import FieldType

MISSING_GROUP = "(uppgift saknas)"
DEADLINE_MONTHS = 3


class VerkstallighetstidParams(RowSelection, BaseModel):
    model_config = ConfigDict(extra="forbid")

    group_by: str | None = "law"
    """The field that splits the figures, e.g. ``law`` for SoL and LSS; none for one figure."""
    groups: list[str] = []
    """Groups to report, in this order (e.g. ["SoL", "LSS"]); empty means all, sorted."""
    verkstalld: Literal["executed", "offered"] = "executed"
    """The field whose date counts as verkställd: first day of the insats, or the date offered."""
    ivo_laws: list[str] = ["SoL", "LSS"]
    """Laws whose late decisions are reported to IVO (by the ``law`` field, when mapped)."""


@dataclass(slots=True)
class LateDecision:
    """What the IVO list needs of one late decision: no personnummer, only the derived kön."""

    decision_id: str
    service: str
    legal_basis: str
    decided: date
    deadline: date
    verkstalld: date | None
    sex: str


SEX_WORDS = {"K": "Kvinna", "M": "Man", None: "Okänt"}


class Verkstallighetstid(Check[VerkstallighetstidParams]):
    name = "verkstallighetstid"
    title = "Verkställighetstid"
    version = "0.2.0"
    Params = VerkstallighetstidParams
    fields: ClassVar[dict[str, FieldType]] = {
        "decision_id": "text",
        "decided": "date",
        "executed": "date",
    }
    key_field = "decision_id"
    metrics: ClassVar[tuple[Metric, ...]] = (
        Metric("not_executed", "beslut som inte verkställts", "antal"),
        Metric("excluded", "beslut som undantagits", "antal"),
        Metric("over_3_months", "beslut ej verkställda inom tre månader", "antal"),
        *DayHistogram.declare(),
        *DayHistogram.declare("{group}", "{group}: "),
        Metric("{group}.over_3_months", "{group}: ej verkställda inom tre månader", "antal"),
    )

    @classmethod
    def needed_fields(cls, params: Any) -> dict[str, FieldType]:
        needed: dict[str, FieldType] = {"decision_id": "text", "decided": "date"}
        needed[params.verkstalld] = "date"
        for name in [params.group_by, *params.selection_fields()]:
            if name:
                needed[name] = "text"
        return needed

    @classmethod
    def optional_fields(cls, params: Any) -> dict[str, FieldType]:
        return {"law": "text", "service": "text", "legal_basis": "text", "person_id": "text"}

    def __init__(self, params: VerkstallighetstidParams, context: ControlContext) -> None:
        super().__init__(params, context)
        self.histograms: dict[str, DayHistogram] = {}
        self.late: Counter[str] = Counter()
        self.in_period = 0
        self.not_executed = 0
        self.excluded = 0
        self.quarters = quarters(context.period)
        self.ivo: SpillList[LateDecision] = SpillList()

    def _group(self, row: Row) -> str:
        if not self.params.group_by:
            return ""
        return str(row[self.params.group_by] or MISSING_GROUP)

    def feed(self, row: Row) -> None:
        decided, done = row["decided"], row[self.params.verkstalld]
        if decided is None:
            self.reject(row, "beslutsdatum saknas")
            return
        if done is not None and done < decided:
            self.reject(row, f"verkställighetsdatum {done} ligger före beslutsdatum {decided}")
            return
        if not self.params.admits(row):
            self.excluded += 1
            return
        deadline = add_months(decided, DEADLINE_MONTHS)
        late = done > deadline if done is not None else self.end > deadline
        if late:
            self._note_for_ivo(row, decided, deadline, done)
        if not self.start <= decided <= self.end:
            return
        self.in_period += 1
        group = self._group(row)
        if self.params.groups and group not in self.params.groups:
            return
        histogram = self.histograms.setdefault(group, DayHistogram())
        if late:
            self.late[group] += 1
            waited = f"verkställt {done}" if done else f"ej verkställt {self.end}"
            self.findings.append(
                Finding(
                    reference=self.reference(row),
                    row=row.number,
                    description=f"beslut {decided}, {waited}: efter tremånadersgränsen {deadline}",
                )
            )
        if done is None:
            self.not_executed += 1
            return
        histogram.add((done - decided).days)

    def _note_for_ivo(self, row: Row, decided: date, deadline: date, done: date | None) -> None:
        law = row["law"]
        if law is not None and str(law) not in self.params.ivo_laws:
            return
        if deadline >= self.context.period.end or (done and done < self.context.period.start):
            return
        person = row["person_id"]
        self.ivo.append(
            LateDecision(
                decision_id=str(row["decision_id"]),
                service=str(row["service"] or ""),
                legal_basis=str(row["legal_basis"] or law or ""),
                decided=decided,
                deadline=deadline,
                verkstalld=done,
                sex=SEX_WORDS[sex_from_personnummer(str(person)) if person else None],
            )
        )

    def _ordered_groups(self) -> list[str]:
        return list(self.params.groups) or sorted(self.histograms)

    def outcome(self) -> Outcome:
        metrics: dict[str, float | int] = {
            "not_executed": self.not_executed,
            "excluded": self.excluded,
            "over_3_months": sum(self.late.values()),
        }
        overall = DayHistogram()
        for histogram in self.histograms.values():
            overall.merge(histogram)
        metrics.update(overall.metrics(""))
        phrases = []
        for group in self._ordered_groups():
            histogram = self.histograms.get(group, DayHistogram())
            if self.params.group_by:
                metrics.update(histogram.metrics(group))
                metrics[f"{group}.over_3_months"] = self.late[group]
            if histogram.n:
                phrases.append((group, days(histogram.mean())))
        report, summary = self._ivo_tables()
        return Outcome(
            metrics=metrics,
            findings=self.findings,
            result_text=self._sentence(phrases, overall, int(metrics["over_3_months"])),
            population=self.in_period,
            tables={"ivo_rapportering": report, "ivo_sammanstallning": summary},
        )

    def _ivo_tables(self) -> tuple[ReportTable, ReportTable]:
        rows: SpillList[list[Cell]] = SpillList()
        counts: Counter[tuple[str, str, str]] = Counter()
        for label, quarter in self.quarters:
            for item in self.ivo:
                reportable = item.deadline < quarter.end and (
                    item.verkstalld is None or item.verkstalld >= quarter.start
                )
                if not reportable:
                    continue
                until = (
                    item.verkstalld
                    if item.verkstalld and item.verkstalld <= quarter.end
                    else quarter.end
                )
                rows.append(
                    [
                        label,
                        item.decision_id,
                        item.service,
                        item.legal_basis,
                        item.decided.isoformat(),
                        item.verkstalld.isoformat() if item.verkstalld else "",
                        (until - item.decided).days,
                        item.sex,
                    ]
                )
                counts[(label, item.service, item.sex)] += 1
        report = ReportTable(
            title="Ej verkställda beslut att rapportera till IVO",
            columns=[
                "Kvartal",
                "Ärende-id",
                "Insats",
                "Lagrum",
                "Beslutsdatum",
                "Verkställt",
                "Dagar",
                "Kön",
            ],
            rows=rows,
        )
        smallest = self.context.min_group_size
        summary = ReportTable(
            title="Ej verkställda beslut per kvartal, insats och kön",
            columns=["Kvartal", "Insats", "Kön", "Antal"],
            rows=[
                [q, service, sex, n if n >= smallest else f"färre än {smallest}"]
                for (q, service, sex), n in sorted(counts.items())
            ],
        )
        return report, summary

    def _sentence(self, phrases: list[tuple[str, str]], overall: DayHistogram, late: int) -> str:
        period = self.context.period
        if not overall.n:
            return f"Inga verkställda beslut fattades under perioden {self.context.span(period)}."
        if not self.params.group_by:
            text = (
                f"Granskningen visade att den genomsnittliga verkställighetstiden är "
                f"{days(overall.mean())}."
            )
        else:
            parts = [f"verkställighetstiden {group} är {value}" for group, value in phrases]
            text = f"Granskningen visade att den genomsnittliga {join(parts)}."
        over = people_count(late, self.context.min_group_size, "beslut", "beslut")
        over = over[0].upper() + over[1:]
        text += (
            f" {over} hade inte verkställts inom tre månader."
            if late
            else " Inget beslut hade väntat mer än tre månader på verkställighet."
        )
        return f"{text} {selection_sentence(self.params)}".strip()


@hookimpl
def register_checks(register: RegisterCheck) -> None:
    register(Verkstallighetstid)
