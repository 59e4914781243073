"""A cell value never stops a run: it parses, or it is a cell error saying where and what form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from internkontroll.datasets import Dataset
from internkontroll.models import DatasetSpec
from internkontroll.values import (
    EXPECTED,
    FieldType,
    _parse_date_text,
    parse_date,
    parse_decimal,
    parser_for,
)

TYPES: dict[FieldType, tuple[type, ...]] = {
    "text": (str,),
    "date": (date,),
    "decimal": (Decimal,),
    "integer": (int,),
}
cell_values = st.one_of(
    st.text(max_size=20),
    st.text("0123456789,.- ²¹³⁴٣١e+kr\u00a0\u2212", max_size=12),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.dates(),
    st.datetimes(),
    st.booleans(),
    st.none(),
)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(list(TYPES)), cell_values)
@example("decimal", "75²")
@example("decimal", "²")
@example("integer", "²")
@example("decimal", Decimal("NaN"))
@example("date", "9999-12-31")
@example("date", datetime(1899, 12, 30))
def test_a_parser_gives_its_type_none_or_value_error(kind: FieldType, raw: object) -> None:
    parse = parser_for(kind)
    try:
        value = parse(raw)
    except ValueError as exc:
        assert "väntade" in str(exc)
        return
    assert value is None or isinstance(value, TYPES[kind])
    if isinstance(value, Decimal):
        assert value.is_finite()
    if isinstance(value, date):
        assert date(1900, 1, 1) <= value <= date(2199, 12, 31)


def test_placeholder_dates_are_cell_errors_and_real_ones_are_not() -> None:
    with pytest.raises(ValueError, match="9999-12-31 ligger utanför åren 1900–2199"):
        parse_date("9999-12-31")
    with pytest.raises(ValueError, match="1899-12-30 ligger utanför"):
        parse_date(datetime(1899, 12, 30))
    assert parse_date("2199-12-31") == date(2199, 12, 31)
    assert parse_date("19000101") == date(1900, 1, 1)


SPEC = DatasetSpec(path="x.csv", columns={"id": "Id", "amount": "Belopp", "day": "Datum"})


def test_bad_cells_name_dataset_row_column_and_form(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(
        "Id;Belopp;Datum\nB1;75²;2024-01-01\nB2;²;9999-12-31\nB3;12,50;2024-02-29\n",
        encoding="utf-8",
    )
    rows = list(
        Dataset("kassa", SPEC, path).rows({"id": "text", "amount": "decimal", "day": "date"})
    )
    assert rows[0].errors == {
        "amount": "kassa (x.csv) rad 2, kolumn 'Belopp': '75²' går inte att läsa; väntade "
        + EXPECTED["decimal"]
    }
    assert rows[1].errors["amount"].startswith("kassa (x.csv) rad 3, kolumn 'Belopp': '²'")
    assert (
        rows[1]
        .errors["day"]
        .startswith(
            "kassa (x.csv) rad 3, kolumn 'Datum': '9999-12-31' går inte att läsa; datumet "
            "9999-12-31 ligger utanför åren 1900–2199"
        )
    )
    assert (rows[2]["amount"], rows[2]["day"], rows[2].errors) == (
        Decimal("12.50"),
        date(2024, 2, 29),
        {},
    )


def test_a_parser_that_raises_something_else_is_still_a_cell_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(kind: FieldType) -> object:
        def parse(raw: object) -> object:
            raise ArithmeticError("internt")

        return parse

    monkeypatch.setattr("internkontroll.datasets.parser_for", broken)
    path = tmp_path / "x.csv"
    path.write_text("Id;Belopp;Datum\nB1;1;2024-01-01\n", encoding="utf-8")
    [row] = Dataset("kassa", SPEC, path).rows({"id": "text", "amount": "decimal"})
    assert row.errors == {
        "amount": "kassa (x.csv) rad 2, kolumn 'Belopp': '1' går inte att läsa; väntade "
        + EXPECTED["decimal"]
    }


def test_a_whole_number_written_with_zero_decimals_is_an_integer() -> None:
    """Spreadsheets write 10 as "10,00"; "1,000" may be a thousand and stays an error."""
    from internkontroll.values import parse_integer

    assert [parse_integer(t) for t in ("10,00", "10.0", " -3,00 ", "1 200,00")] == [
        10,
        10,
        -3,
        1200,
    ]
    for text in ("10,50", "1,000", "10,", ",00"):
        with pytest.raises(ValueError, match="väntade ett heltal"):
            parse_integer(text)


def test_a_point_before_three_digits_alone_is_refused_as_ambiguous() -> None:
    """'3.000' may be three thousand (a thousands point, as in '3.000,00') or three: read either
    way the figure could be off by a thousand, so it is a cell error, in both readers' parser."""
    read = parser_for("decimal")
    for text in ("3.000", "-3.000", "+3.000", "1.025", "999.999", " 2.500 ", "3.000 kr"):
        with pytest.raises(ValueError, match="tvetydigt tal"):
            read(text)
        with pytest.raises(ValueError, match="tvetydigt tal"):
            parse_decimal(text)
    # Not ambiguous: a comma is the Swedish decimal mark, a leading 0 or four digits before the
    # point cannot be thousands, two or four decimals are not a group of three, and a point
    # beside a comma, or two points, say which is which.
    for text, value in (
        ("3,000", "3.000"),
        ("0.500", "0.500"),
        ("1234.500", "1234.500"),
        ("3.00", "3.00"),
        ("3.0000", "3.0000"),
        ("5.000,00", "5000.00"),
        ("1.000.000", "1000000"),
        ("1,234.50", "1234.50"),
    ):
        assert read(text) == Decimal(value)


def _outcome(parse: Callable[[str], date], text: str) -> date | str:
    try:
        return parse(text)
    except ValueError as exc:
        return str(exc)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.dates().map(date.isoformat),
        st.text("0123456789-٣", min_size=8, max_size=12),
        st.builds(
            "{}-{}-{}".format,
            st.text("0123456789", min_size=4, max_size=4),
            st.text("0123456789a ", min_size=1, max_size=2),
            st.text("0123456789a ", min_size=1, max_size=2),
        ),
    )
)
@example("0000-01-01")
@example("2024-02-30")
@example("9999-12-31")
@example("2024-01-1٣")
@example("2024-W01-1")
def test_the_iso_fast_path_reads_every_date_text_as_the_patterns_do(text: str) -> None:
    """YYYY-MM-DD is read by ``date.fromisoformat`` first: same date, or the same message."""
    assert _outcome(parse_date, text) == _outcome(_parse_date_text, text.strip())
