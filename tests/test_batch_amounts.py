"""Amounts in whole öre from a batch (``Batch.hundredths``) are the row reader's amounts: every
cell an export can hold (signs, decimals, commas, spaces grouping thousands, " kr", values too
long or at the trillion limit) read row by row with ``values.parser_for`` and by the batch reader
gives the same value, the same error message and, where the value is whole öre, the same öre.

The expected öre are worked out from the row reader's ``Decimal`` (``value * 100`` when it is a
whole number), not from the code under test."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from internkontroll.columnar import DecimalColumn, ObjectColumn, objects
from internkontroll.datasets import Dataset
from internkontroll.models import DatasetSpec
from internkontroll.values import FieldType

FIELDS: dict[str, FieldType] = {"id": "text", "amount": "decimal"}


def expected_ore(value: Decimal | None) -> int | None:
    """Whole öre of a value, or None: blank, or parts of an öre that are not zeros."""
    if value is None:
        return None
    scaled = value * 100
    return int(scaled) if scaled == scaled.to_integral_value() else None


@st.composite
def amount_cells(draw: st.DrawFn) -> str:
    """An amount as people and systems write one: sign, whole part (grouped or not), mark,
    decimals (trailing zeros too), a currency word and padding; now and then a broken one."""
    sign = draw(st.sampled_from(["", "", "-", "+", "\u2212", "- "]))
    whole = draw(
        st.one_of(
            st.integers(min_value=0, max_value=99_999),
            st.integers(min_value=0, max_value=10**15),
            st.sampled_from([10**12 - 1, 10**12, 10**12 + 1, 999_999_999_999, 0]),
        )
    )
    digits = str(whole)
    if draw(st.booleans()):
        digits = digits.zfill(draw(st.integers(min_value=1, max_value=16)))
    group = draw(st.sampled_from(["", "", " ", "\u00a0", ".", ",", "'"]))
    if group:
        parts = []
        while len(digits) > 3:
            parts.insert(0, digits[-3:])
            digits = digits[:-3]
        digits = group.join([digits, *parts])
    mark = draw(st.sampled_from(["", ",", ".", ","]))
    decimals = draw(st.text("0123456789", max_size=6)) if mark else ""
    if mark and draw(st.booleans()):
        decimals = decimals[:2] + "0" * draw(st.integers(min_value=0, max_value=20))
    text = f"{sign}{digits}{mark}{decimals}"
    text += draw(st.sampled_from(["", "", " kr", "kr", " "]))
    if draw(st.booleans()):
        text = f" {text} "
    broken = st.sampled_from(["", " ", "abc", "1,2,3", "12 34", "--5", "5-", ",5", "1e3", "١٢"])
    return draw(st.one_of(st.just(text), st.just(text), st.just(text), broken))


def read(cells: list[str], size: int) -> tuple[list[Any], list[Any], list[Any]]:
    """(row reader's (number, value, errors), the batches' (number, value, errors), the
    batches' öre per row or None)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kassabok.csv"
        lines = ["Id;Belopp", *(f"V{n};{cell}" for n, cell in enumerate(cells))]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        spec = DatasetSpec(path=path.name, columns={"id": "Id", "amount": "Belopp"})
        rows = [
            (row.number, row["amount"], row.errors)
            for row in Dataset("kassabok", spec, path).rows(FIELDS)
        ]
        batched, ore = [], []
        for batch in Dataset("kassabok", spec, path).batches(FIELDS, size):
            cents, exact = batch.hundredths("amount")
            for index in range(len(batch)):
                row = batch.row(index)
                batched.append((row.number, row["amount"], row.errors))
                ore.append(int(cents[index]) if exact[index] else None)
        return rows, batched, ore


@settings(max_examples=150, deadline=None)
@given(st.lists(amount_cells(), max_size=40), st.sampled_from([1, 3, 8192]))
def test_amounts_in_batches_are_the_row_readers_to_the_ore(cells: list[str], size: int) -> None:
    rows, batched, ore = read(cells, size)
    assert batched == rows
    assert ore == [expected_ore(value) for _, value, _ in rows]


def test_amounts_at_the_limit_and_beyond_two_decimals() -> None:
    cells = [
        "999999999999,99",
        "-999 999 999 999,99",
        "1000000000000",
        "-1 000 000 000 000,00",
        "12,345",
        "12,3400000000000000000000000000",
        "-0,00",
        "007,10",
        "1.234,56",
        "0,005",
    ]
    rows, batched, ore = read(cells, 4)
    assert batched == rows
    assert ore == [
        99999999999999,
        -99999999999999,
        None,  # a trillion: a cell error, as in the row reader
        None,
        None,  # parts of an öre
        1234,
        0,
        710,
        123456,
        None,
    ]
    too_long = [errors["amount"] for _, _, errors in rows if errors]
    assert len(too_long) == 2 and all("fler än 12 siffror" in text for text in too_long)


PLAIN = st.one_of(
    st.none(),
    st.from_regex(r"-?[0-9]{1,12}(\.[0-9]{1,8})?", fullmatch=True),
    st.sampled_from(["0", "-0", "-0.00", "0.001", "12.340", "999999999999.99", "1.5"]),
)
OTHER = st.sampled_from([None, Decimal("2.5"), Decimal("-1.234"), Decimal("1E+3"), Decimal(7)])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(PLAIN, OTHER), max_size=30), st.integers(0, 5), st.integers(0, 5))
def test_a_decimal_column_in_ore_as_each_value_gives_it(
    cells: list[tuple[str | None, Decimal | None]], start: int, cut: int
) -> None:
    """Plain texts and parsed values side by side, whole or sliced (an arrow array with an
    offset) or taken: the öre are those of the values the column gives back."""
    plain = pa.array([text for text, _ in cells], pa.string())
    other = objects([value if text is None else None for text, value in cells])
    column = DecimalColumn(plain, other)
    stop = max(start, len(cells) - cut)
    parts = [column, column.slice(min(start, len(cells)), min(stop, len(cells)))]
    parts.append(column.take(np.arange(len(cells))[::-2].astype(np.intp)))
    for part in parts:
        ore, exact = part.hundredths()
        reference = ObjectColumn(objects(part.values())).hundredths()
        assert exact.tolist() == reference[1].tolist()
        assert ore.tolist() == reference[0].tolist()
        assert [int(o) if e else None for o, e in zip(ore, exact, strict=True)] == [
            expected_ore(value) for value in part.values()
        ]
