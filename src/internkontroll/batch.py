"""A batch of valid rows by column: what a check's ``feed_batch`` folds at once.

The row API (``feed(row)``) is the simple way to write a check; a built-in check that also has
``feed_batch`` folds thousands of rows with array operations instead of one Python call per row.
The engine holds both paths to the same results: a batch only ever holds rows that the row path
would have fed, in file order, and a check builds finding text only for the rows it flags, through
``reject_where`` and ``find_where``, which call the row API's own ``reject`` so that every word,
reference and row number is the same.

A batch from the reader (``Dataset.batches``) holds columns (``columnar``), row numbers and a
sparse map of the rows' errors, and builds a ``Row`` only when one is asked for (``row``,
``rows`` and the callbacks of ``each_row``, ``each_where`` and ``where_row``): most rows of a
run are never a Python object. ``Batch(rows)`` makes a batch of rows already built.

numpy and pyarrow are imported only when a run first makes a batch: ``--help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from internkontroll.datasets import Row

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from internkontroll.checks import Check
    from internkontroll.columnar import Column
    from internkontroll.outcome import FindingLog
    from internkontroll.values import FieldType

    Mask = npt.NDArray[np.bool_]
    Days = npt.NDArray[np.datetime64]
    Codes = npt.NDArray[np.intp]
    Numbers = npt.NDArray[np.int64]


class Batch:
    """Rows of one dataset, by column: as read (``Dataset.batches``, rows with errors included)
    or as a check is fed them (rows that parsed, are not repeats and belong)."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self._rows: Sequence[Row] | None = rows
        self._length = len(rows)
        self._numbers: Numbers | None = None
        self._fields: tuple[str, ...] = ()
        self._store: dict[str, Column] = {}  # the columns, for a batch from the reader
        self._errors: dict[int, dict[str, str]] | None = None  # by row index, only rows with any
        self._built: dict[int, Row] = {}
        self._columns: dict[str, list[Any]] = {}
        self._codes: dict[str, tuple[list[Any], Codes]] = {}
        self.role = ""
        """Which of a check's datasets the rows come from: every row built gets it."""
        self.log: FindingLog | None = None
        """The findings of the check being fed, set by the engine: each flagged row's findings
        are marked with its row number, so that a held log puts them in row order."""

    @classmethod
    def columnar(
        cls,
        numbers: Numbers,
        store: dict[str, Column],
        errors: dict[int, dict[str, str]],
    ) -> Batch:
        """Rows as columns: each row's number, one column per field (in field order: a built
        row's values keep it), and the messages of the rows with errors, by row index (a field
        in error has no value in the row, as in ``Dataset.rows``)."""
        batch = cls(())
        batch._rows = None
        batch._length = len(numbers)
        batch._numbers = numbers
        batch._fields = tuple(store)
        batch._store = store
        batch._errors = errors
        return batch

    @classmethod
    def from_rows(cls, rows: Sequence[Row], kinds: Mapping[str, FieldType]) -> Batch:
        """Rows already built (the row reader's), as columns of ``kinds``' fields."""
        import numpy as np

        from internkontroll.columnar import column_of

        store = {name: column_of(kind, [row[name] for row in rows]) for name, kind in kinds.items()}
        numbers = np.array([row.number for row in rows], dtype=np.int64)
        errors = {index: row.errors for index, row in enumerate(rows) if row.errors}
        batch = cls.columnar(numbers, store, errors)
        batch._built = dict(enumerate(rows))
        return batch

    @staticmethod
    def concat(parts: Sequence[Batch]) -> Batch:
        """Columnar batches of the same fields, one after the other."""
        import numpy as np

        from internkontroll.columnar import concat

        if len(parts) == 1:
            return parts[0]
        errors: dict[int, dict[str, str]] = {}
        offset = 0
        for part in parts:
            errors.update((offset + index, found) for index, found in part.all_errors().items())
            offset += len(part)
        store = {name: concat([part._column(name) for part in parts]) for name in parts[0]._fields}
        numbers = np.concatenate([part.row_numbers for part in parts])
        return Batch.columnar(numbers, store, errors)

    @staticmethod
    def rechunk(pieces: Iterable[Batch], size: int) -> Iterator[Batch]:
        """Columnar ``pieces`` regrouped into batches of exactly ``size`` rows (the last fewer)."""
        size = max(size, 1)
        held: list[Batch] = []
        count = 0
        for piece in pieces:
            start = 0
            while len(piece) - start >= size - count:
                cut = start + size - count
                held.append(piece.slice(start, cut))
                yield Batch.concat(held)
                held, count, start = [], 0, cut
            if start < len(piece):
                held.append(piece.slice(start, len(piece)))
                count += len(piece) - start
        if held:
            yield Batch.concat(held)

    def slice(self, start: int, stop: int) -> Batch:
        """Rows ``start`` to ``stop`` (not included) as a batch of their own."""
        if start == 0 and stop == len(self):
            return self
        if self._rows is not None and not self._store:
            return Batch(self._rows[start:stop])
        errors = {
            index - start: found
            for index, found in self.all_errors().items()
            if start <= index < stop
        }
        store = {name: self._column(name).slice(start, stop) for name in self._fields}
        batch = Batch.columnar(self.row_numbers[start:stop], store, errors)
        batch.role = self.role
        return batch

    def __len__(self) -> int:
        return self._length

    @property
    def rows(self) -> Sequence[Row]:
        """Every row, built (once) if the batch holds columns."""
        if self._rows is None:
            self._rows = self._build_all()
        return self._rows

    def _build_all(self) -> list[Row]:
        """Every row, from the columns' value lists (a row already built is kept)."""
        names = list(self._store)
        errors, built, role = self.all_errors(), self._built, self.role
        rows: list[Row] = []
        columns = [self.values(name) for name in names]
        lines = zip(*columns, strict=True) if columns else [()] * self._length
        for index, (number, cells) in enumerate(zip(self.numbers, lines, strict=True)):
            row = built.get(index)
            if row is None:
                found = errors.get(index)
                if found:
                    values = {n: v for n, v in zip(names, cells, strict=True) if n not in found}
                    row = Row(number, values, dict(found))
                else:
                    row = Row(number, dict(zip(names, cells, strict=True)))
                row.role = role
            rows.append(row)
        return rows

    @property
    def numbers(self) -> list[int]:
        """Each row's number as a spreadsheet shows it (the header is row 1)."""
        numbers: list[int] = self.row_numbers.tolist()
        return numbers

    @property
    def row_numbers(self) -> Numbers:
        """``numbers`` as an int64 array."""
        if self._numbers is None:
            import numpy as np

            self._numbers = np.array([row.number for row in self.rows], dtype=np.int64)
        return self._numbers

    def row(self, index: int) -> Row:
        """One row, whole: what the row API's ``reject`` and finding texts are given."""
        if self._rows is not None:
            return self._rows[index]
        row = self._built.get(index)
        if row is None:
            lists = self._columns  # whole columns as Python values, where already made
            values = {
                name: lists[name][index] if name in lists else column.value(index)
                for name, column in self._store.items()
            }
            errors = self.all_errors().get(index)
            if errors:
                values = {name: value for name, value in values.items() if name not in errors}
                row = Row(int(self.row_numbers[index]), values, dict(errors))
            else:
                row = Row(int(self.row_numbers[index]), values)
            row.role = self.role
            self._built[index] = row
        return row

    def all_errors(self) -> dict[int, dict[str, str]]:
        """The messages of every row with errors, by row index (field by field)."""
        if self._errors is None:
            self._errors = {index: row.errors for index, row in enumerate(self.rows) if row.errors}
        return self._errors

    def errors_of(self, index: int) -> dict[str, str]:
        """One row's messages by field (empty if it parsed): what ``row(index).errors`` holds."""
        return dict(self.all_errors().get(index) or {})

    def error_rows(self, names: Iterable[str] | None = None) -> Mask:
        """Rows with an error in any of ``names`` (in any field if None): the rows the engine
        sends to a check's ``reject`` instead of its folds."""
        import numpy as np

        mask = np.zeros(self._length, dtype=np.bool_)
        wanted = None if names is None else set(names)
        for index, found in self.all_errors().items():
            if wanted is None or not wanted.isdisjoint(found):
                mask[index] = True
        return mask

    def _column(self, name: str) -> Column:
        return self._store[name]

    def take(self, mask: Mask) -> Batch:
        """The flagged rows, in order, as a batch of their own (``mask`` may also be the rows'
        indices)."""
        import numpy as np

        indices = np.flatnonzero(mask) if mask.dtype == np.bool_ else np.asarray(mask, np.intp)
        if self._rows is not None and not self._store:
            taken = Batch([self._rows[index] for index in indices.tolist()])
            taken.role, taken.log = self.role, self.log
            return taken
        known = self.all_errors()
        # rows with messages, or already built, are few: only their new places are looked up
        few = [*known, *(self._built if self._rows is None else ())]
        places = np.flatnonzero(np.isin(indices, few)).tolist() if few else []
        position = {int(indices[new]): new for new in places}
        errors = {position[index]: found for index, found in known.items() if index in position}
        store = {name: self._column(name).take(indices) for name in self._fields}
        batch = Batch.columnar(self.row_numbers[indices], store, errors)
        batch.role, batch.log = self.role, self.log
        if self._rows is not None:
            batch._rows = [self._rows[index] for index in indices.tolist()]
        else:
            batch._built = {
                position[index]: row for index, row in self._built.items() if index in position
            }
        return batch

    def with_role(self, role: str) -> Batch:
        """The same rows, read for the check's dataset ``role``: each row's ``row.role`` says
        so, as in the row path (rows built later get it too)."""
        for row in self._built_rows():
            row.role = role
        batch = self._copy()
        batch.role, batch.log = role, self.log
        return batch

    def _built_rows(self) -> Iterable[Row]:
        return self._rows if self._rows is not None else self._built.values()

    def _copy(self) -> Batch:
        """Another batch over the same rows and columns (its own role and log)."""
        batch = Batch.__new__(Batch)
        batch.__dict__.update(self.__dict__)
        return batch

    def errors_in(self, names: Collection[str]) -> Mask:
        """Rows with a value in ``names`` that could not be read (``row.errors``)."""
        return self.error_rows(names)

    def each_row(self, action: Callable[[Row], None]) -> None:
        """``action`` for every row in order, each row's findings marked with its number."""
        log = self.log
        for row in self.rows:
            if log is not None:
                log.position = row.number
            action(row)

    def values(self, name: str) -> list[Any]:
        """The column's typed values in row order (None where blank)."""
        column = self._columns.get(name)
        if column is None:
            if name in self._store:
                column = self._store[name].values()
            else:
                column = [row[name] for row in self.rows]
            self._columns[name] = column
        return column

    def dates(self, name: str) -> Days:
        """A date column as ``datetime64[D]``, NaT where blank."""
        import numpy as np

        if name in self._store:
            return self._store[name].days()
        return np.array(self.values(name), dtype="datetime64[D]")

    def codes(self, name: str) -> tuple[list[Any], Codes]:
        """The column's distinct values (first seen first) and each row's index into them, so
        that work per value (a group's name, a date's quarter) is done once per value."""
        found = self._codes.get(name)
        if found is None:
            if name in self._store:
                found = self._store[name].codes()
            else:
                import numpy as np

                index: dict[Any, int] = {}
                codes = [index.setdefault(value, len(index)) for value in self.values(name)]
                found = (list(index), np.array(codes, dtype=np.intp))
            self._codes[name] = found
        return found

    def blank(self, name: str) -> Mask:
        """Rows whose value is None: blank, or (in a batch from the reader) a cell in error."""
        import numpy as np

        if name in self._store:
            return self._store[name].blank()
        return np.array([value is None for value in self.values(name)], dtype=np.bool_)

    def hashes(self, name: str) -> npt.NDArray[np.int64]:
        """``id_hash(value)`` of each row's value: what the engine's ``SeenIds`` keeps, for
        finding repeated ids without a Python call per row. Text read into arrow is hashed
        from its bytes at once; any other value once per distinct value."""
        import numpy as np

        from internkontroll.columnar import TextColumn
        from internkontroll.id_hash import id_hash, text_hashes

        column = self._store.get(name)
        if isinstance(column, TextColumn):
            return text_hashes(column.array)
        uniques, codes = self.codes(name)
        per_value = np.fromiter(map(id_hash, uniques), dtype=np.int64, count=len(uniques))
        result: npt.NDArray[np.int64] = per_value[codes]
        return result

    def hundredths(self, name: str) -> tuple[npt.NDArray[np.int64], Mask]:
        """A decimal column in whole hundredths (öre) as int64, and the rows that have them (a
        blank value, or one with more decimals than two that are not zeros, has not): sums
        and limits on amounts without a ``Decimal`` per row."""
        from internkontroll.columnar import ObjectColumn, objects

        column = self._store.get(name)
        if column is None:
            column = ObjectColumn(objects(self.values(name)))
        return column.hundredths()

    def arrow(self, name: str) -> Any:
        """The column as a pyarrow array (text as strings, dates as date32, null where blank)."""
        from internkontroll.columnar import ObjectColumn, objects

        column = self._store.get(name)
        if column is None:
            column = ObjectColumn(objects(self.values(name)))
        return column.arrow()

    def mapped(self, name: str, function: Callable[[Any], Any]) -> list[Any]:
        """``function`` of each row's value, called once per distinct value."""
        uniques, codes = self.codes(name)
        results = [function(value) for value in uniques]
        return [results[code] for code in codes.tolist()]

    def mapped_array(self, name: str, function: Callable[[Any], Any], dtype: Any) -> Any:
        """``mapped`` as a numpy array of ``dtype``: numbers a fold goes on computing with."""
        import numpy as np

        uniques, codes = self.codes(name)
        return np.array([function(value) for value in uniques], dtype=dtype)[codes]

    def where_row(self, predicate: Callable[[Row], bool]) -> Mask:
        """Rows for which ``predicate(row)`` holds, asked row by row in order (findings it
        makes are marked with the row's number): the row API's ``in_population`` on a batch."""
        import numpy as np

        answers = np.zeros(len(self), dtype=np.bool_)
        log = self.log
        for index, row in enumerate(self.rows):
            if log is not None:
                log.position = row.number
            answers[index] = bool(predicate(row))
        return answers

    def where(self, name: str, predicate: Callable[[Any], bool]) -> Mask:
        """Rows whose value satisfies ``predicate``, asked once per distinct value."""
        import numpy as np

        uniques, codes = self.codes(name)
        if not uniques:
            return np.zeros(0, dtype=np.bool_)
        answers = np.array([bool(predicate(value)) for value in uniques], dtype=np.bool_)
        result: Mask = answers[codes]
        return result

    def between(self, name: str, low: date, high: date) -> Mask:
        """Rows whose date lies in ``[low, high]``; a blank date never does."""
        import numpy as np

        days = self.dates(name)
        result: Mask = (days >= np.datetime64(low, "D")) & (days <= np.datetime64(high, "D"))
        return result

    def everything(self) -> Mask:
        import numpy as np

        return np.ones(len(self), dtype=np.bool_)

    def reject_where(self, check: Check[Any], *cases: tuple[Mask, Callable[[Row], str]]) -> None:
        """``check.reject`` every flagged row in row order; ``cases`` are (mask, reason) pairs,
        the first matching case giving the reason, built only for the rows it flags."""
        self.each_where(
            *(
                (mask, lambda row, reason=reason: check.reject(row, reason(row)))
                for mask, reason in cases
            )
        )

    def find_where(self, mask: Mask, finding: Callable[[Row], None]) -> None:
        """Call ``finding`` for each flagged row, in row order (it appends the check's finding)."""
        self.each_where((mask, finding))

    def each_where(self, *cases: tuple[Mask, Callable[[Row], None]]) -> None:
        """For each row flagged by any case, in row order, the action of the first case that
        flags it: rejects and findings of different kinds keep the row path's order."""
        import numpy as np

        if not cases or not len(self):
            return
        which = np.zeros(len(self), dtype=np.intp)
        for number, (mask, _) in enumerate(cases, start=1):
            which[mask & (which == 0)] = number
        flagged = np.flatnonzero(which)
        if self._rows is None and len(flagged) * 16 > len(self):
            for name in self._store:  # many rows to build: each column made Python once
                self.values(name)
        log = self.log
        for index, case in zip(flagged.tolist(), which[flagged].tolist(), strict=True):
            row = self.row(index)
            if log is not None:
                log.position = row.number
            cases[case - 1][1](row)
