"""Findings and a check's tables as CSV for a Swedish Excel, written a chunk of rows at a time.

A million findings are written without a ``Finding`` object or a search per row: each chunk of
a ``FindingLog`` becomes CSV text a column at a time, its text cells are made safe from formulas a
column at a time (``cell_safety``), and the text is searched for personnummer once, as a whole,
before it is written, so that none reaches the disk.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from internkontroll.cell_safety import csv_cell, csv_row, safe_rows, safe_texts
from internkontroll.outcome import FindingLog, Record, ReportTable
from internkontroll.privacy import LeakScanner
from internkontroll.spill import chunks_of

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


def _write_csv(
    path: Path, where: Path, header: list[str], chunks: Iterable[Iterable[Sequence[Any]]]
) -> None:
    """``path`` with ``header`` and the chunks' rows; ``PersonnummerLeak`` naming ``where`` (the
    file's place in the results folder) before any text holding one is written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        stage = _CsvStage(handle, where)
        stage.write([csv_row(header)])
        for rows in chunks:
            stage.write(rows)
        stage.close()


_QUOTE_IF = ('"', ";", "\r", "\n")
_NEEDS_QUOTES = re.compile('[";\r\n]')


def csv_texts(texts: Sequence[str]) -> Sequence[str]:
    """Each text as ``_CsvStage``'s writer would write the cell: in quotes, its quotes doubled,
    when it holds the delimiter, a quote or a line break (``QUOTE_MINIMAL``); tested as one
    text first, since most columns have no such cell."""
    joined = "".join(texts)
    if not any(char in joined for char in _QUOTE_IF):
        return texts
    return [
        '"' + text.replace('"', '""') + '"' if _NEEDS_QUOTES.search(text) else text
        for text in texts
    ]


def _finding_text(control_id: str, records: Sequence[Record]) -> str:
    """A chunk of findings as CSV lines: kontroll, referens, rad, typ, beskrivning, belopp
    (with a decimal comma, as Excel reads it here); made a column at a time, without a call per
    finding to the csv module."""
    references, descriptions, rows, kinds, amounts = zip(*records, strict=True)
    written = ["" if amount is None else amount.replace(".", ",") for amount in amounts]
    columns = [
        [*csv_texts([csv_cell(control_id)])] * len(records),
        csv_texts(safe_texts(references)),
        [str(row) if row else "" for row in rows],
        csv_texts(kinds),
        csv_texts(safe_texts(descriptions)),
        csv_texts(safe_texts(written)),
    ]
    return "\r\n".join(map(";".join, zip(*columns, strict=True))) + "\r\n"


def write_findings(path: Path, where: Path, control_id: str, findings: FindingLog) -> None:
    """avvikelser/<control>.csv: one row per finding, in the order they were made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        stage = _CsvStage(handle, where)
        stage.write([csv_row(FINDING_COLUMNS)])
        for records in findings.records():
            if records:
                stage.write_text(_finding_text(control_id, records))
        stage.close()


def write_table(path: Path, where: Path, table: ReportTable) -> None:
    """underlag/<control>_<name>.csv: a check's table (e.g. the IVO list), a blank cell empty."""
    _write_csv(path, where, table.columns, (safe_rows(chunk) for chunk in chunks_of(table.rows)))
