"""A check's table (underlag/) as the CSV lines the file holds, made and searched once.

The engine searches an outcome for personnummer before anything is written, and the results
folder is written afterwards; both need the table's text. Its rows are made into CSV lines a
chunk at a time, a column at a time (cells safe from formulas as ``csv_row`` makes them, quoted
as the csv module quotes them), each chunk searched once, and kept (on disk beyond the first)
until the file is written: the rows, which may be read from disk or built from other lines, are
gone through once, not once for the search and again for the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Any

from internkontroll.cell_safety import csv_cell, safe_rows, safe_texts
from internkontroll.finding_lines import csv_texts
from internkontroll.privacy import scan
from internkontroll.spill import TextSpill, chunks_of

_NONE = type(None)
_TEXTS = frozenset((str, _NONE))
_WHOLE = frozenset((int, _NONE))


class TableLines:
    """The CSV lines of a table's rows (without the header), a text per chunk of rows, and
    whether a search of each found it free of personnummer."""

    def __init__(self, rows: Any) -> None:
        self.rows = rows
        self.count = len(rows)
        self._texts = TextSpill()
        self.clean: list[bool] = []
        for chunk in chunks_of(rows):
            text = chunk_text(chunk)
            self._texts.append(text)
            self.clean.append(not scan(text))

    def fits(self, rows: Any) -> bool:
        """Whether these lines are still those of ``rows`` (the same list, as long)."""
        return rows is self.rows and len(rows) == self.count

    def texts(self) -> Iterator[tuple[str, bool]]:
        """Each chunk's lines in order, with whether its search found none."""
        return zip(self._texts, self.clean, strict=True)


def chunk_text(rows: Sequence[Sequence[Any]]) -> str:
    """The rows as ``csv.writer`` (``;``, CRLF) writes ``csv_row`` of each, a blank cell
    empty: rows of one width a column at a time, any other chunk row by row."""
    widths = set(map(len, rows))
    if len(widths) != 1 or widths.pop() < 2:  # the csv module quotes a lone empty cell
        text = io.StringIO()
        csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(safe_rows(rows))
        return text.getvalue()
    columns = [_cells(column) for column in zip(*rows, strict=True)]
    return "\r\n".join(map(";".join, zip(*columns, strict=True))) + "\r\n"


def _cells(column: Sequence[Any]) -> Sequence[str]:
    """A column's cells as the csv module writes ``csv_cell`` of each (None as blank)."""
    kinds = set(map(type, column))
    if kinds <= _TEXTS:
        texts = column if _NONE not in kinds else ["" if c is None else c for c in column]
        return csv_texts(safe_texts(texts))
    if kinds <= _WHOLE:  # digits and a sign: nothing to quote, no formula
        return ["" if cell is None else str(cell) for cell in column]
    return csv_texts(["" if cell is None else str(csv_cell(cell)) for cell in column])
