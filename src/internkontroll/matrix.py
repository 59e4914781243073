"""The risk matrix as SVG: likelihood against impact, each risk's id in its cell.

Cells are coloured by level, and the level is also written in the cell, so the picture reads in
black and white as well.
"""

from __future__ import annotations

from html import escape

from internkontroll.models import Risk, RiskScale

CELL_W, CELL_H = 150, 80
LEFT, TOP, BOTTOM = 150, 40, 70


def _text(
    x: float,
    y: float,
    content: str,
    size: int = 12,
    weight: str = "normal",
    anchor: str = "middle",
    rotate: bool = False,
) -> str:
    transform = f' transform="rotate(-90 {x} {y})"' if rotate else ""
    return (
        f'<text x="{x}" y="{y}" font-size="{size}" font-weight="{weight}" '
        f'text-anchor="{anchor}"{transform}>{escape(content)}</text>'
    )


def risk_matrix_svg(risks: list[Risk], scale: RiskScale, title: str = "Riskmatris") -> str:
    columns, rows = len(scale.impact), len(scale.likelihood)
    width = LEFT + columns * CELL_W + 20
    height = TOP + rows * CELL_H + BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Arial, Helvetica, sans-serif" '
        f'role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        _text(LEFT + columns * CELL_W / 2, 24, title, 16, "bold"),
    ]
    for likelihood in range(1, rows + 1):
        y = TOP + (rows - likelihood) * CELL_H
        parts.append(
            _text(
                LEFT - 8,
                y + CELL_H / 2 + 4,
                f"{likelihood} {scale.likelihood[likelihood - 1]}",
                11,
                anchor="end",
            )
        )
        for impact in range(1, columns + 1):
            x = LEFT + (impact - 1) * CELL_W
            score = likelihood * impact
            level = scale.level_for(score)
            ids = [r.id for r in risks if r.likelihood == likelihood and r.impact == impact]
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" '
                f'fill="{escape(level.colour)}" stroke="#333" stroke-width="1"/>'
            )
            parts.append(_text(x + 6, y + 15, f"{level.name} ({score})", 10, anchor="start"))
            if ids:
                parts.append(_text(x + CELL_W / 2, y + CELL_H / 2 + 12, ", ".join(ids), 16, "bold"))
    for impact in range(1, columns + 1):
        centre = LEFT + (impact - 0.5) * CELL_W
        parts.append(
            _text(centre, TOP + rows * CELL_H + 18, f"{impact} {scale.impact[impact - 1]}", 11)
        )
    parts.append(_text(LEFT + columns * CELL_W / 2, height - 12, "Konsekvens", 13, "bold"))
    parts.append(_text(16, TOP + rows * CELL_H / 2, "Sannolikhet", 13, "bold", rotate=True))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
