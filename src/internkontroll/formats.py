"""Rendering a table (header + rows of text cells) as Markdown, plain text, CSV or HTML.

Each renderer returns text ready to paste: Markdown keeps line breaks as ``<br>``, plain text
wraps long cells, CSV opens in a Swedish Excel (UTF-8 with BOM, ``;``), HTML is a complete page.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable

from tabulate import tabulate

Table = tuple[list[str], list[list[str]]]


def markdown(title: str, table: Table) -> str:
    header, rows = table
    cells = [[c.replace("|", "\\|").replace("\n", "<br>") for c in row] for row in rows]
    return f"## {title}\n\n" + tabulate(cells, headers=header, tablefmt="pipe") + "\n"


def plain_text(title: str, table: Table) -> str:
    header, rows = table
    widths = [24, 28, 24, 20, 60, 40][: len(header)] or None
    body = tabulate(rows, headers=header, tablefmt="grid", maxcolwidths=widths)
    return f"{title}\n\n{body}\n"


def csv_text(title: str, table: Table) -> str:
    header, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def html_page(title: str, table: Table) -> str:
    header, rows = table

    def cell(text: str, tag: str) -> str:
        return f"<{tag}>{html.escape(text).replace(chr(10), '<br>')}</{tag}>"

    head = "".join(cell(h, "th") for h in header)
    body = "\n".join("<tr>" + "".join(cell(c, "td") for c in row) + "</tr>" for row in rows)
    return f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: Arial, Helvetica, sans-serif; font-size: 10pt; margin: 2em; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #555; padding: 4px 6px; vertical-align: top; text-align: left; }}
thead th {{ background: #e8e8e8; }}
thead {{ display: table-header-group; }}
tr {{ page-break-inside: avoid; }}
@page {{ size: A4 landscape; margin: 15mm; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
</body>
</html>
"""


RENDERERS: dict[str, Callable[[str, Table], str]] = {
    "md": markdown,
    "txt": plain_text,
    "csv": csv_text,
    "html": html_page,
}
