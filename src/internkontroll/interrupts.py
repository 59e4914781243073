"""Tell the user's Ctrl-C from a plugin that raises to end the program.

A plugin's ``sys.exit(0)``, ``raise KeyboardInterrupt`` or ``raise GeneratorExit`` is a broken
plugin, not a wish of the user: it must fail that plugin's control like any other error, and
never end the run with exit code 0 and no results. A real Ctrl-C, though, must stop the run.
Both arrive as ``BaseException``; the difference is whether the terminal sent SIGINT, so the
command line installs a SIGINT handler that notes the signal before raising.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

_state = {"installed": False, "pressed": False}


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    _state["pressed"] = True
    raise KeyboardInterrupt


def install() -> None:
    """Note SIGINT before raising KeyboardInterrupt (main thread only, default handler only)."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)
    _state["installed"] = signal.getsignal(signal.SIGINT) is _on_sigint
    _state["pressed"] = False


def uninstall() -> None:
    """Put Python's own SIGINT handler back, if ours is the one installed."""
    main = threading.current_thread() is threading.main_thread()
    if main and signal.getsignal(signal.SIGINT) is _on_sigint:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    _state["installed"] = False


def user_interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` is the user stopping the program rather than a plugin misbehaving.

    Without the handler there is no telling, so every KeyboardInterrupt counts as the user's.
    """
    if not isinstance(exc, KeyboardInterrupt):
        return False
    return _state["pressed"] or not _state["installed"]


def describe(exc: BaseException) -> str:
    """A Swedish description of a BaseException a plugin raised to end the program."""
    if isinstance(exc, SystemExit):
        return f"pluginen försökte avsluta programmet (SystemExit: {exc.code})"
    if isinstance(exc, KeyboardInterrupt):
        return "pluginen avbröt programmet (KeyboardInterrupt)"
    return f"{type(exc).__name__}: {exc}"
