"""glibc's malloc in a run's own process: one arena, not one per thread.

A run reads ahead and hashes its exports in threads (``read_ahead.py``). glibc gives a thread
that allocates an arena of its own (up to eight per core), and an arena keeps what was freed in
it. At 1 M rows that held 15–20 MB more at the peak: 159–168 MB against 143–145 MB with one
arena, at the same wall time (three alternating pairs; ``benchmarks/RESULTS.md``). The threads
allocate little and seldom, so sharing one arena costs them nothing measurable.

Only the command line's own process asks for it (a caller's process, such as the tests or a
notebook, keeps its allocator as it was), and only on Linux, where glibc has ``mallopt``.
"""

from __future__ import annotations

import sys
from typing import Any

M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter for the number of arenas (malloc.h)."""

_glibc: Any = None
"""The C library, once ``one_arena`` has asked it for one arena: then ``give_back`` trims."""


def one_arena() -> None:
    """Ask glibc for one malloc arena, before the run starts its threads; elsewhere nothing."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    global _glibc
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # a C library without mallopt
        return
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    mallopt(M_ARENA_MAX, 1)
    if hasattr(libc, "malloc_trim"):
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.malloc_trim.restype = ctypes.c_int
        _glibc = libc


def give_back() -> None:
    """Hand the free pages of the arena back to the system, between a run's phases (after
    each export is read, after the results are written); a no-op unless ``one_arena`` was
    asked for in this process.

    glibc returns freed memory to the system only from the top of its heap. A pass over an
    export frees as much as it keeps (a batch's arrays, the filters of repeated ids as they
    are merged), and what it keeps lies between the freed pieces: at 3 M rows 25-40 MB of free
    pages stay resident after each pass, and the next phase's peak comes on top of them.
    ``malloc_trim`` returns them (a few milliseconds); the next phase reuses the space."""
    if _glibc is not None:
        _glibc.malloc_trim(0)
