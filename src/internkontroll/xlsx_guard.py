"""What an XLSX must not hand openpyxl: cells too large, too many shared strings, merged cells.

openpyxl holds every shared string in memory and every cell's text whole, so a 1 GB cell or
20 million shared strings would grow the process without bound. The file's XML is streamed
once, in chunks, before openpyxl reads it; what is too large is refused with a Swedish message
and memory stays at a chunk. The same pass lists merged ranges, whose value openpyxl gives only
to the first cell, so the other rows would silently lack it.
"""

from __future__ import annotations

import html
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from internkontroll.errors import DatasetError
from internkontroll.xlsx_formulas import FormulaScan

# Excel allows 32 767 characters in a cell: at most about 164 000 bytes of XML even if every
# character is written as an entity. A run of text twice this long is certainly not from Excel.
TEXT_WINDOW = 192 * 1024
MAX_SHARED_STRINGS = 5_000_000
MAX_SHARED_BYTES = 256 * 1024 * 1024
CHUNK = 1 << 20

_SHEET = re.compile(r'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]+)"')
_MERGED = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z0-9:]+)"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+[0-9]+)"')
_PREFIXED_ITEM = re.compile(rb"<\w+:si[ >]")


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    return iter(lambda: stream.read(CHUNK), b"")


class _TextRuns:
    """Finds a run of text (bytes without ``<``) of at least ``TEXT_WINDOW`` across chunks.

    Exact at chunk edges; inside a chunk it probes windows of ``TEXT_WINDOW`` bytes, so any run
    of twice that length is found and one under it never is, at a few ``find`` calls per chunk.
    """

    def __init__(self) -> None:
        self.run = 0  # text bytes since the last '<', carried over from earlier chunks
        self.before = b""  # the XML just before the current run: names the cell it is in

    def too_long_at(self, chunk: bytes) -> int | None:
        """The offset in ``chunk`` where an overlong run is seen, or None."""
        first = chunk.find(b"<")
        if first < 0:
            self.run += len(chunk)
            return 0 if self.run >= TEXT_WINDOW else None
        if self.run + first >= TEXT_WINDOW:
            return first
        last = chunk.rfind(b"<")
        for start in range(first + 1, last, TEXT_WINDOW):
            end = min(start + TEXT_WINDOW, last)
            if end - start == TEXT_WINDOW and chunk.find(b"<", start, end) < 0:
                opening = chunk.rfind(b"<", 0, start)
                self.before = chunk[max(0, opening - 4096) : opening + 1]
                return start
        self.run = len(chunk) - last - 1
        self.before = chunk[max(0, last - 4096) : last + 1]
        return None


_READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError, EOFError)

DAMAGED = (*_READ_ERRORS, SyntaxError, zlib.error, IndexError, ValueError, TypeError)
"""What openpyxl raises on a broken file: a truncated or corrupt zip, a part that is missing,
XML that does not parse (``xml.etree.ElementTree.ParseError`` is a ``SyntaxError``), values of
the wrong shape. Caught while the workbook is opened and while its rows are read."""


def damaged_workbook(path: Path, exc: BaseException) -> DatasetError:
    """The Swedish error for a workbook that cannot be read, whatever broke, naming the file."""
    if path.is_file() and not path.stat().st_size:
        what = "filen är tom"
    elif isinstance(exc, SyntaxError):
        what = "XML-koden i filen är trasig"
    elif isinstance(exc, zipfile.BadZipFile | EOFError | zlib.error):
        what = "filen är trasig eller avkortad, eller ingen Excel-fil"
    else:
        what = "filen är skadad eller i ett annat format"
    return DatasetError(
        f"{path}: filen kan inte öppnas som Excel-fil (.xlsx); {what}. Spara om den i Excel, "
        "eller exportera som CSV, och kör igen"
    )


Uncached = dict[str, dict[int, set[int]]]
"""By sheet part, the formula cells without a saved value: row number -> column indexes."""


def check_workbook(path: Path) -> tuple[dict[str, list[str]], Uncached]:
    """Refuse what openpyxl could not hold in bounded memory; merged ranges and formula cells
    without a saved value (``xlsx_formulas``) by sheet part.

    openpyxl loads the shared strings when it opens a book and, in read-only mode, reads every
    sheet that lacks a ``<dimension>`` tag right away, so every part is checked before that.
    A file that is no readable zip passes: openpyxl then says so in its own words.
    """
    merged: dict[str, list[str]] = {}
    uncached: Uncached = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                lowered = name.lower()
                if lowered.endswith("sharedstrings.xml"):
                    _check_shared_strings(path, archive, name)
                elif lowered.startswith("xl/worksheets/") and lowered.endswith(".xml"):
                    merged[name], uncached[name] = _check_sheet(path, archive, name)
    except _READ_ERRORS:
        pass
    return merged, uncached


def _check_shared_strings(path: Path, archive: zipfile.ZipFile, name: str) -> None:
    runs, count, size = _TextRuns(), 0, 0
    with archive.open(name) as stream:
        for chunk in _chunks(stream):
            size += len(chunk)
            # bytes.count is C speed; a namespace prefix (<x:si>) is rare enough for the regex
            count += chunk.count(b"<si>") + chunk.count(b"<si ")
            if b":si" in chunk:
                count += len(_PREFIXED_ITEM.findall(chunk))
            if runs.too_long_at(chunk) is not None:
                raise DatasetError(
                    f"{path}: en text i filen är längre än Excel tillåter i en cell "
                    "(32 767 tecken); filen läses inte. Exportera som CSV i stället."
                )
            if count > MAX_SHARED_STRINGS or size > MAX_SHARED_BYTES:
                raise DatasetError(
                    f"{path}: filen har fler än {_thousands(MAX_SHARED_STRINGS)} olika "
                    f"textvärden eller mer än {MAX_SHARED_BYTES >> 20} MB text; så stora "
                    "Excel-filer läses inte, eftersom de måste hållas i minnet. Exportera som "
                    "CSV i stället."
                )


def _check_sheet(
    path: Path, archive: zipfile.ZipFile, name: str
) -> tuple[list[str], dict[int, set[int]]]:
    """Refuse a sheet with an overlong cell; its merged ranges and its formula cells without a
    saved value otherwise. One streamed pass."""
    merged: set[str] = set()
    runs = _TextRuns()
    formulas = FormulaScan(path, lambda: _sheet_title(archive, name))
    tail = b""
    with archive.open(name) as sheet:
        for chunk in _chunks(sheet):
            formulas.feed(chunk)
            if runs.too_long_at(chunk) is not None:
                refs = _CELL_REF.findall(runs.before)
                where = f"cellen {refs[-1].decode()} på bladet" if refs else "en cell på bladet"
                raise DatasetError(
                    f"{path}: {where} {_sheet_title(archive, name)!r} är längre än Excel "
                    "tillåter (32 767 tecken); filen läses inte. Kontrollera exporten eller "
                    "exportera som CSV."
                )
            text = tail + chunk
            merged.update(m.decode() for m in _MERGED.findall(text))
            tail = text[-200:]
    return sorted(merged), formulas.cells


def _sheet_targets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(title, part name) of each sheet, in the workbook's order."""
    book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    sheets: list[tuple[str, str]] = []
    for title, rel_id in _SHEET.findall(book):
        target = re.search(rf'Id="{re.escape(rel_id)}"[^>]*Target="([^"]+)"', rels) or re.search(
            rf'Target="([^"]+)"[^>]*Id="{re.escape(rel_id)}"', rels
        )
        if target is not None:
            name = target[1].lstrip("/")
            sheets.append((html.unescape(title), name if name.startswith("xl/") else f"xl/{name}"))
    return sheets


def _sheet_title(archive: zipfile.ZipFile, name: str) -> str:
    try:
        return next((t for t, n in _sheet_targets(archive) if n == name), name)
    except _READ_ERRORS:
        return name


def sheet_part(path: Path, title: str) -> str | None:
    """The part name (xl/worksheets/sheet1.xml) of the sheet ``title``, if it can be told."""
    try:
        with zipfile.ZipFile(path) as archive:
            return next((n for t, n in _sheet_targets(archive) if t == title), None)
    except _READ_ERRORS:
        return None


def refuse_merged(path: Path, title: str, merged: dict[str, list[str]]) -> None:
    """Refuse the sheet ``title`` if it has merged cells (from ``check_workbook``)."""
    ranges = merged.get(sheet_part(path, title) or "", [])
    if ranges:
        raise DatasetError(
            f"{path}: bladet {title!r} har sammanfogade celler ({', '.join(ranges[:5])}); "
            "värdet står bara i den första cellen, så de andra raderna skulle sakna det. Ta "
            "bort sammanfogningen och spara om."
        )
