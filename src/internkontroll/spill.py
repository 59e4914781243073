"""A list that spills to disk: what grows with an export stays flat in memory."""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Generic, TypeVar

T = TypeVar("T")


class SpillList(Generic[T]):
    """A list that keeps its first ``keep`` items in memory and pickles the rest to a temporary
    file: what a check collects over a million rows (findings, worksheet rows) stays flat in
    memory. It can be appended to and iterated, in order, any number of times."""

    def __init__(self, items: Iterable[T] = (), keep: int = 5000) -> None:
        self._memory: list[T] = []
        self._spill: IO[bytes] | None = None
        self._keep = keep
        self._count = 0
        self.extend(items)

    def append(self, item: T) -> None:
        self._count += 1
        if len(self._memory) < self._keep:
            self._memory.append(item)
            return
        if self._spill is None:
            self._spill = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the list
        pickle.dump(item, self._spill, protocol=pickle.HIGHEST_PROTOCOL)

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        yield from self._memory
        if self._spill is not None:
            self._spill.flush()
            end = self._spill.tell()
            self._spill.seek(0)
            try:
                while self._spill.tell() < end:
                    yield pickle.load(self._spill)
            finally:
                self._spill.seek(end)
