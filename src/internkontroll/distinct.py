"""The distinct values of an integer array, sorted: ``np.unique`` without its ``numpy.ma``.

numpy's ``unique`` asks ``np.ma.is_masked`` of its input when it returns the values alone, and
``numpy.ma`` is imported for that question: some 50 million instructions, a tenth of a second's
work on a slow machine, for a run that never makes a masked array. ``distinct`` sorts and drops
each value equal to the one before it, which is what ``unique`` does for integers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Integers = npt.NDArray[np.integer]


def distinct(values: Integers) -> Integers:
    """``np.unique(values)`` for integers: each value once, in ascending order."""
    import numpy as np

    ordered = np.sort(values, axis=None)
    keep = np.ones(len(ordered), dtype=np.bool_)
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
