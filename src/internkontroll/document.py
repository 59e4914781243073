"""What a report is before it has a format: titled tables of text cells, a summary, a matrix.

Formats (``internkontroll.formats``) render a ``Document``; they never look at results folders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# Cell shading for marked cells: the assessment at a glance, and overdue actions.
MARK_COLOURS = {
    "utan_anmarkning": "C6EFCE",
    "forsumbar_anmarkning": "FFEB9C",
    "med_anmarkning": "FFC7CE",
    "ej_genomford": "D9D9D9",
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

    def mark(self, row: int) -> str | None:
        return self.marks[row] if row < len(self.marks) else None

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


def guard_document(document: Document) -> None:
    """Refuse a report that would show a personnummer, naming the table, row and column."""
    from internkontroll.privacy import guard

    guard(f"{document.title}\n{document.summary}\n{document.matrix_svg}", "rapportens text")
    for table in document.tables:
        for number, row in enumerate(table.rows, start=1):
            for column, cell in zip(table.columns, row, strict=False):
                guard(cell, f"tabellen {table.title}, rad {number}, kolumnen {column}")
