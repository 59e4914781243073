"""XLSX and DOCX: the tables as Excel sheets and as a real Word table, ready to paste.

openpyxl and python-docx are imported when a file is written, not when the program starts.
"""

from __future__ import annotations

import io
import re
from typing import Any

from internkontroll.cell_safety import as_text_cells
from internkontroll.document import Document, Table
from internkontroll.formats.stable_zip import stable_zip

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Control characters Excel cannot hold (openpyxl refuses them); they carry no meaning in a report.
EXCEL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def excel_safe(value: object) -> object:
    return EXCEL_ILLEGAL.sub("", value) if isinstance(value, str) else value


SWEDISH_NUMBER = re.compile(r"^[−-]?\d{1,3}(?:[ \u00a0]\d{3})*(?:,\d+)?$|^[−-]?\d+(?:,\d+)?$")


def excel_number(text: str) -> int | float | str:
    """'12' → 12, '1 402,5' → 1402.5, '−3' → -3; anything else (or '007') stays text."""
    value = text.strip()
    if not SWEDISH_NUMBER.match(value) or (
        len(value) > 1 and value.startswith("0") and "," not in value
    ):
        return text
    plain = value.replace(" ", "").replace("\u00a0", "").replace("−", "-").replace(",", ".")
    return float(plain) if "." in plain else int(plain)


def _sheet_name(table: Table, taken: set[str]) -> str:
    wanted = table.sheet or table.name.replace("_", " ").capitalize()
    base = SHEET_NAME_FORBIDDEN.sub("", wanted)[:31] or "Blad"
    name, number = base, 2
    while name in taken:
        name = f"{base[:28]} {number}"
        number += 1
    taken.add(name)
    return name


class Xlsx:
    """One sheet per table: bold header row that stays on screen, wrapped text, set widths."""

    name, suffix, binary = "xlsx", ".xlsx", True
    total_width = 180  # characters across a sheet

    def render(self, document: Document) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        book = Workbook()
        default = book.active
        taken: set[str] = set()
        for table in document.tables:
            sheet = book.create_sheet(_sheet_name(table, taken))
            sheet.append([excel_safe(c) for c in table.columns])
            as_text_cells(sheet[1])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="E8E8E8")
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            for index, row in enumerate(table.rows):
                sheet.append(
                    [
                        excel_number(c) if column in table.numeric_columns else excel_safe(c)
                        for column, c in enumerate(row)
                    ]
                )
                as_text_cells(sheet[index + 2])
                for column, cell in enumerate(sheet[index + 2]):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                    colour = table.fill(index, column)
                    if colour:
                        cell.fill = PatternFill("solid", fgColor=colour)
            for first, count in table.spans():
                for column in table.merged_columns:
                    sheet.merge_cells(
                        start_row=first + 2,
                        start_column=column + 1,
                        end_row=first + count + 1,
                        end_column=column + 1,
                    )
            for column, share in enumerate(table.relative_widths(), start=1):
                width = max(10, round(share * self.total_width))
                sheet.column_dimensions[get_column_letter(column)].width = width
            sheet.freeze_panes = "A2"
            sheet.print_title_rows = "1:1"
            sheet.page_setup.orientation = "landscape"
            sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        if default is not None and document.tables:
            book.remove(default)
        buffer = io.BytesIO()
        book.save(buffer)
        return stable_zip(buffer.getvalue(), document.dated)


def _cell_text(cell: Any, text: str, bold: bool = False) -> None:
    """One paragraph per line, an empty one for a blank line: people's layout is kept exactly."""
    for number, line in enumerate(text.split("\n")):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        if line:
            paragraph.add_run(line).bold = bold


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


class Docx:
    """A Word document, A4 landscape: each table a real table with a header row that repeats."""

    name, suffix, binary = "docx", ".docx", True

    def render(self, document: Document) -> bytes:
        from docx import Document as WordDocument
        from docx.enum.section import WD_ORIENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt

        word = WordDocument()
        section = word.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(15))
        style = word.styles["Normal"]
        style.font.name = "Arial"
        style.font.size = Pt(9)
        usable = Mm(297 - 30)

        word.add_heading(document.title, level=1)
        if document.summary:
            word.add_heading(document.summary_title, level=2)
            for paragraph in document.summary.split("\n\n"):
                word.add_paragraph(paragraph)
        tables = ([document.matrix] if document.matrix else []) + document.tables
        for table in tables:
            word.add_heading(table.title, level=2)
            if table.introduction:
                word.add_paragraph(table.introduction)
            grid = word.add_table(rows=1, cols=len(table.columns))
            grid.style = "Table Grid"
            grid.autofit = False
            widths = [int(usable * share) for share in table.relative_widths()]
            header = grid.rows[0]
            _repeat_header(header)
            for column, title in enumerate(table.columns):
                _cell_text(header.cells[column], title, bold=True)
                _shade(header.cells[column], "E8E8E8")
            for index, values in enumerate(table.rows):
                cells = grid.add_row().cells
                for column, value in enumerate(values):
                    _cell_text(cells[column], value)
                    if column in table.numeric_columns:
                        for paragraph in cells[column].paragraphs:
                            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                    colour = table.fill(index, column)
                    if colour:
                        _shade(cells[column], colour)
            for row in grid.rows:
                for column, width in enumerate(widths):
                    row.cells[column].width = width
            # The risk spans its controls, as in the annual report (vertical merge).
            for first, count in table.spans():
                for column in table.merged_columns:
                    grid.cell(first + 1, column).merge(grid.cell(first + count, column))
        buffer = io.BytesIO()
        word.save(buffer)
        return stable_zip(buffer.getvalue(), document.dated)
