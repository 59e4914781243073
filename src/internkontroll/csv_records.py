"""CSV records with every physical line accounted for: part of a record, blank, or a bad line.

The csv module splits a record into fields; this module decides where a record may end. A quoted
field may run over several lines (Excel writes a line break in a cell that way), but only when
the record it makes is well formed and as wide as the header. Otherwise the first line is
reported as bad and reading resumes on the line after it, so a stray ``"`` that opens a field
never swallows the rows behind it, and a row with a field too many is never read shifted.

Memory stays bounded: a physical line longer than ``MAX_LINE_BYTES`` is skipped without being
held, and a quoted field that never closes stops at the csv module's field size limit.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

MAX_LINE_BYTES = 1 << 20


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", " ")


@dataclass(frozen=True)
class BadLine:
    """A physical line that gives no record, and why (Swedish, without the place)."""

    message: str


@dataclass
class LineCount:
    """Where every physical line went; ``lines == header + record_lines + blank + bad``."""

    header: int = 0
    records: int = 0
    record_lines: int = 0
    blank: int = 0
    bad: int = 0

    @property
    def lines(self) -> int:
        return self.header + self.record_lines + self.blank + self.bad


class _Interrupted(Exception):
    """A line that cannot be fed to the csv module came up inside a record."""


def too_long_line() -> BadLine:
    return BadLine(
        f"raden är längre än {_thousands(MAX_LINE_BYTES)} byte och läses inte; väntade en rad "
        "per ärende (kontrollera att filen är en CSV-export)"
    )


def _csv_problem(exc: Exception, delimiter: str) -> str:
    """The csv module's English error, for a record on one line, as what the user should know."""
    text = str(exc)
    if "field larger than field limit" in text:
        return (
            f"ett fält är längre än {_thousands(csv.field_size_limit())} tecken; kontrollera "
            "att citattecknen i filen är parade"
        )
    if "expected after" in text:
        return (
            'ett fält inom citattecken (") följs av mer text efter det avslutande '
            f"citattecknet; väntade avgränsaren {_name(delimiter)} direkt efter citattecknet"
        )
    if "new-line character" in text:
        return (
            "raden har ett radslutstecken (CR) mitt i ett fält utan citattecken; väntade "
            "radslut bara i slutet av raden"
        )
    return f"raden kan inte läsas som CSV ({text}); väntade {_name(delimiter)} mellan fälten"


def _name(delimiter: str) -> str:
    return "tabb" if delimiter == "\t" else delimiter


def _unclosed_quote(why: str) -> str:
    return (
        f'ett fält börjar med citattecken (") som inte avslutas på raden ({why}); raden läses '
        "inte. Väntade ett avslutande citattecken före nästa avgränsare, eller inget "
        "citattecken alls"
    )


def width_problem(found: int, wanted: int, delimiter: str) -> str:
    """Why a one-line record with ``found`` fields is refused when the header has ``wanted``."""
    hint = "en avgränsare för mycket eller för lite, eller olika avgränsare på olika rader?"
    if found > wanted and delimiter == ",":
        hint = (
            "ett tal med decimalkomma, t.ex. 2754,50, måste stå inom citattecken i en "
            "kommaseparerad fil"
        )
    return (
        f"raden har {found} fält men rubrikraden har {wanted}; väntade {wanted} fält "
        f"({hint}). Raden läses inte, så inga kolumner förskjuts"
    )


class CsvRecords:
    """Records of a CSV text as ``(first line, cells or BadLine)``; blank lines are only counted.

    The first record is the header; call ``expect`` after it with the field counts a record may
    have. ``count`` says where every line went so far. The loop is the hot path of every CSV
    run, so lines are numbered by counting rather than carried in tuples.
    """

    def __init__(self, lines: Iterable[str | BadLine], delimiter: str) -> None:
        self.delimiter = delimiter
        self.width = 0  # the header's, for messages
        self.count = LineCount()
        self._lowest, self._highest = 0, 1 << 62  # field counts allowed; any until ``expect``
        self._header_read = False
        self._source = iter(lines)
        self._pending: deque[str | BadLine] = deque()
        self._taken: list[str | BadLine] = []  # the lines of the record being read
        self._done = 0  # lines accounted for so far
        self._reader = self._new_reader()

    def expect(self, width: int, lowest: int) -> None:
        """Records must have from ``lowest`` to ``width`` fields (the header's count)."""
        self.width, self._lowest, self._highest = width, lowest, width

    def resume(self, first_line: int, width: int, lowest: int) -> None:
        """Read from the middle of a file: the header lies behind, and the first line given is
        line ``first_line``, so that row numbers and messages name the file's own lines."""
        self.expect(width, lowest)
        self._header_read = True
        self._done = first_line - 1

    def _new_reader(self) -> Iterator[list[str]]:
        return csv.reader(self._feed(), delimiter=self.delimiter, strict=True)

    def _feed(self) -> Iterator[str]:
        """Lines for the csv module, remembering which it took for the current record."""
        taken, pending = self._taken, self._pending
        while pending:
            item = pending.popleft()
            taken.append(item)
            if item.__class__ is BadLine:
                raise _Interrupted
            yield item  # type: ignore[misc]
        for item in self._source:
            taken.append(item)
            if item.__class__ is BadLine:
                raise _Interrupted
            yield item  # type: ignore[misc]

    def _reject(self, message: str) -> tuple[int, BadLine]:
        """The first taken line is bad; the rest are read again as lines of their own."""
        line, rest = self._taken[0], self._taken[1:]
        self._pending.extendleft(reversed(rest))
        self._reader = self._new_reader()  # the old one may have consumed a dead feed
        self.count.bad += 1
        self._done += 1
        return self._done, line if isinstance(line, BadLine) else BadLine(message)

    def _failure(self, exc: Exception) -> str:
        """Why the record starting at the first taken line failed."""
        text, last = str(exc), self._done + len(self._taken)
        if isinstance(exc, _Interrupted):
            return _unclosed_quote(f"rad {last} kan inte läsas")
        if "unexpected end of data" in text:
            return _unclosed_quote("filen tar slut utan att det avslutas")
        if len(self._taken) == 1:
            return _csv_problem(exc, self.delimiter)
        if "field larger" in text:
            limit = _thousands(csv.field_size_limit())
            return _unclosed_quote(f"fältet blir längre än {limit} tecken utan att det avslutas")
        return _unclosed_quote(f"nästa citattecken, på rad {last}, följs av mer text")

    def _width_problem(self, found: int) -> str:
        return width_problem(found, self.width, self.delimiter)

    def __iter__(self) -> Iterator[tuple[int, list[str] | BadLine]]:
        taken, count = self._taken, self.count
        while True:
            taken.clear()
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except (csv.Error, _Interrupted) as exc:
                if not taken:  # pragma: no cover - the csv module fails only on a line
                    return
                yield self._reject(self._failure(exc))
                continue
            span = len(taken)
            blank = not (cells and (cells[0].strip() or "".join(cells).strip()))
            if blank and self._header_read:
                count.blank += span
                self._done += span
                continue
            found = len(cells)
            if not self._lowest <= found <= self._highest:
                if span > 1:
                    last = self._done + span
                    yield self._reject(
                        _unclosed_quote(
                            f"posten det ger, rad {self._done + 1}–{last}, har {found} fält "
                            f"men rubrikraden har {self.width}"
                        )
                    )
                else:
                    count.bad += 1
                    self._done += 1
                    yield self._done, BadLine(self._width_problem(found))
                continue
            number = self._done + 1
            self._done += span
            if self._header_read:
                count.records += 1
                count.record_lines += span
            else:
                count.header += span
                self._header_read = True
            yield number, cells
