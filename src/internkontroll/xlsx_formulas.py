"""Formula cells an XLSX holds without a saved value.

Excel saves each formula's last result beside it; a file written by another program (or by
openpyxl) may hold only the formula. openpyxl then reads the cell as blank, which would be a
wrong value without a word: a missing decision date, an amount of nothing. The sheet's XML is
scanned as ``xlsx_guard`` streams it, and each such cell becomes a cell error of its row.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from internkontroll.errors import DatasetError

MAX_UNCACHED = 100_000
"""Beyond this many, the file as a whole is refused: the cells would be kept in memory, and a
sheet of formulas never calculated needs opening and saving in Excel, not a list of errors."""

_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b(?:[^>]*/>|[^>]*>[^<]*</(?:\w+:)?f>)\s*"
    rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_TYPE = re.compile(rb'\bt="([^"]*)"')
_TEXT_TYPES = (b"str", b"s", b"inlineStr")  # an empty saved value is the text ""
_TAIL = 64 * 1024  # a formula cell is at most 8 192 characters, escaped


class NoSavedValue:
    """What a formula cell without a saved value reads as, in place of openpyxl's ``None``."""

    __slots__ = ("ref", "sheet")

    def __init__(self, ref: str, sheet: str) -> None:
        self.ref, self.sheet = ref, sheet

    def __str__(self) -> str:
        return "formel utan sparat värde"

    def reason(self) -> str:
        return (
            f"cellen {self.ref} på bladet {self.sheet!r} är en formel utan sparat värde: öppna "
            "och spara filen i Excel, så att formelns värde sparas, och kör igen"
        )


def _column(letters: bytes) -> int:
    """0 for A, 26 for AA."""
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


class FormulaScan:
    """The formula cells without a saved value in a sheet's XML, fed in chunks as it streams:
    by row number, the column indexes (0 for A)."""

    def __init__(self, path: object, sheet: Callable[[], str]) -> None:
        self.path, self.sheet = path, sheet  # the sheet's title, asked only for a message
        self.cells: dict[int, set[int]] = {}
        self.count = 0
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        text = self._tail + chunk
        if b"<f" in text or b":f" in text:
            for match in _FORMULA_CELL.finditer(text):
                self._note(match[1], match[2])
        # The last cell may be cut off at the chunk's end: carried over to the next.
        low = max(0, len(text) - _TAIL)
        start = max(text.rfind(b"<c ", low), text.rfind(b":c ", low))
        if start >= 0 and text[start] != ord("<"):
            start = text.rfind(b"<", low, start)
        self._tail = text[start:] if start >= 0 else b""

    def _note(self, attributes: bytes, saved: bytes | None) -> None:
        if saved is not None and saved.strip():
            return
        kind = _TYPE.search(attributes)
        if saved is not None and kind is not None and kind[1] in _TEXT_TYPES:
            return  # a formula whose result is the empty text
        ref = _REF.search(attributes)
        if ref is None:
            return
        columns = self.cells.setdefault(int(ref[2]), set())
        column = _column(ref[1])
        if column in columns:  # seen again in the carried-over tail
            return
        columns.add(column)
        self.count += 1
        if self.count > MAX_UNCACHED:
            raise DatasetError(
                f"{self.path}: bladet {self.sheet()!r} har fler än "
                f"{MAX_UNCACHED:,} formler utan sparat värde".replace(",", " ")
                + "; filen läses inte. Öppna och spara filen i Excel, så att formlernas värden "
                "sparas, och kör igen"
            )
