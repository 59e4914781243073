"""The lines of the IVO list, kept on disk as they grow: a million decisions give about a hundred
thousand, three million three times as many.

Each quarter's lines come one at a time (``feed``) or a batch's at a time (``feed_batch``); they
are pickled a chunk at a time, so at most a chunk per quarter is held. The worksheet reads them
back through ``ShownLines``, chunk by chunk, without a second copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from internkontroll.outcome import Cell
from internkontroll.spill import CHUNK, SpillList

Line = list[Cell]
T = TypeVar("T")


class QuarterLines:
    """One quarter's lines in the order added, a chunk of ``CHUNK`` pickled at a time."""

    def __init__(self) -> None:
        self._sealed: SpillList[list[Line]] = SpillList(keep=0, chunk=1)
        self._open: list[Line] = []
        self._count = 0

    def append(self, line: Line) -> None:
        self._open.append(line)
        self._count += 1
        if len(self._open) >= CHUNK:
            self._seal()

    def extend(self, lines: Iterable[Line]) -> None:
        """Add ``lines``: a batch's list, or another quarter's lines, chunk by chunk."""
        for chunk in lines.chunks() if isinstance(lines, QuarterLines) else [list(lines)]:
            self._open.extend(chunk)
            self._count += len(chunk)
            while len(self._open) >= CHUNK:
                self._seal()

    def _seal(self) -> None:
        chunk, self._open = self._open[:CHUNK], self._open[CHUNK:]
        self._sealed.append(chunk)

    def chunks(self) -> Iterator[Sequence[Line]]:
        """The lines in order, a chunk at a time (not to be changed by the caller)."""
        yield from self._sealed
        if self._open:
            yield self._open

    def __iter__(self) -> Iterator[Line]:
        for chunk in self.chunks():
            yield from chunk

    def __len__(self) -> int:
        return self._count


class ShownLines(SpillList[T]):
    """A worksheet's rows made from lines kept elsewhere, a chunk at a time as they are read
    (a ``SpillList``, which is what a ``ReportTable`` takes for rows that grow with the export);
    nothing is added to it."""

    def __init__(
        self,
        sources: Sequence[QuarterLines],
        shown: Callable[[Sequence[Line]], list[T]],
    ) -> None:
        super().__init__()
        self._sources = sources
        self._shown = shown

    def append(self, item: T) -> None:
        raise TypeError("ShownLines visar andra rader och tar inga egna")

    def chunks(self) -> Iterator[Sequence[T]]:
        for source in self._sources:
            for chunk in source.chunks():
                yield self._shown(chunk)

    def __len__(self) -> int:
        return sum(len(source) for source in self._sources)
