"""A set of row numbers kept as one bit each, for rules decided only when the export is read.

Whether a purchase is part of a split purchase is known only at the end, from every purchase
of the period; by then the check must still know which purchases it judged and which already
broke a rule, so that each purchase counts once in ``deviations``. A bit per export line holds
a million rows in 125 kB, and two parts of a partitioned run merge with an or.
"""

from __future__ import annotations

from typing import Any


class RowBits:
    def __init__(self) -> None:
        self.bits = bytearray()

    def _room(self, largest: int) -> None:
        wanted = (largest >> 3) + 1
        if wanted > len(self.bits):
            self.bits.extend(bytes(max(wanted, 2 * len(self.bits)) - len(self.bits)))

    def add(self, number: int) -> None:
        self._room(number)
        self.bits[number >> 3] |= 1 << (number & 7)

    def add_many(self, numbers: Any) -> None:
        """Every number of an integer numpy array."""
        import numpy as np

        if not len(numbers):
            return
        self._room(int(numbers.max()))
        view = np.frombuffer(self.bits, dtype=np.uint8)
        np.bitwise_or.at(view, numbers >> 3, np.left_shift(1, numbers & 7).astype(np.uint8))

    def __contains__(self, number: int) -> bool:
        byte = number >> 3
        return byte < len(self.bits) and bool(self.bits[byte] >> (number & 7) & 1)

    def merge(self, other: RowBits) -> None:
        import numpy as np

        if not other.bits:
            return
        self._room(len(other.bits) * 8 - 1)
        mine = np.frombuffer(self.bits, dtype=np.uint8)
        mine[: len(other.bits)] |= np.frombuffer(other.bits, dtype=np.uint8)
