"""Text that a spreadsheet would run as a formula is stored as text (OWASP, CSV injection).

An export, a plan or bedomning.toml may hold ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0``.
Every CSV the program writes puts an apostrophe before text that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return, which Excel shows as the text itself; every XLSX
stores such text as a string cell, never as a formula. A plain number such as ``-12,50`` is
left as it is: it is no formula, and an amount should stay an amount. Reading a worksheet back
removes the apostrophe again, so the round trip gives the text that was written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[ \u00a0]\d{3})*(?:[.,]\d+)?")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


def _quoted(text: str) -> bool:
    """Formula-like once any leading apostrophes are taken away: such text gets one more, so
    that text which itself starts with an apostrophe (``'=``) also reads back as written."""
    return is_formula_like(text.lstrip("'"))


def csv_cell(value: Any) -> Any:
    """``value`` for a CSV: formula-like text behind an apostrophe, everything else unchanged."""
    if isinstance(value, str) and _quoted(value):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


_CELL_START = re.compile("\n[" + re.escape("".join(FORMULA_START) + "'") + "]")
"""A line break and then a character a formula-like cell may start with: searched for by the
line break, quickly, in many cells joined by line breaks."""


def _maybe_formula(joined: str) -> bool:
    """Whether any of the cells in ``joined`` (each after a line break) could need the
    apostrophe: a quick test over all of them at once; a cell holding a line break may make it
    say yes when none does, never no when one does."""
    return _CELL_START.search(joined) is not None


def safe_texts(texts: Sequence[str]) -> Sequence[str]:
    """``csv_cell`` of each text, for a column of many: tested as one text first, since almost
    none needs the apostrophe."""
    if not _maybe_formula("\n" + "\n".join(texts)):
        return texts
    return [csv_cell(text) for text in texts]


def safe_rows(rows: Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
    """``csv_row`` of each row (a blank cell written empty), for a chunk of many."""
    if not _maybe_formula("\n" + "\n".join(map(str, chain.from_iterable(rows)))):
        return rows
    return [csv_row(row) for row in rows]


def from_csv(text: str) -> str:
    """The text a CSV cell written by ``csv_cell`` stood for."""
    if text.startswith("'") and _quoted(text[1:]):
        return text[1:]
    return text


def as_text_cells(cells: Iterable[Any]) -> None:
    """Make openpyxl keep text starting with ``=`` as a string cell, not a formula."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"
