"""The shape of a check: a fold over rows that ends in an ``Outcome``.

A check class declares its name, version, Swedish title, pydantic ``Params`` and the dataset fields
it needs. The engine makes one instance per control, feeds it the rows of its dataset one at a time
and then asks for the outcome; the instance keeps only what it needs (counts, histograms,
findings), never the export. Assessment is not the check's job: the engine judges the figures
against the control's criteria.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from internkontroll.datasets import Row
from internkontroll.metrics import Metric
from internkontroll.models import Control, Period, Plan
from internkontroll.outcome import FindingLog, Outcome
from internkontroll.swedish import DateStyle, day_text, span_text
from internkontroll.values import FieldType

if TYPE_CHECKING:
    from internkontroll.batch import Batch, Mask


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class DatasetPlace:
    """Where a check's dataset comes from, for messages about one of its cells: the dataset's
    name, its file's name and the export's header for each field."""

    name: str
    file: str
    columns: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ControlContext:
    """What a check may know of its control beyond its params."""

    control_id: str
    period: Period
    min_group_size: int = 3
    date_style: DateStyle = "kompakt"
    """How the plan's ``[report]`` writes dates; a check's sentences follow it."""
    places: Mapping[str, DatasetPlace] = field(default_factory=dict)
    """Per role, the dataset the control reads (empty when a check is made outside a run)."""

    def cell(self, row: Row, field_name: str) -> str:
        """How a data-quality message names one cell, as the reader names a cell that does not
        parse: "kassabok (kassabok.csv) rad 12, kolumn 'Belopp'"; outside a run, with the
        field's name: "rad 12, fältet amount"."""
        place = self.places.get(row.role)
        if place is None:
            return f"rad {row.number}, fältet {field_name}"
        column = place.columns.get(field_name, field_name)
        return f"{place.name} ({place.file}) rad {row.number}, kolumn {column!r}"

    def span(self, period: Period | None = None) -> str:
        """A period in the plan's date style: '240101–240630' or '1 januari 2024 till ...'."""
        period = period or self.period
        return span_text(period.start, period.end, self.date_style)

    def day(self, day: date) -> str:
        return day_text(day, self.date_style)


def dataset_places(plan: Plan, roles: Mapping[str, str]) -> dict[str, DatasetPlace]:
    """``ControlContext.places`` for a control whose datasets are ``roles`` (role: name)."""
    places = {}
    for role, name in roles.items():
        spec = plan.datasets.get(name)
        if spec is not None:
            places[role] = DatasetPlace(name, Path(spec.path).name, dict(spec.columns))
    return places


P = TypeVar("P", bound=BaseModel)


class Check(ABC, Generic[P]):
    name: ClassVar[str]
    title: ClassVar[str]
    version: ClassVar[str] = "0.1.0"
    Params: ClassVar[type[BaseModel]] = NoParams
    fields: ClassVar[dict[str, FieldType]] = {}
    # A field that identifies a record (e.g. decision_id): repeats are counted and skipped.
    key_field: ClassVar[str | None] = None
    # Answers a reviewer gives per sampled case, by worksheet column: {"uppfoljd": "ja/nej"}.
    review_columns: ClassVar[dict[str, str]] = {}
    # How a sentence counts the population's units: one, many ("inköp", "inköp").
    unit_words: ClassVar[tuple[str, str]] = ("post", "poster")
    # The datasets a check reads, by role; the first is the population (key, sample). A check of
    # one dataset has the single role "".
    roles: ClassVar[tuple[str, ...]] = ("",)
    # The figures the outcome holds, with Swedish labels and units; patterns such as
    # "{group}.mean_days" stand for a family. Criteria may only name these.
    metrics: ClassVar[tuple[Metric, ...]] = ()
    # The date fields that record when something happened and are blank until it has
    # (executed, followed_up): a run ``--as-of`` a day reads a later date as blank, as the
    # export would have read that day. The check's other dates are not (decided bounds the
    # period; valid_to is planned). None: the check does not say, and a run ``--as-of`` needs
    # the plan's ``events`` for its datasets.
    event_fields: ClassVar[frozenset[str] | None] = None

    def __init__(self, params: P, context: ControlContext) -> None:
        self.params = params
        self.context = context
        # The period's bounds as plain dates: checks compare them once per row.
        self.start, self.end = context.period.start, context.period.end
        self.invalid_rows = 0
        self.duplicate_rows = 0
        # Rows the plan's own selection (include, exclude) left out: the ``excluded`` figure.
        # The engine reads it to tell where every row went.
        self.excluded = 0
        # Rows fed that the check left out of everything it reports as outside the period
        # (utredningstid's decisions, handkassa's counts, beviljad_tid's performed time): the
        # engine reads it to tell where every row went.
        self.outside_rows = 0
        # Rows of the first dataset outside the population that the check still used (the
        # refills a handkassa's balance adds): the engine counts them as used, not left out.
        self.used_outside_population = 0
        self.findings = FindingLog()  # data-quality findings and the check's own deviations

    @classmethod
    def needed_fields(cls, params: Any) -> dict[str, FieldType]:
        """Fields this control reads; override when params name fields (e.g. ``group_by``)."""
        return dict(cls.fields)

    def missing_figure(self, name: str) -> str | None:
        """Why the figure ``name``, which the criteria ask for, is not in the outcome, in plain
        Swedish for a report ("Det fanns inga beslut med lag LSS att räkna under perioden
        240101–241231"); None when the check cannot say. Asked after ``outcome``."""
        return None

    @classmethod
    def possible_metrics(cls, params: Any, period: Period) -> tuple[Metric, ...]:
        """The figures this control can give with these params over ``period``: ``validate``
        refuses criteria naming any other. Override when params decide which exist."""
        return cls.metrics

    @classmethod
    def role_fields(cls, params: Any) -> dict[str, dict[str, FieldType]]:
        """Fields per role; a check of several datasets overrides this."""
        return {cls.roles[0]: cls.needed_fields(params)}

    @classmethod
    def optional_fields(cls, params: Any) -> dict[str, FieldType]:
        """Fields used when the dataset maps them (e.g. ``person_id`` for kön); never required."""
        return {}

    @classmethod
    def label_fields(cls, params: Any) -> dict[str, set[str]]:
        """Per role, the text fields whose values the check shows in figures, tables or texts
        (a group, a stratum, an insats, a handkassa's name). The engine makes a row with a
        personnummer in one a data-quality error naming file, row and column (never the value)
        and keeps it from the check, so the rest of the control runs; a personnummer elsewhere
        that would reach the results still fails the control at the privacy guard."""
        return {}

    @classmethod
    def worksheet_fields(cls, params: Any) -> list[str]:
        """Fields a reviewer needs beside the case id; never the personnummer."""
        return [
            name for name in cls.needed_fields(params) if name not in (cls.key_field, "person_id")
        ]

    def observe(self, row: Row) -> None:
        """See every valid row of every role, sampled or not (e.g. to keep a running balance)."""

    def in_population(self, row: Row) -> bool:
        """Whether a valid row belongs to what the control judges; samples are drawn from it.

        The engine asks this of every row whose fields parsed, and feeds only rows that belong
        (only the sampled ones when the control has a sample). It may ``reject`` a row.
        """
        return True

    def reference(self, row: Row) -> str:
        key = row[self.key_field] if self.key_field else None
        return str(key) if key else f"rad {row.number}"

    def reject(self, row: Row, reason: str) -> None:
        """Exclude a row from the figures, but count it and list it: nothing vanishes silently."""
        self.invalid_rows += 1
        self.findings.add(self.reference(row), reason, row.number, "datakvalitet")

    def note_duplicate(self, row: Row, first_row: int | None) -> None:
        self.duplicate_rows += 1
        where = f" (första förekomst rad {first_row})" if first_row else ""
        description = f"id:t förekommer mer än en gång{where}; raden räknas inte"
        self.findings.add(self.reference(row), description, row.number, "datakvalitet")

    @abstractmethod
    def feed(self, row: Row) -> None:
        """Take one row that parsed and belongs to the population (or the sample)."""

    def feed_batch(self, batch: Batch) -> None:
        """Take many rows at once, exactly as ``feed`` would take them one by one, in order.

        Optional and only for speed: the engine uses it when a check overrides it, and tests
        hold both paths to the same figures and findings."""
        for row in batch.rows:
            self.feed(row)

    def observe_batch(self, batch: Batch) -> None:
        """``observe`` for many rows, in order; override together with ``feed_batch`` when the
        check observes."""
        batch.each_row(self.observe)

    def population_where(self, batch: Batch) -> Mask:
        """``in_population`` for many rows: which belong. Override together with ``feed_batch``
        when the check has a population; a row it rejects is rejected through ``batch``'s
        helpers, so that its finding keeps the row path's place."""
        return batch.where_row(self.in_population)

    def merge(self, other: Check[Any]) -> None:
        """Add the state of ``other``, fed the rows that follow this one's, as if one instance
        had been fed them all: what lets a check run partitioned. Optional; a check that
        supports it overrides this and calls ``merge_counts``."""
        raise NotImplementedError(f"kontrolltypen {self.name} kan inte slå samman delresultat")

    def merge_counts(self, other: Check[Any]) -> None:
        """The engine-kept part of a merge: invalid and duplicate rows and the findings."""
        self.invalid_rows += other.invalid_rows
        self.duplicate_rows += other.duplicate_rows
        self.outside_rows += other.outside_rows
        self.used_outside_population += other.used_outside_population
        self.findings.extend(other.findings)

    @abstractmethod
    def outcome(self) -> Outcome:
        """The figures, findings and result sentence after the last row."""


def control_fields(
    check_class: type[Check[Any]], params: Any, control: Control, columns: dict[str, str]
) -> dict[str, dict[str, FieldType]]:
    """Every field a control reads, per role: the check's own, the mapped optional ones (of the
    population's dataset, whose ``columns`` are given) and the sample's strata field."""
    needed = check_class.role_fields(params)
    primary = needed.setdefault(check_class.roles[0], {})
    for name, kind in check_class.optional_fields(params).items():
        if name in columns:
            primary.setdefault(name, kind)
    if control.sample is not None and control.sample.stratify_by:
        primary.setdefault(control.sample.stratify_by, "text")
    if control.sample is not None and control.sample.method == "monetary":
        primary.setdefault(control.sample.amount_field, "decimal")
    return needed
