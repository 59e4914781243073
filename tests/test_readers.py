"""Reading exports: encodings, delimiters, date and amount notations, and errors that say where."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from internkontroll.datasets import Dataset
from internkontroll.errors import DatasetError
from internkontroll.models import DatasetSpec
from internkontroll.values import parse_date, parse_decimal

SPEC = DatasetSpec(
    path="x.csv",
    columns={"decision_id": "Beslut-ID", "decided": "Beslutsdatum", "amount": "Belopp"},
)
FIELDS = {"decision_id": "text", "decided": "date", "amount": "decimal"}
EXPECTED = [
    ("B1", date(2024, 1, 31), Decimal("1234.50")),
    ("Bö", date(2024, 2, 29), Decimal("12")),
]


def rows_of(path: Path, spec: DatasetSpec = SPEC) -> list[tuple[object, ...]]:
    dataset = Dataset("beslut", spec, path)
    return [
        (r["decision_id"], r["decided"], r["amount"])
        for r in dataset.rows(FIELDS)  # type: ignore[arg-type]
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    amount = '"1 234,50"' if delimiter == "," else "1 234,50"
    lines = [
        delimiter.join(["Beslut-ID", "Beslutsdatum", "Belopp"]),
        delimiter.join(["B1", "2024-01-31", amount]),
        delimiter.join(["Bö", "20240229", "12"]),
        "",
        delimiter * 2,
    ]
    path = tmp_path / "x.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    assert rows_of(path) == EXPECTED


def test_header_matching_ignores_case_and_spaces(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(" beslut-id ;BESLUTSDATUM;Belopp\nB1;2024-01-31;1234.50\n", encoding="utf-8")
    assert rows_of(path) == EXPECTED[:1]


def test_bad_value_names_dataset_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Beslut-ID;Beslutsdatum;Belopp\nB1;2024-01-31;1\nB2;2024-02-30;x\n")
    rows = list(Dataset("beslut", SPEC, path).rows(FIELDS))  # type: ignore[arg-type]
    assert rows[0].errors == {}
    assert rows[1].number == 3
    assert (
        rows[1]
        .errors["decided"]
        .startswith(
            "beslut (x.csv) rad 3, kolumn 'Beslutsdatum': '2024-02-30' går inte att läsa; datumet finns inte"
        )
    )
    assert "kolumn 'Belopp'" in rows[1].errors["amount"]
    assert rows[1]["decision_id"] == "B2"


def test_missing_column_is_a_dataset_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Beslut-ID;Datum;Belopp\n")
    with pytest.raises(DatasetError, match="kolumnen 'Beslutsdatum'"):
        rows_of(path)


def test_empty_file_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_bytes(b"")
    with pytest.raises(DatasetError, match="tom"):
        rows_of(tmp_path / "x.csv")
    with pytest.raises(DatasetError, match="finns inte"):
        rows_of(tmp_path / "y.csv")


def test_xlsx_gives_the_same_rows_as_csv(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Beslut"
    sheet.append(["Beslut-ID", "Beslutsdatum", "Belopp"])
    sheet.append(["B1", date(2024, 1, 31), 1234.5])
    sheet.append(["Bö", "20240229", "12"])
    book.save(tmp_path / "x.xlsx")
    spec = SPEC.model_copy(update={"path": "x.xlsx", "sheet": "Beslut"})
    assert rows_of(tmp_path / "x.xlsx", spec) == EXPECTED
    wrong = spec.model_copy(update={"sheet": "Blad9"})
    with pytest.raises(DatasetError, match="bladet 'Blad9' finns inte; bladen heter Beslut"):
        rows_of(tmp_path / "x.xlsx", wrong)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234,50", "1234.50"),
        ("1234.50", "1234.50"),
        ("12.345,00", "12345.00"),
        ("-5", "-5"),
        ("1\u00a0000", "1000"),
        ("250 kr", "250"),
        ("1 234 567,89", "1234567.89"),
        ("- 25,19", "-25.19"),
        ("1'234.50", "1234.50"),
    ],
)
def test_amounts(text: str, value: str) -> None:
    assert parse_decimal(text) == Decimal(value)


# A space groups thousands, three digits at a time: "100 50" is two numbers in one cell, not 10050.
@pytest.mark.parametrize(
    "text", ["abc", "1,2,3x", "", "NaN", "100 50", "12 3,4", "1 2345", "1 234 5"]
)
def test_bad_amounts(text: str) -> None:
    with pytest.raises(ValueError, match="väntade ett belopp"):
        parse_decimal(text)


def test_dates() -> None:
    assert parse_date("2024-01-31") == parse_date("20240131") == date(2024, 1, 31)
    assert parse_date("2024-01-31 00:00:00") == date(2024, 1, 31)
    with pytest.raises(ValueError, match="finns inte"):
        parse_date("20240230")
    with pytest.raises(ValueError, match="väntade ett datum"):
        parse_date("31/1 2024")


def test_a_value_right_of_the_xlsx_header_refuses_its_row_as_a_csv_field_too_many(
    tmp_path: Path,
) -> None:
    """A cell past the header's last column belongs to no column: a row shifted one cell right
    looks the same. The row is a listed error, as its CSV twin is, on both read paths."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Beslut-ID", "Beslutsdatum", "Belopp", None])
    sheet.append(["B1", date(2024, 1, 31), 1234.5])
    sheet.append(["B2", "B2", date(2024, 2, 1), 7])  # shifted one cell right
    sheet.append(["Bö", "20240229", "12", "  "])  # a blank cell past the header is only blank
    book.save(tmp_path / "x.xlsx")
    spec = SPEC.model_copy(update={"path": "x.xlsx"})
    dataset = Dataset("beslut", spec, tmp_path / "x.xlsx")
    rows = list(dataset.rows(FIELDS))  # type: ignore[arg-type]
    batched = [
        batch.row(i)
        for batch in Dataset("beslut", spec, tmp_path / "x.xlsx").batches(FIELDS, 2)  # type: ignore[arg-type]
        for i in range(len(batch))
    ]
    for got in (rows, batched):
        assert [r.number for r in got] == [2, 3, 4]
        assert got[1].errors["decision_id"] == (
            "beslut (x.xlsx) rad 3: kolumn D har ett värde men ingen rubrik på rad 1 "
            "(rubrikraden har 3 kolumner). Raden läses inte, så inga kolumner förskjuts: ge "
            "kolumnen en rubrik eller töm cellen"
        )
        assert dict(got[1]) == {}
        assert [(r["decision_id"], r["decided"], r["amount"]) for r in (got[0], got[2])] == (
            EXPECTED
        )
