"""A batch's codes in the order of the rows that first have them are those a plain walk over
the flagged rows meets, each once."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from internkontroll_checks.group_codes import first_seen


def walked(codes: list[int], mask: list[bool]) -> list[int]:
    seen: list[int] = []
    for code, flagged in zip(codes, mask, strict=True):
        if flagged and code not in seen:
            seen.append(code)
    return seen


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 12), st.booleans()), max_size=60),
)
def test_first_seen_is_the_walk_over_the_flagged_rows(rows: list[tuple[int, bool]]) -> None:
    codes = [code for code, _ in rows]
    mask = [flagged for _, flagged in rows]
    found = first_seen(np.array(codes, dtype=np.intp), np.array(mask, dtype=np.bool_))
    assert found == walked(codes, mask)


def test_a_hand_worked_batch() -> None:
    codes = np.array([3, 1, 3, 0, 2, 1], dtype=np.intp)
    mask = np.array([False, True, True, False, True, True])
    assert first_seen(codes, mask) == [1, 3, 2]
