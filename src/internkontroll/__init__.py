"""internkontroll: internal control and risk register for Swedish public bodies.

Plugins import ``hookimpl`` from here, in the manner of llm and datasette::

    from internkontroll import hookimpl
"""

from importlib.metadata import PackageNotFoundError, version

import pluggy

hookimpl = pluggy.HookimplMarker("internkontroll")

try:
    __version__ = version("internkontroll")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = ["__version__", "hookimpl"]
