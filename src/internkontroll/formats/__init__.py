"""Output formats. Each is a plugin registered through the ``register_formats`` hook.

A format (``internkontroll.hookspecs.Format``) has a ``name`` (what ``--format`` takes), a file
``suffix``, whether it is ``binary``, and ``render(document) -> bytes``. The built-in ones are
registered by this package's own hook implementation, exactly as a municipality's own format
would be.
"""

from __future__ import annotations

from internkontroll import hookimpl
from internkontroll.hookspecs import RegisterFormat


@hookimpl
def register_formats(register: RegisterFormat) -> None:
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
