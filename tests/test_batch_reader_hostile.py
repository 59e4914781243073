"""Hostile exports, each reduced to the smallest file that once made the batch reader differ
from the row reader: the batches must give, row for row, what ``Dataset.rows`` gives (numbers,
values, messages, the account of every line, and the same refusal), at every block size."""

from __future__ import annotations

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
