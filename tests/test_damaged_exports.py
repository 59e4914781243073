"""Damaged, empty and unreadable exports: a Swedish error naming the file, never an internal
error; the controls that read the export are not carried out, the others run, and the row path
(``batch_rows=0``) and the batch path say the same.
"""

from __future__ import annotations

import json
import re
import struct
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from internkontroll.cli import cli
from internkontroll.engine import run_plan
from internkontroll.errors import DatasetError
from internkontroll.planfile import load_plan
from internkontroll.readers import XlsxReader

from .conftest import PLAN, write

HEADER = ["Beslut-ID", "Lag", "Beslutsdatum", "Verkställighetsdatum"]

# K1 reads the XLSX under test; K2 reads a good CSV and must run whatever happens to K1's file.
SECOND = """
[datasets.andra]
path = "andra.csv"
[datasets.andra.columns]
decision_id = "Beslut-ID"
law = "Lag"
decided = "Beslutsdatum"
executed = "Verkställighetsdatum"

[[control]]
id = "K2"
risk = "R1"
title = "Verkställighetstid, andra enheten"
check = "verkstallighetstid"
dataset = "andra"
[control.params]
group_by = "law"
[control.criteria]
metric = "*.mean_days"
better = "lower"
utan_anmarkning = 30
"""


def _workbook(path: Path, rows: int) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for n in range(1, rows + 1):
        sheet.append([f"B{n}", "SoL" if n % 2 else "LSS", "2024-03-01", "2024-03-11"])
    book.save(path)


def _rewrite(path: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            changed = change(name, data)
            if changed is not None:
                archive.writestr(name, changed)


def _in_sheet(edit: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        _rewrite(path, lambda name, data: edit(data) if name.endswith("sheet1.xml") else data)

    return damage


def _last_row_tag(xml: bytes) -> bytes:
    at = xml.rindex(b"</row>")
    return xml[:at] + b"</rad>" + xml[at + len(b"</row>") :]


def _sheet_stream(path: Path) -> tuple[bytearray, int, int]:
    """The file's bytes, and where the sheet part's compressed bytes start and how many."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    header = info.header_offset
    name_length, extra_length = struct.unpack("<HH", data[header + 26 : header + 30])
    return data, header + 30 + name_length + extra_length, info.compress_size


def _scramble_sheet_bytes(path: Path) -> None:
    """Scramble the middle of the sheet's compressed bytes, as a bad disk or transfer would:
    the zip's directory is intact, the part's checksum is not."""
    data, start, size = _sheet_stream(path)
    middle = start + size // 2
    data[middle : middle + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))


def _break_deflate_header(path: Path) -> None:
    """The sheet's first deflate block header made invalid: zlib's own error, not the zip's."""
    data, start, _ = _sheet_stream(path)
    data[start : start + 2] = b"\xff\xff"
    path.write_bytes(bytes(data))


DAMAGE: dict[str, Callable[[Path], None]] = {
    "compressed bytes scrambled": _scramble_sheet_bytes,
    "deflate stream broken": _break_deflate_header,
    "mismatched tag in the header row": _in_sheet(lambda xml: xml.replace(b"</row>", b"</rad>", 1)),
    "mismatched tag far down the sheet": _in_sheet(_last_row_tag),
    "sheet cut in half": _in_sheet(lambda xml: xml[: len(xml) // 2]),
    "file cut in half": lambda path: path.write_bytes(
        path.read_bytes()[: path.stat().st_size // 2]
    ),
    "no zip at all": lambda path: path.write_bytes(b"Beslut-ID;Lag\nB1;SoL\n"),
    "empty file": lambda path: path.write_bytes(b""),
    "sheet part missing": lambda path: _rewrite(
        path, lambda name, data: None if name.endswith("sheet1.xml") else data
    ),
    "broken workbook part": lambda path: _rewrite(
        path,
        lambda name, data: (
            data.replace(b"</sheets>", b"</blad>") if name.endswith("book.xml") else data
        ),
    ),
}


def _folder(root: Path, damage: Callable[[Path], None]) -> Path:
    text = PLAN.replace('path = "beslut.csv"', 'path = "beslut.xlsx"')
    write(root / "plan.toml", text + SECOND)
    write(
        root / "andra.csv",
        "Beslut-ID;Lag;Beslutsdatum;Verkställighetsdatum\nA1;SoL;2024-02-01;2024-02-05\n",
    )
    _workbook(root / "beslut.xlsx", 400)
    damage(root / "beslut.xlsx")
    return root


@pytest.mark.parametrize("kind", list(DAMAGE))
@pytest.mark.parametrize("batch_rows", [0, 8192, 7])
def test_a_damaged_workbook_fails_its_control_only(
    tmp_path: Path, kind: str, batch_rows: int
) -> None:
    folder = _folder(tmp_path, DAMAGE[kind])
    plan, host = load_plan(folder / "plan.toml", unreadable=[])
    first, second = run_plan(plan, host, batch_rows=batch_rows)
    assert first.assessment.value == "ej_genomford"
    assert first.failure.startswith("beslut.xlsx: filen ")  # as the plan names it
    assert re.search(
        r"(kan inte öppnas som Excel-fil|har inga blad som går att läsa)", first.failure
    )
    assert "Spara om den i Excel" in first.failure
    assert (first.rows_in_population, first.rows_refused) == (0, 0)
    assert second.failure == "" and second.outcome.metrics["SoL.mean_days"] == 4


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_run_says_which_file_is_damaged_and_runs_the_rest(tmp_path: Path, kind: str) -> None:
    folder = _folder(tmp_path, DAMAGE[kind])
    ran = CliRunner().invoke(cli, ["run", str(folder / "plan.toml"), "--out", str(folder / "ut")])
    assert ran.exit_code == 3, ran.output
    assert re.search(r"^K1: ej genomförd: .*beslut\.xlsx: filen", ran.stdout, re.MULTILINE)
    assert "K1: 0 rader lästa" not in ran.stdout
    assert "K2: 1 rad läst: 1 använd" in ran.stdout
    assert "internt fel" not in ran.output and "fel i planen" not in ran.output
    # Bilaga 1 names the file as the plan does, never by a path on this computer.
    document = json.loads((folder / "ut" / "resultat.json").read_text(encoding="utf-8"))
    reason = document["controls"][0]["reason"]
    assert reason.startswith("Kontrollen kunde inte genomföras: beslut.xlsx: filen ")


def test_validate_names_the_export_not_the_plan(tmp_path: Path) -> None:
    folder = _folder(tmp_path, DAMAGE["no zip at all"])
    checked = CliRunner().invoke(cli, ["validate", str(folder / "plan.toml")])
    assert checked.exit_code == 1
    lines = checked.stderr.strip().splitlines()
    assert "beslut.xlsx: filen kan inte öppnas som Excel-fil (.xlsx)" in lines[0]
    assert lines[-1] == f"fel: 1 fel i exporten som planen {folder / 'plan.toml'} läser"


def test_an_empty_csv_is_the_exports_fault(plan_dir: Path) -> None:
    (plan_dir / "beslut.csv").write_bytes(b"")
    plan = plan_dir / "plan.toml"
    checked = CliRunner().invoke(cli, ["validate", str(plan)])
    assert checked.exit_code == 1
    assert "beslut.csv: filen är tom; väntade en rubrikrad" in checked.stderr
    assert "fel i planen" not in checked.output
    ran = CliRunner().invoke(cli, ["run", str(plan), "--out", str(plan_dir / "ut")])
    assert ran.exit_code == 3
    assert "K1: ej genomförd: " in ran.stdout and "beslut.csv: filen är tom" in ran.stdout
    assert "fel i planen" not in ran.output


def test_a_plan_mistake_beside_an_unreadable_export_counts_both(plan_dir: Path) -> None:
    (plan_dir / "beslut.csv").write_bytes(b"")
    plan = plan_dir / "plan.toml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("impact = 4", "impact = 9"))
    checked = CliRunner().invoke(cli, ["validate", str(plan)])
    assert checked.exit_code == 1
    assert checked.stderr.strip().splitlines()[-1] == (
        f"fel: 1 fel i planen {plan} och 1 i exporten den läser"
    )


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**6),
    st.binary(min_size=1, max_size=40),
)
def test_bytes_damaged_anywhere_give_a_swedish_error_or_a_read(at: int, garbage: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "beslut.xlsx"
        _workbook(path, 300)
        data = bytearray(path.read_bytes())
        start = at % len(data)
        data[start : start + len(garbage)] = garbage
        path.write_bytes(bytes(data))
        reader = XlsxReader(path)
        try:
            reader.header()
            for _ in reader.records():
                pass
        except DatasetError as exc:
            assert "beslut.xlsx: " in str(exc)
