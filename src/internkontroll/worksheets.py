"""Worksheets for manual review (journalgranskning): written from a drawn sample, read back filled.

The worksheet holds the case id, the stratum and the dates a reviewer needs, then one empty
column per answer the check asks for (e.g. ``uppfoljd``: ja/nej) and ``kommentar``. Reading it
back refuses a sheet that does not match the drawn sample, names each answer that is not ja/nej
by row, and reports rows left blank as an incomplete review: nothing is guessed.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from internkontroll.cell_safety import as_text_cells, csv_row, from_csv
from internkontroll.csv_records import BadLine
from internkontroll.errors import DatasetError
from internkontroll.formats.stable_zip import stable_zip
from internkontroll.privacy import contains_personnummer, guard, redact
from internkontroll.readers import open_table
from internkontroll.values import parse_decimal

ID_COLUMN = "Ärende-id"
STRATUM_COLUMN = "Stratum"
COMMENT_COLUMN = "kommentar"
YES, NO = "ja", "nej"
AMOUNT = "belopp"
"""An answer column holding kronor (the audited amount of a monetary-unit sample)."""

FIELD_LABELS = {
    "law": "Lag",
    "service": "Insats",
    "legal_basis": "Lagrum",
    "applied": "Ansökningsdatum",
    "decided": "Beslutsdatum",
    "executed": "Verkställighetsdatum",
    "offered": "Erbjudet datum",
    "valid_to": "Giltig till",
    "followed_up": "Uppföljningsdatum enligt systemet",
    "ended": "Avslutad",
    "cashbox": "Handkassa",
    "date": "Datum",
    "amount": "Belopp",
    "purpose": "Syfte",
    "receipt": "Kvitto enligt kassaboken",
}


class WorksheetError(Exception):
    """A worksheet that cannot be used as the review (Swedish message listing every problem)."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(message))


def personnummer_in(number: int, cells: Mapping[str, str]) -> list[str]:
    """A problem for each of a row's cells (column name -> text) that holds a personnummer,
    naming row and column: a comment reaches the findings and the report, and refusing the
    whole result for it would not say which cell to mend."""
    return [
        f"rad {number}, kolumnen {column}: innehåller ett personnummer; skriv ärendets id i stället"
        for column, text in cells.items()
        if contains_personnummer(text)
    ]


def _cell(value: Any) -> str | int | float | date:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | int | float):
        return value
    return str(value)


def build(
    rows: Sequence[Mapping[str, Any]],
    strata: Mapping[str, str],
    key_field: str,
    fields: Sequence[str],
    review_columns: Mapping[str, str],
    export_headers: Mapping[str, str] | None = None,
) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of a worksheet for the sampled ``rows``. A field without a Swedish label
    here (``outcome`` for ``include``) is headed as in the export (``export_headers``)."""
    header = [
        ID_COLUMN,
        STRATUM_COLUMN,
        *(FIELD_LABELS.get(f) or (export_headers or {}).get(f, f) for f in fields),
        *review_columns,
        COMMENT_COLUMN,
    ]
    body = []
    for row in rows:
        unit = str(row[key_field])
        body.append(
            [
                unit,
                strata.get(unit, ""),
                *(_cell(row.get(f)) for f in fields),
                *([""] * len(review_columns)),
                "",
            ]
        )
    return header, body


def write(
    path: Path,
    header: list[str],
    body: list[list[Any]],
    answers: Mapping[str, str],
    choices: Sequence[str] = (YES, NO),
    day: date | None = None,
) -> None:
    """Write a new worksheet; an existing file (perhaps already filled in) is never replaced.
    In XLSX the ``answers`` columns offer ``choices`` as a drop-down list. An XLSX is stamped
    with ``day`` (the period's end), not the clock: the same sample gives the same bytes."""
    if path.exists():
        raise WorksheetError(
            f"{path} finns redan och skrivs inte över (den kan vara ifylld); välj ett annat namn"
        )
    for number, row in enumerate(body, start=2):
        for column, cell in zip(header, row, strict=False):
            guard(str(cell), f"arbetsbladet {path.name}, rad {number}, kolumnen {column}")
    if path.suffix.lower() == ".xlsx":
        content = stable_zip(_xlsx_bytes(header, body, answers, choices), day)
    elif path.suffix.lower() == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(csv_row(header))
        writer.writerows(csv_row(_csv_cell(c) for c in r) for r in body)
        content = buffer.getvalue().encode("utf-8-sig")
    else:
        raise WorksheetError(f"{path}: okänt format; väntade .xlsx eller .csv")
    _create_new(path, content)


def _csv_cell(value: Any) -> Any:
    """Dates as ISO, amounts with a decimal comma, as a Swedish Excel shows them."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return value


def _create_new(path: Path, content: bytes) -> None:
    """Write whole or not at all, and never over a file that appeared in the meantime."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(content)
        os.link(temporary, path)  # fails if path exists: a filled worksheet is never replaced
    except FileExistsError:
        raise WorksheetError(f"{path} finns redan och skrivs inte över") from None
    finally:
        temporary.unlink(missing_ok=True)


def _xlsx_bytes(
    header: list[str], body: list[list[Any]], answers: Mapping[str, str], choices: Sequence[str]
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from internkontroll.formats.office import excel_safe

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Granskning"
    sheet.append(header)
    as_text_cells(sheet[1])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in body:
        sheet.append([excel_safe(c) for c in row])
        as_text_cells(sheet[sheet.max_row])
    for index, name in enumerate(header, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, min(40, len(name) + 4))
        if answers.get(name) == "/".join(choices) and body:
            listed = ",".join(choices)
            choice = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
            sheet.add_data_validation(choice)
            choice.add(f"{letter}2:{letter}{len(body) + 1}")
        if isinstance(body[0][index - 1] if body else None, date):
            for cell in sheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_answers(
    path: Path, review_columns: Mapping[str, str], expected: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """Answers by case id from a filled worksheet for the sample ``expected`` (id → stratum)."""
    if not review_columns:
        raise WorksheetError("kontrolltypen tar inte emot granskningssvar från ett arbetsblad")
    try:
        table = open_table(path)
        header = [h.strip().casefold() for h in table.header()]
        records = list(table.records())
    except DatasetError as exc:
        raise WorksheetError(str(exc)) from None
    wanted = [ID_COLUMN, *review_columns]
    missing = [c for c in wanted if c.casefold() not in header]
    if missing:
        raise WorksheetError(f"{path.name}: kolumnen {', '.join(missing)} saknas i rubrikraden")
    at = {
        name: header.index(name.casefold())
        for name in [*wanted, COMMENT_COLUMN]
        if name.casefold() in header
    }

    def value(cells: list[Any], column: str) -> str:
        index = at.get(column)
        raw = cells[index] if index is not None and index < len(cells) else None
        return "" if raw is None else from_csv(str(raw).strip())

    problems: list[str] = []
    answers: dict[str, dict[str, Any]] = {}
    seen: dict[str, int] = {}
    for number, cells in records:
        if isinstance(cells, BadLine):
            problems.append(f"rad {number}: {cells.message}")
            continue
        unit = value(cells, ID_COLUMN)
        if unit in seen:
            problems.append(f"rad {number}: ärende {unit} finns redan på rad {seen[unit]}")
            continue
        seen[unit] = number
        problems += personnummer_in(number, {column: value(cells, column) for column in at})
        answers[unit] = {"row": number, COMMENT_COLUMN: value(cells, COMMENT_COLUMN)}
        for column in review_columns:
            answers[unit][column] = value(cells, column).casefold()
    added = sorted(set(answers) - set(expected))
    removed = sorted(set(expected) - set(answers))
    if added or removed:
        lines = [f"{path.name} stämmer inte med det dragna urvalet:"]
        if added:
            lines.append(f"  ärenden som inte ingår i urvalet: {', '.join(added)}")
        if removed:
            lines.append(f"  ärenden i urvalet som saknas i arbetsbladet: {', '.join(removed)}")
        raise WorksheetError("\n".join(lines + problems))
    blank: list[int] = []
    for entry in answers.values():
        for column in review_columns:
            answer = entry[column]
            if answer == "":
                blank.append(entry["row"])
            elif review_columns[column] == AMOUNT:
                try:
                    entry[column] = parse_decimal(answer)
                except ValueError:
                    problems.append(
                        f"rad {entry['row']}, kolumn {column}: {answer!r}; väntade ett belopp i "
                        "kronor, t.ex. 1 250,50"
                    )
            elif answer not in (YES, NO):
                problems.append(
                    f"rad {entry['row']}, kolumn {column}: {answer!r}; väntade {YES} eller {NO}"
                )
            else:
                entry[column] = answer == YES
    if problems:
        raise WorksheetError(f"{path.name}: " + "; ".join(problems))
    if blank:
        rows = ", ".join(str(r) for r in sorted(set(blank))[:20])
        more = " …" if len(set(blank)) > 20 else ""
        raise WorksheetError(
            f"granskningen är ofullständig: {len(set(blank))} av {len(answers)} ärenden i "
            f"{path.name} saknar svar (rad {rows}{more})"
        )
    return answers
