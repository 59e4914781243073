"""A table's CSV lines made a column at a time are what ``csv.writer`` writes of ``csv_row`` of
each row, whatever its cells hold; they are made once for the engine's search and the file,
and made again when the rows have grown since."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from internkontroll.cell_safety import csv_row
from internkontroll.findings_csv import write_table
from internkontroll.outcome import Outcome, ReportTable
from internkontroll.privacy import PersonnummerLeak, leak_in
from internkontroll.spill import SpillList
from internkontroll.table_lines import chunk_text

texts = st.text(
    alphabet=st.sampled_from([*list("ab;\"' \n\r\t=+-@0123456789åÄ,.eE"), "–", "１"]),
    max_size=10,
)
cells = st.one_of(
    st.none(),
    texts,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
)


def reference(rows: Sequence[Sequence[object]]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow(csv_row(row))
    return text.getvalue()


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda width: st.lists(
            st.lists(cells, min_size=width, max_size=width), min_size=1, max_size=12
        )
    )
)
def test_rows_of_one_width_are_written_as_the_csv_module_writes_them(
    rows: list[list[object]],
) -> None:
    assert chunk_text(rows) == reference(rows)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cells, max_size=4), min_size=1, max_size=8))
def test_rows_of_any_widths_are_written_as_the_csv_module_writes_them(
    rows: list[list[object]],
) -> None:
    assert chunk_text(rows) == reference(rows)


class CountedRows(SpillList[list[object]]):
    """Rows that count how often they are gone through."""

    def __init__(self, rows: list[list[object]]) -> None:
        super().__init__(rows, keep=10, chunk=100)
        self.passes = 0

    def chunks(self) -> Iterator[Sequence[list[object]]]:
        self.passes += 1
        yield from super().chunks()


def test_the_search_and_the_file_go_through_the_rows_once(tmp_path: Path) -> None:
    rows = CountedRows([["2024 Q1", f"B{n}", None, n] for n in range(1000)])
    table = ReportTable(title="t", columns=["Kvartal", "Ärende-id", "Insats", "Dagar"], rows=rows)
    assert leak_in(Outcome(tables={"ivo": table})) is None
    write_table(tmp_path / "t.csv", tmp_path / "t.csv", table)
    assert rows.passes == 1
    header = reference([table.columns])
    expected = header + reference([list(row) for row in SpillList(rows)])
    assert (tmp_path / "t.csv").read_bytes() == b"\xef\xbb\xbf" + expected.encode("utf-8")


def test_rows_added_after_the_search_are_searched_before_they_are_written(tmp_path: Path) -> None:
    rows: list[list[object]] = [["B1", 1], ["B2", 2]]
    table = ReportTable(title="t", columns=["Ärende-id", "Dagar"], rows=rows)
    assert leak_in(Outcome(tables={"ivo": table})) is None
    rows.append(["19121212-1212", 3])
    try:
        write_table(tmp_path / "t.csv", tmp_path / "t.csv", table)
    except PersonnummerLeak:
        pass
    else:
        raise AssertionError("a personnummer added after the search was written")
    assert "1212" not in (tmp_path / "t.csv").read_text(encoding="utf-8-sig")


def test_a_decimal_and_a_date_are_written_as_text() -> None:
    rows: list[list[object]] = [[Decimal("-1E+3"), date(2024, 1, 2), "-x", -5, 1.5, True]]
    assert chunk_text(rows) == "-1E+3;2024-01-02;'-x;-5;1.5;True\r\n"
