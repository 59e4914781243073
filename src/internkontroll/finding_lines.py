"""Findings as the CSV lines avvikelser/ holds, and back: what a ``FindingLog`` keeps on disk.

A chunk of findings is made into the text of its lines once, a column at a time, without the
first column (the control's id, which the log does not know): ``referens;rad;typ;beskrivning;
belopp``, each line ended by CRLF, cells made safe from formulas (``cell_safety``) and quoted as
the csv module quotes them. Writing the file is then one replacement per chunk that puts the
control's cell before every line (``with_control``), and reading a finding back (for the few
callers that iterate ``Finding`` objects) is one parse of the text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Literal

from internkontroll.cell_safety import from_csv, safe_texts
from internkontroll.privacy import scan
from internkontroll.swedish import round_half_up

Kind = Literal["avvikelse", "datakvalitet"]

Record = tuple[str, str, int | None, Kind, str | None]
"""A finding as the log keeps it: reference, description, row, kind and amount as text."""

_NONE = type(None)
_QUOTE_IF = ('"', ";", "\r", "\n")
_NEEDS_QUOTES = re.compile('[";\r\n]')


def csv_texts(texts: Sequence[str]) -> Sequence[str]:
    """Each text as the csv module's writer (``;``, ``QUOTE_MINIMAL``) would write the cell: in
    quotes, its quotes doubled, when it holds the delimiter, a quote or a line break; tested as
    one text first, since most columns have no such cell."""
    joined = "".join(texts)
    if not any(char in joined for char in _QUOTE_IF):
        return texts
    return [
        '"' + text.replace('"', '""') + '"' if _NEEDS_QUOTES.search(text) else text
        for text in texts
    ]


def _row_texts(rows: Sequence[int | None]) -> list[str]:
    """A row number as the file writes it: blank for None and for 0."""
    if _NONE in set(map(type, rows)) or 0 in rows:  # types: quicker than None in rows
        return [str(row) if row else "" for row in rows]
    return list(map(str, rows))


_BEYOND_ORE = re.compile(r"\.\d{3}|[eE]")


def _in_ore(amount: str) -> str:
    """An amount of more than two decimals (a share of a rate: 1961.290322580645161290322580)
    rounded half up to whole öre, as the kronor it is; one of two or fewer kept as written."""
    if not _BEYOND_ORE.search(amount):
        return amount
    value = Decimal(amount)
    if int(value.as_tuple().exponent) < -2:
        value = round_half_up(value, 2)
    return format(value if value else abs(value), "f")  # no "-0,00", no "1E+3"


def _amount_texts(amounts: Sequence[str | None]) -> list[str]:
    """An amount with a decimal comma, in whole öre, as a Swedish Excel reads it; blank for
    None."""
    if _NONE in set(map(type, amounts)):
        return ["" if amount is None else _in_ore(amount).replace(".", ",") for amount in amounts]
    texts: Sequence[str] = amounts  # type: ignore[assignment] # None is not among them
    joined = "\n".join(texts)  # amounts hold no line breaks
    if _BEYOND_ORE.search(joined):
        joined = "\n".join(map(_in_ore, texts))
    return joined.replace(".", ",").split("\n")


class Lines:
    """What a chunk's text needs beside it: how many lines, where they start, and what a search
    found in it.

    ``breaks`` is None when no cell holds a line break (nearly always): every LF then ends a
    line. Otherwise it is each line's length, to put the control's cell where lines start.
    ``zero_rows`` are the findings whose row was 0, which the file writes blank like None.
    ``clean`` says that the text was searched and holds no personnummer."""

    __slots__ = ("breaks", "clean", "count", "zero_rows")

    def __init__(
        self, count: int, breaks: list[int] | None, zero_rows: tuple[int, ...], clean: bool
    ) -> None:
        self.count = count
        self.breaks = breaks
        self.zero_rows = zero_rows
        self.clean = clean


def lines_of(records: Sequence[Record]) -> tuple[str, Lines]:
    """A chunk of findings as CSV lines without the control's cell, made a column at a time and
    searched for personnummer once, as one text."""
    references, descriptions, rows, kinds, amounts = zip(*records, strict=True)
    columns = [
        csv_texts(safe_texts(references)),
        _row_texts(rows),
        csv_texts(kinds),
        csv_texts(safe_texts(descriptions)),
        csv_texts(safe_texts(_amount_texts(amounts))),
    ]
    lines = list(map(";".join, zip(*columns, strict=True)))
    text = "\r\n".join(lines) + "\r\n"
    breaks = None
    if text.count("\n") != len(lines):  # a cell holds a line break
        breaks = [len(line) + 2 for line in lines]
    zero_rows: tuple[int, ...] = ()
    if 0 in rows:
        zero_rows = tuple(index for index, row in enumerate(rows) if row == 0)
    return text, Lines(len(lines), breaks, zero_rows, not scan(text))


def with_control(text: str, lines: Lines, cell: str) -> str:
    """The lines as the file holds them: ``cell`` (the control's, quoted and made safe, with
    its ``;``) before each."""
    if lines.breaks is None:
        return cell + text[:-1].replace("\n", "\n" + cell) + "\n"
    parts, start = [], 0
    for length in lines.breaks:
        parts.append(text[start : start + length])
        start += length
    return cell + cell.join(parts)


def records_of(text: str, lines: Lines) -> list[Record]:
    """The findings ``lines_of`` made ``text`` from."""
    try:
        cells = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    except csv.Error:  # a cell beyond the csv module's limit on a field's size
        cells = list(_parse(text))
    zero = set(lines.zero_rows)
    records: list[Record] = []
    for index, (reference, row, kind, description, amount) in enumerate(cells):
        records.append(
            (
                from_csv(reference),
                from_csv(description),
                int(row) if row else (0 if index in zero else None),
                "avvikelse" if kind == "avvikelse" else "datakvalitet",
                from_csv(amount).replace(",", ".") if amount else None,
            )
        )
    return records


_CELL = re.compile(r'"((?:[^"]|"")*)"|([^;"\r\n]*)')


def _parse(text: str) -> Iterator[list[str]]:
    """The cells of each line, as ``csv.reader`` reads what ``lines_of`` wrote, without its
    limit on a cell's size."""
    position, end = 0, len(text)
    while position < end:
        line: list[str] = []
        while True:
            match = _CELL.match(text, position)
            assert match is not None  # the empty unquoted cell always matches
            quoted, plain = match.groups()
            line.append(quoted.replace('""', '"') if quoted is not None else plain)
            position = match.end()
            if text.startswith(";", position):
                position += 1
                continue
            position += 2  # CRLF
            break
        yield line
