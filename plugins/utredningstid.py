"""Utredningstid: days from ansökan to beslut, per group and optionally per half-year or quarter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from internkontroll import hookimpl
from internkontroll.checks import Check, ControlContext
from internkontroll.datasets import Row
from internkontroll.daystats import DayHistogram
from internkontroll.distinct import distinct
from internkontroll.grouping import OUTSIDE_GROUPS, GroupNames, OutsideGroups
from internkontroll.hookspecs import RegisterCheck
from internkontroll.metrics import Metric
from internkontroll.missing_cases import figure_parts, no_cases
from internkontroll.models import Period
from internkontroll.outcome import Outcome
from internkontroll.periods import Split, part_of, split_period
from internkontroll.row_filters import RowSelection, admitted, selection_sentence
from internkontroll.swedish import days, join, mean_days_phrase
from internkontroll.values import FieldType

from .group_codes import MISSING_GROUP, first_seen, group_codes

if TYPE_CHECKING:
    from internkontroll.batch import Batch


EXCLUDED = Metric("excluded", "beslut som undantagits", "antal")
DAY_LEAVES = frozenset({"n", "mean_days", "median_days", "p90_days"})


def _backwards(row: Row) -> str:
    return f"beslutsdatum {row['decided']} ligger före ansökningsdatum {row['applied']}"


class UtredningstidParams(RowSelection, BaseModel):
    model_config = ConfigDict(extra="forbid")

    group_by: str | None = None
    """The field that splits the figures, e.g. ``law``; none (or "") for one figure for all."""
    groups: list[str] = []
    """Groups to report, in this order; empty means all, sorted."""
    split: Split | None = None
    """"halvår" or "kvartal": the same figures per calendar part of the period."""

    @field_validator("groups")
    @classmethod
    def _groups_need_a_field(cls, groups: list[str], info: ValidationInfo) -> list[str]:
        """Groups of no field would be figures of nothing; before group_by had no default
        a plan could leave it out and mean ``law``, and must now say so."""
        if groups and not info.data.get("group_by"):
            raise ValueError(
                "grupperna kräver fältet de står i: ange t.ex. group_by = \"law\" "
                "(utan group_by blir det en siffra för alla beslut)"
            )
        return groups


class Utredningstid(Check[UtredningstidParams]):
    name = "utredningstid"
    title = "Utredningstid"
    version = "0.3.0"
    Params = UtredningstidParams
    fields: ClassVar[dict[str, FieldType]] = {
        "decision_id": "text",
        "applied": "date",
        "decided": "date",
    }
    key_field = "decision_id"
    # No date of its is blank until an event: a run --as-of a day cuts only the period.
    event_fields: ClassVar[frozenset[str] | None] = frozenset()
    metrics: ClassVar[tuple[Metric, ...]] = (
        EXCLUDED,
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

    @classmethod
    def label_fields(cls, params: Any) -> dict[str, set[str]]:
        return {"": {params.group_by} if params.group_by else set()}

    @classmethod
    def possible_metrics(cls, params: Any, period: Period) -> tuple[Metric, ...]:
        """Per part of the period for all decisions; per group only with ``group_by``, and
        then only the plan's ``groups`` when it lists them."""
        parts = [name for name, _ in split_period(period, params.split)] if params.split else []
        found = [EXCLUDED, *DayHistogram.declare(p90=True)]
        for part in parts:
            found.extend(DayHistogram.declare(part, f"{part}: ", p90=True))
        if params.group_by:
            for group in params.groups or ["{group}"]:
                found.extend(DayHistogram.declare(group, f"{group}: ", p90=True))
                for part in parts:
                    found.extend(
                        DayHistogram.declare(f"{group}.{part}", f"{group} {part}: ", p90=True)
                    )
            if params.groups:
                found.append(OUTSIDE_GROUPS)
        return tuple(found)

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
            self.outside_rows += 1
            return
        if applied is None:
            self.reject(row, "ansökningsdatum saknas")
            return
        if decided < applied:
            self.reject(row, _backwards(row))
            return
        self.in_period += 1
        if not self.params.admits(row):
            self.excluded += 1
            return
        group = ""
        if self.params.group_by:
            value = row[self.params.group_by] or MISSING_GROUP
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

    def feed_batch(self, batch: Batch) -> None:
        """``feed`` for many rows: the same tests as masks, the same findings in row order."""
        import numpy as np

        applied, decided = batch.dates("applied"), batch.dates("decided")
        no_decision = np.isnat(decided)
        in_period = batch.between("decided", self.start, self.end)
        self.outside_rows += int((~no_decision & ~in_period).sum())
        no_application = in_period & np.isnat(applied)
        backwards = in_period & ~no_application & (decided < applied)
        counted = in_period & ~no_application & ~backwards
        self.in_period += int(counted.sum())
        chosen = counted & admitted(batch, self.params)
        self.excluded += int(counted.sum() - chosen.sum())
        groups, codes = group_codes(batch, self.params.group_by, self.group_names, chosen)
        outside = chosen & (codes < 0)
        batch.each_where(
            (no_decision, lambda row: self.reject(row, "beslutsdatum saknas")),
            (no_application, lambda row: self.reject(row, "ansökningsdatum saknas")),
            (backwards, lambda row: self.reject(row, _backwards(row))),
            (outside, self._note_outside),
        )
        kept = chosen & ~outside
        waited = (decided - applied).astype(np.int64)
        parts = self._part_indices(decided) if self.parts else None
        for code in distinct(codes[kept]).tolist():
            mine = kept & (codes == code)
            self._add((groups[code], ""), waited[mine])
            if parts is not None:
                for part in first_seen(parts, mine & (parts >= 0)):
                    self._add((groups[code], self.parts[part][0]), waited[mine & (parts == part)])

    def _part_indices(self, decided: Any) -> Any:
        """Each row's part of the period as an index into ``self.parts`` (-1: in none, or no
        date): ``part_of`` for a whole column, the parts being in date order."""
        import numpy as np

        starts = np.array([part.start for _, part in self.parts], dtype="datetime64[D]")
        ends = np.array([part.end for _, part in self.parts], dtype="datetime64[D]")
        index = np.searchsorted(starts, decided, side="right") - 1
        inside = (index >= 0) & ~np.isnat(decided)
        inside &= decided <= ends[np.maximum(index, 0)]
        found: Any = np.where(inside, index, -1)
        return found

    def _note_outside(self, row: Row) -> None:
        value = row[self.params.group_by or ""] or MISSING_GROUP
        self.findings.append(self.outside.note(self.reference(row), row.number, value))

    def _add(self, key: tuple[str, str], waited: Any) -> None:
        import numpy as np

        values, counts = np.unique(waited, return_counts=True)
        self.histograms.setdefault(key, DayHistogram()).add_counts(values.tolist(), counts.tolist())

    def merge(self, other: Check[Any]) -> None:
        assert isinstance(other, Utredningstid)
        self.merge_counts(other)
        for (group, part), histogram in other.histograms.items():
            # The other part may have met a group first in another spelling: this one's wins.
            if self.params.group_by:
                group = self.group_names.name(group) or group
            self.histograms.setdefault((group, part), DayHistogram()).merge(histogram)
        self.in_period += other.in_period
        self.excluded += other.excluded
        self.outside.count += other.outside.count
        self.outside.values.update(other.outside.values)

    def _groups(self) -> list[str]:
        return list(self.params.groups) or sorted({g for g, _ in self.histograms})

    def outcome(self) -> Outcome:
        metrics: dict[str, float | int] = {"excluded": self.excluded}
        if self.params.groups:
            metrics["outside_groups"] = self.outside.count
        part_names = [name for name, _ in self.parts]
        for part in ["", *part_names]:  # all decisions: the whole period, then each part
            overall = DayHistogram()
            for (_, of_part), histogram in self.histograms.items():
                if of_part == part:
                    overall.merge(histogram)
            metrics.update(overall.metrics(part, p90=True))
        for group in self._groups() if self.params.group_by else []:
            if group in part_names:
                raise ValueError(
                    f"gruppen {group!r} i fältet {self.params.group_by} heter som en del av "
                    f"perioden, så måttet {group}.mean_days skulle betyda två saker; ange "
                    "groups utan den, eller ta bort split"
                )
            for part in ["", *part_names]:
                histogram = self.histograms.get((group, part), DayHistogram())
                prefix = ".".join(p for p in (group, part) if p)
                metrics.update(histogram.metrics(prefix, p90=True))
        return Outcome(metrics=metrics, result_text=self._sentence(), population=self.in_period)

    def missing_figure(self, name: str) -> str | None:
        """A day figure is missing only when its group or part had no decision to count."""
        parts = [part for part, _ in self.parts]
        found = figure_parts(name, self.params.group_by, parts, DAY_LEAVES)
        if found is None:
            return None
        group, part, _ = found
        span = self.context.span(dict(self.parts)[part] if part else None)
        return no_cases("beslut", self.params.group_by, group, span)

    def _figures(self, part: str) -> list[tuple[str, str | None]]:
        """(group, mean days) for the groups with decisions in ``part`` ("" is the whole); the
        days are None for a group too small to show."""
        figures: list[tuple[str, str | None]] = []
        for group in self._groups():
            histogram = self.histograms.get((group, part))
            if histogram and histogram.n < self.context.min_group_size:
                figures.append((group, None))
            elif histogram and histogram.n:
                figures.append((group, days(histogram.mean())))
        return figures

    def _part_clause(self, label: str, figures: list[tuple[str, str | None]], first: bool) -> str:
        """'under perioden 240101–240630 var SoL 20 dagar', with the groups too small to show
        said in words of their own, so the sentence reads whatever is hidden. The first clause
        has the subject just before it; the later ones name it again ("den")."""
        shown = [f"{group} {figure}".strip() for group, figure in figures if figure is not None]
        hidden = [group for group, figure in figures if figure is None]
        for_whom = f" för {join(hidden)}" if any(hidden) else ""
        why = f"(färre än {self.context.min_group_size} beslut)"
        clause = f"under perioden {label}"
        if not shown:
            subject = "" if first else " den"
            return f"{clause} redovisas{subject} inte{for_whom} {why}"
        clause += " var " + join(shown)
        if hidden:
            clause += f", medan den{for_whom} inte redovisas {why}"
        return clause

    def _whole_phrase(self, group: str) -> str:
        histogram = self.histograms[(group, "")]
        what = f"utredningstiden {group}".strip()
        return mean_days_phrase(what, histogram.mean(), histogram.n, self.context.min_group_size)

    def _sentence(self) -> str:
        whole = self._figures("")
        if not whole:
            return f"Inga beslut fattades under perioden {self.context.span()}."
        if self.parts:
            spans = [(self.context.span(span), self._figures(name)) for name, span in self.parts]
            clauses = [
                self._part_clause(label, figures, first=not number)
                for number, (label, figures) in enumerate(s for s in spans if s[1])
            ]
            text = (
                "Granskningen visade att den genomsnittliga utredningstiden "
                + ", och ".join(clauses)
                + "."
            )
        else:
            parts = [self._whole_phrase(g) for g, _ in whole]
            text = f"Granskningen visade att den genomsnittliga {join(parts)}."
        exclusion = selection_sentence(self.params)
        outside = self.outside.sentence("beslut", "beslut", self.context.min_group_size)
        return " ".join(part for part in (text, exclusion, outside) if part)


@hookimpl
def register_checks(register: RegisterCheck) -> None:
    register(Utredningstid)
