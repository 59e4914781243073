"""Repeated ids, found a batch at a time: a million ids in a few tens of megabytes.

The row path asks ``seen.SeenIds`` once per row; here a batch's ids, hashed once per distinct
value (``Batch.hashes``), are compared with each other and with the ids of earlier batches in a
handful of array operations. What is kept
is each id's 64-bit hash and the row it was first seen on, in sorted runs (12 bytes an id);
a run is merged with the one before when that is no longer, so there are at most about log2
of the batches, and a lookup is one binary search per run. The hash is the one ``SeenIds``
keeps, so both paths take the same two ids for one (for a million ids, about one chance in
ten million).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Hashes = npt.NDArray[np.int64]
    Mask = npt.NDArray[np.bool_]
    Numbers = npt.NDArray[np.int64]


class RepeatedIds:
    def __init__(self) -> None:
        self._runs: list[tuple[Hashes, npt.NDArray[np.int32]]] = []

    def __len__(self) -> int:
        return sum(len(hashes) for hashes, _ in self._runs)

    def first_rows(self, hashes: Hashes, blank: Mask, numbers: Numbers) -> Numbers:
        """For each row of a batch (its ids' ``hash``, which ids are blank, its row numbers),
        the row its id was first seen on if it is a repeat, else 0; a blank id is never a
        repeat. The batch's new ids are remembered."""
        import numpy as np

        found = np.zeros(len(hashes), dtype=np.int64)
        present = np.flatnonzero(~blank)
        if not len(present):
            return found
        hashes = hashes[present]
        hashes[hashes == 0] = 1  # as SeenIds, which keeps 0 for an empty slot
        rows = np.asarray(numbers, dtype=np.int64)[present]
        unique, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)  # numpy 2.0 and 2.1 shape it like the input
        earlier = self._earlier(unique)
        new = earlier == 0
        first_row = np.where(new, rows[first], earlier)
        repeat = ~new[inverse] | (np.arange(len(hashes)) != first[inverse])
        found[present[repeat]] = first_row[inverse][repeat]
        self._remember(unique[new], rows[first[new]])
        return found

    def _earlier(self, unique: Hashes) -> Numbers:
        """The first row of each (sorted, distinct) hash already seen, else 0."""
        import numpy as np

        earlier = np.zeros(len(unique), dtype=np.int64)
        for hashes, rows in self._runs:
            where = np.minimum(np.searchsorted(hashes, unique), len(hashes) - 1)
            hit = hashes[where] == unique
            earlier[hit] = rows[where[hit]]
        return earlier

    def _remember(self, hashes: Hashes, rows: Numbers) -> None:
        import numpy as np

        if not len(hashes):
            return
        self._runs.append((hashes, rows.astype(np.int32)))
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= len(self._runs[-1][0]):
            (low, low_rows), (high, high_rows) = self._runs.pop(-2), self._runs.pop()
            both = np.concatenate((low, high))
            order = np.argsort(both, kind="stable")
            self._runs.append((both[order], np.concatenate((low_rows, high_rows))[order]))
