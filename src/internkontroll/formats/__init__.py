"""Output formats. Each is a plugin registered through the ``register_formats`` hook.

A format has a ``name`` (what ``--format`` takes), a file ``suffix``, whether it ``binary``, and
``render(document) -> bytes``. The built-in ones are registered by this package's own hook
implementation, exactly as a municipality's own format would be.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from internkontroll import hookimpl
from internkontroll.document import Document


class Format(Protocol):
    name: str
    suffix: str
    binary: bool

    def render(self, document: Document) -> bytes: ...


@hookimpl
def register_formats(register: Callable[[Any], None]) -> None:
    from internkontroll.formats import html, office, text

    for fmt in (
        text.Markdown(),
        text.PlainText(),
        text.Csv(),
        html.Html(),
        office.Xlsx(),
        office.Docx(),
    ):
        register(fmt)
