"""Datasets: an export's records mapped onto canonical fields and parsed into typed values.

A row carries the values that parsed and, separately, a Swedish message for each that did not, so
that the engine (not the reader) decides to exclude and count a bad row.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from internkontroll.csv_records import BadLine
from internkontroll.errors import DatasetError
from internkontroll.models import DatasetSpec
from internkontroll.privacy import excerpt, redact
from internkontroll.readers import TableReader, open_table
from internkontroll.values import EXPECTED, FieldType, parser_for

if TYPE_CHECKING:
    from internkontroll.batch import Batch


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

    def __init__(self, name: str, spec: DatasetSpec, path: Path) -> None:
        self.name = name
        self.spec = spec
        self.path = path
        self.rows_read = 0

    def reader(self) -> TableReader:
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

    def rows(self, fields: Mapping[str, FieldType]) -> Iterator[Row]:
        """Typed rows holding ``fields``; every mapped field must exist in the header."""
        reader = self.reader()
        records = reader.records()
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
        self.rows_read = 0
        width = len(header)
        plan = [
            (name, index, column, fields[name] == "text", parser_for(fields[name]))
            for name, (index, column) in positions.items()
        ]
        for number, cells in records:
            self.rows_read += 1
            if isinstance(cells, BadLine):  # every field in error: the row counts, never shifted
                message = redact(f"{self.name} ({self.path.name}) rad {number}: {cells.message}")
                yield Row(number, {}, dict.fromkeys(fields, message))
                continue
            values: dict[str, Any] = {}
            errors: dict[str, str] | None = None
            short = len(cells)
            for name, index, column, is_text, parse in plan:
                if index >= short:
                    errors = errors or {}
                    errors[name] = (
                        f"{self.name} ({self.path.name}) rad {number}: raden har {short} "
                        f"fält men rubrikraden har {width}, så kolumnen {column!r} saknas "
                        "(olika avgränsare på olika rader?)"
                    )
                    continue
                raw = cells[index]
                if is_text and raw.__class__ is str:  # the common case, without a call
                    values[name] = raw.strip() or None
                    continue
                try:
                    values[name] = parse(raw)
                except Exception as exc:  # any parser failure is this cell's, never the run's
                    errors = errors or {}
                    why = (
                        exc if isinstance(exc, ValueError) else f"väntade {EXPECTED[fields[name]]}"
                    )
                    errors[name] = redact(
                        f"{self.name} ({self.path.name}) rad {number}, kolumn {column!r}: "
                        f"{excerpt(str(raw))!r} går inte att läsa; {why}"
                    )
            yield Row(number, values, errors)

    def batches(self, fields: Mapping[str, FieldType], size: int) -> Iterator[Batch]:
        """``rows`` in batches of up to ``size`` rows, in file order, rows with errors included:
        the engine sorts them out. Row numbers and messages are those of ``rows``."""
        from internkontroll.batch import Batch

        rows = self.rows(fields)
        while chunk := list(islice(rows, size)):
            yield Batch(chunk)
