"""Fuzzing: for any input, a result or a clear error; never an unexpected exception."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from internkontroll.datasets import Dataset
from internkontroll.errors import DatasetError, PlanError
from internkontroll.models import DatasetSpec
from internkontroll.planfile import load_plan
from internkontroll.plugins import PluginHost
from internkontroll.worksheets import WorksheetError, read_answers

from .conftest import PLAN

HOST = PluginHost()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SPEC = DatasetSpec(
    path="x.csv", columns={"decision_id": "Id", "decided": "Datum", "amount": "Belopp"}
)
FIELDS = {"decision_id": "text", "decided": "date", "amount": "decimal"}

toml_pieces = st.sampled_from(
    [
        "[plan]",
        "[[risk]]",
        "[[control]]",
        "[datasets.beslut]",
        "[control.params]",
        'title = "x"',
        "year = 2024",
        'id = "R1"',
        "likelihood = 9",
        'check = "okänd"',
        "period = { start = 2024-01-01, end = 2023-01-01 }",
        "= =",
        '"',
        "[",
        "x = [1, 2",
        'risk = "R1"',
        'dataset = "beslut"',
        'path = "beslut.csv"',
        "impact = -1",
        "[control.criteria]",
        'metric = "n"',
        'better = "upp"',
        "utan_anmarkning = 1",
    ]
)


@SETTINGS
@given(
    st.one_of(
        st.lists(toml_pieces, max_size=30).map("\n".join),
        st.text(max_size=300),
        st.lists(toml_pieces, max_size=10).map(lambda extra: PLAN + "\n".join(extra)),
    )
)
def test_plan_loader_gives_a_plan_or_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.toml"
        path.write_text(text, encoding="utf-8")
        try:
            load_plan(path, HOST)
        except PlanError as exc:
            assert exc.problems
            assert all(str(p).startswith(str(path)) for p in exc.problems)


cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["2024-02-30", "20240131", "1 234,50", "12.345,00", "", ";", '"', "\r", "Bö"]),
)


@SETTINGS
@given(
    st.one_of(
        st.binary(max_size=400),
        st.lists(st.lists(cells, max_size=5), max_size=8).map(
            lambda rows: "\n".join(";".join(r) for r in [["Id", "Datum", "Belopp"], *rows]).encode()
        ),
    )
)
def test_csv_reader_gives_rows_or_a_dataset_error(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.csv"
        path.write_bytes(content)
        try:
            for row in Dataset("d", SPEC, path).rows(FIELDS):  # type: ignore[arg-type]
                assert set(row) | set(row.errors) == set(FIELDS)
        except DatasetError as exc:
            assert str(exc)


printable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=10)
xlsx_cells = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    printable,
    st.dates(),
    st.booleans(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(xlsx_cells, max_size=4), max_size=6), st.booleans())
def test_xlsx_reader_gives_rows_or_a_dataset_error(rows: list[list[object]], header: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        if header:
            sheet.append(["Id", "Datum", "Belopp"])
        for row in rows:
            sheet.append(row)
        book.save(path)
        spec = SPEC.model_copy(update={"path": "x.xlsx"})
        try:
            list(Dataset("d", spec, path).rows(FIELDS))  # type: ignore[arg-type]
        except DatasetError as exc:
            assert str(exc)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["B1", "B2", "B3", "B4", ""]),
            st.sampled_from(["ja", "nej", "Ja", "", "kanske", "JA ", "0"]),
        ),
        max_size=6,
    ),
    st.booleans(),
)
def test_worksheet_reader_gives_answers_or_a_clear_error(
    answers: list[tuple[str, str]], as_xlsx: bool
) -> None:
    expected = {"B1": "SoL", "B2": "LSS", "B3": "SoL"}
    with tempfile.TemporaryDirectory() as folder:
        if as_xlsx:
            path = Path(folder) / "ark.xlsx"
            book = openpyxl.Workbook()
            sheet = book.active
            assert sheet is not None
            sheet.append(["Ärende-id", "Stratum", "uppfoljd", "kommentar"])
            for unit, answer in answers:
                sheet.append([unit, "", answer, ""])
            book.save(path)
        else:
            path = Path(folder) / "ark.csv"
            text = io.StringIO()
            text.write("Ärende-id;Stratum;uppfoljd;kommentar\n")
            for unit, answer in answers:
                text.write(f"{unit};;{answer};\n")
            path.write_text(text.getvalue(), encoding="utf-8")
        try:
            read = read_answers(path, {"uppfoljd": "ja/nej"}, expected)
        except WorksheetError as exc:
            assert str(exc)
        else:
            assert set(read) == set(expected)
            assert all(isinstance(a["uppfoljd"], bool) for a in read.values())
