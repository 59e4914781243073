"""The outcome models: what a check hands back to the engine (figures, findings, tables)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import repeat
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from internkontroll.finding_lines import Kind, Lines, Record, lines_of, records_of
from internkontroll.privacy import contains_personnummer, scan
from internkontroll.spill import CHUNK, SpillList, TextSpill

if TYPE_CHECKING:
    from internkontroll.table_lines import TableLines


class Finding(BaseModel):
    """One deviation or data problem, referenced by case id and row, never by personnummer."""

    reference: str
    description: str
    row: int | None = None
    kind: Kind = "avvikelse"
    amount: Decimal | None = None


KINDS = frozenset(("avvikelse", "datakvalitet"))


class FindingLog:
    """A control's findings as they come: a check may find hundreds of thousands of deviations
    in a million rows. They are kept as small tuples (``Record``) until there are ``CHUNK`` of
    them; a full chunk is made into the CSV lines avvikelser/ will hold (``finding_lines``),
    searched for personnummer once, as one text, and put away as that text (on disk beyond the
    first), so that writing the file is a copy. Iterating gives ``Finding`` objects back, in
    the order they were added, read back from the text."""

    def __init__(self, findings: Iterable[Finding] = ()) -> None:
        self._texts = TextSpill()
        self._sealed: list[Lines] = []  # beside each text put away: its lines and its search
        self._open: list[Record] = []
        self._sealed_count = 0
        self._leak: tuple[int | None, str] | None = None
        """The first finding whose reference or description holds a personnummer, as (row,
        field), from the chunks searched so far."""
        self.position = 0
        """The row being processed, while held: what orders the findings of a batch."""
        self._held: list[tuple[int, int, Record]] | None = None
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
            held.sort()  # by position, then order made: each entry's second item is unique
            self._open.extend([entry[2] for entry in held])
            if len(self._open) >= CHUNK:
                self._seal()

    def append(self, finding: Finding) -> None:
        amount = None if finding.amount is None else str(finding.amount)
        self._add((finding.reference, finding.description, finding.row, finding.kind, amount))

    def add(
        self,
        reference: str,
        description: str,
        row: int | None = None,
        kind: Kind = "avvikelse",
        amount: Decimal | None = None,
    ) -> None:
        """``append(Finding(...))`` without building the ``Finding``: what a check calls for
        each of many findings. Anything ``Finding`` would convert or refuse goes through it."""
        if (
            type(reference) is str
            and type(description) is str
            and (row is None or type(row) is int)
            and kind in KINDS
            and (amount is None or (type(amount) is Decimal and amount.is_finite()))
        ):
            record = (reference, description, row, kind, None if amount is None else str(amount))
            held = self._held
            if held is not None:  # _add, inline: a check may call this a million times
                held.append((self.position, len(held), record))
            else:
                self._add(record)
            return
        finding = Finding(
            reference=reference, description=description, row=row, kind=kind, amount=amount
        )
        self.append(finding)

    def add_columns(
        self,
        references: Sequence[str],
        descriptions: Sequence[str],
        rows: Sequence[int | None],
        kind: Kind = "avvikelse",
        amounts: Sequence[Decimal | None] | None = None,
        positions: Sequence[int] | None = None,
    ) -> None:
        """``add`` for many findings at once, given by column (``amounts`` None: none has one),
        without a Python call per finding: what a batch fold calls with the texts of all the
        rows it flags. While held, each finding is put at its ``positions`` entry (the row it
        was made at; ``position`` for all if None), after those already held there, in the
        order given."""
        count = len(references)
        if not (len(descriptions) == len(rows) == count) or (
            (amounts is not None and len(amounts) != count)
            or (positions is not None and len(positions) != count)
        ):
            raise ValueError("add_columns: kolumnerna är olika långa")
        texts = _kept_amounts(amounts, count)
        if (
            texts is None
            or kind not in KINDS
            or not _only(references, _STR)
            or not _only(descriptions, _STR)
            or not _only(rows, _ROW)
        ):  # something to convert or refuse: one finding at a time, as add does it
            for index in range(count):
                if positions is not None:
                    self.position = positions[index]
                amount = None if amounts is None else amounts[index]
                self.add(references[index], descriptions[index], rows[index], kind, amount)
            return
        records = zip(references, descriptions, rows, repeat(kind, count), texts, strict=True)
        held = self._held
        if held is not None:
            places = repeat(self.position, count) if positions is None else positions
            held.extend(zip(places, range(len(held), len(held) + count), records, strict=True))
            return
        self._open.extend(records)
        if len(self._open) >= CHUNK:
            self._seal()

    def _add(self, record: Record) -> None:
        held = self._held
        if held is not None:
            held.append((self.position, len(held), record))
            return
        self._open.append(record)
        if len(self._open) >= CHUNK:
            self._seal()

    def _seal(self) -> None:
        """The full chunks: each made into its lines, searched once for personnummer and put
        away; the rest stays open (cut once, not a chunk at a time from the front)."""
        whole = self._open
        cut = len(whole) - len(whole) % CHUNK
        self._open = whole[cut:]
        for start in range(0, cut, CHUNK):
            self._seal_chunk(whole[start : start + CHUNK])

    def _seal_chunk(self, chunk: list[Record]) -> None:
        text, lines = lines_of(chunk)
        if self._leak is None and not lines.clean:
            self._leak = first_leak(chunk)
        self._texts.append(text)
        self._sealed.append(lines)
        self._sealed_count += len(chunk)

    def extend(self, findings: Iterable[Finding]) -> None:
        """Add ``findings``; another ``FindingLog``'s are taken as they are kept."""
        if isinstance(findings, FindingLog):
            for chunk in findings.records():
                for record in chunk:
                    self._add(record)
            return
        for finding in findings:
            self.append(finding)

    def __len__(self) -> int:
        return self._sealed_count + len(self._open) + len(self._held or ())

    def lines(self) -> Iterator[tuple[str, Lines]]:
        """Everything so far, in order, a chunk at a time, as CSV lines without the control's
        cell (``finding_lines``): what the results folder is written from."""
        self.release()  # what is asked for is everything so far, in order
        yield from zip(self._texts, self._sealed, strict=True)
        if self._open:
            yield lines_of(self._open)

    def records(self) -> Iterator[Sequence[Record]]:
        """Everything so far, in order, a chunk at a time (not to be changed by the caller)."""
        self.release()
        for text, lines in zip(self._texts, self._sealed, strict=True):
            yield records_of(text, lines)
        if self._open:
            yield self._open

    def leak(self) -> tuple[int | None, str] | None:
        """The first finding whose reference or description holds a personnummer, as (row,
        field: "referens" or "beskrivning"), or None. Each full chunk is searched once."""
        self.release()
        return self._leak or first_leak(self._open)

    def __iter__(self) -> Iterator[Finding]:
        for chunk in self.records():
            for record in chunk:
                yield _finding(record)


_STR = frozenset((str,))
_ROW = frozenset((int, type(None)))


def _only(values: Sequence[object], types: frozenset[type]) -> bool:
    """Whether every value is of exactly one of ``types``: asked once per type present."""
    return types.issuperset(map(type, values))


def _kept_amounts(
    amounts: Sequence[Decimal | None] | None, count: int
) -> Sequence[str | None] | None:
    """The amounts as the log keeps them (``str`` of each finite ``Decimal``), or None when one
    is something ``Finding`` would convert or refuse. (``None in amounts`` would compare each
    ``Decimal`` with None: slower than asking each value's type.)"""
    if amounts is None:
        return [None] * count
    kinds = set(map(type, amounts))
    if kinds <= _DECIMAL:
        decimals: Sequence[Decimal] = amounts  # type: ignore[assignment] # no None among them
        return list(map(str, decimals)) if all(map(Decimal.is_finite, decimals)) else None
    if not kinds <= _DECIMAL_OR_NONE:
        return None
    present = [amount for amount in amounts if amount is not None]
    if not all(map(Decimal.is_finite, present)):
        return None
    return [None if amount is None else str(amount) for amount in amounts]


_DECIMAL = frozenset((Decimal,))
_DECIMAL_OR_NONE = frozenset((Decimal, type(None)))


def first_leak(records: Sequence[Record]) -> tuple[int | None, str] | None:
    """(row, field) of the first record whose reference or description holds a personnummer.

    The chunk's references and descriptions are searched as one text; only a chunk with a hit
    is searched record by record, to say which."""
    if not records:
        return None
    text = "\n".join([record[0] for record in records] + [record[1] for record in records])
    if not scan(text):
        return None
    for reference, description, row, _, _ in records:
        if contains_personnummer(reference):
            return row, "referens"
        if contains_personnummer(description):
            return row, "beskrivning"
    return None


def _finding(record: Record) -> Finding:
    reference, description, row, kind, amount = record
    return Finding.model_construct(  # validated when it was added
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
    strata: dict[str, int] = {}


Cell = str | int | None


class ReportTable(BaseModel):
    """A worksheet a check adds beside its findings, e.g. the IVO list; written as CSV.

    ``rows`` may be a ``SpillList`` when the table can grow with the export."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    title: str
    columns: list[str]
    rows: Any = []
    """A list of rows, or a ``SpillList`` of them (taken as it is, never copied)."""

    _lines: Any = PrivateAttr(default=None)

    @field_validator("rows", mode="before")
    @classmethod
    def _rows(cls, rows: Any) -> Any:
        if isinstance(rows, SpillList | list):
            return rows
        raise ValueError("rows ska vara en lista av rader")

    def lines(self) -> TableLines:
        """The rows as the file's CSV lines, each chunk searched for personnummer: made once,
        for the engine's search and then the file, while the rows stay as they were."""
        from internkontroll.table_lines import TableLines

        lines: TableLines | None = self._lines
        if lines is None or not lines.fits(self.rows):
            lines = self._lines = TableLines(self.rows)
        return lines


class Outcome(BaseModel):
    """Figures, findings and a Swedish sentence: what a check hands back to the engine."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    metrics: dict[str, float | int] = {}
    findings: FindingLog = Field(default_factory=FindingLog)
    """A list of ``Finding`` is accepted and kept as a ``FindingLog``."""
    result_text: str = ""
    sample_text: str = ""
    """The sample's own sentence (size, deviations, upper limit), also at the end of
    ``result_text``; a report that states the sample otherwise leaves it out."""
    population: int | None = None
    sample: Sample | None = None
    tables: dict[str, ReportTable] = {}

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
