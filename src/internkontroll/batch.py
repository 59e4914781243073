"""A batch of valid rows by column: what a check's ``feed_batch`` folds at once.

The row API (``feed(row)``) is the simple way to write a check; a built-in check that also has
``feed_batch`` folds thousands of rows with array operations instead of one Python call per row.
The engine holds both paths to the same results: a batch only ever holds rows that the row path
would have fed, in file order, and a check builds finding text only for the rows it flags, through
``reject_where`` and ``find_where``, which call the row API's own ``reject`` so that every word,
reference and row number is the same.

numpy is imported here and only here, when a run first makes a batch: ``--help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from internkontroll.datasets import Row

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from internkontroll.checks import Check
    from internkontroll.outcome import FindingLog

    Mask = npt.NDArray[np.bool_]
    Days = npt.NDArray[np.datetime64]
    Codes = npt.NDArray[np.intp]


class Batch:
    """Rows of one dataset, by column: as read (``Dataset.batches``, rows with errors included)
    or as a check is fed them (rows that parsed, are not repeats and belong)."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = rows
        self._columns: dict[str, list[Any]] = {}
        self._codes: dict[str, tuple[list[Any], Codes]] = {}
        self.log: FindingLog | None = None
        """The findings of the check being fed, set by the engine: each flagged row's findings
        are marked with its row number, so that a held log puts them in row order."""
        self.role = ""
        """Which of a check's datasets the rows come from (``Check.roles``), as ``row.role``."""

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def numbers(self) -> list[int]:
        """Each row's number as a spreadsheet shows it (the header is row 1)."""
        return [row.number for row in self.rows]

    def row(self, index: int) -> Row:
        """One row, whole: what the row API's ``reject`` and finding texts are given."""
        return self.rows[index]

    def take(self, mask: Mask) -> Batch:
        """The flagged rows, in order, as a batch of their own."""
        import numpy as np

        taken = Batch([self.rows[index] for index in np.flatnonzero(mask).tolist()])
        taken.role, taken.log = self.role, self.log
        return taken

    def with_role(self, role: str) -> Batch:
        """The same rows, read for the check's dataset ``role``: each row's ``row.role`` says
        so, as in the row path."""
        for row in self.rows:
            row.role = role
        batch = Batch(self.rows)
        batch.role, batch.log = role, self.log
        return batch

    def errors_in(self, names: Collection[str]) -> Mask:
        """Rows with a value in ``names`` that could not be read (``row.errors``)."""
        import numpy as np

        wanted = set(names)
        flags = [bool(row.errors) and not wanted.isdisjoint(row.errors) for row in self.rows]
        return np.array(flags, dtype=np.bool_)

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
            column = self._columns[name] = [row[name] for row in self.rows]
        return column

    def dates(self, name: str) -> Days:
        """A date column as ``datetime64[D]``, NaT where blank."""
        import numpy as np

        return np.array(self.values(name), dtype="datetime64[D]")

    def codes(self, name: str) -> tuple[list[Any], Codes]:
        """The column's distinct values (first seen first) and each row's index into them, so
        that work per value (a group's name, a date's quarter) is done once per value."""
        found = self._codes.get(name)
        if found is None:
            import numpy as np

            index: dict[Any, int] = {}
            codes = [index.setdefault(value, len(index)) for value in self.values(name)]
            found = self._codes[name] = (list(index), np.array(codes, dtype=np.intp))
        return found

    def mapped(self, name: str, function: Callable[[Any], Any]) -> list[Any]:
        """``function`` of each row's value, called once per distinct value."""
        uniques, codes = self.codes(name)
        results = [function(value) for value in uniques]
        return [results[code] for code in codes.tolist()]

    def where_row(self, predicate: Callable[[Row], bool]) -> Mask:
        """Rows for which ``predicate(row)`` holds, asked row by row in order (findings it
        makes are marked with the row's number): the row API's ``in_population`` on a batch."""
        import numpy as np

        answers = np.zeros(len(self), dtype=np.bool_)
        log = self.log
        for index in range(len(self)):
            row = self.row(index)
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

        return np.ones(len(self.rows), dtype=np.bool_)

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

        if not cases or not len(self.rows):
            return
        which = np.zeros(len(self.rows), dtype=np.intp)
        for number, (mask, _) in enumerate(cases, start=1):
            which[mask & (which == 0)] = number
        flagged = np.flatnonzero(which)
        log = self.log
        for index, case in zip(flagged.tolist(), which[flagged].tolist(), strict=True):
            row = self.row(index)
            if log is not None:
                log.position = row.number
            cases[case - 1][1](row)
