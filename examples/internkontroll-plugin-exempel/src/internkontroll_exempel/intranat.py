"""Ett eget rapportformat: ett HTML-stycke att klistra in på intranätet (ingen hel sida, inga
stilar; intranätets egna gäller)."""

from __future__ import annotations

from html import escape

from internkontroll.document import Document, Table


class Intranat:
    name = "intranat"
    suffix = ".html"
    binary = False

    def render(self, document: Document) -> bytes:
        parts = ['<section class="internkontroll">']
        if document.title:
            parts.append(f"<h2>{escape(document.title)}</h2>")
        if document.summary:
            parts.append(f"<p>{_text(document.summary)}</p>")
        parts.extend(_table(table) for table in document.tables)
        parts.append("</section>")
        return ("\n".join(parts) + "\n").encode("utf-8")


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(column)}</th>" for column in table.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_text(cell)}</td>" for cell in row) + "</tr>" for row in table.rows
    )
    return (
        f"<table>\n<caption>{escape(table.title)}</caption>\n"
        f"<thead><tr>{head}</tr></thead>\n<tbody>{body}</tbody>\n</table>"
    )


def _text(text: str) -> str:
    """Escaped, with the line breaks a cell or summary has kept as <br>."""
    return escape(text).replace("\n", "<br>")
