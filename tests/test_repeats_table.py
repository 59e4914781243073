"""The in-memory table of ``repeats``: against a dict, with ids crowded into a few buckets."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from internkontroll.repeats import FIRST_AT, SEAL_AT, RepeatedIds, _Table


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 3),
    st.lists(st.lists(st.tuples(st.integers(1, 300), st.integers(-4, 3)), max_size=60), max_size=8),
)
def test_the_table_holds_what_a_dict_holds(size: int, batches: list[list[tuple[int, int]]]) -> None:
    """Hashes that share their low 20 bits share a bucket: buckets fill up, and ids go on to
    the next bucket, round the end of the table (from the last buckets), and into a table twice
    the size."""
    table = _Table(1 << size)
    held: dict[int, int] = {}
    row = 1
    for batch in batches:
        # a hash's low 20 bits from ``low``: the first four buckets and the last four
        hashes = np.array([(high << 20) | (low & 0xFFFFF) for high, low in batch], np.int64)
        found = table.find(hashes)
        assert found.tolist() == [held.get(key, 0) for key in hashes.tolist()]
        new = sorted(set(hashes.tolist()) - set(held), key=hashes.tolist().index)
        rows = np.arange(row, row + len(new), dtype=np.int64)
        table.add(np.array(new, dtype=np.int64), rows)
        held.update(zip(new, rows.tolist(), strict=True))
        row += len(new)
        assert table.count == len(held)
        assert table.count * 2 <= len(table.hashes)  # never more than half full
    everything = np.array(sorted(held), dtype=np.int64)
    assert table.find(everything).tolist() == [held[key] for key in everything.tolist()]
    hashes, rows = table.ids()
    assert hashes.tolist() == sorted(held)
    assert rows.tolist() == [held[key] for key in hashes.tolist()]


def test_the_table_is_made_the_size_its_ids_need_and_stays_that_size() -> None:
    repeats = RepeatedIds(seal_at=1000)
    size = len(repeats._table.hashes)
    assert 2 * 1000 <= size < 4 * 1000
    rng = np.random.default_rng(3)
    for batch in range(10):  # 5 000 ids in batches of 500: sealed to disk, never grown
        hashes = rng.integers(-(2**63), 2**63 - 1, size=500, dtype=np.int64)
        numbers = np.arange(1 + batch * 500, 1 + (batch + 1) * 500)
        assert not repeats.first_rows(hashes, np.zeros(500, dtype=np.bool_), numbers).any()
    assert len(repeats._table.hashes) == size
    assert len(repeats) == 5000
    assert repeats.disk_runs >= 1


def test_a_small_table_first_then_once_the_size_seal_at_ids_need() -> None:
    """A year's export stays in a table of a quarter megabyte; more ids move once, straight to
    the table of ``SEAL_AT`` ids, and every id seen before is still found."""
    repeats = RepeatedIds()
    small = len(repeats._table.hashes)
    assert 2 * FIRST_AT <= small < 4 * FIRST_AT
    rng = np.random.default_rng(11)
    first_seen: dict[int, int] = {}
    sizes: set[int] = set()
    row = 1
    for _ in range(40):  # 40 000 ids, a few of them repeats of earlier batches
        hashes = rng.integers(1, 2**62, size=1000, dtype=np.int64)
        if first_seen:
            hashes[:3] = list(first_seen)[:3]
        numbers = np.arange(row, row + 1000)
        expected = [first_seen.get(h, 0) for h in hashes.tolist()]
        assert repeats.first_rows(hashes, np.zeros(1000, np.bool_), numbers).tolist() == expected
        for h, n in zip(hashes.tolist(), numbers.tolist(), strict=True):
            first_seen.setdefault(h, n)
        sizes.add(len(repeats._table.hashes))
        row += 1000
    assert sizes == {small, 2 * SEAL_AT}  # moved once, to the table of SEAL_AT ids half full
    assert len(repeats) == len(first_seen)
    assert repeats.disk_runs == 0
