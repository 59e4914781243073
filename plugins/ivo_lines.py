"""The lines of the IVO list, kept on disk as they grow: a million decisions give about a hundred
thousand, three million three times as many.

Each quarter's lines are kept as columns, a list per cell of the line: ``feed`` adds a line at a
time, ``feed_batch`` a batch's lines a column at a time, and a chunk of ``CHUNK`` lines is pickled
as its columns. A list per line, made, tracked by the collector and pickled, cost more than the
rest of the list's work. The worksheet reads the chunks back through ``ShownLines``, a chunk of
columns at a time, without a second copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from internkontroll.outcome import Cell
from internkontroll.spill import CHUNK, SpillList

Line = list[Cell]
Columns = list[list[Cell]]
"""Lines as columns: the first cell of each line, then the second, and so on."""
T = TypeVar("T")


class QuarterLines:
    """One quarter's lines in the order added, as columns, a chunk of ``CHUNK`` pickled at a
    time. Every line has as many cells as the first."""

    def __init__(self) -> None:
        self._sealed: SpillList[Columns] = SpillList(keep=0, chunk=1)
        self._open: Columns = []
        self._count = 0

    def append(self, line: Line) -> None:
        if not self._open:
            self._open = [[] for _ in line]
        for column, cell in zip(self._open, line, strict=True):
            column.append(cell)
        self._count += 1
        if len(self._open[0]) >= CHUNK:
            self._seal()

    def add_columns(self, columns: Sequence[Sequence[Cell]]) -> None:
        """Add lines given as columns of equal length (a batch's lines)."""
        if not columns or not len(columns[0]):
            return
        if not self._open:
            self._open = [[] for _ in columns]
        for column, cells in zip(self._open, columns, strict=True):
            column.extend(cells)
        self._count += len(columns[0])
        while len(self._open[0]) >= CHUNK:
            self._seal()

    def extend(self, lines: Iterable[Line]) -> None:
        """Add ``lines``: a list of lines, or another quarter's lines, chunk by chunk."""
        if isinstance(lines, QuarterLines):
            for columns in lines.column_chunks():
                self.add_columns(columns)
            return
        for line in lines:
            self.append(line)

    def _seal(self) -> None:
        self._sealed.append([column[:CHUNK] for column in self._open])
        self._open = [column[CHUNK:] for column in self._open]

    def column_chunks(self) -> Iterator[Columns]:
        """The lines in order as columns, a chunk at a time (not to be changed by the caller)."""
        yield from self._sealed
        if self._open and self._open[0]:
            yield self._open

    def chunks(self) -> Iterator[Sequence[Line]]:
        """The lines in order, a chunk at a time."""
        for columns in self.column_chunks():
            yield list(map(list, zip(*columns, strict=True)))

    def held(self) -> int:
        """How many lines are in memory: those not yet a whole chunk."""
        return len(self._open[0]) if self._open else 0

    def __iter__(self) -> Iterator[Line]:
        for chunk in self.chunks():
            yield from chunk

    def __len__(self) -> int:
        return self._count


class ShownLines(SpillList[T]):
    """A worksheet's rows made from lines kept elsewhere, a chunk of columns at a time as they
    are read (a ``SpillList``, which is what a ``ReportTable`` takes for rows that grow with the
    export); nothing is added to it."""

    def __init__(
        self,
        sources: Sequence[QuarterLines],
        shown: Callable[[Columns], list[T]],
    ) -> None:
        super().__init__()
        self._sources = sources
        self._shown = shown

    def append(self, item: T) -> None:
        raise TypeError("ShownLines visar andra rader och tar inga egna")

    def chunks(self) -> Iterator[Sequence[T]]:
        for source in self._sources:
            for columns in source.column_chunks():
                yield self._shown(columns)

    def __len__(self) -> int:
        return sum(len(source) for source in self._sources)
