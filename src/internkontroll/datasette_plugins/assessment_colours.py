"""Datasette plugin: assessment cells coloured as in the reports (loaded by ``browse``)."""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape

from internkontroll.register_browse import COLOURS


@hookimpl  # type: ignore[untyped-decorator]
def render_cell(value: Any, column: str) -> Markup | None:
    if column.endswith("assessment") or column == "bedömning":
        colour = COLOURS.get(str(value))
        if colour:
            return Markup(
                f'<span style="background:{colour};padding:0 .3em">{escape(str(value))}</span>'
            )
    return None
