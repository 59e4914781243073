"""internkontroll: internal control and risk register for Swedish public bodies.

Plugins import ``hookimpl`` from here, in the manner of llm and datasette::

    from internkontroll import hookimpl

Both names are made when first asked for (``__getattr__``): every command imports this package,
and most never need pluggy or the installed metadata (``--help`` would pay some 30 ms for them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pluggy

    hookimpl: pluggy.HookimplMarker
    __version__: str


def _installed_version() -> str:
    """``importlib.metadata.version("internkontroll")``, parsing only the metadata's header:
    the whole metadata carries the README as its body."""
    import email
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution("internkontroll")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    header = text.replace("\r\n", "\n").partition("\n\n")[0]
    found = email.message_from_string(header)["Version"]
    return str(found) if found is not None else dist.version


def __getattr__(name: str) -> Any:
    """``hookimpl`` and ``__version__``, made once, on first use."""
    if name == "hookimpl":
        import pluggy

        value: Any = pluggy.HookimplMarker("internkontroll")
    elif name == "__version__":
        value = _installed_version()
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = ["__version__", "hookimpl"]
