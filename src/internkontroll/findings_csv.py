"""Findings and a check's tables as CSV for a Swedish Excel, written a chunk of rows at a time.

A million findings are written without a ``Finding`` object or a search per row: a
``FindingLog`` keeps its findings as the CSV lines this file holds (``finding_lines``: made a
column at a time, text cells safe from formulas, searched for personnummer once, as a whole), so
that writing them is a copy with the control's cell put before each line. A table's lines are
made and searched the same way (``table_lines``), once for the engine's search and the file.
Only text searched and found free of personnummer reaches the disk.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from internkontroll.cell_safety import csv_cell, csv_row
from internkontroll.finding_lines import csv_texts, with_control
from internkontroll.outcome import FindingLog, ReportTable
from internkontroll.privacy import LeakScanner, PersonnummerLeak, guard

FINDING_COLUMNS = ["kontroll", "referens", "rad", "typ", "beskrivning", "belopp"]


class _CsvStage:
    """One CSV being written: each chunk of rows is made into text in one call, searched
    (``LeakScanner``, which holds back an unfinished last line) and only then written."""

    def __init__(self, handle: TextIO, where: Path) -> None:
        self._handle = handle
        self._text = io.StringIO()
        self._writer = csv.writer(self._text, delimiter=";", lineterminator="\r\n")
        self._scanner = LeakScanner(str(where))

    def write(self, rows: Iterable[Sequence[Any]]) -> None:
        """Rows whose cells are already safe for a spreadsheet."""
        self._writer.writerows(rows)
        text = self._text.getvalue()
        self._text.seek(0)
        self._text.truncate()
        self.write_text(text)

    def write_text(self, text: str) -> None:
        """Lines already made, as the writer would make them."""
        self._handle.write(self._scanner.feed(text))

    def close(self) -> None:
        self._handle.write(self._scanner.close())


def write_findings(path: Path, where: Path, control_id: str, findings: FindingLog) -> None:
    """avvikelser/<control>.csv: one row per finding, in the order they were made. The log's
    chunks are already the file's lines, each searched once when it was made; what is added
    here (the header and the control's cell) is searched here."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        stage = _CsvStage(handle, where)
        stage.write([csv_row(FINDING_COLUMNS)])
        cell = csv_texts([csv_cell(control_id)])[0] + ";"
        guard(cell, str(where))
        for text, lines in findings.lines():
            if not lines.clean:
                raise PersonnummerLeak(str(where))
            handle.write(with_control(text, lines, cell))
        stage.close()


def write_table(path: Path, where: Path, table: ReportTable) -> None:
    """underlag/<control>_<name>.csv: a check's table (e.g. the IVO list), a blank cell empty.
    Its lines were made and searched once (``ReportTable.lines``, which the engine's search
    made before)."""
    _write_csv(path, where, table.columns, table.lines().texts())


def _write_csv(
    path: Path, where: Path, header: list[str], lines: Iterable[tuple[str, bool]]
) -> None:
    """``path`` with ``header`` (searched here) and the chunks of lines, each with whether its
    search found it free of personnummer; ``PersonnummerLeak`` naming ``where`` (the file's
    place in the results folder) before any text holding one is written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        stage = _CsvStage(handle, where)
        stage.write([csv_row(header)])
        stage.close()
        for text, clean in lines:
            if not clean:
                raise PersonnummerLeak(str(where))
            handle.write(text)
