"""Hostile exports, each reduced to the smallest file that once made the batch reader differ
from the row reader: the batches must give, row for row, what ``Dataset.rows`` gives (numbers,
values, messages, the account of every line, and the same refusal), at every block size."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from internkontroll.datasets import Dataset
from internkontroll.errors import DatasetError
from internkontroll.models import DatasetSpec
from internkontroll.values import FieldType

FIELDS: dict[str, FieldType] = {
    "id": "text",
    "day": "date",
    "amount": "decimal",
    "count": "integer",
}
COLUMNS = {"id": "Id", "day": "Datum", "amount": "Belopp", "count": "Antal"}
BLOCKS = (1, 2, 3, 5, 8, 13, 64, 1 << 20)


def _row(row: Any) -> tuple[Any, ...]:
    values = [(name, type(value).__name__, repr(value)) for name, value in row.items()]
    return row.number, values, list(row.errors.items())


def _read(iterate: Any) -> tuple[list[Any], str | None]:
    got: list[Any] = []
    try:
        for row in iterate:
            got.append(_row(row))
    except DatasetError as exc:
        return got, str(exc)
    return got, None


def same_as_rows(
    path: Path,
    data: bytes,
    delimiter: str | None = None,
    encoding: str | None = None,
    fields: dict[str, FieldType] | None = None,
) -> list[Any]:
    """The row reader's rows of ``data``, after checking that batches give the same."""
    fields = fields or FIELDS
    path.write_bytes(data)
    spec = DatasetSpec(
        path=path.name,
        columns={name: COLUMNS[name] for name in fields},
        delimiter=delimiter,
        encoding=encoding,
    )
    dataset = Dataset("beslut", spec, path)
    expected = _read(dataset.rows(fields))
    count, read = dataset.count, dataset.rows_read
    for block in BLOCKS:
        batches = Dataset("beslut", spec, path)
        got = _read(row for batch in batches.batches(fields, 3, block) for row in batch.rows)
        assert got == expected, block
        if expected[1] is None:
            assert (batches.count, batches.rows_read) == (count, read), block
    return expected[0]


@pytest.mark.parametrize("delimiter", ["§", "¤", "é", "\u2028", "\x85"])
def test_a_delimiter_outside_ascii_named_in_the_plan(tmp_path: Path, delimiter: str) -> None:
    text = "Id;Datum;Belopp;Antal\nB1;2024-01-02;1 234,50;3\n\n;;;\nB2;;;\nB3;x\n"
    rows = same_as_rows(tmp_path / "x.csv", text.replace(";", delimiter).encode(), delimiter)
    assert [row[0] for row in rows] == [2, 5, 6]


def test_a_ragged_line_read_for_no_field_is_a_row_without_errors(tmp_path: Path) -> None:
    """A dataset read for no field at all (a control that only counts its rows): the row
    reader's row for a ragged line has no field to carry a message, so it has no errors."""
    path = tmp_path / "x.csv"
    path.write_bytes(b"Id;Datum;Belopp;Antal\nB1;2024-01-02;1;3\nB2;x\nB3;;;;;;\n")
    dataset = Dataset("beslut", DatasetSpec(path=path.name, columns={}), path)
    rows = list(dataset.rows({}))
    assert [(row.number, row.errors) for row in rows] == [(2, {}), (3, {}), (4, {})]
    for block in BLOCKS:
        batches = list(dataset.batches({}, 10, block))
        assert [n for batch in batches for n in batch.numbers] == [2, 3, 4]
        assert [e for batch in batches for e in batch.error_rows().tolist()] == [False] * 3


@pytest.mark.parametrize(
    "body",
    [
        b"\xef\xbb\xbfB2;2024-01-02;1;3\nB3;2024-01-02;1;3\n",  # the first record after the header
        b"B1;2024-01-02;1;3\n\xef\xbb\xbf2024-01-02;2024-01-02;1;3\n",  # a line of its own
        b"\xef\xbb\xbfB2;2024-01-02;1;3\nB3;x\n\xef\xbb\xbfB4;2024-01-02;1;3\n",  # ragged block
    ],
)
def test_a_byte_order_mark_that_begins_a_record_stays_in_its_cell(
    tmp_path: Path, body: bytes
) -> None:
    """Only line 1's byte order mark is dropped (two exports put one after the other leave
    one behind); the rest are part of the cell, and a date that begins with one is an error.
    pyarrow drops a mark at the start of the text it is given, so such a block is not its."""
    rows = same_as_rows(tmp_path / "x.csv", b"Id;Datum;Belopp;Antal\n" + body)
    assert any("ufeff" in str(values) + str(errors) for _, values, errors in rows)


@pytest.mark.parametrize("character", ["x", "é"])
def test_a_field_longer_than_the_csv_modules_limit_is_a_bad_line(
    tmp_path: Path, character: str
) -> None:
    """The csv module refuses a field of more than ``csv.field_size_limit()`` characters, so
    the row reader makes its line a bad line, even with no quote in it; pyarrow would read it."""
    limit = csv.field_size_limit()
    long = "B1;2024-01-02;1;" + character * (limit + 1)
    body = f"Id;Datum;Belopp;Antal\n{long}\nB2;2024-01-02;1;{character * limit}\n"
    rows = same_as_rows(tmp_path / "x.csv", body.encode(), fields={"id": "text"})
    assert [(number, bool(errors)) for number, _, errors in rows] == [(2, True), (3, False)]


def test_an_amount_of_a_trillion_or_more_is_a_cell_error_in_both_paths(tmp_path: Path) -> None:
    """Summed in whole öre it would overflow 64 bits (an English OverflowError failed the whole
    handkassa control); as a cell error only its row is left out, and named."""
    text = (
        "Id;Datum;Belopp;Antal\nB1;2024-01-02;999999999999,99;1\n"
        "B2;2024-01-02;100000000000000000;1\nB3;2024-01-02;-1 000 000 000 000;1\n"
    )
    rows = same_as_rows(tmp_path / "x.csv", text.encode())
    assert [row[0] for row in rows if row[2]] == [3, 4]
    [(_, message)] = rows[1][2]
    assert message.startswith("beslut (x.csv) rad 3, kolumn 'Belopp': '100000000000000000' går")
    assert message.endswith(
        "talet har fler än 12 siffror före decimaltecknet; väntade ett belopp eller antal "
        "under 1 000 000 000 000 (är rätt kolumn mappad?)"
    )
