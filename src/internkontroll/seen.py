"""Which ids a dataset has already shown: a million ids in a few megabytes.

A set of a million id strings costs some 80 MB; this keeps each id's 64-bit hash and the row it
was first seen on in flat arrays (open addressing), 12 bytes per slot. Two different ids with
the same hash (``id_hash``, the one the batch path computes in bulk) would be taken for one:
for a million ids the chance is about one in ten million, and the duplicate finding names both
rows so a person can see it.
"""

from __future__ import annotations

from array import array

from internkontroll.id_hash import id_hash


class SeenIds:
    def __init__(self, expected: int = 0) -> None:
        """``expected`` ids, if known, size the table at once instead of doubling as it fills."""
        capacity = 1 << 16
        while capacity * 3 < 4 * expected:  # at most three quarters full
            capacity *= 2
        self._size = capacity
        self._hashes = array("q", [0]) * capacity
        self._rows = array("i", [0]) * capacity
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def first_row(self, key: object, row: int) -> int | None:
        """The row ``key`` was first seen on, or None (and ``row`` is remembered) if it is new."""
        code = id_hash(key) or 1  # 0 marks an empty slot
        mask = self._size - 1
        slot = code & mask
        hashes = self._hashes
        while True:
            found = hashes[slot]
            if found == 0:
                hashes[slot] = code
                self._rows[slot] = row
                self._count += 1
                if self._count * 4 > self._size * 3:
                    self._grow()
                return None
            if found == code:
                return self._rows[slot]
            slot = (slot + 1) & mask

    def _grow(self) -> None:
        """Double the table, moving entries over without building an intermediate list."""
        hashes, rows = self._hashes, self._rows
        self._size *= 2
        self._hashes = array("q", [0]) * self._size
        self._rows = array("i", [0]) * self._size
        mask = self._size - 1
        for index in range(len(hashes)):
            code = hashes[index]
            if code:
                slot = code & mask
                while self._hashes[slot]:
                    slot = (slot + 1) & mask
                self._hashes[slot] = code
                self._rows[slot] = rows[index]
