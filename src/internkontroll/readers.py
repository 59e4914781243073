"""Table readers: stream the header and the raw cells of an export, one record at a time.

A reader knows a file format and nothing of fields or types; the dataset layer maps and parses.
A new format plugs in by adding a class with the ``TableReader`` shape to ``READERS``.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from internkontroll.csv_records import (
    MAX_LINE_BYTES,
    BadLine,
    CsvRecords,
    LineCount,
    too_long_line,
)
from internkontroll.encodings import SAVE_AS_UTF8, utf16_like
from internkontroll.errors import DatasetError
from internkontroll.xlsx_formulas import NoSavedValue

DELIMITERS = (";", ",", "\t", "|")
MAX_CELL_CHARS = 32_767
"""The most characters Excel holds in a cell."""


class TableReader(Protocol):
    """The header, then each record with its row number as a spreadsheet shows it (header = 1),
    or a ``BadLine`` where a line gives no record: that row is a data-quality error."""

    def header(self) -> list[str]: ...

    def records(self) -> Iterator[tuple[int, list[Any] | BadLine]]: ...


def _decode(raw: bytes, encoding: str | None) -> str:
    """UTF-8 where it is UTF-8, otherwise Windows-1252: exports mix both in the wild."""
    if encoding:
        return raw.decode(encoding, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def decoded_lines(
    handle: BinaryIO, path: Path, encoding: str | None, first: int = 1
) -> Iterator[str | BadLine]:
    """The physical lines of ``handle`` from where it stands (line number ``first``), decoded
    one by one; an overlong line is skipped, never held whole. A reader that starts in the
    middle of a file (the batch reader, on a block it cannot read fast) gets the same lines."""
    raw_lines = iter(partial(handle.readline, MAX_LINE_BYTES + 1), b"")
    for number, raw in enumerate(raw_lines, start=first):
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := handle.readline(1 << 16)) and not rest.endswith(b"\n"):
                pass  # the rest of the overlong line, read past and not kept
            yield too_long_line()
            continue
        if b"\x00" in raw:
            if number == 1 and utf16_like(raw):
                raise DatasetError(
                    f"{path}: filen är sparad som UTF-16 (Unicode-text); {SAVE_AS_UTF8}"
                )
            raise DatasetError(
                f"{path} rad {number}: filen innehåller NUL-tecken; det är ingen "
                "textfil (CSV). Är det en Excel-fil?"
            )
        line = _decode(raw, encoding)
        if number == 1:
            line = line.removeprefix("\ufeff")
            if "\r" in line.rstrip("\r\n"):
                raise DatasetError(
                    f"{path}: raderna slutar med bara CR (äldre Mac-format); "
                    "spara om filen som CSV med vanliga radslut (CRLF eller LF)"
                )
        yield line


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


class CsvReader:
    """CSV in UTF-8 (with or without BOM) or Windows-1252, separated by ``;``, ``,``, tab or ``|``.

    Every physical line is a record, part of one, blank, or a ``BadLine`` in ``records()``;
    ``count`` holds the tally of the last pass (see ``csv_records``).
    """

    def __init__(self, path: Path, encoding: str | None = None, delimiter: str | None = None):
        self.path = path
        self.encoding = encoding
        self.delimiter = delimiter
        self._header: list[str] | None = None
        self.count = LineCount()

    def _lines(self) -> Iterator[str | BadLine]:
        """Physical lines, decoded one by one; an overlong line is skipped, never held whole."""
        with self.path.open("rb") as handle:
            yield from decoded_lines(handle, self.path, self.encoding)

    def _records(self) -> tuple[CsvRecords, Iterator[tuple[int, list[str] | BadLine]]]:
        lines = self._lines()
        first = next(lines, None)
        if first is None:
            raise DatasetError(f"{self.path}: filen är tom; väntade en rubrikrad")
        if isinstance(first, BadLine):
            raise DatasetError(f"{self.path} rad 1: {first.message}")
        delimiter = self.delimiter or sniff_delimiter(first)

        def chained() -> Iterator[str | BadLine]:
            yield first
            yield from lines

        records = CsvRecords(chained(), delimiter)
        return records, iter(records)

    def header(self) -> list[str]:
        if self._header is None:
            records, stream = self._records()
            self._header = self._read_header(records, stream)
        return self._header

    def _read_header(
        self, records: CsvRecords, stream: Iterator[tuple[int, list[str] | BadLine]]
    ) -> list[str]:
        first = next(stream, None)
        if first is None:
            raise DatasetError(f"{self.path}: filen är tom; väntade en rubrikrad")
        _, header = first
        if isinstance(header, BadLine):
            raise DatasetError(f"{self.path} rad 1: {header.message}")
        if not any(cell.strip() for cell in header):
            raise DatasetError(f"{self.path} rad 1: rubrikraden är tom")
        header = [cell.strip() for cell in header]
        named = len(header)
        while named and not header[named - 1]:
            named -= 1
        records.expect(len(header), named)  # unnamed trailing columns may be left off
        return header

    def records(self) -> Iterator[tuple[int, list[Any] | BadLine]]:
        records, stream = self._records()
        self.count = records.count
        self._header = self._read_header(records, stream)
        yield from stream


class XlsxReader:
    """An Excel sheet, chosen by name or by number (1 is the first sheet), streamed read-only."""

    def __init__(self, path: Path, sheet: str | int | None = None):
        self.path = path
        self.sheet = sheet
        self._header: list[str] | None = None
        self._uncached: dict[int, set[int]] = {}  # formula cells without a saved value
        self._title = ""
        self.count = LineCount()
        """The last pass's rows; ``blank`` the empty ones between the header and the last row
        with a value (the empty rows below it are the sheet's, not the export's)."""

    def _rows(self) -> Generator[tuple[Any, ...], None, None]:
        import openpyxl  # heavy: imported only when an XLSX is read

        from internkontroll.xlsx_guard import DAMAGED as _DAMAGED
        from internkontroll.xlsx_guard import (
            check_workbook,
            damaged_workbook,
            refuse_merged,
            sheet_part,
        )

        try:
            merged, uncached = check_workbook(self.path)  # before openpyxl holds anything
        except DatasetError:
            raise
        except _DAMAGED as exc:  # a part whose compressed bytes are broken
            raise damaged_workbook(self.path, exc) from None
        try:
            book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except DatasetError:
            raise
        except Exception as exc:
            raise damaged_workbook(self.path, exc) from None
        try:
            names = book.sheetnames
            if not names:  # openpyxl skips a sheet whose part is missing from the zip
                raise DatasetError(
                    f"{self.path}: filen har inga blad som går att läsa; den är skadad. Spara om "
                    "den i Excel, eller exportera som CSV, och kör igen"
                )
            if isinstance(self.sheet, int):
                if not 1 <= self.sheet <= len(names):
                    raise DatasetError(
                        f"{self.path}: blad nummer {self.sheet} finns inte; filen har "
                        f"{len(names)} blad ({', '.join(names)})"
                    )
                sheet = book[names[self.sheet - 1]]
            elif self.sheet is not None:
                if self.sheet not in names:
                    raise DatasetError(
                        f"{self.path}: bladet {self.sheet!r} finns inte; bladen heter "
                        f"{', '.join(names)}"
                    )
                sheet = book[self.sheet]
            else:
                sheet = book[names[0]]
            refuse_merged(self.path, sheet.title, merged)
            self._title = sheet.title
            self._uncached = uncached.get(sheet_part(self.path, sheet.title) or "", {})
            # The <dimension ref> tag may be stale (A1:K10 on a 41-row sheet); read-only mode
            # trusts it and stops there. Without it every row and column in the file is read.
            sheet.reset_dimensions()
            yield from sheet.iter_rows(values_only=True)
        except DatasetError:
            raise
        except _DAMAGED as exc:  # the zip or the sheet's XML is broken, perhaps half-way down
            raise damaged_workbook(self.path, exc) from None
        finally:
            book.close()

    def _read_header(self, rows: Iterator[tuple[Any, ...]]) -> list[str]:
        first = next(rows, None)
        if first is None or not any(cell is not None and str(cell).strip() for cell in first):
            raise DatasetError(f"{self.path}: bladet är tomt; väntade en rubrikrad på rad 1")
        header = ["" if cell is None else str(cell).strip() for cell in first]
        while header and header[-1] == "":
            header.pop()
        return header

    def header(self) -> list[str]:
        if self._header is None:
            rows = self._rows()
            try:
                self._header = self._read_header(rows)
            finally:
                rows.close()  # closes the workbook
        return self._header

    def _unsaved(self, number: int, values: tuple[Any, ...], columns: set[int]) -> tuple[Any, ...]:
        """``values`` with each formula cell that has no saved value (read as blank) marked,
        so that reading it is a cell error, never a blank."""
        from openpyxl.utils import get_column_letter

        cells = list(values) + [None] * (max(columns) + 1 - len(values))
        for column in columns:
            cells[column] = NoSavedValue(f"{get_column_letter(column + 1)}{number}", self._title)
        return tuple(cells)

    def records(self) -> Iterator[tuple[int, list[Any] | BadLine]]:
        rows = self._rows()
        self._header = self._read_header(rows)
        width = len(self._header)
        uncached = self._uncached
        count = self.count  # kept, not replaced: a dataset reading batches holds it
        count.header, count.records, count.record_lines, count.blank, count.bad = 1, 0, 0, 0, 0
        blank = 0  # empty rows since the last with a value
        for number, values in enumerate(rows, start=2):
            unsaved = {column for column in uncached.get(number, ()) if column < width}
            if unsaved:  # beyond the header a blank is what it would have read
                values = self._unsaved(number, values, unsaved)
            _refuse_overlong(self.path, self._title, number, values)
            if any(v is not None and str(v).strip() for v in values):
                count.blank += blank
                blank = 0
                stray = _headless_value(values, width)
                if stray is not None:
                    count.bad += 1
                    yield number, BadLine(stray)
                    continue
                count.records += 1
                count.record_lines += 1
                cells = list(values)
                yield number, cells + [None] * (width - len(cells))  # blank trailing cells
            else:
                blank += 1


def _refuse_overlong(path: Path, title: str, number: int, values: tuple[Any, ...]) -> None:
    """Refuse the file for a text longer than Excel allows in a cell (32 767 characters),
    as ``xlsx_guard`` refuses a longer one before openpyxl reads it, inline or shared alike."""
    for index, value in enumerate(values):
        if value.__class__ is str and len(value) > MAX_CELL_CHARS:
            from openpyxl.utils import get_column_letter

            raise DatasetError(
                f"{path}: cellen {get_column_letter(index + 1)}{number} på bladet {title!r} är "
                "längre än Excel tillåter (32 767 tecken); filen läses inte. Kontrollera "
                "exporten eller exportera som CSV."
            )


def _headless_value(values: tuple[Any, ...], width: int) -> str | None:
    """Why a row with a value right of the header's last column is refused, as a CSV line
    with a field too many is: the value belongs to no column, and a row shifted one cell to
    the right looks just like that."""
    for index in range(width, len(values)):
        value = values[index]
        if value is not None and str(value).strip():
            from openpyxl.utils import get_column_letter

            return (
                f"kolumn {get_column_letter(index + 1)} har ett värde men ingen rubrik på rad 1 "
                f"(rubrikraden har {width} kolumner). Raden läses inte, så inga kolumner "
                "förskjuts: ge kolumnen en rubrik eller töm cellen"
            )
    return None


def open_table(
    path: Path,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
) -> TableReader:
    """The reader for ``path`` by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return XlsxReader(path, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        return CsvReader(path, encoding, delimiter)
    raise DatasetError(f"{path}: okänt filformat {suffix!r}; väntade .csv eller .xlsx")
