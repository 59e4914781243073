"""Verkställighetstid: days from beslut to verkställighet, the three-month rule and the IVO list.

A decision is late when it was verkställd after the date three calendar months after the beslut
(beslut 2024-01-31: in time up to and including 2024-04-30), or is not verkställd at the period's
end and that end is past the three-month date. What counts as verkställd, the first day of the
insats (``executed``) or the date it was offered (``offered``), is a parameter: IVO's guidance
allows both readings.

The IVO worksheet lists, per whole calendar quarter as of its last day, each SoL or LSS decision
not verkställd within three months, each avbrott not resumed within three months, and in the
quarter it happens the verkställighet or end of one reported before (``ivo_report`` has the
rules). IVO always reads ``executed``: an offer is not verkställighet, and a declined one is
noted. Beside it, the statistics report for fullmäktige and the revisorer: counts per quarter,
law, insats and kön by time since the beslut, small counts masked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from internkontroll import hookimpl
from internkontroll.checks import Check, ControlContext
from internkontroll.datasets import Row
from internkontroll.daystats import DayHistogram
from internkontroll.grouping import OUTSIDE_GROUPS, GroupNames, OutsideGroups
from internkontroll.hookspecs import RegisterCheck
from internkontroll.metrics import Metric
from internkontroll.missing_cases import figure_parts, no_cases
from internkontroll.outcome import Cell, Finding, Outcome, ReportTable
from internkontroll.periods import add_months, calendar_quarters
from internkontroll.privacy import sex_from_personnummer
from internkontroll.row_filters import RowSelection, admitted, selection_sentence
from internkontroll.swedish import join, mean_days_phrase, people_count
from internkontroll.values import FieldType

from .date_arrays import LAST_SAFE, DayTexts, add_months_each
from .flagged_rows import references_at, values_at
from .group_codes import MISSING_GROUP, first_seen, group_codes
from .ivo_arrays import STATUSES, QuarterEntries, cases, entries_by_quarter, joined
from .ivo_lines import Columns, QuarterLines, ShownLines
from .ivo_report import BANDS, IvoCase, quarter_entry

if TYPE_CHECKING:
    from internkontroll.batch import Batch, Mask

DEADLINE_MONTHS = 3
# The figures per group, as ``missing_figure`` explains them when a group had none.
GROUP_LEAVES = frozenset({"n", "mean_days", "median_days", "over_3_months"})


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
    # Dates blank until the event: a run --as-of a day reads a later one as blank.
    event_fields: ClassVar[frozenset[str] | None] = frozenset(
        {"executed", "offered", "ended", "declined", "interrupted", "resumed"}
    )
    metrics: ClassVar[tuple[Metric, ...]] = (
        Metric("not_executed", "beslut som inte verkställts", "antal"),
        Metric("excluded", "beslut som undantagits", "antal"),
        Metric("over_3_months", "beslut ej verkställda inom tre månader", "antal"),
        *DayHistogram.declare(),
        *DayHistogram.declare("{group}", "{group}: "),
        Metric("{group}.over_3_months", "{group}: ej verkställda inom tre månader", "antal"),
        OUTSIDE_GROUPS,
    )

    @classmethod
    def needed_fields(cls, params: Any) -> dict[str, FieldType]:
        needed: dict[str, FieldType] = {"decision_id": "text", "decided": "date"}
        needed["executed"] = "date"  # the IVO report reads it whatever counts for the figures
        needed[params.verkstalld] = "date"
        for name in [params.group_by, *params.selection_fields()]:
            if name:
                needed[name] = "text"
        return needed

    @classmethod
    def optional_fields(cls, params: Any) -> dict[str, FieldType]:
        return {
            "law": "text",
            "service": "text",
            "legal_basis": "text",
            "person_id": "text",
            "ended": "date",
            "end_reason": "text",
            "declined": "date",
            "interrupted": "date",
            "resumed": "date",
        }

    @classmethod
    def label_fields(cls, params: Any) -> dict[str, set[str]]:
        """The group, and what the IVO lines and statistics show of a decision."""
        shown = {"law", "service", "legal_basis", "end_reason"}
        return {"": shown | ({params.group_by} if params.group_by else set())}

    def __init__(self, params: VerkstallighetstidParams, context: ControlContext) -> None:
        super().__init__(params, context)
        self.histograms: dict[str, DayHistogram] = {}
        self.late: Counter[str] = Counter()
        self.in_period = 0
        self.not_executed = 0
        self.excluded = 0
        self.quarters = calendar_quarters(context.period)
        self.ivo = {label: QuarterLines() for label, _ in self.quarters}
        self.ivo_counts: Counter[tuple[str, str, str, str, str]] = Counter()
        self.group_names = GroupNames(params.groups, closed=True)
        self.ivo_laws = GroupNames(params.ivo_laws, closed=True)
        self.outside = OutsideGroups(params.group_by or "", params.groups)
        self.day_texts = DayTexts()

    def _group(self, row: Row) -> str | None:
        """The row's group as the plan spells it; None when it is not one of ``groups``."""
        if not self.params.group_by:
            return ""
        value = row[self.params.group_by] or MISSING_GROUP
        group = self.group_names.name(value)
        if group is None:
            self.findings.append(self.outside.note(self.reference(row), row.number, str(value)))
        return group

    def feed(self, row: Row) -> None:
        decided, done = row["decided"], row[self.params.verkstalld]
        if decided is None:
            self.reject(row, "beslutsdatum saknas")
            return
        problem = self._date_order(row, decided)
        if problem:
            self.reject(row, problem)
            return
        if not self.params.admits(row):
            self.excluded += 1
            return
        deadline = add_months(decided, DEADLINE_MONTHS)
        late = done > deadline if done is not None else self.end > deadline
        self._note_for_ivo(row, decided)
        if not self.start <= decided <= self.end:
            return
        self.in_period += 1
        group = self._group(row)
        if group is None:
            return
        histogram = self.histograms.setdefault(group, DayHistogram())
        if late:
            self.late[group] += 1
            self._note_late(row)
        if done is None:
            self.not_executed += 1
            return
        histogram.add((done - decided).days)

    def _note_late(self, row: Row) -> None:
        decided, done = row["decided"], row[self.params.verkstalld]
        deadline = add_months(decided, DEADLINE_MONTHS)
        waited = f"verkställt {done}" if done else f"ej verkställt {self.end}"
        self.findings.append(
            Finding(
                reference=self.reference(row),
                row=row.number,
                description=f"beslut {decided}, {waited}: efter tremånadersgränsen {deadline}",
            )
        )

    def _note_outside(self, row: Row) -> None:
        value = row[self.params.group_by or ""] or MISSING_GROUP
        self.findings.append(self.outside.note(self.reference(row), row.number, str(value)))

    def population_where(self, batch: Batch) -> Mask:
        """Every row belongs, as ``in_population`` (not overridden) says, without asking row
        by row: the check sorts its rows out itself in ``feed``."""
        return batch.everything()

    def feed_batch(self, batch: Batch) -> None:
        """``feed`` for many rows: the same tests as masks, the same findings in row order, and
        the IVO list's lines made row by row only for the decisions that can be on it."""
        import numpy as np

        decided, done = batch.dates("decided"), batch.dates(self.params.verkstalld)
        executed, ended = batch.dates("executed"), _dates(batch, "ended")
        interrupted, resumed = _dates(batch, "interrupted"), _dates(batch, "resumed")
        no_decision = np.isnat(decided)
        disorder = ~no_decision & (
            (done < decided)
            | (executed < decided)
            | (~np.isnat(interrupted) & (np.isnat(executed) | (interrupted < executed)))
            | (~np.isnat(resumed) & (np.isnat(interrupted) | (resumed < interrupted)))
            | (ended < interrupted)
        )
        valid = ~no_decision & ~disorder
        chosen = valid & admitted(batch, self.params)
        self.excluded += int(valid.sum() - chosen.sum())
        _beyond_the_calendar(decided[chosen])
        deadline = add_months_each(decided, DEADLINE_MONTHS)
        self._note_batch_for_ivo(batch, chosen, deadline)
        counted = chosen & batch.between("decided", self.start, self.end)
        self.in_period += int(counted.sum())
        groups, codes = group_codes(batch, self.params.group_by, self.group_names, counted)
        outside = counted & (codes < 0)
        kept = counted & ~outside
        not_done = np.isnat(done)
        late = kept & np.where(not_done, np.datetime64(self.end, "D") > deadline, done > deadline)
        self._note_batch(batch, no_decision, disorder, outside, late, deadline)
        self.not_executed += int((kept & not_done).sum())
        waited = (done - decided).astype(np.int64)
        for code, group in enumerate(groups):
            mine = kept & (codes == code)
            histogram = self.histograms.setdefault(group, DayHistogram())
            late_here = int((late & mine).sum())
            if late_here:
                self.late[group] += late_here
            values, counts = np.unique(waited[mine & ~not_done], return_counts=True)
            histogram.add_counts(values.tolist(), counts.tolist())

    def _note_batch(
        self,
        batch: Batch,
        no_decision: Mask,
        disorder: Mask,
        outside: Mask,
        late: Mask,
        deadline: Any,
    ) -> None:
        """The findings of ``feed`` for a batch, in row order: the few rejected and outside rows
        worded from their rows, the many late decisions from the columns of those rows only,
        the run of them between two such rows added in one call."""
        import numpy as np

        rare = no_decision | disorder | outside
        late_rows = np.flatnonzero(late)
        references = references_at(batch, self.key_field, late_rows)
        numbers: list[int] = batch.row_numbers[late_rows].tolist()
        texts = self._late_texts(batch, late_rows, deadline)
        log, start = batch.log, 0
        rare_rows = np.flatnonzero(rare)
        for index, cut in zip(
            rare_rows.tolist(), np.searchsorted(late_rows, rare_rows).tolist(), strict=True
        ):
            self._add_late(references[start:cut], texts[start:cut], numbers[start:cut])
            start = cut
            row = batch.row(index)
            if log is not None:
                log.position = row.number
            if no_decision[index]:
                self.reject(row, "beslutsdatum saknas")
            elif disorder[index]:
                self.reject(row, self._date_order(row, row["decided"]) or "")
            else:
                self._note_outside(row)
        self._add_late(references[start:], texts[start:], numbers[start:])

    def _add_late(self, references: list[str], texts: list[str], numbers: list[int]) -> None:
        """Late decisions' findings, each marked with its row."""
        if references:
            self.findings.add_columns(references, texts, numbers, "avvikelse", None, numbers)

    def _late_texts(self, batch: Batch, rows: Any, deadline: Any) -> list[str]:
        """``_note_late``'s description of each late decision at ``rows``, made a column at a
        time from its dates as text."""
        if not len(rows):
            return []
        texts = self.day_texts.of
        waiting = f"ej verkställt {self.end}"
        waited = [
            f"verkställt {day}" if day else waiting
            for day in texts(batch.dates(self.params.verkstalld)[rows])
        ]
        decided, deadlines = texts(batch.dates("decided")[rows]), texts(deadline[rows])
        return [
            f"beslut {day}, {wait}: efter tremånadersgränsen {last}"
            for day, wait, last in zip(decided, waited, deadlines, strict=True)
        ]

    def _note_batch_for_ivo(self, batch: Batch, chosen: Mask, deadline: Any) -> None:
        """``_note_for_ivo`` for the chosen rows of a batch: their beslut and avbrott as one set
        of cases in row order, a beslut's before its avbrott's, as ``feed`` makes them; every
        quarter's entries worked out together (``ivo_arrays``), the lines made a column at a
        time."""
        import numpy as np

        if not self.quarters or not chosen.any():
            return
        laws, law_codes = _codes(batch, "law")
        heard = np.zeros(len(laws), dtype=np.bool_)
        law_names = [""] * len(laws)
        for code in first_seen(law_codes, chosen):  # names asked in row order, as feed asks
            law = laws[code]
            name = None if law is None else self.ivo_laws.name(law)
            heard[code] = law is None or name is not None
            law_names[code] = str(name or "")
        rows = np.flatnonzero(chosen & heard[law_codes])
        if not len(rows):
            return
        ended, interrupted = _dates(batch, "ended")[rows], _dates(batch, "interrupted")[rows]
        beslut = cases(
            batch.dates("decided")[rows],
            batch.dates("executed")[rows],
            ended,
            _dates(batch, "declined")[rows],
            False,
            deadline[rows],
        )
        maybe = beslut.ever_listed(self.quarters[-1][1].end)  # most are in time: no line
        together, of_rows = beslut.take(maybe), rows[maybe]
        kinds = np.zeros(len(of_rows), dtype=np.int64)  # 1: an avbrott
        broken = ~np.isnat(interrupted)
        if broken.any():
            avbrott = cases(
                interrupted[broken],
                _dates(batch, "resumed")[rows][broken],
                ended[broken],
                np.full(int(broken.sum()), np.datetime64("NaT", "D")),
                True,
            )
            kinds = np.repeat([0, 1], [len(together), len(avbrott)])
            of_rows = np.concatenate([of_rows, rows[broken]])
            order = np.argsort(of_rows * 2 + kinds, kind="stable")
            together = joined(together, avbrott).take(order)
            of_rows, kinds = of_rows[order], kinds[order]
        entries = entries_by_quarter(together, [(q.start, q.end) for _, q in self.quarters])
        if len(entries.index):
            self._add_ivo_lines(batch, entries, of_rows, kinds, law_names, law_codes)

    def _add_ivo_lines(
        self,
        batch: Batch,
        entries: QuarterEntries,
        of_rows: Any,
        kinds: Any,
        law_names: list[str],
        law_codes: Any,
    ) -> None:
        """The IVO lines of a batch's entries, quarter by quarter, made a column at a time:
        the rows' fields read once, at the rows with a line in some quarter, and a note worded
        only for the lines that have one."""
        import numpy as np

        rows = of_rows[entries.index]
        needed, at = np.unique(rows, return_inverse=True)  # each line's place among the rows
        interruption = kinds[entries.index].astype(np.bool_)
        reasons = [str(value or "") for value in values_at(batch, "end_reason", needed)]
        sex_words = [
            SEX_WORDS[sex_from_personnummer(str(person)) if person else None]
            for person in values_at(batch, "person_id", needed)
        ]
        laws = _each(law_names, law_codes[needed], at)
        services = _each([str(value or "") for value in values_at(batch, "service", needed)], at)
        sexes = _each(sex_words, at)
        labels = _each([label for label, _ in self.quarters], entries.quarter)
        columns: list[Sequence[Cell]] = [
            labels,
            _each(references_at(batch, self.key_field, needed), at),
            services,
            _each([str(value or "") for value in values_at(batch, "legal_basis", needed)], at),
            self.day_texts.of(batch.dates("decided")[rows]),
            _each(STATUSES, entries.status),
            self.day_texts.of(entries.when),
            entries.days.tolist(),
            sexes,
            self._notes(batch, entries, needed, at, interruption, reasons),
            laws,
        ]
        self.ivo_counts.update(
            zip(labels, laws, services, sexes, _each(BANDS, entries.band), strict=True)
        )
        ends = np.cumsum(np.bincount(entries.quarter, minlength=len(self.quarters))).tolist()
        for (label, _), start, end in zip(self.quarters, [0, *ends], ends, strict=False):
            if end > start:
                self.ivo[label].add_columns([column[start:end] for column in columns])

    @staticmethod
    def _notes(
        batch: Batch,
        entries: QuarterEntries,
        needed: Any,
        at: Any,
        interruption: Any,
        reasons: list[str],
    ) -> list[Cell]:
        """Each line's note, as ``quarter_entry`` words it: the avbrott's date, the declined
        offer, and the reason a case ended in the quarter; blank for most lines."""
        import numpy as np

        with_reason = np.array([bool(reason) for reason in reasons], dtype=np.bool_)
        noted = interruption | entries.declined | (entries.closed & with_reason[at])
        notes: list[Cell] = [""] * len(at)
        if not noted.any():
            return notes
        starts = _dates(batch, "interrupted")[needed].tolist()
        declined = _dates(batch, "declined")[needed].tolist()
        for line in np.flatnonzero(noted).tolist():
            row = int(at[line])
            parts = [f"avbrott {starts[row]}"] if interruption[line] else []
            if entries.declined[line]:
                parts.append(f"erbjudande avböjt {declined[row]}")
            if entries.closed[line] and reasons[row]:
                parts.append(reasons[row])
            notes[line] = "; ".join(parts)
        return notes

    def _date_order(self, row: Row, decided: date) -> str | None:
        """What is wrong with the order of the row's dates, if anything."""
        done, executed = row[self.params.verkstalld], row["executed"]
        interrupted, resumed, ended = row["interrupted"], row["resumed"], row["ended"]
        for what, day in (("verkställighetsdatum", done), ("verkställighetsdatum", executed)):
            if day is not None and day < decided:
                return f"{what} {day} ligger före beslutsdatum {decided}"
        if interrupted is not None and (executed is None or interrupted < executed):
            return f"avbrott {interrupted} utan verkställighet före det"
        if resumed is not None and (interrupted is None or resumed < interrupted):
            return f"återupptaget {resumed} utan avbrott före det"
        if ended is not None and interrupted is not None and ended < interrupted:
            return f"avslutat {ended} före avbrottet {interrupted}"
        return None

    def _note_for_ivo(self, row: Row, decided: date) -> None:
        """Add the decision, and its avbrott if any, to each quarter's IVO report it belongs in."""
        law = row["law"]
        if law is not None:
            law = self.ivo_laws.name(law)  # " lss " is LSS: IVO must hear of it
            if law is None:
                return
        executed, interrupted, resumed = row["executed"], row["interrupted"], row["resumed"]
        person = row["person_id"]
        case = IvoCase(
            decision_id=self.reference(row),  # a blank id reads "rad 12", as in the findings
            law=str(law or ""),
            service=str(row["service"] or ""),
            legal_basis=str(row["legal_basis"] or ""),  # else the law's, as it is spelled last
            sex=SEX_WORDS[sex_from_personnummer(str(person)) if person else None],
            decided=decided,
            start=decided,
            done=executed,
            ended=row["ended"],
            end_reason=str(row["end_reason"] or ""),
            declined=row["declined"],
        )
        self._report(case)
        if interrupted is not None:
            case.start, case.done, case.declined, case.interruption = (
                interrupted,
                resumed,
                None,
                True,
            )
            self._report(case)

    def _report(self, case: IvoCase) -> None:
        for label, quarter in self.quarters:
            entry = quarter_entry(case, quarter.start, quarter.end)
            if entry is None:
                continue
            self.ivo[label].append(
                [
                    label,
                    case.decision_id,
                    case.service,
                    case.legal_basis,
                    case.decided.isoformat(),
                    entry.status,
                    entry.when.isoformat() if entry.when else "",
                    entry.days,
                    case.sex,
                    entry.note,
                    case.law,  # not shown: names the law when the lagrum is blank (_ivo_lines)
                ]
            )
            self.ivo_counts[(label, case.law, case.service, case.sex, entry.band)] += 1

    def _ordered_groups(self) -> list[str]:
        return list(self.params.groups) or sorted(self.histograms)

    def outcome(self) -> Outcome:
        metrics: dict[str, float | int] = {
            "not_executed": self.not_executed,
            "excluded": self.excluded,
            "over_3_months": sum(self.late.values()),
        }
        if self.params.groups:
            metrics["outside_groups"] = self.outside.count
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
                phrases.append(
                    (
                        group,
                        mean_days_phrase(
                            f"verkställighetstiden {group}",
                            histogram.mean(),
                            histogram.n,
                            self.context.min_group_size,
                        ),
                    )
                )
        report, summary = self._ivo_tables()
        return Outcome(
            metrics=metrics,
            findings=self.findings,
            result_text=" ".join(
                part
                for part in (
                    self._sentence(phrases, overall, int(metrics["over_3_months"])),
                    self.outside.sentence("beslut", "beslut", self.context.min_group_size),
                )
                if part
            ),
            population=self.in_period,
            tables={"ivo_rapportering": report, "ivo_sammanstallning": summary},
        )

    def missing_figure(self, name: str) -> str | None:
        """Days are counted over executed decisions: a group whose decisions of the period
        were none, or none executed, has no mean."""
        found = figure_parts(name, self.params.group_by, [], GROUP_LEAVES)
        if found is None:
            return None
        group, _, leaf = found
        what = "verkställda beslut" if leaf.endswith("_days") else "beslut"
        return no_cases(what, self.params.group_by, group, self.context.span())

    def _ivo_tables(self) -> tuple[ReportTable, ReportTable]:
        rows = ShownLines(
            [self.ivo[label] for label, _ in self.quarters],
            self._ivo_lines,
        )
        report = ReportTable(
            title="Beslut att rapportera till IVO: ej verkställda inom tre månader",
            columns=[
                "Kvartal",
                "Ärende-id",
                "Insats",
                "Lagrum",
                "Beslutsdatum",
                "Status",
                "Datum",
                "Dagar",
                "Kön",
                "Anmärkning",
            ],
            rows=rows,
        )
        return report, self._statistics()

    def _ivo_lines(self, columns: Columns) -> list[list[Cell]]:
        """A chunk of the IVO list's lines (as columns) as shown: a blank lagrum reads as the
        law, spelled as the whole run spells it (a merged part may have met another spelling
        first); the law itself is not shown."""
        *cells, laws = columns
        bases = cells[3]
        if not all(bases):
            named = (
                dict.fromkeys(laws)  # no lagrum at all (the export has none): every line's law
                if not any(bases)
                else dict.fromkeys(law for basis, law in zip(bases, laws, strict=True) if not basis)
            )
            spelled: dict[Cell, Cell] = {}
            for law in named:  # asked in the order the lines first name them
                if law:
                    spelled[law] = self.ivo_laws.name(law) or law
            cells[3] = [
                basis or spelled.get(law, basis) for basis, law in zip(bases, laws, strict=True)
            ]
        return list(map(list, zip(*cells, strict=True)))

    def merge(self, other: Check[Any]) -> None:
        assert isinstance(other, Verkstallighetstid)
        self.merge_counts(other)
        for group, histogram in other.histograms.items():
            # The other part may have met a group first in another spelling: this one's wins.
            self.histograms.setdefault(self._spelled(group), DayHistogram()).merge(histogram)
        for group, count in other.late.items():
            self.late[self._spelled(group)] += count
        self.in_period += other.in_period
        self.not_executed += other.not_executed
        self.excluded += other.excluded
        for label, lines in other.ivo.items():
            self.ivo[label].extend(lines)
        self.ivo_laws.adopt(other.ivo_laws)  # a law it only named is spelled so here too
        for (label, law, service, sex, band), count in other.ivo_counts.items():
            law = (self.ivo_laws.name(law) or law) if law else law
            self.ivo_counts[(label, law, service, sex, band)] += count
        self.outside.count += other.outside.count
        self.outside.values.update(other.outside.values)

    def _spelled(self, group: str) -> str:
        if not self.params.group_by:
            return group
        return self.group_names.name(group) or group

    def _statistics(self) -> ReportTable:
        """Counts per quarter, law, insats and kön by time since the beslut; small ones masked,
        and a row's total too when a band in it is, so that nothing can be subtracted out."""
        smallest = self.context.min_group_size

        def shown(n: int) -> Cell:
            return n if n == 0 or n >= smallest else f"färre än {smallest}"

        groups = sorted({key[:4] for key in self.ivo_counts})
        table = []
        for group in groups:
            counts = [self.ivo_counts[(*group, name)] for name in BANDS]
            cells = [shown(n) for n in counts]
            total: Cell = shown(sum(counts))
            if any(isinstance(cell, str) for cell in cells) and sum(counts) >= smallest:
                total = f"minst {smallest}"  # the total less the shown bands would tell the rest
            table.append([*group, *cells, total])
        return ReportTable(
            title="Statistikrapport: ej verkställda beslut per kvartal, lag, insats och kön",
            columns=["Kvartal", "Lag", "Insats", "Kön", *BANDS, "Totalt"],
            rows=table,
        )

    def _sentence(self, phrases: list[tuple[str, str]], overall: DayHistogram, late: int) -> str:
        period = self.context.period
        if not overall.n:
            return f"Inga verkställda beslut fattades under perioden {self.context.span(period)}."
        if not self.params.group_by:
            whole = mean_days_phrase(
                "verkställighetstiden", overall.mean(), overall.n, self.context.min_group_size
            )
            text = f"Granskningen visade att den genomsnittliga {whole}."
        else:
            parts = [phrase for _, phrase in phrases]
            text = f"Granskningen visade att den genomsnittliga {join(parts)}."
        over = people_count(late, self.context.min_group_size, "beslut", "beslut")
        over = over[0].upper() + over[1:]
        text += (
            f" {over} hade inte verkställts inom tre månader."
            if late
            else " Inget beslut hade väntat mer än tre månader på verkställighet."
        )
        return f"{text} {selection_sentence(self.params)}".strip()


def _unread(batch: Batch, name: str) -> bool:
    """Whether a batch read by columns lacks the field (an optional one the export does not
    map): every row reads it as blank, and asking the batch for it would build every row.
    Batch has no public way to ask yet, hence the look at its columns."""
    store: dict[str, Any] = getattr(batch, "_store", None) or {}
    return bool(store) and name not in store


def _dates(batch: Batch, name: str) -> Any:
    import numpy as np

    if _unread(batch, name):
        return np.full(len(batch), np.datetime64("NaT", "D"))
    return batch.dates(name)


def _codes(batch: Batch, name: str) -> tuple[list[Any], Any]:
    import numpy as np

    if _unread(batch, name):
        return [None], np.zeros(len(batch), dtype=np.intp)
    return batch.codes(name)


def _each(values: Sequence[Any], *codes: Any) -> list[Any]:
    """``values`` at each of ``codes`` (an index array), or at the codes of codes, as a list."""
    import numpy as np

    taken = np.empty(len(values), dtype=object)
    taken[:] = values
    for index in codes:
        taken = taken[index]
    return list(taken.tolist())


def _beyond_the_calendar(decided: Any) -> None:
    """Fail as ``feed`` fails on a beslut whose three months end after year 9999."""
    import numpy as np

    beyond = decided[decided > np.datetime64(LAST_SAFE, "D")]
    if len(beyond):
        add_months(beyond[0].item(), DEADLINE_MONTHS)


@hookimpl
def register_checks(register: RegisterCheck) -> None:
    register(Verkstallighetstid)
