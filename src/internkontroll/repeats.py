"""Repeated ids, found a batch at a time: any number of ids in a few megabytes.

The row path asks ``seen.SeenIds`` once per row; here a batch's ids, hashed at once
(``Batch.hashes``, ``id_hash``), are compared with each other and with the ids of earlier
batches in a handful of array operations. What is kept is each id's 64-bit hash and the row it
was first seen on. The hash is the one ``SeenIds`` keeps, so both paths take the same two ids
for one (for a million ids, about one chance in ten million).

The newest ids are kept in memory in a hash table of buckets (``_Table``), at most half full:
first one for ``FIRST_AT`` ids (a quarter of a megabyte: a year's export of a municipality fits),
then, should they outgrow it, the size ``SEAL_AT`` ids need (6 MB) at once, so that the ids are
moved only that one time. Once they are ``SEAL_AT`` they go to a
temporary file as one sorted, sealed run (``disk_runs``), and sealed runs of about the same size
are merged there, a piece at a time. Of a sealed run only a filter (three bytes an id) and every
``BLOCK``-th hash stay in memory: a hash the filter does not hold was never seen there; one it
holds is looked up in its block on disk. So the memory of three million ids is not three times
that of one million, and an answer is never a guess.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from internkontroll.distinct import distinct

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Hashes = npt.NDArray[np.int64]
    Mask = npt.NDArray[np.bool_]
    Numbers = npt.NDArray[np.int64]
    Rows = npt.NDArray[np.int32]
    Probes = tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]

SEAL_AT = 1 << 18
"""Ids kept in memory before they are written to disk as a sealed run (in a table of 6 MB)."""
FIRST_AT = 1 << 14
"""Ids the first, small table holds: a table of 6 MB is made only for an export with more."""
BLOCK = 512
"""Hashes read from disk to confirm one that a sealed run's filter holds."""
PIECE = 1 << 16
"""Ids read at a time when a sealed run is merged or read whole."""
_FILTER_BITS = 24
"""Filter bits per id: a hash not in a run is taken for a possible one about once in 600."""
_PROBES = 5


class RepeatedIds:
    def __init__(self, seal_at: int = SEAL_AT) -> None:
        # A table that grows moves every id it holds: it grows once, from the size for
        # ``FIRST_AT`` ids straight to the size ``seal_at`` ids need.
        self._full = _buckets_for(seal_at)
        self._table = _Table(min(self._full, _buckets_for(FIRST_AT)))
        self._sealed: list[_SealedRun] = []
        self._seal_at = seal_at

    def __len__(self) -> int:
        return self._table.count + sum(run.count for run in self._sealed)

    @property
    def disk_runs(self) -> int:
        return len(self._sealed)

    def first_rows(self, hashes: Hashes, blank: Mask, numbers: Numbers) -> Numbers:
        """For each row of a batch (its ids' ``id_hash``, which ids are blank, its row
        numbers), the row its id was first seen on if it is a repeat, else 0; a blank id is
        never a repeat. The batch's new ids are remembered."""
        import numpy as np

        found = np.zeros(len(hashes), dtype=np.int64)
        present = np.flatnonzero(~blank)
        if not len(present):
            return found
        hashes = hashes[present]
        hashes[hashes == 0] = 1  # as SeenIds, which keeps 0 for an empty slot
        hashes = _mixed(hashes)
        rows = np.asarray(numbers, dtype=np.int64)[present]
        earlier = self._table.find(hashes)
        new = np.flatnonzero(earlier == 0)
        if len(new) and self._sealed:
            wanted = hashes[new]
            probes = _probes(wanted)
            on_disk = np.zeros(len(new), dtype=np.int64)
            for run in self._sealed:
                run.look_up(wanted, probes, on_disk)
            earlier[new] = on_disk
            new = new[on_disk == 0]
        if len(new):
            new = _first_of_each(hashes, rows, new, earlier)
            if self._table.count and self._table.count + len(new) > self._seal_at:
                self._seal()  # before the table would outgrow the size SEAL_AT ids need
            if len(self._table.fill) < self._full and self._table.too_small_for(len(new)):
                self._table = self._table.moved(self._full)
            self._table.add(hashes[new], rows[new])
            if self._table.count >= self._seal_at:
                self._seal()
        found[present] = earlier
        return found

    def _seal(self) -> None:
        """The ids in memory written to disk as one sorted run; runs of about one size merged.
        The table's memory is let go meanwhile: a merge's filters are the most memory the
        ids ever take, and a new table is made only once they are done."""
        buckets = len(self._table.fill)
        hashes, rows = self._table.ids()
        self._table = _Table(0)
        self._sealed.append(_SealedRun.written(hashes, rows))
        del hashes, rows
        while len(self._sealed) > 1 and self._sealed[-2].count <= self._sealed[-1].count:
            high_run, low_run = self._sealed.pop(), self._sealed.pop()
            self._sealed.append(_SealedRun.merged(low_run, high_run))
        self._table = _Table(buckets)


def _buckets_for(ids: int) -> int:
    """The buckets of a table that holds ``ids`` at most half full (a power of two)."""
    return 1 << max(0, (2 * ids - 1) // _Table.WIDTH).bit_length()


def _first_of_each(hashes: Hashes, rows: Numbers, new: Numbers, earlier: Numbers) -> Numbers:
    """Of the places ``new`` (of ids seen nowhere before), those of each hash's first: the
    others repeat it, and get its row in ``earlier``. A batch seldom holds an id twice: its
    hashes are sorted (values only, which is quick) to see whether it does."""
    import numpy as np

    wanted = hashes[new]
    ordered = np.sort(wanted)
    if not (ordered[1:] == ordered[:-1]).any():
        return new
    order = np.argsort(wanted, kind="stable")
    ordered = wanted[order]
    starts = np.concatenate(([True], ordered[1:] != ordered[:-1]))
    # in a stable order the first of each hash comes first: each place's first
    firsts = np.empty(len(new), dtype=np.int64)
    firsts[order] = order[np.maximum.accumulate(np.where(starts, np.arange(len(new)), 0))]
    again = firsts != np.arange(len(new))
    earlier[new[again]] = rows[new[firsts[again]]]
    kept: Numbers = new[~again]
    return kept


class _Table:
    """The newest ids in memory: their (mixed, never 0) hashes and first rows in a hash table
    of buckets of ``WIDTH`` slots (a cache line of hashes), at most half full. An id's bucket is
    its hash's low bits, or the next one while that is full; so a batch is looked up in one
    gather of its ids' buckets, and a bucket that is not full ends the search."""

    WIDTH = 8

    def __init__(self, buckets: int) -> None:
        import numpy as np

        self.hashes = np.zeros(buckets * self.WIDTH, dtype=np.int64)
        self.rows = np.zeros(buckets * self.WIDTH, dtype=np.int32)
        self.fill = np.zeros(buckets, dtype=np.int64)
        self.count = 0

    def find(self, hashes: Hashes) -> Numbers:
        """The row each hash was first seen on, 0 for those the table does not hold."""
        import numpy as np

        found = np.zeros(len(hashes), dtype=np.int64)
        mask = len(self.fill) - 1
        pending = np.arange(len(hashes))
        buckets = hashes & mask
        wanted = hashes
        by_bucket = self.hashes.reshape(-1, self.WIDTH)
        while len(pending):
            held = by_bucket[buckets]
            match = held == wanted[:, None]
            hit = match.view(np.uint64)[:, 0] != 0  # a bucket's eight answers as one number
            if hit.any():
                slots = buckets[hit] * self.WIDTH + match[hit].argmax(axis=1)
                found[pending[hit]] = self.rows[slots]
            going_on = held[:, -1] != 0  # a full bucket: the id may be in the next
            going_on &= ~hit
            pending, wanted = pending[going_on], wanted[going_on]
            buckets = (buckets[going_on] + 1) & mask
        return found

    def add(self, hashes: Hashes, rows: Numbers | Rows) -> None:
        """Distinct hashes the table does not hold added, with their rows."""
        import numpy as np

        while self.too_small_for(len(hashes)):
            self._grow()
        mask = len(self.fill) - 1
        buckets = hashes & mask
        while len(hashes):
            used = self.fill[buckets]
            room = used < self.WIDTH
            slots = buckets * self.WIDTH + np.minimum(used, self.WIDTH - 1)
            # of ids that reach one free slot at once, one is written there; the rest go on
            self.hashes[slots[room]] = hashes[room]
            placed = self.hashes[slots] == hashes
            placed &= room
            self.rows[slots[placed]] = rows[placed]
            self.fill[buckets[placed]] += 1
            self.count += int(np.count_nonzero(placed))
            going_on = ~placed
            hashes, rows, buckets = hashes[going_on], rows[going_on], buckets[going_on]
            buckets[~room[going_on]] += 1  # the bucket is full: on to the next
            buckets &= mask

    def too_small_for(self, more: int) -> bool:
        """Whether ``more`` ids would fill the table over half."""
        return (self.count + more) * 2 > len(self.hashes)

    def moved(self, buckets: int) -> _Table:
        """A table of ``buckets`` buckets holding this one's ids."""
        import numpy as np

        held = np.flatnonzero(self.hashes)
        table = _Table(buckets)
        table.add(self.hashes[held], self.rows[held])
        return table

    def _grow(self) -> None:
        grown = self.moved(2 * len(self.fill))
        self.hashes, self.rows, self.fill, self.count = (
            grown.hashes,
            grown.rows,
            grown.fill,
            grown.count,
        )

    def ids(self) -> tuple[Hashes, Rows]:
        """The ids held, sorted by hash."""
        import numpy as np

        held = self.hashes != 0
        hashes, rows = self.hashes[held], self.rows[held]
        order = np.argsort(hashes)
        return hashes[order], rows[order]


def _merged(low: tuple[Hashes, Rows], high: tuple[Hashes, Rows]) -> tuple[Hashes, Rows]:
    """Two sorted runs of distinct hashes as one."""
    import numpy as np

    if not len(low[0]) or not len(high[0]):
        return (low if len(low[0]) else high)[0], (low if len(low[0]) else high)[1]
    # each of ``high`` goes where it would be inserted in ``low``, moved on by those before it
    places = np.searchsorted(low[0], high[0]) + np.arange(len(high[0]))
    from_low = np.ones(len(low[0]) + len(high[0]), dtype=np.bool_)
    from_low[places] = False
    hashes = np.empty(len(from_low), dtype=np.int64)
    rows = np.empty(len(from_low), dtype=np.int32)
    hashes[places], rows[places] = high
    hashes[from_low], rows[from_low] = low
    return hashes, rows


def _look_up(hashes: Hashes, rows: Rows, unique: Hashes, earlier: Numbers) -> None:
    """``earlier`` set to the row of each of ``unique`` that the sorted ``hashes`` hold."""
    import numpy as np

    if not len(hashes):
        return
    where = np.minimum(np.searchsorted(hashes, unique), len(hashes) - 1)
    hit = hashes[where] == unique
    earlier[hit] = rows[where[hit]]


class _SealedRun:
    """A sorted run in a temporary file, its hashes then its rows; in memory its filter and
    the first hash of each ``BLOCK``."""

    def __init__(self, file: IO[bytes], count: int, fence: Hashes, bits: npt.NDArray[np.uint64]):
        self._file = file
        self.count = count
        self._fence = fence
        self._bits = bits

    @classmethod
    def written(cls, hashes: Hashes, rows: Rows) -> _SealedRun:
        import numpy as np

        file = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the run
        file.write(np.ascontiguousarray(hashes).data)
        file.write(np.ascontiguousarray(rows).data)
        file.flush()
        bits = _filter_bits(len(hashes))
        for start in range(0, len(hashes), PIECE):  # a piece at a time: its steps stay in cache
            _add_to_filter(bits, hashes[start : start + PIECE])
        return cls(file, len(hashes), hashes[::BLOCK].copy(), bits)

    @classmethod
    def merged(cls, low: _SealedRun, high: _SealedRun) -> _SealedRun:
        """One run from two, merged a piece at a time; the two files are let go."""
        import numpy as np

        count = low.count + high.count
        file = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the run
        rows_file = tempfile.TemporaryFile()  # noqa: SIM115 - copied after the hashes, closed
        bits = _filter_bits(count)
        fences: list[Hashes] = []
        written = 0
        for hashes, rows in _merge_pieces(low.pieces(), high.pieces()):
            file.write(hashes.tobytes())
            rows_file.write(rows.tobytes())
            _add_to_filter(bits, hashes)
            # the first hash of each block: at count written + k * BLOCK
            start = (-written) % BLOCK
            fences.append(hashes[start::BLOCK].copy())
            written += len(hashes)
        rows_file.seek(0)
        while piece := rows_file.read(PIECE * 4):
            file.write(piece)
        rows_file.close()
        file.flush()
        low.close()
        high.close()
        fence = np.concatenate(fences) if fences else np.zeros(0, dtype=np.int64)
        return cls(file, count, fence, bits)

    def close(self) -> None:
        self._file.close()

    def pieces(self) -> _Pieces:
        return _Pieces(self)

    def read(self, start: int, stop: int) -> tuple[Hashes, Rows]:
        """Hashes and rows from ``start`` to ``stop``."""
        import numpy as np

        self._file.seek(start * 8)
        hashes = np.frombuffer(self._file.read((stop - start) * 8), dtype=np.int64)
        self._file.seek(self.count * 8 + start * 4)
        rows = np.frombuffer(self._file.read((stop - start) * 4), dtype=np.int32)
        return hashes, rows

    def look_up(self, wanted: Hashes, probes: Probes, earlier: Numbers) -> None:
        """``earlier`` set to the row of each of ``wanted`` (``probes`` theirs) this run holds."""
        import numpy as np

        maybe = np.flatnonzero(_in_filter(self._bits, probes))
        if not len(maybe):
            return
        maybe = maybe[np.argsort(wanted[maybe], kind="stable")]  # the few it may hold, in order
        candidates = wanted[maybe]
        blocks = np.searchsorted(self._fence, candidates, side="right") - 1
        inside = blocks >= 0  # below the run's smallest hash: not in it
        maybe, candidates, blocks = maybe[inside], candidates[inside], blocks[inside]
        touched = distinct(blocks).tolist()
        found = np.zeros(len(candidates), dtype=np.int64)
        if len(touched) * BLOCK * 4 > self.count:  # most of the run: read it whole
            for start in range(0, self.count, PIECE):
                hashes, rows = self.read(start, min(start + PIECE, self.count))
                _look_up(hashes, rows, candidates, found)
        else:
            cuts = np.searchsorted(blocks, [*touched, len(self._fence)]).tolist()
            file = self._file
            for index, block in enumerate(touched):
                start = block * BLOCK
                file.seek(start * 8)
                size = min(BLOCK, self.count - start)
                hashes = np.frombuffer(file.read(size * 8), dtype=np.int64)
                some = candidates[cuts[index] : cuts[index + 1]]
                where = np.minimum(np.searchsorted(hashes, some), size - 1)
                for at in np.flatnonzero(hashes[where] == some).tolist():
                    file.seek(self.count * 8 + (start + int(where[at])) * 4)
                    row = np.frombuffer(file.read(4), dtype=np.int32)[0]
                    found[cuts[index] + at] = row
        hit = found > 0
        earlier[maybe[hit]] = found[hit]


class _Pieces:
    """A sealed run read in order, ``PIECE`` ids at a time."""

    def __init__(self, run: _SealedRun) -> None:
        self._run = run
        self._at = 0

    def next(self) -> tuple[Hashes, Rows] | None:
        if self._at >= self._run.count:
            return None
        stop = min(self._at + PIECE, self._run.count)
        piece = self._run.read(self._at, stop)
        self._at = stop
        return piece


def _merge_pieces(a: _Pieces, b: _Pieces) -> Iterator[tuple[Hashes, Rows]]:
    """The ids of two sorted runs (no hash in both) in order, a piece at a time: each step
    gives out all that is no larger than the smaller of the two buffers' last hashes."""
    import numpy as np

    left, right = a.next(), b.next()
    while left is not None and right is not None:
        bound = min(left[0][-1], right[0][-1])
        cut_left = int(np.searchsorted(left[0], bound, side="right"))
        cut_right = int(np.searchsorted(right[0], bound, side="right"))
        yield _merged(
            (left[0][:cut_left], left[1][:cut_left]), (right[0][:cut_right], right[1][:cut_right])
        )
        left = (left[0][cut_left:], left[1][cut_left:]) if cut_left < len(left[0]) else a.next()
        right = (
            (right[0][cut_right:], right[1][cut_right:]) if cut_right < len(right[0]) else b.next()
        )
    for rest, source in ((left, a), (right, b)):
        while rest is not None:
            yield rest
            rest = source.next()


def _mixed(hashes: Hashes) -> Hashes:
    """The hashes through splitmix64's finaliser, a one-to-one map of 64-bit numbers: equal
    where they are equal, and spread evenly where they are not (a number's hash is the number
    itself), so that a sorted run's place in the filter follows its order."""
    import numpy as np

    mixed = hashes.view(np.uint64)
    mixed = mixed ^ (mixed >> np.uint64(30))
    mixed *= np.uint64(0xBF58476D1CE4E5B9)
    mixed ^= mixed >> np.uint64(27)
    mixed *= np.uint64(0x94D049BB133111EB)
    mixed ^= mixed >> np.uint64(31)
    result: Hashes = mixed.view(np.int64)
    return result


def _filter_bits(count: int) -> npt.NDArray[np.uint64]:
    """An empty filter for ``count`` ids."""
    import numpy as np

    return np.zeros(max(1, -(-count * _FILTER_BITS // 64)), dtype=np.uint64)


def _probes(hashes: Hashes) -> Probes:
    """For each (mixed) hash its top 32 bits, which place it in a filter of any size in its
    order, and the bits it sets in its word, from its low bits: a blocked Bloom filter, one
    word an id, so that a lookup reads one place and a sorted run fills it without a sort."""
    import numpy as np

    unsigned = hashes.view(np.uint64) ^ np.uint64(1 << 63)  # signed order as unsigned
    mask = np.zeros(len(hashes), dtype=np.uint64)
    bit = np.empty(len(hashes), dtype=np.uint64)  # one array for every step: no new memory
    one, low_six = np.uint64(1), np.uint64(63)
    for probe in range(_PROBES):
        np.right_shift(unsigned, np.uint64(6 * probe), out=bit)
        np.bitwise_and(bit, low_six, out=bit)
        np.left_shift(one, bit, out=bit)
        mask |= bit
    return unsigned >> np.uint64(32), mask


def _words(bits: npt.NDArray[np.uint64], top: npt.NDArray[np.uint64]) -> Numbers:
    import numpy as np

    words: Numbers = ((top * np.uint64(len(bits))) >> np.uint64(32)).astype(np.int64)
    return words


def _add_to_filter(bits: npt.NDArray[np.uint64], hashes: Hashes) -> None:
    """``hashes`` (sorted) put into the filter."""
    import numpy as np

    if not len(hashes):
        return
    top, mask = _probes(hashes)
    word = _words(bits, top)
    starts = np.flatnonzero(np.concatenate(([True], word[1:] != word[:-1])))
    bits[word[starts]] |= np.bitwise_or.reduceat(mask, starts)


def _in_filter(bits: npt.NDArray[np.uint64], probes: Probes) -> Mask:
    top, mask = probes
    held: Mask = (bits[_words(bits, top)] & mask) == mask
    return held
