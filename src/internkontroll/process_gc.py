"""The cyclic garbage collector in a process that runs one command and ends.

A run imports some 450 modules (pydantic, numpy, pyarrow, the plugins) and loads the plan: tens of
thousands of objects that live until the process ends. Each full collection walks all of them
(20–30 ms; a 10 000-row run makes one or two), and so does the interpreter's last collection at
exit, which then frees them one by one (60–100 ms). Frozen (``gc.freeze``), they are left out of
both: the collector still finds every cycle made after the freeze, and the operating system takes
the rest back when the process ends, as it does for any object alive at exit. While ``run`` makes
them the collector pauses: each collection then would walk objects that all stay.

Only the command line's own process freezes: a caller that runs a command inside its own process
(tests, a notebook) keeps its collector as it was.
"""

from __future__ import annotations

import gc

_owned = False
_paused = False


def own_process() -> None:
    """The command runs as this process's program: it may freeze what lives until exit."""
    global _owned
    _owned = True


def owned() -> bool:
    """Whether the command runs as this process's program (``own_process``)."""
    return _owned


def loading() -> None:
    """The command starts making what it keeps to the end (imports, plan, plugins): no collection
    until ``settled``, for each would walk objects that all stay (a dozen collections, 10 ms)."""
    global _paused
    if _owned and gc.isenabled():
        gc.disable()
        _paused = True


def settled() -> None:
    """The long-lived objects are made (imports, plan, plugins): leave them out of collections."""
    global _paused
    if _owned:
        gc.freeze()
    if _paused:
        gc.enable()
        _paused = False


def leaving() -> None:
    """The command is done and the process ends: spare the interpreter's last collection."""
    if _owned:
        gc.freeze()
