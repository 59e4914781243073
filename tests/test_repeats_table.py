"""The in-memory table of ``repeats``: against a dict, with ids crowded into a few buckets."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from internkontroll.repeats import RepeatedIds, _Table


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
