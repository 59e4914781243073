"""Markdown, plain text and CSV: the formats that paste as text."""

from __future__ import annotations

import csv
import io
import textwrap

from tabulate import tabulate

from internkontroll.cell_safety import csv_row
from internkontroll.document import Document, Table


class _TextDocument:
    """A title, the summary, then each table: how the text formats lay out a document."""

    heading = ""

    def _table(self, table: Table) -> str:
        raise NotImplementedError

    def render(self, document: Document) -> bytes:
        several = len(document.tables) > 1 or document.summary
        parts = [f"{self.heading}{document.title}"] if several else []
        if document.summary:
            parts.append(document.summary)
        parts.extend(self._table(t) for t in document.tables)
        return ("\n\n".join(parts) + "\n").encode("utf-8")


class Markdown(_TextDocument):
    name, suffix, binary = "md", ".md", False
    heading = "# "

    def _table(self, table: Table) -> str:
        cells = [[c.replace("|", "\\|").replace("\n", "<br>") for c in row] for row in table.rows]
        intro = f"{table.introduction}\n\n" if table.introduction else ""
        body = tabulate(cells, headers=table.columns, tablefmt="pipe")
        return f"## {table.title}\n\n{intro}{body}"


class PlainText(_TextDocument):
    name, suffix, binary = "txt", ".txt", False
    width = 170

    def _table(self, table: Table) -> str:
        shares = table.relative_widths()
        usable = self.width - 3 * len(table.columns)
        widths = []
        for column, share in enumerate(shares):
            # A column whose longest cell is short is never wrapped ("Försumbar anmärkning").
            longest = max((len(row[column]) for row in table.rows), default=0)
            fits = (
                longest
                if longest <= 24 and "\n" not in "".join(r[column] for r in table.rows)
                else 0
            )
            widths.append(max(10, int(share * usable), fits))
        body = tabulate(table.rows, headers=table.columns, tablefmt="grid", maxcolwidths=widths)
        intro = f"{textwrap.fill(table.introduction, self.width)}\n\n" if table.introduction else ""
        return f"{table.title}\n\n{intro}{body}"


class Csv:
    """For a Swedish Excel: UTF-8 with BOM, ';' between fields, one table per file."""

    name, suffix, binary = "csv", ".csv", False

    def render(self, document: Document) -> bytes:
        if len(document.tables) == 1:
            [table] = document.tables
        elif document.single is not None:
            table = document.single
        else:
            raise ValueError("CSV rymmer en tabell per fil; välj en med --table")
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(csv_row(table.columns))
        writer.writerows(csv_row(row) for row in table.rows)
        return buffer.getvalue().encode("utf-8-sig")
