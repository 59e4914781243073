"""internkontroll: internal control and risk register for Swedish public bodies.

Plugins import ``hookimpl`` from here, in the manner of llm and datasette::

    from internkontroll import hookimpl
"""

import email
from importlib.metadata import PackageNotFoundError, distribution

import pluggy

hookimpl = pluggy.HookimplMarker("internkontroll")


def _installed_version() -> str:
    """``importlib.metadata.version("internkontroll")``, parsing only the metadata's header:
    the whole metadata carries the README as its body, and every command starts here."""
    dist = distribution("internkontroll")
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    header = text.replace("\r\n", "\n").partition("\n\n")[0]
    found = email.message_from_string(header)["Version"]
    return str(found) if found is not None else dist.version


try:
    __version__ = _installed_version()
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = ["__version__", "hookimpl"]
