"""Datasets: an export's records mapped onto canonical fields and parsed into typed values.

A row carries the values that parsed and, separately, a Swedish message for each that did not, so
that the engine (not the reader) decides to exclude and count a bad row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from internkontroll.csv_records import BadLine, LineCount
from internkontroll.errors import DatasetError
from internkontroll.models import DatasetSpec
from internkontroll.privacy import excerpt, redact
from internkontroll.readers import CsvReader, TableReader, XlsxReader, open_table
from internkontroll.values import EXPECTED, FieldType, parser_for
from internkontroll.xlsx_formulas import NoSavedValue

if TYPE_CHECKING:
    from internkontroll.batch import Batch

BLOCK_BYTES = 1 << 20
"""How much of a CSV the batch reader parses at once: large enough that pyarrow's fixed cost
per call vanishes, small enough that a batch's columns stay a few megabytes."""


class Row(dict[str, Any]):
    """One record: typed values by canonical field (a field it lacks reads as None), with
    ``errors`` for the fields that did not parse. A dict, so a check's ``row["decided"]`` is one
    C-level lookup: checks read fields millions of times."""

    __slots__ = ("duplicate_of", "errors", "number", "review", "role")

    def __init__(
        self, number: int, values: dict[str, Any], errors: dict[str, str] | None = None
    ) -> None:
        super().__init__(values)
        self.number = number
        self.errors: dict[str, str] = errors or {}
        self.review: dict[str, Any] | None = None  # a reviewer's answers, from a worksheet
        self.role = ""  # which of a check's datasets the row comes from
        # Per id field, the row where this row's id was first seen (only when it is a repeat).
        self.duplicate_of: dict[str, int] | None = None

    def __missing__(self, name: str) -> None:
        return None


class Dataset:
    """A named export with its column mapping; ``rows`` streams typed rows once per call."""

    def __init__(
        self,
        name: str,
        spec: DatasetSpec,
        path: Path,
        events: frozenset[str] = frozenset(),
        as_of: date | None = None,
    ) -> None:
        self.name = name
        self.spec = spec
        self.path = path
        # Date fields that read as blank after ``as_of``: what had not yet happened that day.
        self.events = events if as_of is not None else frozenset()
        self.as_of = as_of
        self.rows_read = 0
        self.count = LineCount()
        """Where the last pass put every physical line of a CSV (read, blank or bad)."""

    def reader(self) -> TableReader:
        if self.path.is_dir():
            raise DatasetError(
                f"datamängden {self.name}: {self.path} är en mapp; väntade en CSV- eller XLSX-fil"
            )
        if not self.path.is_file():
            raise DatasetError(f"datamängden {self.name}: filen {self.path} finns inte")
        return open_table(self.path, self.spec.encoding, self.spec.delimiter, self.spec.sheet)

    def missing_columns(self, fields: list[str]) -> list[str]:
        """Mapped headers, for ``fields``, that the export's header row does not have."""
        names = [h.casefold() for h in self.reader().header()]
        for f in fields:
            if f in self.spec.columns:
                self._single_column(names, self.spec.columns[f])
        header = set(names)
        return [
            self.spec.columns[f]
            for f in fields
            if f in self.spec.columns and self.spec.columns[f].strip().casefold() not in header
        ]

    def _single_column(self, header: list[str], column: str) -> None:
        """Refuse a mapped header the export has twice: which of the two holds the data is a
        guess, and a wrong guess gives wrong figures."""
        count = header.count(column.strip().casefold())
        if count > 1:
            raise DatasetError(
                f"datamängden {self.name} ({self.path.name}): kolumnen {column!r} finns "
                f"{count} gånger i rubrikraden; väntade en kolumn med den rubriken (byt namn "
                "på eller ta bort den andra)"
            )

    def layout(self, fields: Mapping[str, FieldType]) -> Layout:
        """Where each of ``fields`` sits in the export and how it is parsed; refuses a field the
        mapping lacks, or a column the header lacks or has twice."""
        reader = self.reader()
        header = [h.casefold() for h in reader.header()]
        positions: dict[str, tuple[int, str]] = {}
        for name in fields:
            column = self.spec.columns.get(name)
            if column is None:
                raise DatasetError(
                    f"datamängden {self.name}: fältet {name!r} saknas i kolumnmappningen"
                )
            self._single_column(header, column)
            try:
                positions[name] = (header.index(column.strip().casefold()), column)
            except ValueError:
                raise DatasetError(
                    f"datamängden {self.name} ({self.path.name}): kolumnen {column!r} "
                    f"(fältet {name}) finns inte i rubrikraden"
                ) from None
        plan = [
            Placement(name, index, column, fields[name], self._parser(name, fields[name]))
            for name, (index, column) in positions.items()
        ]
        return Layout(reader, len(header), plan)

    def _parser(self, name: str, kind: FieldType) -> Callable[[object], object]:
        parse = parser_for(kind)
        if kind != "date" or name not in self.events or self.as_of is None:
            return parse
        as_of = self.as_of

        def until_as_of(raw: object) -> object:
            """A date after ``as_of`` had not yet happened: blank, as the export read then."""
            value = parse(raw)
            return None if value is not None and value > as_of else value  # type: ignore[operator]

        return until_as_of

    def row_place(self, number: int) -> str:
        """How a message names a row of this dataset."""
        return f"{self.name} ({self.path.name}) rad {number}"

    def bad_line(self, number: int, message: str) -> str:
        """A line that gives no record: the message every field of its row carries."""
        return redact(f"{self.row_place(number)}: {message}")

    def cell_error(self, number: int, place: Placement, raw: object, exc: Exception) -> str:
        """A cell that did not parse: where, what it holds (an excerpt) and what was expected."""
        why = exc if isinstance(exc, ValueError) else f"väntade {EXPECTED[place.kind]}"
        return redact(
            f"{self.row_place(number)}, kolumn {place.column!r}: "
            f"{excerpt(str(raw))!r} går inte att läsa; {why}"
        )

    def typed(self, number: int, cells: list[Any] | BadLine, layout: Layout) -> Row:
        """One record as a typed row: values that parsed, and a message for each that did not."""
        if isinstance(cells, BadLine):  # every field in error: the row counts, never shifted
            message = self.bad_line(number, cells.message)
            return Row(number, {}, dict.fromkeys((p.name for p in layout.plan), message))
        values: dict[str, Any] = {}
        errors: dict[str, str] | None = None
        short = len(cells)
        for place in layout.plan:
            name, index = place.name, place.position
            if index >= short:
                errors = errors or {}
                errors[name] = (
                    f"{self.row_place(number)}: raden har {short} fält men rubrikraden har "
                    f"{layout.width}, så kolumnen {place.column!r} saknas (olika avgränsare på "
                    "olika rader?)"
                )
                continue
            raw = cells[index]
            if place.is_text and raw.__class__ is str:  # the common case, without a call
                values[name] = raw.strip() or None
                continue
            if raw.__class__ is NoSavedValue:  # openpyxl would have read it as blank
                errors = errors or {}
                errors[name] = redact(
                    f"{self.row_place(number)}, kolumn {place.column!r}: {raw.reason()}"
                )
                continue
            try:
                values[name] = place.parse(raw)
            except Exception as exc:  # any parser failure is this cell's, never the run's
                errors = errors or {}
                errors[name] = self.cell_error(number, place, raw, exc)
        return Row(number, values, errors)

    def rows(self, fields: Mapping[str, FieldType]) -> Iterator[Row]:
        """Typed rows holding ``fields``; every mapped field must exist in the header."""
        layout = self.layout(fields)
        reader = layout.reader
        self.rows_read = 0
        for number, cells in reader.records():
            self.rows_read += 1
            yield self.typed(number, cells, layout)
        if isinstance(reader, CsvReader | XlsxReader):
            self.count = reader.count

    def batches(
        self, fields: Mapping[str, FieldType], size: int, block_bytes: int = BLOCK_BYTES
    ) -> Iterator[Batch]:
        """``rows`` in batches of ``size`` rows (the last may be shorter), in file order, rows
        with errors included: the engine sorts them out. Row numbers, values and messages are
        those of ``rows``. A CSV is read in blocks of about ``block_bytes`` by pyarrow, a block it
        cannot read exactly (quotes, ragged lines, mixed encodings ...) by the row reader."""
        from internkontroll.batch import Batch

        layout = self.layout(fields)
        self.rows_read = 0
        if isinstance(layout.reader, CsvReader):
            from internkontroll.arrow_blocks import csv_pieces

            self.count = LineCount()
            pieces: Iterator[Batch] = csv_pieces(self, layout, block_bytes, self.count)
        else:
            pieces = self._row_pieces(layout, size)
            if isinstance(layout.reader, XlsxReader):
                self.count = layout.reader.count
        for batch in Batch.rechunk(pieces, size):
            self.rows_read += len(batch)
            yield batch

    def _row_pieces(self, layout: Layout, size: int) -> Iterator[Batch]:
        from internkontroll.batch import Batch

        kinds = {place.name: place.kind for place in layout.plan}
        typed = (self.typed(number, cells, layout) for number, cells in layout.reader.records())
        while chunk := list(islice(typed, size)):
            yield Batch.from_rows(chunk, kinds)


class Placement(NamedTuple):
    """One field of a dataset: its column's index and header, its type and its parser."""

    name: str
    position: int
    column: str
    kind: FieldType
    parse: Callable[[object], object]

    @property
    def is_text(self) -> bool:
        return self.kind == "text"


class Layout(NamedTuple):
    """The fields a pass reads: the reader (header read), the header's width, each field."""

    reader: TableReader
    width: int
    plan: list[Placement]
