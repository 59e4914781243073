"""One self-contained HTML page: reads well on screen and prints on A4 (landscape)."""

from __future__ import annotations

import html

from internkontroll.document import Document, Table

STYLE = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 10pt; margin: 2em; color: #111; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 2em; }
p.summary, p.introduction { max-width: 48em; line-height: 1.4; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }
th, td { border: 1px solid #555; padding: 4px 6px; vertical-align: top; text-align: left; }
thead th { background: #e8e8e8; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
figure.matrix { margin: 1em 0; max-width: 36em; }
@page { size: A4 landscape; margin: 15mm; }
@media print { body { margin: 0; } h2 { break-after: avoid; } }
"""


def _text(value: str) -> str:
    return html.escape(value).replace("\n", "<br>")


def _table(table: Table) -> str:
    widths = table.relative_widths()
    cols = "".join(f'<col style="width:{w * 100:.1f}%">' for w in widths)
    head = "".join(f"<th>{_text(c)}</th>" for c in table.columns)
    spans = {first: count for first, count in table.spans()}
    covered = {first + n for first, count in spans.items() for n in range(1, count)}
    rows = []
    for index, row in enumerate(table.rows):
        cells = []
        for column, value in enumerate(row):
            merged = column in table.merged_columns
            if merged and index in covered:
                continue
            span = f' rowspan="{spans[index]}"' if merged and index in spans else ""
            mark = table.mark(index) if column == table.mark_column else None
            colour = table.fill(index, column)
            style = f' style="background:#{colour}"' if colour else ""
            klass = f' class="{mark}"' if mark else ""
            if column in table.numeric_columns:
                style = f'{style[:-1]};text-align:right"' if style else ' style="text-align:right"'
            cells.append(f"<td{span}{klass}{style}>{_text(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    body = "\n".join(rows)
    intro = (
        f'<p class="introduction">{_text(table.introduction)}</p>\n' if table.introduction else ""
    )
    return (
        f'<section id="{table.name}">\n<h2>{_text(table.title)}</h2>\n{intro}<table>\n'
        f"<colgroup>{cols}</colgroup>\n<thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n{body}\n</tbody>\n</table>\n</section>"
    )


class Html:
    name, suffix, binary = "html", ".html", False

    def render(self, document: Document) -> bytes:
        parts = [f"<h1>{_text(document.title)}</h1>"]
        if document.summary:
            parts.append(
                f'<section id="sammanfattning"><h2>{_text(document.summary_title)}</h2>'
                f'<p class="summary">{_text(document.summary)}</p></section>'
            )
        if document.matrix_svg:
            parts.append(
                f'<section id="riskmatris"><h2>Riskmatris</h2>'
                f'<figure class="matrix">{document.matrix_svg}</figure></section>'
            )
        parts.extend(_table(t) for t in document.tables)
        page = (
            f'<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(document.title)}</title>\n<style>{STYLE}</style>\n</head>\n"
            f"<body>\n" + "\n".join(parts) + "\n</body>\n</html>\n"
        )
        return page.encode("utf-8")
