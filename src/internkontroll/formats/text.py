"""Markdown, plain text and CSV: the formats that paste as text."""

from __future__ import annotations

import csv
import io
import re
import textwrap

from tabulate import tabulate

from internkontroll.cell_safety import csv_row
from internkontroll.document import Document, Table


class _TextDocument:
    """A title, the summary, then each table: how the text formats lay out a document."""

    heading = ""

    def _table(self, table: Table) -> str:
        raise NotImplementedError

    def text(self, value: str) -> str:
        """A text as this format carries it."""
        return value

    def render(self, document: Document) -> bytes:
        several = len(document.tables) > 1 or document.summary
        parts = [f"{self.heading}{self.text(document.title)}"] if several else []
        if document.summary:
            parts.append(self.text(document.summary))
        parts.extend(self._table(t) for t in document.tables)
        return ("\n\n".join(parts) + "\n").encode("utf-8")


_MARKDOWN_SIGNS = re.compile(r"[\\`*<~|]|\](?=\()|&(?=#?\w+;)|(?<![^\W_])_|_(?![^\W_])")
"""What would turn text into markup: emphasis, code, HTML (``<``), a strike, a table bar, a
link's ``](``, an entity's ``&``; ``_`` only where it can open or close emphasis, so that a
file name like K1_ivo.csv reads as written."""


class Markdown(_TextDocument):
    """Every text as written: what people wrote in bedomning.toml (``**``, ``<script>``) is
    escaped, as the HTML output escapes it, so that a report pasted into Word or rendered on a
    web page shows the words, never markup nobody meant (or a script someone did)."""

    name, suffix, binary = "md", ".md", False
    heading = "# "

    def text(self, value: str) -> str:
        return _MARKDOWN_SIGNS.sub(lambda sign: "\\" + sign.group(), value)

    def _table(self, table: Table) -> str:
        cells = [[self.text(c).replace("\n", "<br>") for c in row] for row in table.rows]
        intro = f"{self.text(table.introduction)}\n\n" if table.introduction else ""
        headers = [self.text(c) for c in table.columns]
        body = tabulate(cells, headers=headers, tablefmt="pipe")
        return f"## {self.text(table.title)}\n\n{intro}{body}"


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
