"""The outcome models: what a check hands back to the engine (figures, findings, tables)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from internkontroll.spill import SpillList


class Finding(BaseModel):
    """One deviation or data problem, referenced by case id and row, never by personnummer."""

    reference: str
    description: str
    row: int | None = None
    kind: Literal["avvikelse", "datakvalitet"] = "avvikelse"
    amount: Decimal | None = None


class FindingLog:
    """A control's findings as they come, kept as small tuples in a ``SpillList``: a check may
    find hundreds of thousands of deviations in a million rows. Iterating gives ``Finding``
    objects back, in the order they were added."""

    def __init__(self, findings: Iterable[Finding] = ()) -> None:
        self._items: SpillList[tuple[Any, ...]] = SpillList()
        self.position = 0
        """The row being processed, while held: what orders the findings of a batch."""
        self._held: list[tuple[int, int, tuple[Any, ...]]] | None = None
        self.extend(findings)

    def hold(self) -> None:
        """Keep new findings back, each with the ``position`` it was made at, until ``release``.

        A batch is folded in phases (observe, population, feed), each over all its rows; the row
        path makes a row's findings in one go. Sorting the held findings by position, stably,
        gives the row path's order back."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        """Add the held findings in row order and stop holding."""
        held, self._held = self._held, None
        if held:
            held.sort(key=lambda entry: (entry[0], entry[1]))
            for _, _, item in held:
                self._items.append(item)

    def append(self, finding: Finding) -> None:
        amount = None if finding.amount is None else str(finding.amount)
        item = (finding.reference, finding.description, finding.row, finding.kind, amount)
        if self._held is not None:
            self._held.append((self.position, len(self._held), item))
            return
        self._items.append(item)

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.append(finding)

    def __len__(self) -> int:
        return len(self._items) + len(self._held or ())

    def __iter__(self) -> Iterator[Finding]:
        self.release()  # what is asked for is everything so far, in order
        for item in self._items:
            yield _finding(item)


def _finding(item: tuple[Any, ...]) -> Finding:
    reference, description, row, kind, amount = item
    return Finding(
        reference=reference,
        description=description,
        row=row,
        kind=kind,
        amount=None if amount is None else Decimal(amount),
    )


class Sample(BaseModel):
    size: int
    seed: int | None = None
    method: str
    strata: dict[str, int] = Field(default_factory=dict)


Cell = str | int | None


class ReportTable(BaseModel):
    """A worksheet a check adds beside its findings, e.g. the IVO list; written as CSV.

    ``rows`` may be a ``SpillList`` when the table can grow with the export."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    title: str
    columns: list[str]
    rows: Any = Field(default_factory=list)
    """A list of rows, or a ``SpillList`` of them (taken as it is, never copied)."""

    @field_validator("rows", mode="before")
    @classmethod
    def _rows(cls, rows: Any) -> Any:
        if isinstance(rows, SpillList | list):
            return rows
        raise ValueError("rows ska vara en lista av rader")


class Outcome(BaseModel):
    """Figures, findings and a Swedish sentence: what a check hands back to the engine."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    metrics: dict[str, float | int] = Field(default_factory=dict)
    findings: FindingLog = Field(default_factory=FindingLog)
    """A list of ``Finding`` is accepted and kept as a ``FindingLog``."""
    result_text: str = ""
    sample_text: str = ""
    """The sample's own sentence (size, deviations, upper limit), also at the end of
    ``result_text``; a report that states the sample otherwise leaves it out."""
    population: int | None = None
    sample: Sample | None = None
    tables: dict[str, ReportTable] = Field(default_factory=dict)

    @field_validator("findings", mode="before")
    @classmethod
    def _log(cls, findings: Any) -> FindingLog:
        if isinstance(findings, FindingLog):
            return findings
        if not isinstance(findings, list | tuple) or not all(
            isinstance(f, Finding) for f in findings
        ):
            raise ValueError("findings ska vara en lista av Finding")
        return FindingLog(findings)

    @field_validator("metrics")
    @classmethod
    def _finite(cls, metrics: dict[str, float | int]) -> dict[str, float | int]:
        for name, value in metrics.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"måttet {name!r} är inget tal")
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"måttet {name!r} är inget ändligt tal ({value})")
        return metrics
