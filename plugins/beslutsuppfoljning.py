"""Beslutsuppföljning: are decisions followed up in time? Rates per stratum.

``kind = "tidsbegransade"``: decisions with a ``valid_to`` in the period are followed up in time
when ``followed_up`` is on or before ``valid_to``.

``kind = "tillsvidare"`` ("följs upp årligen"): a follow-up falls due ``interval_months`` after
the decision, and again that long after each follow-up; a due date that passes without one is
followed by the next on the same rhythm (``follow_up_dues`` says how the one known follow-up is
placed). The population is the decisions (without
``valid_to``) with a follow-up that fell due within the period and before the decision ended; a
decision is in time when every follow-up due in the period was made by its due date plus
``grace_days``. The export's ``followed_up`` is read as the latest follow-up, so take the export at
the period's end. ``rule = "in_period"`` keeps the older reading: every decision in force during
the period, followed up when ``followed_up`` falls in the period or ``grace_days`` after it.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from internkontroll import hookimpl
from internkontroll.checks import Check, ControlContext
from internkontroll.datasets import Row
from internkontroll.grouping import GroupNames
from internkontroll.hookspecs import RegisterCheck
from internkontroll.metrics import Metric
from internkontroll.outcome import Finding, Outcome
from internkontroll.periods import add_months
from internkontroll.row_filters import (
    RowSelection,
    admitted,
    matches,
    strata_fields,
    strata_of,
)
from internkontroll.swedish import join, lower_first, percent
from internkontroll.values import FieldType

from .date_arrays import add_months_each, month_index

if TYPE_CHECKING:
    from internkontroll.batch import Batch, Mask


class BeslutsuppfoljningParams(RowSelection, BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["tidsbegransade", "tillsvidare"]
    """Time-limited decisions followed up before they run out, or open-ended ones yearly."""
    stratify_by: str | None = "service"
    """The field whose values are the strata, when ``strata`` is not given."""
    strata: dict[str, dict[str, str | list[str]]] = {}
    """Named strata as field filters, e.g. ``"LSS" = { law = "LSS" }``; in this order."""
    rule: Literal["due", "in_period"] = "due"
    """Tillsvidare: judged per due date (``due``), or followed up at all in the period."""
    interval_months: int = Field(default=12, ge=1)
    """Tillsvidare: months from the decision, or from a follow-up, until the next falls due."""
    grace_days: int = Field(default=0, ge=0)
    """Tillsvidare: days after the due date (``in_period``: after the period) still in time."""


@dataclass(frozen=True, slots=True)
class Due:
    """One follow-up that fell due, and the follow-up that answered it (if any)."""

    due: date
    followed_up: date | None
    in_time: bool


def follow_up_dues(
    decided: date,
    followed_up: date | None,
    ended: date | None,
    interval_months: int,
    grace_days: int,
    since: date,
    until: date,
) -> Iterator[Due]:
    """Each follow-up due from ``since`` to ``until`` (and by ``ended``), oldest first.

    ``followed_up`` is the latest follow-up, the one the export knows of. Due dates run every
    ``interval_months`` from the decision until it: it answers the first due date it is no later
    than plus the grace (in time), unless it lies nearer the due date before, which it then
    answers late. Earlier due dates had no follow-up the export shows, and are misses. From the
    follow-up on, due dates run every ``interval_months`` again, all misses (none later is known).
    """
    grace = timedelta(days=grace_days)
    base, step, pending = decided, 1, followed_up
    while True:
        if pending is None:
            # Nothing left to place: jump in whole intervals to the month before ``since``.
            months = (since.year - base.year) * 12 + since.month - base.month
            step = max(step, (months - 1) // interval_months)
        due = add_months(base, step * interval_months)
        if due > until or (ended is not None and due > ended):
            return
        following = add_months(base, (step + 1) * interval_months)
        if pending is not None and pending <= due + grace:
            found = Due(due, pending, True)
            base, step, pending = pending, 1, None
        elif (
            pending is not None
            and pending <= following + grace
            and pending - due <= following - pending
        ):
            found = Due(due, pending, False)
            base, step, pending = pending, 1, None
        else:
            found = Due(due, None, False)
            step += 1
        if due >= since:
            yield found


# The words of a missed follow-up, as ``_miss`` says them, for a date given as its day since
# 1970-01-01 (as a batch's dates hold it; NaT where blank): writing a date is the slow part of
# a finding's text, so each is written once per run.
_NAT = -(2**63)


def _day_text(day: int) -> str:
    """The date as ``str(date)`` writes it, "None" where blank, as ``_miss`` writes it."""
    import numpy as np

    return str(np.datetime64(day, "D").tolist() if day != _NAT else None)


@lru_cache(maxsize=1 << 16)
def _valid_to_words(day: int) -> str:
    return f"giltigt till {_day_text(day)}; "


@lru_cache(maxsize=1 << 16)
def _decided_words(day: int) -> str:
    return f"tillsvidarebeslut från {_day_text(day)}; "


def _when(day: int) -> str:
    return f"uppföljt {_day_text(day)}" if day != _NAT else "ingen uppföljning"


@lru_cache(maxsize=1 << 16)
def _expired_words(followed_up: int) -> str:
    return f"{_when(followed_up)}: inte uppföljt innan beslutet löpte ut"


@lru_cache(maxsize=1 << 16)
def _period_words(followed_up: int) -> str:
    return f"{_when(followed_up)}: inte uppföljt under perioden"


class Beslutsuppfoljning(Check[BeslutsuppfoljningParams]):
    name = "beslutsuppfoljning"
    title = "Uppföljning av beslut"
    version = "0.2.0"
    Params = BeslutsuppfoljningParams
    fields: ClassVar[dict[str, FieldType]] = {
        "decision_id": "text",
        "decided": "date",
        "valid_to": "date",
        "followed_up": "date",
    }
    key_field = "decision_id"
    review_columns: ClassVar[dict[str, str]] = {"uppfoljd": "ja/nej"}
    # Dates blank until the event: a run --as-of a day reads a later one as blank.
    event_fields: ClassVar[frozenset[str] | None] = frozenset({"followed_up"})
    metrics: ClassVar[tuple[Metric, ...]] = (
        Metric("n", "beslut", "antal"),
        Metric("followed_up", "uppföljda beslut", "antal"),
        Metric("excluded", "beslut som undantagits", "antal"),
        Metric("not_due", "tillsvidarebeslut utan förfallen uppföljning under perioden", "antal"),
        Metric("rate", "andel uppföljda", "andel"),
        Metric("min_rate", "lägsta andel uppföljda i en grupp", "andel"),
        Metric("{stratum}.n", "{stratum}: beslut", "antal"),
        Metric("{stratum}.followed_up", "{stratum}: uppföljda beslut", "antal"),
        Metric("{stratum}.rate", "{stratum}: andel uppföljda", "andel"),
    )

    @classmethod
    def needed_fields(cls, params: Any) -> dict[str, FieldType]:
        needed = dict(cls.fields)
        if params.kind == "tillsvidare":
            needed["ended"] = "date"
        names = strata_fields(params.strata) if params.strata else [params.stratify_by]
        for name in [*names, *params.selection_fields()]:
            if name:
                needed[name] = "text"
        return needed

    @classmethod
    def label_fields(cls, params: Any) -> dict[str, set[str]]:
        """A stratum by field is named by its values; named strata by the plan's names."""
        shown = params.stratify_by if params.stratify_by and not params.strata else None
        return {"": {shown} if shown else set()}

    def __init__(self, params: BeslutsuppfoljningParams, context: ControlContext) -> None:
        super().__init__(params, context)
        self.population: Counter[str] = Counter()
        self.followed: Counter[str] = Counter()
        self.excluded = 0
        self.not_due = 0
        # "Hemtjänst" and " hemtjänst" are one stratum, spelled as a named stratum or first seen.
        self.stratum_names = GroupNames(params.strata)

    def _dues(self, row: Row) -> list[Due]:
        """The follow-ups of a tillsvidare decision that fell due within the period."""
        dues = follow_up_dues(
            row["decided"],
            row["followed_up"],
            row["ended"],
            self.params.interval_months,
            self.params.grace_days,
            self.start,
            self.end,
        )
        return list(dues)

    def _in_scope(self, row: Row) -> bool:
        period = self.context.period
        if self.params.kind == "tidsbegransade":
            return row["valid_to"] is not None and period.contains(row["valid_to"])
        ended = row["ended"]
        in_force = (
            row["valid_to"] is None
            and row["decided"] <= period.end
            and (ended is None or ended >= period.start)
        )
        return in_force

    def _in_time(self, row: Row) -> bool:
        followed_up: date | None = row["followed_up"]
        if followed_up is None:
            return False
        if self.params.kind == "tidsbegransade":
            return bool(followed_up <= row["valid_to"])
        if self.params.rule == "due":
            return all(due.in_time for due in self._dues(row))
        period = self.context.period
        return period.start <= followed_up <= period.end + timedelta(days=self.params.grace_days)

    def in_population(self, row: Row) -> bool:
        decided, valid_to, followed_up = row["decided"], row["valid_to"], row["followed_up"]
        if decided is None:
            self.reject(row, "beslutsdatum saknas")
            return False
        if valid_to is not None and valid_to < decided:
            self.reject(row, f"giltig till {valid_to} ligger före beslutsdatum {decided}")
            return False
        if followed_up is not None and followed_up < decided:
            self.reject(row, f"uppföljningsdatum {followed_up} ligger före beslutsdatum {decided}")
            return False
        if not self._in_scope(row):
            return False
        if not self.params.admits(row):
            self.excluded += 1
            return False
        if self.params.kind == "tillsvidare" and self.params.rule == "due" and not self._dues(row):
            self.not_due += 1
            return False
        return True

    def feed(self, row: Row) -> None:
        """Count a decision: by the reviewer's answer when there is one, else by the dates."""
        in_time = row.review["uppfoljd"] if row.review is not None else self._in_time(row)
        for value in strata_of(row, self.params.strata, self.params.stratify_by):
            stratum = self.stratum_names.name(value) or value
            self.population[stratum] += 1
            if in_time:
                self.followed[stratum] += 1
        if not in_time:
            description = self._miss(row)
            if row.review is not None:
                comment = row.review.get("kommentar")
                description = "granskaren: inte uppföljt" + (f" ({comment})" if comment else "")
            self.findings.append(
                Finding(reference=self.reference(row), row=row.number, description=description)
            )

    def population_where(self, batch: Batch) -> Mask:
        """``in_population`` for many rows: the same tests as masks, rejects in row order."""
        import numpy as np

        decided, valid_to = batch.dates("decided"), batch.dates("valid_to")
        followed_up = batch.dates("followed_up")
        no_decision = np.isnat(decided)
        expires_first = ~no_decision & (valid_to < decided)
        followed_first = ~no_decision & ~expires_first & (followed_up < decided)
        batch.reject_where(
            self,
            (no_decision, lambda row: "beslutsdatum saknas"),
            (
                expires_first,
                lambda row: (
                    f"giltig till {row['valid_to']} ligger före beslutsdatum {row['decided']}"
                ),
            ),
            (
                followed_first,
                lambda row: (
                    f"uppföljningsdatum {row['followed_up']} ligger före beslutsdatum "
                    f"{row['decided']}"
                ),
            ),
        )
        if self.params.kind == "tidsbegransade":
            scope = batch.between("valid_to", self.start, self.end)
        else:
            ended = batch.dates("ended")
            scope = np.isnat(valid_to) & (decided <= np.datetime64(self.end, "D"))
            scope &= np.isnat(ended) | (ended >= np.datetime64(self.start, "D"))
        scope &= ~no_decision & ~expires_first & ~followed_first
        chosen = scope & admitted(batch, self.params)
        self.excluded += int(scope.sum() - chosen.sum())
        if self.params.kind == "tillsvidare" and self.params.rule == "due":
            due, _ = self._due_states(batch, chosen)
            self.not_due += int((chosen & ~due).sum())
            chosen &= due
        return chosen

    def feed_batch(self, batch: Batch) -> None:
        """``feed`` for many rows (none with a reviewer's answer: those come one by one with
        their sample): counts per stratum as masks, a finding per miss in row order."""
        import numpy as np

        followed_up = batch.dates("followed_up")
        if self.params.kind == "tidsbegransade":
            in_time = followed_up <= batch.dates("valid_to")
        elif self.params.rule == "due":
            _, all_in_time = self._due_states(batch, batch.everything())
            in_time = ~np.isnat(followed_up) & all_in_time
        else:
            late = self.end + timedelta(days=self.params.grace_days)
            in_time = batch.between("followed_up", self.start, late)
        if not len(batch):
            return
        for stratum, mine in self._batch_strata(batch):
            self.population[stratum] += int(mine.sum())
            followed = int((mine & in_time).sum())
            if followed:
                self.followed[stratum] += followed
        if self.params.kind == "tillsvidare" and self.params.rule == "due":
            batch.find_where(~in_time, self._note_miss)  # the due dates are listed per row
        else:
            self._note_misses(batch, ~in_time)

    def _note_misses(self, batch: Batch, missed: Mask) -> None:
        """The findings ``_miss`` words for tidsbegränsade and ``in_period`` decisions, made
        from the columns of the flagged rows only, a column at a time (each date's words made
        once per run), and added to the log in one call, without building a row for each."""
        import numpy as np

        from internkontroll.arrow_kernels import take

        flagged = np.flatnonzero(missed)
        if not len(flagged):
            return
        numbers: list[int] = batch.row_numbers[flagged].tolist()
        ids = take(batch.arrow(self.key_field or ""), flagged).to_pylist()
        if set(map(type, ids)) != {str} or "" in ids:  # a blank id, or one to make a text
            ids = [
                str(key) if key else f"rad {number}"
                for key, number in zip(ids, numbers, strict=True)
            ]
        followed = batch.dates("followed_up")[flagged].view(np.int64).tolist()
        if self.params.kind == "tidsbegransade":
            days = batch.dates("valid_to")[flagged].view(np.int64).tolist()
            heads, whens = map(_valid_to_words, days), map(_expired_words, followed)
        else:
            days = batch.dates("decided")[flagged].view(np.int64).tolist()
            heads, whens = map(_decided_words, days), map(_period_words, followed)
        texts = list(map(operator.add, heads, whens))
        self.findings.add_columns(ids, texts, numbers, "avvikelse", None, numbers)

    def _note_miss(self, row: Row) -> None:
        self.findings.append(
            Finding(reference=self.reference(row), row=row.number, description=self._miss(row))
        )

    def _batch_strata(self, batch: Batch) -> Iterator[tuple[str, Mask]]:
        """Each stratum of the batch's rows with its rows, as ``strata_of`` gives them; values
        named in the order ``feed`` first meets them, for the first spelling wins."""
        import numpy as np

        if self.params.strata:
            for name, conditions in self.params.strata.items():
                mine = batch.everything()
                for field, wanted in conditions.items():
                    mine &= batch.where(field, _matcher(field, wanted))
                if mine.any():
                    yield self.stratum_names.name(name) or name, mine
            return
        if not self.params.stratify_by:
            yield "", batch.everything()
            return
        uniques, codes = batch.codes(self.params.stratify_by)
        present, first = np.unique(codes, return_index=True)
        for code in present[np.argsort(first, kind="stable")].tolist():
            value = uniques[code]
            text = str(value) if value not in (None, "") else "(uppgift saknas)"
            yield self.stratum_names.name(text) or text, codes == code

    def _due_states(self, batch: Batch, rows: Mask) -> tuple[Mask, Mask]:
        """For each flagged row of a tillsvidare batch: whether a follow-up fell due within the
        period, and whether every one that did was in time (``follow_up_dues`` for all rows at
        once: each round takes every row's next due date, until none is left before the end)."""
        import numpy as np

        decided, followed_up = batch.dates("decided"), batch.dates("followed_up")
        since, until = np.datetime64(self.start, "D"), np.datetime64(self.end, "D")
        stop = np.minimum(until, batch.dates("ended"))  # NaT where not ended: until
        stop = np.where(np.isnat(stop), until, stop)
        interval = self.params.interval_months
        grace = np.timedelta64(self.params.grace_days, "D")
        some_due = np.zeros(len(batch), dtype=np.bool_)
        some_miss = np.zeros(len(batch), dtype=np.bool_)
        active = np.flatnonzero(rows)
        base, pending = decided[active], followed_up[active]
        step = np.ones(len(active), dtype=np.int64)
        since_month = int(month_index(np.array([since]))[0])
        while len(active):
            unplaced = np.isnat(pending)
            jump = (since_month - month_index(base) - 1) // interval
            step = np.where(unplaced, np.maximum(step, jump), step)
            due = add_months_each(base, step * interval)
            going = due <= stop[active]
            active, base, pending, step, due = (
                active[going],
                base[going],
                pending[going],
                step[going],
                due[going],
            )
            following = add_months_each(base, (step + 1) * interval)
            placed = ~np.isnat(pending)
            in_time = placed & (pending <= due + grace)
            late = placed & ~in_time & (pending <= following + grace)
            late &= pending - due <= following - pending
            counted = due >= since
            some_due[active] |= counted
            some_miss[active] |= counted & ~in_time
            answered = in_time | late
            base = np.where(answered, pending, base)
            step = np.where(answered, 1, step + 1)
            pending = np.where(answered, np.datetime64("NaT", "D"), pending)
        return some_due, ~some_miss

    def merge(self, other: Check[Any]) -> None:
        assert isinstance(other, Beslutsuppfoljning)
        self.merge_counts(other)
        # The other part may have met a stratum first in another spelling: this one's wins.
        for stratum, count in other.population.items():
            self.population[self.stratum_names.name(stratum) or stratum] += count
        for stratum, count in other.followed.items():
            self.followed[self.stratum_names.name(stratum) or stratum] += count
        self.excluded += other.excluded
        self.not_due += other.not_due

    def _miss(self, row: Row) -> str:
        when = f"uppföljt {row['followed_up']}" if row["followed_up"] else "ingen uppföljning"
        if self.params.kind == "tidsbegransade":
            return f"giltigt till {row['valid_to']}; {when}: inte uppföljt innan beslutet löpte ut"
        if self.params.rule == "due":
            grace = timedelta(days=self.params.grace_days)
            missed = [due for due in self._dues(row) if not due.in_time]
            dues = ", ".join(
                f"förföll {d.due}" + (f" (senast {d.due + grace})" if grace else "") for d in missed
            )
            return f"tillsvidarebeslut från {row['decided']}: uppföljningen {dues}; {when}"
        return f"tillsvidarebeslut från {row['decided']}; {when}: inte uppföljt under perioden"

    def _strata(self) -> list[str]:
        if self.params.strata:
            return list(self.params.strata)
        return sorted(self.population)

    def outcome(self) -> Outcome:
        total, followed = sum(self.population.values()), sum(self.followed.values())
        metrics: dict[str, float | int] = {
            "n": total,
            "followed_up": followed,
            "excluded": self.excluded,
        }
        if self.params.kind == "tillsvidare" and self.params.rule == "due":
            metrics["not_due"] = self.not_due
        if total:
            metrics["rate"] = followed / total
        rates = []
        for stratum in self._strata():
            n = self.population[stratum]
            prefix = f"{stratum}." if stratum else ""
            metrics[f"{prefix}n"] = n
            metrics[f"{prefix}followed_up"] = self.followed[stratum]
            if n:
                rate = self.followed[stratum] / n
                metrics[f"{prefix}rate"] = rate
                rates.append((stratum, rate))
        if rates:
            metrics["min_rate"] = min(rate for _, rate in rates)
        return Outcome(
            metrics=metrics,
            findings=self.findings,
            result_text=self._sentence(rates),
            population=total,
        )

    def _sentence(self, rates: list[tuple[str, float]]) -> str:
        span = f"under perioden {self.context.span()}"
        if not rates:
            return f"Det fanns inga beslut att följa upp {span}."
        parts = [
            f"{percent(rate)} av besluten avseende {lower_first(s)}" if s else percent(rate)
            for s, rate in rates
        ]
        if self.params.kind == "tidsbegransade":
            when = f"innan beslutet löper ut {span}"
            return f"Resultatet visade att {join(parts)} hade följts upp {when}."
        if self.params.rule == "due":
            grace = (
                f" eller inom {self.params.grace_days} dagar därefter"
                if self.params.grace_days
                else ""
            )
            return (
                f"Av de tillsvidarebeslut vars uppföljning skulle göras {span} visade "
                f"resultatet att {join(parts)} hade följts upp senast på förfallodagen{grace}."
            )
        grace = " eller i nära anslutning" if self.params.grace_days else ""
        return f"Resultatet visade att {join(parts)} hade följts upp {span}{grace}."


def _matcher(field: str, wanted: str | list[str]) -> Any:
    return lambda value: matches(Row(0, {field: value}), {field: wanted})


@hookimpl
def register_checks(register: RegisterCheck) -> None:
    register(Beslutsuppfoljning)
