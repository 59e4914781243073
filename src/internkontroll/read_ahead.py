"""Reading ahead: the next batches of an export are read in a thread while this one is folded.

Reading a block is mostly work that lets go of the interpreter's lock (file reads, pyarrow's
CSV parsing, numpy), and folding a batch is mostly work that holds it; on a machine with two
cores the two overlap. The reader runs in one thread of its own and hands over whole batches
through a short queue, so at most ``depth`` batches wait in memory; nothing else is shared.
What the reader raises is raised where the batches are taken, in order, after the batches read
before it. When the taker stops early (an error, Ctrl-C), the reader stops at its next batch
and closes its source.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

DEPTH = 2
"""Batches read ahead of the one being folded."""

_WAIT = 0.1
"""Seconds the reader waits for room in the queue before it looks whether it should stop."""


class _End(Generic[T]):
    """The reader's last message: it ran out, or what it raised."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


def read_ahead(items: Iterator[T], depth: int = DEPTH) -> Iterator[T]:
    """``items`` as they are, read in a thread up to ``depth`` items ahead of the caller."""
    handover: queue.Queue[T | _End[T]] = queue.Queue(maxsize=max(depth, 1))
    stop = threading.Event()

    def offer(message: T | _End[T]) -> bool:
        while not stop.is_set():
            try:
                handover.put(message, timeout=_WAIT)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for item in items:
                if not offer(item):
                    return
            offer(_End())
        except BaseException as exc:  # handed to the caller, who raises it in order
            offer(_End(exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    reader = threading.Thread(target=read, name="internkontroll-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            message = handover.get()
            if isinstance(message, _End):
                if message.error is not None:
                    raise message.error
                return
            yield message
    finally:
        stop.set()
        reader.join()


class Background(Generic[T]):
    """One call run in a thread of its own (a file's sha256 while the file is folded); its
    result, or what it raised, is given by ``result``."""

    def __init__(self, call: Callable[[], T]) -> None:
        self._value: T | None = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._value = call()
            except BaseException as exc:  # raised by ``result``, where it is asked for
                self._error = exc

        self._thread = threading.Thread(target=run, name="internkontroll-background", daemon=True)
        self._thread.start()

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
