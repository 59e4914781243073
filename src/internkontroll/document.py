"""What a report is before it has a format: titled tables of text cells, a summary, a matrix.

Formats (``internkontroll.formats``) render a ``Document``; they never look at results folders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

# Cell shading for marked cells: the assessment at a glance, and overdue actions.
MARK_COLOURS = {
    "utan_anmarkning": "C6EFCE",
    "forsumbar_anmarkning": "FFEB9C",
    "med_anmarkning": "FFC7CE",
    "ej_genomford": "D9D9D9",
    "ej_bedomd": "F2F2F2",
    "overdue": "FFC7CE",
}


@dataclass
class Table:
    name: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    widths: Sequence[float] = field(default_factory=list)
    """Relative column widths; empty means equal."""
    mark_column: int | None = None
    """The column whose cells are shaded by ``marks`` (e.g. Bedömning)."""
    marks: list[str | None] = field(default_factory=list)
    """Per row, a key of ``MARK_COLOURS`` or None."""
    sheet: str = ""
    """The XLSX sheet name, Swedish letters kept ("Åtgärder"); from ``name`` when empty."""
    introduction: str = ""
    """A paragraph above the table, e.g. Bilaga 2's words on kommunallagen."""
    numeric_columns: tuple[int, ...] = ()
    """Columns that hold numbers (riskvärde): XLSX stores them as numbers, not text."""
    merged_columns: tuple[int, ...] = ()
    """Columns whose cell spans every row that ``continues`` it: the risk over its controls."""
    continues: list[bool] = field(default_factory=list)
    """Per row, True when it belongs to the group of the row above (the same risk)."""
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    """(row, column) → a cell's own colour ("E06666"), e.g. the risk matrix's levels."""

    def mark(self, row: int) -> str | None:
        return self.marks[row] if row < len(self.marks) else None

    def spans(self) -> list[tuple[int, int]]:
        """(first row, rows) of each group for the merged columns; single rows left out."""
        groups: list[tuple[int, int]] = []
        for index in range(len(self.rows)):
            if index and index < len(self.continues) and self.continues[index] and groups:
                first, count = groups[-1]
                groups[-1] = (first, count + 1)
            else:
                groups.append((index, 1))
        return [g for g in groups if g[1] > 1]

    def fill(self, row: int, column: int) -> str | None:
        """The cell's background colour (hex, no #), or None for none."""
        if (row, column) in self.fills:
            return self.fills[(row, column)]
        mark = self.mark(row) if column == self.mark_column else None
        return MARK_COLOURS[mark] if mark else None

    def relative_widths(self) -> list[float]:
        widths = self.widths or [1.0] * len(self.columns)
        total = sum(widths)
        return [w / total for w in widths]


@dataclass
class Document:
    title: str
    tables: list[Table]
    summary: str = ""
    matrix_svg: str = ""
    warnings: list[str] = field(default_factory=list)
    """What could not be done as the plan asked; printed beside the report, never in it."""
    dated: date | None = None
    """The day the results speak of (their ``as_of``): DOCX and XLSX carry it as their time
    stamps instead of the clock, so the same results always give the same bytes."""
    summary_title: str = "Internkontroll"
    """The heading above ``summary`` where a format shows one ("Inledning" in the plan)."""
    matrix: Table | None = None
    """The risk matrix as a shaded table, for formats that cannot show ``matrix_svg`` (DOCX)."""
    single: Table | None = None
    """The document as one table, for formats that hold one table per file (CSV)."""


def guard_document(document: Document) -> None:
    """Refuse a report that would show a personnummer, naming the table, row and column."""
    from internkontroll.privacy import guard

    guard(f"{document.title}\n{document.summary}\n{document.matrix_svg}", "rapportens text")
    for table in [*document.tables, *([document.matrix] if document.matrix else [])]:
        guard(table.introduction, f"inledningen till tabellen {table.title}")
        for number, row in enumerate(table.rows, start=1):
            for column, cell in zip(table.columns, row, strict=False):
                guard(cell, f"tabellen {table.title}, rad {number}, kolumnen {column}")
