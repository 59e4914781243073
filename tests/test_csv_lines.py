"""Every physical line of a CSV is accounted for: part of a row, blank, or a data-quality error.

The exports are built line by line from known kinds, so the expected rows, blank lines and bad
lines (with their numbers) are known without reading the file back.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from internkontroll.csv_records import MAX_LINE_BYTES, BadLine
from internkontroll.datasets import Dataset
from internkontroll.errors import DatasetError
from internkontroll.models import DatasetSpec
from internkontroll.readers import CsvReader

WORDS = st.text("abcåäöSoLx0123456789-", min_size=1, max_size=6)


@dataclass
class Line:
    """One piece of an export: its text and what it must become."""

    kind: str  # row, multiline, blank, wrong_width, stray_quote
    text: str
    cells: list[str] | None = None

    @property
    def span(self) -> int:
        return 2 if self.kind == "multiline" else 1


def line(width: int, delimiter: str) -> st.SearchStrategy[Line]:
    def row(cells: list[str], quoted: int | None) -> Line:
        written = list(cells)
        if quoted is not None:  # a quoted field holding the delimiter, as Excel writes it
            cells[quoted] = f"{cells[quoted]}{delimiter}{cells[quoted]}"
            written[quoted] = f'"{cells[quoted]}"'
        return Line("row", delimiter.join(written), cells)

    def multiline(cells: list[str], at: int) -> Line:
        cells[at] = f"{cells[at]}\n{cells[at]}"
        written = [f'"{c}"' if i == at else c for i, c in enumerate(cells)]
        return Line("multiline", delimiter.join(written), cells)

    def stray(cells: list[str], at: int) -> Line:
        return Line(
            "stray_quote", delimiter.join(f'"{c}' if i == at else c for i, c in enumerate(cells))
        )

    fields = st.lists(WORDS, min_size=width, max_size=width)
    index = st.integers(0, width - 1)
    other_widths = st.integers(1, width + 3).filter(lambda n: n != width)
    return st.one_of(
        st.builds(row, fields, st.none() | index),
        st.builds(multiline, fields, index),
        st.builds(stray, fields, index),
        st.sampled_from(["", delimiter * (width - 1), " "]).map(lambda t: Line("blank", t)),
        other_widths.flatmap(lambda n: st.lists(WORDS, min_size=n, max_size=n)).map(
            lambda cells: Line("wrong_width", delimiter.join(cells))
        ),
    )


@st.composite
def exports(draw: st.DrawFn) -> tuple[str, str, int, list[Line]]:
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    width = draw(st.integers(2, 5))
    lines = draw(st.lists(line(width, delimiter), max_size=25))
    return delimiter, draw(st.sampled_from(["\n", "\r\n"])), width, lines


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports())
def test_lines_are_rows_plus_blank_plus_errors(export: tuple[str, str, int, list[Line]]) -> None:
    delimiter, newline, width, lines = export
    header = delimiter.join(f"K{i}" for i in range(width))
    text = "\n".join([header, *(piece.text for piece in lines)]) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.csv"
        path.write_bytes(text.replace("\n", newline).encode("utf-8"))
        reader = CsvReader(path)
        records = list(reader.records())

    count = reader.count
    assert count.lines == text.count("\n")  # every physical line, header included
    assert count.records == sum(piece.kind in ("row", "multiline") for piece in lines)
    assert count.blank == sum(piece.kind == "blank" for piece in lines)
    assert count.bad == sum(piece.kind in ("wrong_width", "stray_quote") for piece in lines)

    expected: list[tuple[int, list[str] | None]] = []
    number = 2
    for piece in lines:
        if piece.kind != "blank":
            cells = piece.cells and [c.replace("\n", newline) for c in piece.cells]
            expected.append((number, cells))
        number += piece.span
    assert [n for n, _ in records] == [n for n, _ in expected]  # physical line numbers
    for (_, got), (_, wanted) in zip(records, expected, strict=True):
        if wanted is None:
            assert isinstance(got, BadLine)
        else:
            assert got == wanted  # never shifted, never merged


SPEC = DatasetSpec(path="x.csv", columns={"decision_id": "Id", "law": "Lag", "amount": "Belopp"})
FIELDS = {"decision_id": "text", "law": "text", "amount": "decimal"}


def rows_of(tmp_path: Path, text: str) -> list[tuple[int, dict[str, object], set[str]]]:
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    rows = Dataset("kassa", SPEC, path).rows(FIELDS)  # type: ignore[arg-type]
    return [(r.number, dict(r), set(r.errors.values())) for r in rows]


def test_stray_quote_is_one_bad_line_and_the_rows_after_it_are_read(tmp_path: Path) -> None:
    body = [f"B{i};SoL;{i}" for i in range(1, 41)]
    body[4] = 'B5;"SoL;5'
    body[24] = 'B25;"SoL;25'
    rows = rows_of(tmp_path, "Id;Lag;Belopp\n" + "\n".join(body) + "\n")
    assert len(rows) == 40
    bad = {number: messages for number, _, messages in rows if messages}
    assert sorted(bad) == [6, 26]
    assert bad[6] == {
        'kassa (x.csv) rad 6: ett fält börjar med citattecken (") som inte avslutas på raden '
        "(nästa citattecken, på rad 26, följs av mer text); raden läses inte. Väntade ett "
        "avslutande citattecken före nästa avgränsare, eller inget citattecken alls"
    }
    assert "(filen tar slut utan att det avslutas)" in next(iter(bad[26]))
    assert [values["decision_id"] for _, values, m in rows if not m] == [
        f"B{i}" for i in range(1, 41) if i not in (5, 25)
    ]


def test_a_field_too_many_is_an_error_never_a_shifted_row(tmp_path: Path) -> None:
    rows = rows_of(tmp_path, 'Id,Lag,Belopp\nB1,SoL,2754,50\nB2,LSS,"2754,50"\nB3,SoL\n')
    assert rows[0] == (
        2,
        {},
        {
            "kassa (x.csv) rad 2: raden har 4 fält men rubrikraden har 3; väntade 3 fält (ett "
            "tal med decimalkomma, t.ex. 2754,50, måste stå inom citattecken i en "
            "kommaseparerad fil). Raden läses inte, så inga kolumner förskjuts"
        },
    )
    assert rows[1][1]["amount"] == Decimal("2754.50")
    assert rows[2][2] == {
        "kassa (x.csv) rad 4: raden har 2 fält men rubrikraden har 3; väntade 3 fält (en "
        "avgränsare för mycket eller för lite, eller olika avgränsare på olika rader?). Raden "
        "läses inte, så inga kolumner förskjuts"
    }


def test_a_cell_with_a_line_break_is_one_row_numbered_by_its_first_line(tmp_path: Path) -> None:
    rows = rows_of(tmp_path, 'Id;Lag;Belopp\nB1;"SoL\nLSS";1\nB2;SoL;2\n')
    assert [(n, v["law"], m) for n, v, m in rows] == [(2, "SoL\nLSS", set()), (4, "SoL", set())]


def test_unnamed_trailing_columns_may_be_left_off(tmp_path: Path) -> None:
    rows = rows_of(tmp_path, "Id;Lag;Belopp;;\nB1;SoL;1\nB2;SoL;2;;\nB3;SoL;3;x;y;z\n")
    assert [(n, bool(m)) for n, _, m in rows] == [(2, False), (3, False), (4, True)]


def test_an_overlong_line_is_skipped_without_holding_it(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    with path.open("wb") as handle:
        handle.write(b"Id;Lag;Belopp\nB1;SoL;1\nB2;")
        handle.write(b"x" * (MAX_LINE_BYTES + 10))
        handle.write(b";2\nB3;LSS;3\n")
    reader = CsvReader(path)
    records = list(reader.records())
    assert [n for n, _ in records] == [2, 3, 4]
    assert isinstance(records[1][1], BadLine)
    assert records[1][1].message.startswith("raden är längre än 1 048 576 byte och läses inte")
    assert records[2][1] == ["B3", "LSS", "3"]
    assert reader.count.lines == 4


def test_a_quoted_field_over_the_field_limit_is_one_bad_line(tmp_path: Path) -> None:
    long = "x" * 200_000
    rows = rows_of(tmp_path, f'Id;Lag;Belopp\nB1;"{long}";1\nB2;SoL;2\n')
    assert rows[0][2] == {
        "kassa (x.csv) rad 2: ett fält är längre än 131 072 tecken; kontrollera att "
        "citattecknen i filen är parade"
    }
    assert rows[1][1]["decision_id"] == "B2"


def test_text_after_a_closing_quote_is_named(tmp_path: Path) -> None:
    rows = rows_of(tmp_path, 'Id;Lag;Belopp\nB1;"SoL"x;1\n')
    assert rows[0][2] == {
        'kassa (x.csv) rad 2: ett fält inom citattecken (") följs av mer text efter det '
        "avslutande citattecknet; väntade avgränsaren ; direkt efter citattecknet"
    }


def test_old_mac_line_ends_are_refused_with_a_way_out(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"Id;Lag;Belopp\rB1;SoL;1\r")
    with pytest.raises(DatasetError, match="raderna slutar med bara CR"):
        list(CsvReader(path).records())


def test_a_pipe_separated_export_is_read(tmp_path: Path) -> None:
    """Some case systems export with ``|``; it is found from the header as ``;`` is."""
    path = tmp_path / "x.csv"
    path.write_text("Id|Lag|Belopp\nB1|SoL|1\nB2|LSS|2\n", encoding="utf-8")
    assert list(CsvReader(path).records()) == [(2, ["B1", "SoL", "1"]), (3, ["B2", "LSS", "2"])]
