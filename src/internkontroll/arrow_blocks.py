"""A CSV read in blocks by pyarrow, row for row as the row reader reads it.

The file is cut into blocks of whole lines. A block pyarrow can read exactly (no quote
character, no NUL, no lone CR, no overlong line, text that decodes as the row reader decodes it
line by line) is parsed with every column as text; each field's distinct values in the block are
parsed once with the row reader's own parsers, so values and messages are the same. Lines are
counted here, from the block's bytes: pyarrow skips blank lines, and a row's number is the
physical line a spreadsheet shows. Any other block goes through the row reader (``CsvRecords``),
resumed at the block's first line, and runs on past the block's end until a record ends: a
quoted field may span lines, and the block edges fall where they fall.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from internkontroll import arrow_kernels as pc  # pyarrow.compute's kernels, without its import
from internkontroll.batch import Batch
from internkontroll.columnar import (
    NULL,
    Column,
    DayColumn,
    DecimalColumn,
    ObjectColumn,
    TextColumn,
    index_array,
    ints,
    objects,
)
from internkontroll.csv_records import MAX_LINE_BYTES, BadLine, CsvRecords, LineCount, width_problem
from internkontroll.distinct import distinct
from internkontroll.errors import DatasetError
from internkontroll.readers import CsvReader, _decode, decoded_lines, sniff_delimiter
from internkontroll.values import AMBIGUOUS_DOT, PLAIN_DECIMAL

if TYPE_CHECKING:
    from typing import BinaryIO

    import numpy.typing as npt

    from internkontroll.datasets import Dataset, Layout, Placement

    Positions = npt.NDArray[np.intp]

# First bytes of a line that may be blank: ASCII whitespace, and the lead bytes of the UTF-8
# whitespace characters (U+0085, U+00A0, U+1680, U+2000–U+3000); the delimiter is added.
_BLANK_START = bytes([9, 11, 12, 28, 29, 30, 31, 32, 0xC2, 0xE1, 0xE2, 0xE3])
FALSE = pa.scalar(False, pa.bool_())
# Encodings whose every byte is one character, so that a block decodes as its lines do.
_ONE_BYTE = {"cp1252", "iso8859-1", "iso8859-15", "ascii"}


def csv_pieces(
    dataset: Dataset, layout: Layout, block_bytes: int, count: LineCount
) -> Iterator[Batch]:
    """The records of ``dataset`` after its header, as columnar batches of blocks (one or more
    per block), with ``count`` kept as the row reader keeps its ``LineCount``."""
    reader = layout.reader
    assert isinstance(reader, CsvReader)
    header = reader.header()
    named = len(header)
    while named and not header[named - 1]:
        named -= 1
    with dataset.path.open("rb") as handle:
        blocks = _Blocks(dataset, layout, handle, count, named, max(block_bytes, 1))
        yield from blocks


class _Blocks:
    def __init__(
        self,
        dataset: Dataset,
        layout: Layout,
        handle: BinaryIO,
        count: LineCount,
        named: int,
        block_bytes: int,
    ) -> None:
        self.dataset, self.layout, self.handle, self.count = dataset, layout, handle, count
        self.encoding = dataset.spec.encoding
        self.named = named
        self.block_bytes = block_bytes
        self.delimiter = ";"
        self.line = 1  # the number of the next line to read
        self.wanted = sorted({place.position for place in layout.plan})
        self.known: dict[str, _Known] = {}

    def __iter__(self) -> Iterator[Batch]:
        yield from self._header()
        handle = self.handle
        position = handle.tell()
        while True:
            block = handle.read(self.block_bytes)
            if not block:
                return
            cut = block.rfind(b"\n") + 1
            if cut == 0 and len(block) < self.block_bytes:
                cut = len(block)  # the last line, without a line break
            piece = self._fast(block[:cut]) if cut else None
            if piece is None:
                handle.seek(position)
                yield from self._slow(position + max(cut, 1))
                position = handle.tell()
            else:
                position += cut
                handle.seek(position)
                if len(piece):
                    yield piece

    # -- the row reader, for the header and for any block pyarrow cannot read exactly --

    def _header(self) -> Iterator[Batch]:
        """Read the header as the row reader does (it may span lines); learn the delimiter."""
        lines = self._lines()
        first = next(lines, None)
        if first is None or isinstance(first, BadLine):  # pragma: no cover - the header was read
            raise DatasetError(f"{self.dataset.path}: filen är tom; väntade en rubrikrad")
        reader = self.layout.reader
        assert isinstance(reader, CsvReader)
        self.delimiter = reader.delimiter or sniff_delimiter(first)

        def again() -> Iterator[str | BadLine]:
            yield first
            yield from lines

        records = CsvRecords(again(), self.delimiter)
        stream = iter(records)
        next(stream)  # the header
        records.expect(self.layout.width, self.named)
        yield from self._records(records, stream, end=0)

    def _lines(self) -> Iterator[str | BadLine]:
        """The file's lines from where the handle stands, counting each line handed out."""
        for line in decoded_lines(self.handle, self.dataset.path, self.encoding, self.line):
            self.line += 1
            yield line

    def _slow(self, end: int) -> Iterator[Batch]:
        """The row reader from the current line on, until a record ends at or after ``end``."""
        records = CsvRecords(self._lines(), self.delimiter)
        records.resume(self.line, self.layout.width, self.named)
        start = self.line
        stream = iter(records)
        yield from self._records(records, stream, end, start)

    def _records(
        self,
        records: CsvRecords,
        stream: Iterator[tuple[int, list[str] | BadLine]],
        end: int,
        start: int = 1,
    ) -> Iterator[Batch]:
        """Rows of ``stream`` until every line handed out is accounted for at or past ``end``."""
        rows = []
        dataset, layout, handle = self.dataset, self.layout, self.handle
        if not (records.count.lines == self.line - start and handle.tell() >= end):
            for number, cells in stream:
                rows.append(dataset.typed(number, cells, layout))
                if records.count.lines == self.line - start and handle.tell() >= end:
                    break
        _add(self.count, records.count)
        if rows:
            kinds = {place.name: place.kind for place in layout.plan}
            yield Batch.from_rows(rows, kinds)

    # -- pyarrow, for a block it reads exactly --

    def _fast(self, raw: bytes) -> Batch | None:
        """The block's records as a batch, or None if pyarrow cannot read it exactly."""
        if not self.delimiter.isascii():  # the scan finds a delimiter as one byte
            return None
        # The row reader refuses a field over the csv module's limit (in characters, never more
        # than a line's bytes), and a line over MAX_LINE_BYTES; pyarrow would read either.
        longest = min(MAX_LINE_BYTES, csv.field_size_limit())
        if len(raw) > longest and _longest_line(raw) > longest:
            return None
        data = self._utf8(raw)
        if data is None or b'"' in data or b"\x00" in data:
            return None
        scan = _Scan(data, self.delimiter)
        if scan.lone_cr():
            return None  # a CR inside a line: the row reader says what it is
        blank = scan.blank_lines()
        if blank is None:
            return None
        width = self.layout.width
        table = None
        if not blank[scan.nonempty].any():
            table = _parse(data, width, self.wanted, self.delimiter)
        if table is not None and table.num_rows == int(scan.nonempty.sum()):
            records = np.flatnonzero(scan.nonempty & ~blank)
            columns = {i: table.column(f"c{i}").combine_chunks() for i in self.wanted}
            bad: dict[int, str] = {}
        else:
            found = scan.field_counts()
            good = ~blank & scan.nonempty & (found >= self.named) & (found <= width)
            records = np.flatnonzero(scan.nonempty & ~blank)
            read = self._parse_groups(data, scan, found, good, records)
            if read is None:
                return None
            columns = read
            bad = {
                int(position): width_problem(int(found[line]), width, self.delimiter)
                for position, line in enumerate(records.tolist())
                if not good[line]
            }
        numbers = (records + self.line).astype(np.int64)
        piece = self._piece(numbers, columns, bad)
        lines = scan.lines
        self.count.records += len(records) - len(bad)
        self.count.record_lines += len(records) - len(bad)
        self.count.bad += len(bad)
        self.count.blank += lines - len(records)
        self.line += lines
        return piece

    def _utf8(self, raw: bytes) -> bytes | None:
        """The block as UTF-8 text, each line decoded as the row reader decodes it."""
        encoding = self.encoding
        name = codecs.lookup(encoding).name if encoding else "utf-8"
        if raw.isascii() and (name == "utf-8" or name in _ONE_BYTE):
            return raw
        if name in _ONE_BYTE:
            return raw.decode(name, errors="replace").encode("utf-8")
        if name == "utf-8":
            try:
                raw.decode("utf-8")
                return raw
            except UnicodeDecodeError:
                pass
        try:
            return b"\n".join(_decode(line, encoding).encode("utf-8") for line in raw.split(b"\n"))
        except UnicodeError:  # pragma: no cover - a codec that cannot write UTF-8 back
            return None

    def _parse_groups(
        self,
        data: bytes,
        scan: _Scan,
        found: npt.NDArray[np.int64],
        good: npt.NDArray[np.bool_],
        records: Positions,
    ) -> dict[int, pa.Array] | None:
        """The wanted columns of the records, for a block whose lines differ in width: the
        lines of each allowed width parsed together, a refused line's cells null."""
        parts: dict[int, list[pa.Array]] = {i: [] for i in self.wanted}
        order: list[Positions] = []
        for width in distinct(found[good]).tolist():
            lines = np.flatnonzero(good & (found == width))
            table = _parse(scan.gather(lines), width, self.wanted, self.delimiter)
            if table is None or table.num_rows != len(lines):
                return None
            for i in self.wanted:
                parts[i].append(table.column(f"c{i}").combine_chunks())
            order.append(lines)
        refused = np.setdiff1d(records, np.concatenate(order) if order else records[:0])
        order.append(refused)
        for i in self.wanted:
            parts[i].append(pa.nulls(len(refused), pa.string()))
        # Each record's place in the parts laid end to end.
        placed = np.concatenate(order)
        where = np.zeros(scan.lines, dtype=np.intp)
        where[placed] = np.arange(len(placed))
        take = index_array(where[records])
        return {i: pc.take(pa.concat_arrays(parts[i]), take) for i in self.wanted}

    def _piece(
        self, numbers: npt.NDArray[np.int64], columns: dict[int, pa.Array], bad: dict[int, str]
    ) -> Batch:
        dataset, plan = self.dataset, self.layout.plan
        errors: dict[int, dict[str, str]] = {}
        for position, message in bad.items():
            text = dataset.bad_line(int(numbers[position]), message)
            errors[position] = dict.fromkeys((place.name for place in plan), text)
        store: dict[str, Column] = {}
        for place in plan:
            raw = columns[place.position]
            if place.is_text:
                store[place.name] = TextColumn.from_raw(raw)
            else:
                store[place.name] = self._typed(place, raw, numbers, errors)
        # A ragged line read for no field has no message to carry, as in the row reader.
        ordered = {index: errors[index] for index in sorted(errors) if errors[index]}
        return Batch.columnar(numbers, store, ordered)

    def _typed(
        self,
        place: Placement,
        raw: pa.Array,
        numbers: npt.NDArray[np.int64],
        errors: dict[int, dict[str, str]],
    ) -> Column:
        """A date, decimal or integer column, each distinct cell parsed once; a cell that does
        not parse gives its row the row reader's message."""
        plain = None
        if place.kind == "decimal":
            # A plain cell's value is its text with '.' for the mark (as ``parser_for`` reads
            # it); only the others go through the parser.
            is_plain = pc.fill_null(
                pc.and_not(
                    pc.match_substring_regex(raw, PLAIN_DECIMAL),
                    pc.match_substring_regex(raw, AMBIGUOUS_DOT),
                ),
                FALSE,
            )
            if pc.any(is_plain).as_py():
                text = pc.replace_substring(raw, ",", ".")
                plain = pc.if_else(is_plain, text, NULL)
                raw = pc.if_else(is_plain, NULL, raw)
        known = self.known.get(place.name)
        if known is None:
            known = self.known[place.name] = _Known(place)
        codes, table, values, failures = known.lookup(raw)
        if failures:
            failed = np.zeros(len(table) + 1, dtype=np.bool_)
            failed[list(failures)] = True
            cells: list[str] | None = None
            for position in np.flatnonzero(failed[codes]).tolist():
                code = int(codes[position])
                if cells is None:
                    cells = table.to_pylist()
                errors.setdefault(position, {})[place.name] = self.dataset.cell_error(
                    int(numbers[position]), place, cells[code], failures[code]
                )
        if place.kind == "date":
            return DayColumn(values[codes])
        if plain is not None:
            return DecimalColumn(plain, values[codes])
        return ObjectColumn(values[codes])


class _Known:
    """The cells of one field seen so far and what they parse to (or why not), so that a
    block's cells are looked up in arrow and only new ones reach the Python parser. Holds at
    most ``LIMIT`` cells: past that, a block's new cells are parsed for that block alone."""

    LIMIT = 50_000

    def __init__(self, place: Placement) -> None:
        self.place = place
        self.table = pa.array([], type=pa.string())
        self.values = self._array([])
        self.failures: dict[int, Exception] = {}

    def _array(self, parsed: list[Any]) -> Any:
        if self.place.kind == "date":
            return np.array(parsed, dtype="datetime64[D]")
        return objects(parsed)

    def lookup(self, raw: pa.Array) -> tuple[Any, pa.Array, Any, dict[int, Exception]]:
        """Each row's index into the returned cells (one past them for a refused line's null),
        the cells, their values (with a blank one at the end) and failures by index."""
        codes = pc.index_in(raw, value_set=self.table)
        table, values, failures = self.table, self.values, self.failures
        if codes.null_count != raw.null_count:
            new = pc.unique(pc.filter(raw, pc.and_(pc.is_null(codes), pc.is_valid(raw))))
            parsed: list[Any] = []
            failures = dict(failures)
            for cell in new.to_pylist():
                try:
                    parsed.append(self.place.parse(cell))
                except Exception as exc:  # any parser failure is this cell's, never the run's
                    failures[len(table) + len(parsed)] = exc
                    parsed.append(None)
            table = pa.concat_arrays([table, new])
            values = np.concatenate([values, self._array(parsed)])
            if len(table) <= self.LIMIT:
                self.table, self.values, self.failures = table, values, failures
            codes = pc.index_in(raw, value_set=table)
        codes = ints(pc.fill_null(codes, pa.scalar(len(table), codes.type)))
        return codes, table, np.concatenate([values, self._array([None])]), failures


def _add(total: LineCount, part: LineCount) -> None:
    total.header += part.header
    total.records += part.records
    total.record_lines += part.record_lines
    total.blank += part.blank
    total.bad += part.bad


def _longest_line(raw: bytes) -> int:
    """The longest line's bytes, its line break included."""
    ends = np.flatnonzero(np.frombuffer(raw, np.uint8) == 10)
    bounds = np.concatenate(([-1], ends, [len(raw) - 1]))
    return int(np.diff(bounds).max())


def _parse(data: bytes, width: int, wanted: list[int], delimiter: str) -> pa.Table | None:
    """The wanted columns of ``data``, every line ``width`` fields, all as text; None if a line
    has another width (pyarrow refuses the block)."""
    if data.startswith(codecs.BOM_UTF8):
        return None  # pyarrow would drop a byte order mark the row reader keeps in the cell
    names = [f"c{i}" for i in range(width)]
    try:
        return pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(
                column_names=names, block_size=len(data) + 1, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, quote_char=False, ignore_empty_lines=True
            ),
            convert_options=pacsv.ConvertOptions(
                include_columns=[f"c{i}" for i in wanted],
                column_types=dict.fromkeys((f"c{i}" for i in wanted), pa.string()),
                strings_can_be_null=False,
                null_values=[],
            ),
        )
    except pa.ArrowInvalid:
        return None


class _Scan:
    """Where a block's lines begin and end, found with numpy on its bytes."""

    def __init__(self, data: bytes, delimiter: str) -> None:
        self.data = data
        self.delimiter = delimiter
        self.bytes = np.frombuffer(data, np.uint8)
        breaks = np.flatnonzero(self.bytes == 10)
        ends = breaks if data.endswith(b"\n") else np.append(breaks, len(data))
        self.ends = ends  # each line's line break (or the block's end)
        self.starts = np.concatenate(([0], ends[:-1] + 1)) if len(ends) else ends
        self.lines = len(ends)
        crlf = np.zeros(self.lines, dtype=np.bool_)
        inside = (ends > self.starts) & (ends < len(data))  # a line with a break, not empty
        crlf[inside] = self.bytes[ends[inside] - 1] == 13
        self.content_ends = ends - crlf  # without CR LF
        self.crlf = crlf
        self.nonempty = self.content_ends > self.starts

    def lone_cr(self) -> bool:
        """Whether a CR stands anywhere but just before a line break."""
        return b"\r" in self.data and int(np.count_nonzero(self.bytes == 13)) != int(
            self.crlf.sum()
        )

    def blank_lines(self) -> npt.NDArray[np.bool_] | None:
        """Lines the row reader counts as blank (empty, whitespace, only delimiters); None if
        a line might be blank only by a rule not checked here."""
        blank = ~self.nonempty
        first = self.bytes[self.starts[self.nonempty]]
        starts = _BLANK_START + self.delimiter.encode("ascii")
        maybe = np.isin(first, np.frombuffer(starts, np.uint8))
        if maybe.any():
            lines = np.flatnonzero(self.nonempty)[maybe]
            for line in lines.tolist():
                text = self.data[self.starts[line] : self.content_ends[line]].decode("utf-8")
                cells = text.split(self.delimiter)
                blank[line] = not (cells[0].strip() or "".join(cells).strip())
        return blank

    def field_counts(self) -> npt.NDArray[np.int64]:
        """Each line's number of fields (a line without quotes splits at every delimiter)."""
        marks = np.flatnonzero(self.bytes == ord(self.delimiter))
        counts: npt.NDArray[np.int64] = (
            np.searchsorted(marks, self.ends) - np.searchsorted(marks, self.starts) + 1
        ).astype(np.int64)
        return counts

    def gather(self, lines: Positions) -> bytes:
        """The given lines (in order) as one text, each with its line break."""
        data = self.data
        pieces = []
        run_start = None
        previous = -2
        for line in lines.tolist():
            if line != previous + 1:
                if run_start is not None:
                    pieces.append(data[self.starts[run_start] : self._after(previous)])
                run_start = line
            previous = line
        if run_start is not None:
            pieces.append(data[self.starts[run_start] : self._after(previous)])
        text = b"".join(pieces)
        return text if text.endswith(b"\n") or not text else text + b"\n"

    def _after(self, line: int) -> int:
        return int(self.ends[line]) + 1
