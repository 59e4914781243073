"""Beviljad tid: performed hours of personal assistance against the hours granted, per case-month.

Two datasets: the granted hours (``granted``: case, valid from/to, hours per week or per month,
source such as SFB or LSS) and the performed hours (``performed``: case, date, hours).

Proration: a decision counts in a month for the days it is valid in that month and in the
period. Hours per month are multiplied by those days over the month's length (100 hours a month
from 15 March: 100 × 17/31 in March); hours per week by those days over 7. Months of 28 to 31
days are therefore each given their own share.

A case-month is over granted when performed exceeds granted by more than the tolerance, and
under-reported when it falls short by more than the tolerance. Which part of a shortfall is
revenue at risk is decided per decision period: the share of the month's granted hours that
come from decisions paid by Försäkringskassan (``revenue_sources``), so a case on LSS in January
and SFB from April has no revenue at risk in January.

Late time reports: with ``report_deadline_days`` and a ``reported`` date per time report, hours
reported more than that many days after the end of the month worked, or not reported although
that day has passed by the period's end, are counted per beviljandeperiod (the decision valid on
the day worked), with the reimbursement at risk where Försäkringskassan pays.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from internkontroll import hookimpl
from internkontroll.checks import Check, ControlContext
from internkontroll.datasets import Row
from internkontroll.hookspecs import RegisterCheck
from internkontroll.metrics import Metric
from internkontroll.outcome import Finding, Outcome
from internkontroll.row_filters import RowSelection, admitted
from internkontroll.swedish import count_word, number
from internkontroll.values import FieldType

if TYPE_CHECKING:
    from internkontroll.batch import Batch, Mask

Month = tuple[int, int]


class BeviljadTidParams(RowSelection, BaseModel):
    model_config = ConfigDict(extra="forbid")

    tolerance_hours: Decimal = Field(default=Decimal(0), ge=0)
    tolerance_share: Decimal = Field(default=Decimal(0), ge=0, le=1)
    """The tolerance is the larger of these hours and this share of the granted hours."""
    hourly_cost: Decimal | None = None
    """Kronor per hour: the cost of hours performed beyond the decision."""
    hourly_reimbursement: Decimal | None = None
    """Kronor per hour from Försäkringskassan (schablonersättning): the revenue at risk."""
    revenue_sources: list[str] = ["SFB"]
    report_deadline_days: int | None = Field(default=None, ge=0)
    """Days after the end of the month worked by which its time report is due (the ``reported``
    field); none: the rule is off."""
    units: dict[str, list[str]] = {
        "week": ["vecka", "v", "per vecka", "tim/vecka"],
        "month": ["månad", "mån", "per månad", "tim/månad"],
    }


@dataclass(frozen=True)
class Grant:
    case: str
    start: date
    end: date | None
    hours: Decimal
    unit: str
    source: str


def _month_bounds(month: Month) -> tuple[date, date]:
    year, number_ = month
    return date(year, number_, 1), date(year, number_, calendar.monthrange(year, number_)[1])


def _case(value: Any) -> str:
    return str(value or "").strip()


def _no_hours(hours: Decimal | None) -> bool:
    return hours is None or hours < 0


def _role(batch: Batch) -> str:
    """The role of a batch's rows: a batch holds rows of one dataset, so of one role."""
    return batch.role or (batch.row(0).role if len(batch) else "")


def _overlap_days(a_start: date, a_end: date, b_start: date, b_end: date) -> int:
    return max(0, (min(a_end, b_end) - max(a_start, b_start)).days + 1)


def granted_in_month(grant: Grant, month: Month, period_start: date, period_end: date) -> Decimal:
    """The decision's hours for the days it is valid in ``month`` and in the period."""
    first, last = _month_bounds(month)
    days = _overlap_days(
        grant.start, grant.end or date.max, max(first, period_start), min(last, period_end)
    )
    if grant.unit == "week":
        return grant.hours * days / 7
    return grant.hours * days / ((last - first).days + 1)


class BeviljadTid(Check[BeviljadTidParams]):
    name = "beviljad_tid"
    title = "Beviljad och utförd tid"
    version = "0.1.0"
    Params = BeviljadTidParams
    roles = ("granted", "performed")
    fields: ClassVar[dict[str, FieldType]] = {
        "case_id": "text",
        "valid_from": "date",
        "valid_to": "date",
        "hours": "decimal",
        "per": "text",
    }
    # No date of its is blank until an event: a run --as-of a day cuts only the period.
    event_fields: ClassVar[frozenset[str] | None] = frozenset()
    metrics: ClassVar[tuple[Metric, ...]] = (
        Metric("case_months", "ärendemånader", "antal"),
        Metric("over_granted", "ärendemånader med mer utförd tid än beviljat", "antal"),
        Metric("hours_over", "utförd tid utöver beslut", "timmar"),
        Metric("under_reported", "ärendemånader med mindre utförd tid än beviljat", "antal"),
        Metric("hours_under", "beviljad tid som inte utförts", "timmar"),
        Metric("over_granted_rate", "andel ärendemånader över beviljad tid", "andel"),
        Metric("under_reported_rate", "andel ärendemånader under beviljad tid", "andel"),
        Metric("cost_over", "kostnad för tid utöver beslut", "kronor"),
        Metric("revenue_at_risk", "ersättning som riskerar att gå förlorad", "kronor"),
        Metric("excluded", "beslut som undantagits", "antal"),
        Metric("hours_reported_late", "timmar rapporterade efter fristen", "timmar"),
        Metric("hours_not_reported", "timmar som inte rapporterats", "timmar"),
        Metric(
            "late_report_revenue_at_risk",
            "ersättning i risk för sen eller utebliven tidrapport",
            "kronor",
        ),
    )

    @classmethod
    def role_fields(cls, params: Any) -> dict[str, dict[str, FieldType]]:
        performed: dict[str, FieldType] = {"case_id": "text", "date": "date", "hours": "decimal"}
        if params.report_deadline_days is not None:
            performed["reported"] = "date"
        granted = dict(cls.fields)
        for name in params.selection_fields():
            granted.setdefault(name, "text")
        return {"granted": granted, "performed": performed}

    @classmethod
    def optional_fields(cls, params: Any) -> dict[str, FieldType]:
        return {"source": "text"}

    @classmethod
    def label_fields(cls, params: Any) -> dict[str, set[str]]:
        """The unit a grant is quoted with when unknown, and its source in the findings."""
        return {"granted": {"per", "source"}}

    def __init__(self, params: BeviljadTidParams, context: ControlContext) -> None:
        super().__init__(params, context)
        self.unit_of = {w.casefold(): u for u, words in params.units.items() for w in words}
        self.grants: dict[str, list[Grant]] = defaultdict(list)
        self.performed: dict[tuple[str, Month], Decimal] = defaultdict(Decimal)
        self.late_reported: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
        self.excluded = 0
        self.left_out: set[str] = set()  # cases with a decision that include/exclude left out
        self.unreported: dict[tuple[str, date], Decimal] = defaultdict(Decimal)

    def feed(self, row: Row) -> None:
        case = _case(row["case_id"])
        if not case:
            self.reject(row, "ärende-id saknas")
            return
        if row["hours"] is None or row["hours"] < 0:
            self.reject(row, "timmar saknas eller är negativa")
            return
        if row.role == "performed":
            day = row["date"]
            if day is None:
                self.reject(row, "datum saknas")
            elif self.context.period.contains(day):
                self.performed[(case, (day.year, day.month))] += row["hours"]
                if self.params.report_deadline_days is not None:
                    self._note_report(case, day, row["reported"], row["hours"])
            else:
                self.outside_rows += 1
            return
        start, end = row["valid_from"], row["valid_to"]
        if self._unit(row["per"]) is None:
            self.reject(row, self._unknown_unit(row))
        elif start is None:
            self.reject(row, "beslutets startdatum saknas")
        elif end is not None and end < start:
            self.reject(row, _backwards(row))
        elif not self.params.admits(row):
            self.excluded += 1
            self.left_out.add(case)
        else:
            self._grant(row)

    def feed_batch(self, batch: Batch) -> None:
        """``feed`` for many rows of one role: the same tests as masks, the same findings in row
        order, and the hours added in row order (a sum of Decimals is kept as ``feed`` keeps
        it, to the last digit)."""
        if _role(batch) == "performed":
            self._feed_performed(batch)
        else:
            self._feed_granted(batch)

    def _case_checks(self, batch: Batch) -> tuple[Mask, Mask]:
        """Rows without a case, and rows with a case but no hours (or negative ones)."""
        no_case = batch.where("case_id", lambda value: not _case(value))
        return no_case, ~no_case & batch.where("hours", _no_hours)

    def _feed_performed(self, batch: Batch) -> None:
        import numpy as np

        no_case, no_hours = self._case_checks(batch)
        rest = ~no_case & ~no_hours
        no_day = rest & np.isnat(batch.dates("date"))
        counted = rest & batch.between("date", self.start, self.end)
        self.outside_rows += int((rest & ~no_day & ~counted).sum())
        batch.each_where(
            (no_case, lambda row: self.reject(row, "ärende-id saknas")),
            (no_hours, lambda row: self.reject(row, "timmar saknas eller är negativa")),
            (no_day, lambda row: self.reject(row, "datum saknas")),
        )
        if not counted.any():
            return
        cases = batch.mapped("case_id", _case)  # once per distinct value
        months = batch.mapped("date", lambda day: (day.year, day.month) if day else None)
        hours = batch.values("hours")
        performed = self.performed
        for index in np.flatnonzero(counted).tolist():  # in row order, as feed adds them
            performed[(cases[index], months[index])] += hours[index]
        if self.params.report_deadline_days is None:
            return
        due = self._due_dates(batch)
        reported = batch.dates("reported")
        unreported = counted & np.isnat(reported) & (due <= np.datetime64(self.end, "D"))
        late = counted & ~np.isnat(reported) & (reported > due)
        days = batch.values("date")
        for which, target in ((unreported, self.unreported), (late, self.late_reported)):
            for index in np.flatnonzero(which).tolist():
                target[(cases[index], days[index])] += hours[index]

    def _due_dates(self, batch: Batch) -> Any:
        """Each row's due date for its time report: the end of the month worked plus the
        deadline (NaT where the row has no date)."""
        import numpy as np

        assert self.params.report_deadline_days is not None
        after = timedelta(days=self.params.report_deadline_days)

        def due(day: date | None) -> date | None:
            return None if day is None else _month_bounds((day.year, day.month))[1] + after

        return np.array(batch.mapped("date", due), dtype="datetime64[D]")

    def _feed_granted(self, batch: Batch) -> None:
        import numpy as np

        no_case, no_hours = self._case_checks(batch)
        rest = ~no_case & ~no_hours
        no_unit = rest & batch.where("per", lambda value: self._unit(value) is None)
        rest &= ~no_unit
        starts, ends = batch.dates("valid_from"), batch.dates("valid_to")
        no_start = rest & np.isnat(starts)
        backwards = rest & ~no_start & ~np.isnat(ends) & (ends < starts)
        valid = rest & ~no_start & ~backwards
        chosen = valid & admitted(batch, self.params)
        left_out = valid & ~chosen
        self.excluded += int(left_out.sum())
        batch.each_where(
            (no_case, lambda row: self.reject(row, "ärende-id saknas")),
            (no_hours, lambda row: self.reject(row, "timmar saknas eller är negativa")),
            (no_unit, lambda row: self.reject(row, self._unknown_unit(row))),
            (no_start, lambda row: self.reject(row, "beslutets startdatum saknas")),
            (backwards, lambda row: self.reject(row, _backwards(row))),
            (left_out, lambda row: self.left_out.add(_case(row["case_id"]))),
            (chosen, self._grant),
        )

    def _unit(self, per: Any) -> str | None:
        return self.unit_of.get(str(per or "").strip().casefold())

    def _unknown_unit(self, row: Row) -> str:
        known = ", ".join(w for words in self.params.units.values() for w in words)
        return f"okänd tidsenhet {row['per']!r}; väntade {known}"

    def _grant(self, row: Row) -> None:
        """A decision that counts: kept with its case, in row order (which of two decisions
        starting the same day is valid on it depends on that order)."""
        case, unit = _case(row["case_id"]), self._unit(row["per"])
        assert unit is not None
        source = str(row["source"] or "")
        grant = Grant(case, row["valid_from"], row["valid_to"], row["hours"], unit, source)
        self.grants[case].append(grant)

    def merge(self, other: Check[Any]) -> None:
        """Add the state of a check fed the rows that follow this one's. Exact: hours are
        summed as Decimals, which add without rounding below 28 digits, and each case's
        decisions keep their row order."""
        assert isinstance(other, BeviljadTid)
        self.merge_counts(other)
        for case, grants in other.grants.items():
            self.grants[case].extend(grants)
        for mine, theirs in (
            (self.performed, other.performed),
            (self.late_reported, other.late_reported),
            (self.unreported, other.unreported),
        ):
            for key, hours in theirs.items():
                mine[key] += hours  # type: ignore[index]
        self.excluded += other.excluded
        self.left_out |= other.left_out

    def _note_report(self, case: str, day: date, reported: date | None, hours: Decimal) -> None:
        """Hours of a time report sent after its due date, or not sent though due."""
        assert self.params.report_deadline_days is not None
        due = _month_bounds((day.year, day.month))[1] + timedelta(
            days=self.params.report_deadline_days
        )
        if reported is None and due <= self.end:
            self.unreported[(case, day)] += hours
        elif reported is not None and reported > due:
            self.late_reported[(case, day)] += hours

    def _reimbursed(self, grant: Grant) -> bool:
        """Whether Försäkringskassan pays for the decision: its source, read without case."""
        sources = {source.strip().casefold() for source in self.params.revenue_sources}
        return grant.source.casefold() in sources

    def _dropped(self) -> set[str]:
        """Cases whose every decision ``include``/``exclude`` left out: their time goes too."""
        return self.left_out - set(self.grants)

    def _grant_on(self, case: str, day: date) -> Grant | None:
        """The decision valid on ``day``: the latest to start, when periods overlap."""
        valid = [g for g in self.grants.get(case, []) if g.start <= day <= (g.end or date.max)]
        return max(valid, key=lambda g: g.start) if valid else None

    def _late_reports(self, metrics: dict[str, float | int]) -> None:
        """Late and missing time reports per beviljandeperiod, with the reimbursement at risk."""
        p = self.params
        per_period: dict[tuple[str, Grant | None], list[Decimal]] = defaultdict(
            lambda: [Decimal(0), Decimal(0)]
        )
        dropped = self._dropped()
        totals = [Decimal(0), Decimal(0)]
        for which, hours_by_day in enumerate((self.late_reported, self.unreported)):
            for (case, day), hours in hours_by_day.items():
                if case not in dropped:
                    per_period[(case, self._grant_on(case, day))][which] += hours
                    totals[which] += hours
        at_risk = Decimal(0)
        for (case, grant), (late, never) in sorted(
            per_period.items(),
            key=lambda item: (item[0][0], item[0][1].start if item[0][1] else date.min),
        ):
            paid = grant is not None and self._reimbursed(grant)
            lost = None
            if paid:
                at_risk += late + never
                if p.hourly_reimbursement is not None:
                    lost = (late + never) * p.hourly_reimbursement
            span = f"{grant.start}–{grant.end or ''}" if grant else "utan beslut"
            paid_note = f" ({grant.source}, ersätts av Försäkringskassan)" if paid and grant else ""
            self.findings.append(
                Finding(
                    reference=f"{case} {span}",
                    amount=lost,
                    description=(
                        f"beviljandeperiod {span}: {number(late, 1)} h rapporterade efter "
                        f"fristen, {number(never, 1)} h inte rapporterade" + paid_note
                    ),
                )
            )
        metrics["hours_reported_late"] = float(totals[0])
        metrics["hours_not_reported"] = float(totals[1])
        if p.hourly_reimbursement is not None:
            metrics["late_report_revenue_at_risk"] = float(at_risk * p.hourly_reimbursement)

    def _months(self) -> list[Month]:
        period = self.context.period
        months = []
        day = period.start.replace(day=1)
        while day <= period.end:
            months.append((day.year, day.month))
            day = (day + timedelta(days=32)).replace(day=1)
        return months

    def outcome(self) -> Outcome:
        p, period = self.params, self.context.period
        totals: defaultdict[str, int] = defaultdict(int)
        hours_over = hours_under = revenue_hours = Decimal(0)
        cases = sorted((set(self.grants) | {case for case, _ in self.performed}) - self._dropped())
        for case in cases:
            grants = self.grants.get(case, [])
            for month in self._months():
                granted = sum(
                    (granted_in_month(g, month, period.start, period.end) for g in grants),
                    Decimal(0),
                )
                # The month's share paid by Försäkringskassan, by the decisions valid in it.
                paid = sum(
                    (
                        granted_in_month(g, month, period.start, period.end)
                        for g in grants
                        if self._reimbursed(g)
                    ),
                    Decimal(0),
                )
                done = self.performed.get((case, month), Decimal(0))
                if not granted and not done:
                    continue
                totals["case_months"] += 1
                tolerance = max(p.tolerance_hours, p.tolerance_share * granted)
                label = f"{month[0]}-{month[1]:02d}"
                shown = f"utfört {number(done, 1)} h, beviljat {number(granted, 1)} h"
                if done - granted > tolerance:
                    totals["over_granted"] += 1
                    excess = done - granted
                    hours_over += excess
                    cost = excess * p.hourly_cost if p.hourly_cost is not None else None
                    why = "utan beslut" if not grants else f"{number(excess, 1)} h över beslut"
                    self.findings.append(
                        Finding(
                            reference=f"{case} {label}",
                            amount=cost,
                            description=f"{label}: {shown}; {why}",
                        )
                    )
                elif granted - done > tolerance:
                    totals["under_reported"] += 1
                    short = granted - done
                    hours_under += short
                    lost = None
                    revenue = short * paid / granted if granted else Decimal(0)
                    if revenue:
                        revenue_hours += revenue
                        if p.hourly_reimbursement is not None:
                            lost = revenue * p.hourly_reimbursement
                    note = ""
                    if paid == granted and paid:
                        note = " (ersättning från Försäkringskassan)"
                    elif paid:
                        note = f" ({number(revenue, 1)} h med ersättning från Försäkringskassan)"
                    self.findings.append(
                        Finding(
                            reference=f"{case} {label}",
                            amount=lost,
                            description=f"{label}: {shown}; {number(short, 1)} h mindre än beviljat"
                            + note,
                        )
                    )
        metrics: dict[str, float | int] = {
            "case_months": totals["case_months"],
            "excluded": self.excluded,
            "over_granted": totals["over_granted"],
            "hours_over": float(hours_over),
            "under_reported": totals["under_reported"],
            "hours_under": float(hours_under),
        }
        if totals["case_months"]:
            metrics["over_granted_rate"] = totals["over_granted"] / totals["case_months"]
            metrics["under_reported_rate"] = totals["under_reported"] / totals["case_months"]
        if p.hourly_cost is not None:
            metrics["cost_over"] = float(hours_over * p.hourly_cost)
        if p.hourly_reimbursement is not None:
            metrics["revenue_at_risk"] = float(revenue_hours * p.hourly_reimbursement)
        if p.report_deadline_days is not None:
            self._late_reports(metrics)
        return Outcome(
            metrics=metrics,
            findings=self.findings,
            population=len(cases),
            result_text=self._sentence(metrics),
        )

    def _sentence(self, m: dict[str, float | int]) -> str:
        months = int(m["case_months"])
        if not months:
            return "Det fanns inga beslut eller utförda timmar under perioden."
        over, under = int(m["over_granted"]), int(m["under_reported"])
        text = f"Av {count_word(months, 'ärendemånad', 'ärendemånader')} hade "
        if over:
            cost = f", {number(m['cost_over'], 0)} kr" if "cost_over" in m else ""
            text += (
                f"{over} mer utförd tid än beviljat (sammanlagt "
                f"{number(m['hours_over'], 0)} timmar{cost})"
            )
        else:
            text += "ingen mer utförd tid än beviljat"
        if under:
            risk = (
                f"; intäkt i risk {number(m['revenue_at_risk'], 0)} kr"
                if "revenue_at_risk" in m
                else ""
            )
            text += (
                f" och {under} mindre rapporterad tid än beviljat "
                f"({number(m['hours_under'], 0)} timmar{risk})."
            )
        else:
            text += " och ingen mindre rapporterad tid än beviljat."
        if "hours_reported_late" in m:
            late, never = m["hours_reported_late"], m["hours_not_reported"]
            risk = (
                f"; ersättning i risk {number(m['late_report_revenue_at_risk'], 0)} kr"
                if "late_report_revenue_at_risk" in m
                else ""
            )
            text += (
                f" {number(late, 0)} timmar rapporterades efter fristen och "
                f"{number(never, 0)} timmar inte alls{risk}."
                if late or never
                else " All tid rapporterades i tid."
            )
        return text


def _backwards(row: Row) -> str:
    return f"beslutet gäller till {row['valid_to']}, före startdatumet {row['valid_from']}"


@hookimpl
def register_checks(register: RegisterCheck) -> None:
    register(BeviljadTid)
