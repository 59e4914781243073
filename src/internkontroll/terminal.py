"""Everything the program prints passes the personnummer mask, whoever wrote the words.

Messages are made in many places: our own, click's (a path in "Error: ..."), a plugin's error,
text read from bedomning.toml. Rather than trust each of them, the command line runs with
standard output and standard error wrapped so that every write is masked on its way out.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from internkontroll.privacy import redact


class RedactingStream:
    """A text stream that masks personnummer in what is written and passes the rest through."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(redact(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        # No ``buffer``: click would write bytes past the mask through it.
        if name == "buffer":
            raise AttributeError(name)
        return getattr(self._stream, name)


@contextmanager
def redacted_output() -> Iterator[None]:
    """Standard output and error masked for the duration of a command."""
    saved = sys.stdout, sys.stderr
    sys.stdout = RedactingStream(saved[0])
    sys.stderr = RedactingStream(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
