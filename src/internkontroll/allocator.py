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

M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter for the number of arenas (malloc.h)."""


def one_arena() -> None:
    """Ask glibc for one malloc arena, before the run starts its threads; elsewhere nothing."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # a C library without mallopt
        return
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    mallopt(M_ARENA_MAX, 1)
