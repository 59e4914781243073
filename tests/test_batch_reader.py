"""The batch reader gives, row for row, what the row reader gives: the same row numbers, typed
values, errors and messages, and the same account of every physical line, on dirty exports and
with block edges falling anywhere (tiny blocks), whether a block is read by pyarrow or, when it
cannot be read exactly, by the row reader. ``Dataset.rows`` is the reference: it is what
``test_csv_lines`` and the value parser tests check against hand-worked answers.
"""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from internkontroll import arrow_blocks
from internkontroll.batch import Batch
from internkontroll.csv_records import MAX_LINE_BYTES
from internkontroll.datasets import Dataset
from internkontroll.errors import DatasetError
from internkontroll.id_hash import id_hash
from internkontroll.models import DatasetSpec
from internkontroll.values import FieldType

COLUMNS = {"id": "Id", "day": "Datum", "amount": "Belopp", "count": "Antal", "note": "Text"}
FIELDS: dict[str, FieldType] = {
    "id": "text",
    "day": "date",
    "amount": "decimal",
    "count": "integer",
    "note": "text",
}
HEADER = ["Id", "Datum", "Belopp", "Antal", "Text"]


def read_both(
    path: Path,
    size: int,
    block: int,
    encoding: str | None = None,
    fields: dict[str, FieldType] | None = None,
) -> tuple[list[Any], list[Any], Dataset]:
    """(rows, batches flattened, the dataset after batches) as comparable tuples."""
    fields = fields or FIELDS
    columns = {name: COLUMNS[name] for name in fields}
    dataset = Dataset(
        "beslut", DatasetSpec(path=path.name, columns=columns, encoding=encoding), path
    )
    try:
        expected = [
            (r.number, list(r.items()), list(r.errors.items())) for r in dataset.rows(fields)
        ]
    except DatasetError as exc:  # the batches fail alike (a BOM read as cp1252, a NUL ...)
        with pytest.raises(DatasetError) as failed:
            list(dataset.batches(fields, size, block))
        assert str(failed.value) == str(exc)
        return [], [], dataset
    count, read = dataset.count, dataset.rows_read
    got = []
    for batch in dataset.batches(fields, size, block):
        assert 0 < len(batch) <= size
        same_columns(batch, fields)
        for index in range(len(batch)):
            row = batch.row(index)
            got.append((row.number, list(row.items()), list(row.errors.items())))
    assert dataset.count == count  # every physical line accounted for, as the row reader does
    assert dataset.rows_read == read
    return expected, got, dataset


def same_columns(batch: Batch, fields: dict[str, FieldType]) -> None:
    """Every column accessor agrees with the rows the batch builds."""
    rows = list(batch.rows)
    assert batch.numbers == [row.number for row in rows]
    assert batch.error_rows().tolist() == [bool(row.errors) for row in rows]
    assert batch.error_rows(["day"]).tolist() == ["day" in row.errors for row in rows]
    for index, row in enumerate(rows):
        assert batch.errors_of(index) == row.errors
    for name, kind in fields.items():
        values = [row[name] for row in rows]
        assert batch.values(name) == values
        assert batch.blank(name).tolist() == [value is None for value in values]
        firsts = list(dict.fromkeys(values))
        uniques, codes = batch.codes(name)
        assert uniques == firsts
        assert [uniques[code] for code in codes.tolist()] == values
        assert batch.hashes(name).tolist() == [id_hash(value) for value in values]
        if kind == "decimal":
            cents, exact = batch.hundredths(name)
            wanted = [
                int(v * 100)
                if v is not None and v * 100 == (v * 100).to_integral_value() and abs(v) < 2**55
                else None
                for v in values
            ]
            assert [int(c) if e else None for c, e in zip(cents, exact, strict=True)] == wanted
        if kind == "date":
            days = batch.dates(name)
            assert days.dtype == np.dtype("datetime64[D]")
            assert days.tolist() == values  # NaT reads back as None
    if len(batch) > 1:
        mask = np.arange(len(batch)) % 2 == 1
        taken = batch.take(mask)
        assert [(r.number, dict(r), r.errors) for r in taken.rows] == [
            (r.number, dict(r), r.errors) for r in rows[1::2]
        ]


# -- dirty exports, built line by line --

CELL_TEXT = st.sampled_from(["B1", "B2", " B1 ", "b 2", "", " ", "Hemtjänst", "Ärende\u00a0", "x"])
DAY = st.one_of(
    st.dates(date(1890, 1, 1), date(2210, 12, 31)).map(date.isoformat),
    st.dates(date(2023, 1, 1), date(2024, 12, 31)).map(lambda d: d.strftime("%Y%m%d")),
    st.sampled_from(["", " ", " 2024-05-01 ", "2024-02-30", "igår", "2024-5-1", "9999-12-31"]),
    st.sampled_from(["2024-01-02 10:30", "2024-13-01", "\u00a02024-01-02", "20240230"]),
)
AMOUNT = st.one_of(
    st.sampled_from(
        ["", "1", "1 234,50", "1234.50", "-5", "12 kr", "1.234,5", "100 50", "abc", "1,2,3", " 7 "]
    ),
    st.sampled_from(
        [
            "0,05",
            "-12,345",
            "007",
            "1.230",
            "3.000",
            "+3.000",
            "0.500",
            "999.999",
            "-0.50",
            "5.",
            ",5",
            "--5,0",
            "+3",
            "1e3",
        ]
    ),
    st.sampled_from(["12345678901234567890,5", "-9" * 3, "١٢", "1 000", "−5,5"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)
COUNT = st.sampled_from(["", "3", " 4 ", "-2", "1 000", "2,5", "tre", "+8"])
NOTE = st.sampled_from(["", "ok", "två ord", "\u2003indrag", "slut\u3000", "é", "x" * 30])


@st.composite
def record(draw: st.DrawFn, delimiter: str) -> str:
    cells = [draw(CELL_TEXT), draw(DAY), draw(AMOUNT), draw(COUNT), draw(NOTE)]
    return delimiter.join(cell.replace(delimiter, "") for cell in cells)


DIRTY = [
    *("blank", "spaces", "delims", "stray", "quoted", "multiline", "short", "long"),
    *("cp1252", "lone_cr", "trailing", "unicode_blank", "bom"),
]


@st.composite
def export_line(draw: st.DrawFn, delimiter: str, extra: int, dirty: list[str]) -> bytes:
    """One line (or a record over several lines) of an export, as bytes."""
    kind = draw(st.sampled_from(["row"] * 8 + dirty))
    row = draw(record(delimiter))
    cells = row.split(delimiter)
    if kind == "row":
        return row.encode("utf-8")
    if kind == "blank":
        return b""
    if kind == "spaces":
        return draw(st.sampled_from([b" ", b"  ", b"\t"]))
    if kind == "delims":
        return (delimiter * draw(st.integers(1, len(HEADER) + extra + 2))).encode()
    if kind == "unicode_blank":
        return f"\u00a0{delimiter}\u2003".encode()
    if kind == "stray":
        cells[draw(st.integers(0, len(cells) - 1))] = '"' + cells[0]
        return delimiter.join(cells).encode()
    if kind == "quoted":
        at = draw(st.integers(0, len(cells) - 1))
        cells[at] = f'"{cells[at]}{delimiter}{cells[at]}"'
        return delimiter.join(cells).encode()
    if kind == "multiline":
        at = draw(st.integers(0, len(cells) - 1))
        cells[at] = f'"{cells[at]}\n{cells[at]}"'
        return delimiter.join(cells).encode()
    if kind == "short":
        return delimiter.join(cells[: draw(st.integers(1, len(cells) - 1))]).encode()
    if kind == "long":
        return (row + delimiter * draw(st.integers(extra + 1, extra + 3)) + "x").encode()
    if kind == "cp1252":
        return row.replace("x", "å").encode("cp1252", errors="replace") + "ö".encode("cp1252")
    if kind == "bom":  # a second export pasted on: its mark stays in the first cell
        return "\ufeff".encode() + row.encode()
    if kind == "lone_cr":  # a CR inside a line, or first on it (pyarrow sees an empty line)
        return (
            "\r" + row if draw(st.booleans()) else row.replace(delimiter, "\r" + delimiter, 1)
        ).encode()
    # trailing: the unnamed trailing columns, some or all
    return (row + delimiter * draw(st.integers(0, extra))).encode()


@st.composite
def exports(draw: st.DrawFn) -> tuple[bytes, str | None]:
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    extra = draw(st.integers(0, 2))  # unnamed trailing header columns
    header = delimiter.join(HEADER) + delimiter * extra
    # Each export has some kinds of dirt: blocks pyarrow reads and blocks it cannot both occur.
    dirty = sorted(draw(st.sets(st.sampled_from(DIRTY))))
    lines = draw(st.lists(export_line(delimiter, extra, dirty), max_size=40))
    newline = draw(st.sampled_from([b"\n", b"\r\n"]))
    body = newline.join([header.encode(), *lines])
    if draw(st.booleans()):
        body += newline
    if draw(st.booleans()):
        body = "\ufeff".encode() + body
    encoding = draw(st.sampled_from([None, None, None, "utf-8", "cp1252"]))
    return body, encoding


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports(), st.integers(1, 400), st.integers(1, 30))
def test_batches_are_the_rows_on_dirty_exports(
    export: tuple[bytes, str | None], block: int, size: int
) -> None:
    data, encoding = export
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "beslut.csv"
        path.write_bytes(data)
        expected, got, _ = read_both(path, size, block, encoding)
    assert got == expected


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["id", "day", "amount", "count", "note"]), unique=True, min_size=1))
def test_any_choice_of_fields_reads_the_same(names: list[str]) -> None:
    body = "Id;Datum;Belopp;Antal;Text\nB1;2024-01-02;1;2;a\n\nB2;igår;x;y;\n;;;;\nB3; 20240301 ;2,5;3; b \n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "beslut.csv"
        path.write_text(body, encoding="utf-8")
        fields = {name: FIELDS[name] for name in names}
        for block in (1, 9, 1000):
            expected, got, _ = read_both(path, 2, block, fields=fields)
            assert got == expected


# -- hand-worked cases --


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "beslut.csv"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def test_clean_blocks_are_read_by_pyarrow_with_physical_line_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blank lines (pyarrow skips them) do not shift the numbers; no block needs the row
    reader, which is made to fail if it is asked."""

    def refuse(*_: object) -> None:
        raise AssertionError("the row reader was asked to read a clean block")

    monkeypatch.setattr(arrow_blocks.CsvRecords, "resume", refuse)
    path = write(
        tmp_path,
        "Id;Datum;Belopp;Antal;Text\r\nB1;2024-01-02;1 234,50;2;a\r\n\r\n\r\n"
        "B2;20240105;;; b \r\n;;;;\r\n  \r\nB3;2024-02-30;x;1;\r\n",
    )
    dataset = Dataset("beslut", DatasetSpec(path=path.name, columns=COLUMNS), path)
    (batch,) = list(dataset.batches(FIELDS, 100, 1 << 20))
    assert batch.numbers == [2, 5, 8]
    assert batch.values("id") == ["B1", "B2", "B3"]
    assert batch.values("day") == [date(2024, 1, 2), date(2024, 1, 5), None]
    assert batch.values("amount") == [Decimal("1234.50"), None, None]
    assert batch.values("note") == ["a", "b", None]
    assert batch.errors_of(2) == {
        "day": "beslut (beslut.csv) rad 8, kolumn 'Datum': '2024-02-30' går inte att läsa; "
        "datumet finns inte; väntade ett datum (ÅÅÅÅ-MM-DD eller ÅÅÅÅMMDD)",
        "amount": "beslut (beslut.csv) rad 8, kolumn 'Belopp': 'x' går inte att läsa; "
        "väntade ett belopp eller tal (t.ex. 1 234,50 eller 1234.50)",
    }
    assert "day" not in batch.row(2) and batch.row(2)["count"] == 1
    assert (dataset.count.records, dataset.count.blank, dataset.count.bad) == (3, 4, 0)


def test_a_ragged_line_is_an_error_in_a_block_pyarrow_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(arrow_blocks.CsvRecords, "resume", None)  # never the row reader
    path = write(
        tmp_path,
        "Id,Datum,Belopp,Antal,Text,,\nB1,2024-01-02,1,2,a\nB2,2024-01-02,2754,50,2,a,,\nB3,2024-01-03,1,2,a,,\n",
    )
    dataset = Dataset("beslut", DatasetSpec(path=path.name, columns=COLUMNS), path)
    rows = [
        batch.row(i) for batch in dataset.batches(FIELDS, 10, 1 << 20) for i in range(len(batch))
    ]
    assert [r.number for r in rows] == [2, 3, 4]
    assert rows[1].errors["id"] == (
        "beslut (beslut.csv) rad 3: raden har 8 fält men rubrikraden har 7; väntade 7 fält (ett "
        "tal med decimalkomma, t.ex. 2754,50, måste stå inom citattecken i en kommaseparerad "
        "fil). Raden läses inte, så inga kolumner förskjuts"
    )
    assert dict(rows[1]) == {} and set(rows[1].errors) == set(FIELDS)
    assert rows[2]["id"] == "B3" and not rows[2].errors
    assert dataset.count.bad == 1


def test_a_quoted_record_over_a_block_edge_is_read_whole(tmp_path: Path) -> None:
    body = "Id;Datum;Belopp;Antal;Text\n" + "".join(
        f'B{i};2024-01-02;{i};1;"rad ett\nrad två"\n'
        if i % 7 == 3
        else f"B{i};2024-01-02;{i};1;x\n"
        for i in range(60)
    )
    path = write(tmp_path, body)
    for block in (5, 40, 64, 100, 333):
        expected, got, _ = read_both(path, 8, block)
        assert got == expected
    assert [n for n, _, _ in got][:6] == [2, 3, 4, 5, 7, 8]


def test_mixed_utf8_and_cp1252_lines_decode_line_by_line(tmp_path: Path) -> None:
    body = (
        b"Id;Datum;Belopp;Antal;Text\n"
        + "B1;2024-01-02;1;1;Hemtjänst\n".encode()
        + "B2;2024-01-02;1;1;Hemtjänst\n".encode("cp1252")
        + b"B3;2024-01-02;1;1;\x81\x8d\n"
    )
    path = write(tmp_path, body)
    expected, got, _ = read_both(path, 10, 1 << 20)
    assert got == expected
    assert [dict(values)["note"] for _, values, _ in got] == [
        "Hemtjänst",
        "Hemtjänst",
        "\ufffd\ufffd",
    ]


def test_an_overlong_line_is_one_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "beslut.csv"
    with path.open("wb") as handle:
        handle.write(b"Id;Datum;Belopp;Antal;Text\nB1;2024-01-02;1;1;a\nB2;")
        handle.write(b"x" * (MAX_LINE_BYTES + 10))
        handle.write(b";2\nB3;2024-01-02;1;1;a\n")
    for block in (1 << 20, 1 << 21, 1000):
        expected, got, _ = read_both(path, 10, block)
        assert got == expected
        assert [n for n, _, _ in got] == [2, 3, 4]


def test_a_field_over_the_csv_field_limit_is_one_bad_row_in_both_paths(tmp_path: Path) -> None:
    """The row reader refuses a field over 131 072 characters in a line well under
    MAX_LINE_BYTES; pyarrow would read it, and the figures would differ."""
    path = tmp_path / "beslut.csv"
    long = "L" * 131_073
    path.write_text(
        f"Id;Datum;Belopp;Antal;Text\nB1;2024-01-02;1;1;a\nB2;2024-01-03;1;1;{long}\n"
        "B3;2024-01-02;1;1;a\n",
        encoding="utf-8",
    )
    for block in (1 << 20, 1 << 18, 1000):
        expected, got, _ = read_both(path, 10, block)
        assert got == expected
        assert [n for n, _, errors in got if errors] == [3]


def test_a_nul_byte_fails_the_dataset_as_the_row_reader_does(tmp_path: Path) -> None:
    path = write(tmp_path, b"Id;Datum;Belopp;Antal;Text\nB1;2024-01-02;1;1;a\n\nB2;\x00;1;1;a\n")
    dataset = Dataset("beslut", DatasetSpec(path=path.name, columns=COLUMNS), path)
    with pytest.raises(DatasetError) as by_rows:
        list(dataset.rows(FIELDS))
    with pytest.raises(DatasetError) as by_batches:
        list(dataset.batches(FIELDS, 10))
    assert str(by_batches.value) == str(by_rows.value)
    assert "rad 4: filen innehåller NUL-tecken" in str(by_rows.value)


def test_header_errors_are_the_row_readers(tmp_path: Path) -> None:
    for text in (b"", b"\n\nB1;x\n", b"Id;Datum\rB1;x\r", b"Id;Datum;Id;Belopp;Antal;Text\n"):
        path = write(tmp_path, text)
        dataset = Dataset("beslut", DatasetSpec(path=path.name, columns=COLUMNS), path)
        with pytest.raises(DatasetError) as by_rows:
            list(dataset.rows(FIELDS))
        with pytest.raises(DatasetError) as by_batches:
            list(dataset.batches(FIELDS, 10))
        assert str(by_batches.value) == str(by_rows.value)


def test_a_header_over_two_lines_and_a_bom(tmp_path: Path) -> None:
    path = write(tmp_path, '\ufeffId;"Datum";Belopp;Antal;"Te\nxt"\nB1;2024-01-02;1;1;a\n')
    columns = {**COLUMNS, "note": "Te\nxt"}
    dataset = Dataset("beslut", DatasetSpec(path=path.name, columns=columns), path)
    rows = [(r.number, dict(r)) for r in dataset.rows(FIELDS)]
    flat = [
        (b.row(i).number, dict(b.row(i)))
        for b in dataset.batches(FIELDS, 4, 7)
        for i in range(len(b))
    ]
    assert (
        flat
        == rows
        == [
            (
                3,
                {
                    "id": "B1",
                    "day": date(2024, 1, 2),
                    "amount": Decimal(1),
                    "count": 1,
                    "note": "a",
                },
            )
        ]
    )


def test_batches_have_the_asked_size_across_blocks(tmp_path: Path) -> None:
    body = "Id;Datum;Belopp;Antal;Text\n" + "".join(f"B{i};2024-01-02;1;1;a\n" for i in range(100))
    path = write(tmp_path, body)
    dataset = Dataset("beslut", DatasetSpec(path=path.name, columns=COLUMNS), path)
    assert [len(b) for b in dataset.batches(FIELDS, 30, 256)] == [30, 30, 30, 10]
    assert dataset.rows_read == 100


def test_a_batch_of_rows_and_a_columnar_batch_answer_alike() -> None:
    from internkontroll.datasets import Row

    rows = [
        Row(2, {"id": "B1", "day": date(2024, 1, 2)}),
        Row(3, {"id": None}, {"day": "fel"}),
        Row(5, {"id": "B1", "day": None}),
    ]
    plain = Batch(rows)
    columnar = Batch.from_rows(rows, {"id": "text", "day": "date"})
    for batch in (plain, columnar):
        assert batch.values("day") == [date(2024, 1, 2), None, None]
        assert batch.codes("id")[0] == ["B1", None]
        assert batch.error_rows().tolist() == [False, True, False]
        assert batch.errors_of(1) == {"day": "fel"}
        assert batch.take(np.array([False, True, True])).numbers == [3, 5]


def test_a_columnar_batch_gives_its_rows_the_role_it_is_read_for(tmp_path: Path) -> None:
    path = write(tmp_path, "Id;Datum;Belopp;Antal;Text\nB1;2024-01-02;1;1;a\nB2;x;1;1;a\n")
    dataset = Dataset("beslut", DatasetSpec(path=path.name, columns=COLUMNS), path)
    (batch,) = list(dataset.batches(FIELDS, 10))
    ledger = batch.with_role("ledger")
    assert [row.role for row in ledger.rows] == ["ledger", "ledger"]
    assert ledger.errors_in(["day"]).tolist() == [False, True]
    assert ledger.take(ledger.errors_in(["day"])).row(0).role == "ledger"


def test_reading_batches_never_makes_pyarrow_import_pandas(tmp_path: Path) -> None:
    """pyarrow imports pandas (half a second, 50 MB) on its first conversion if pandas is
    installed, as it is beside the benchmarks; a run reads without it."""
    import subprocess
    import sys

    path = write(tmp_path, 'Id;Datum;Belopp;Antal;Text\nB1;2024-01-02;1,5;2;a\n\n;x;2.555;;"b"\n')
    script = f"""
import sys
from pathlib import Path
from internkontroll.datasets import Dataset
from internkontroll.models import DatasetSpec
path = Path({str(path)!r})
dataset = Dataset("beslut", DatasetSpec(path=path.name, columns={COLUMNS!r}), path)
for batch in dataset.batches({FIELDS!r}, 2, 20):
    for name in {list(FIELDS)!r}:
        batch.values(name), batch.codes(name), batch.blank(name), batch.hashes(name)
    batch.hundredths("amount"), batch.dates("day"), batch.arrow("id"), batch.arrow("day")
    batch.take(batch.everything()).rows, batch.error_rows()
print("pandas" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
