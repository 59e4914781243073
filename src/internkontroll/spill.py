"""A list that spills to disk: what grows with an export stays flat in memory."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Generic, TypeVar

T = TypeVar("T")

CHUNK = 4096
"""Items pickled, and read back, at a time: one call per chunk, not per item."""


class SpillList(Generic[T]):
    """A list that keeps its first ``keep`` items in memory and pickles the rest to a temporary
    file, ``chunk`` items at a time: what a check collects over a million rows (findings,
    worksheet rows) stays flat in memory. It can be appended to and iterated, in order, any
    number of times, item by item or chunk by chunk."""

    def __init__(self, items: Iterable[T] = (), keep: int = 5000, chunk: int = CHUNK) -> None:
        self._memory: list[T] = []
        self._pending: list[T] = []
        """Items after the first ``keep``, until there are a chunk of them to pickle."""
        self._spill: IO[bytes] | None = None
        self._offsets: list[int] = []
        self._keep = keep
        self._chunk = chunk
        self._count = 0
        self.extend(items)

    def append(self, item: T) -> None:
        self._count += 1
        if len(self._memory) < self._keep:
            self._memory.append(item)
            return
        self._pending.append(item)
        if len(self._pending) >= self._chunk:
            self._flush()

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    def _flush(self) -> None:
        import pickle  # only once a list outgrows memory

        if self._spill is None:
            self._spill = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the list
        self._spill.seek(0, 2)
        self._offsets.append(self._spill.tell())
        pickle.dump(self._pending, self._spill, protocol=pickle.HIGHEST_PROTOCOL)
        self._pending = []

    def __len__(self) -> int:
        return self._count

    def chunks(self) -> Iterator[Sequence[T]]:
        """The items in order, a chunk at a time (not to be changed by the caller)."""
        if self._memory:
            yield self._memory
        if self._spill is not None:
            import pickle

            self._spill.flush()
            for offset in list(self._offsets):
                self._spill.seek(offset)
                chunk: list[T] = pickle.load(self._spill)
                yield chunk
        if self._pending:
            yield self._pending

    def __iter__(self) -> Iterator[T]:
        for chunk in self.chunks():
            yield from chunk


def chunks_of(items: Sequence[T] | SpillList[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """A list or a ``SpillList`` a chunk at a time, for work done once per chunk."""
    if isinstance(items, SpillList):
        yield from items.chunks()
        return
    for start in range(0, len(items), size):
        yield items[start : start + size]


class TextSpill:
    """Texts kept in order, the first in memory and the rest in a temporary file as UTF-8
    (lone surrogates passed through, so any text comes back as it was given): what a check's
    findings take as CSV lines, read back once to be written, without a pickle round trip."""

    def __init__(self) -> None:
        self._first: str | None = None
        self._spill: IO[bytes] | None = None
        self._spans: list[tuple[int, int]] = []  # offset and size of each text in the file

    def append(self, text: str) -> None:
        if self._first is None and self._spill is None:
            self._first = text
            return
        if self._spill is None:
            self._spill = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the list
        raw = text.encode("utf-8", "surrogatepass")
        self._spill.seek(0, 2)
        self._spans.append((self._spill.tell(), len(raw)))
        self._spill.write(raw)

    def __len__(self) -> int:
        return (self._first is not None) + len(self._spans)

    def __getstate__(self) -> dict[str, list[str]]:
        """The texts themselves, read into memory: a check's state sent to another process
        (``pickle``, for a partitioned run) takes its findings along; the file stays here."""
        return {"texts": list(self)}

    def __setstate__(self, state: dict[str, list[str]]) -> None:
        self.__init__()  # type: ignore[misc]
        for text in state["texts"]:
            self.append(text)

    def __iter__(self) -> Iterator[str]:
        if self._first is not None:
            yield self._first
        if self._spill is not None:
            self._spill.flush()
            for offset, size in list(self._spans):
                self._spill.seek(offset)
                yield self._spill.read(size).decode("utf-8", "surrogatepass")
