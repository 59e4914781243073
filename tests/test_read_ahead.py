"""Reading ahead in a thread gives the batches as they are, in order, with the reader's errors
where they happened, and stops the reader when the taker stops."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from internkontroll.errors import DatasetError
from internkontroll.read_ahead import Background, read_ahead


@given(st.lists(st.integers()), st.integers(min_value=1, max_value=5))
def test_items_come_in_order(items: list[int], depth: int) -> None:
    assert list(read_ahead(iter(items), depth)) == items


def test_an_error_comes_after_the_items_read_before_it() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise DatasetError("rad 3: trasig")

    taken = []
    with pytest.raises(DatasetError, match="rad 3"):
        for item in read_ahead(items()):
            taken.append(item)
    assert taken == [1, 2]


def test_stopping_early_closes_the_source() -> None:
    closed = threading.Event()

    def items() -> Iterator[int]:
        try:
            n = 0
            while True:
                n += 1
                yield n
        finally:
            closed.set()

    ahead = read_ahead(items(), depth=2)
    assert [next(ahead), next(ahead)] == [1, 2]
    ahead.close()
    assert closed.wait(5)


def test_an_interrupt_in_the_taker_stops_the_reader() -> None:
    closed = threading.Event()

    def items() -> Iterator[int]:
        try:
            yield from range(10**9)
        finally:
            closed.set()

    with pytest.raises(KeyboardInterrupt):
        for item in read_ahead(items()):
            if item == 3:
                raise KeyboardInterrupt
    assert closed.wait(5)


def test_background_gives_the_result_or_the_error() -> None:
    assert Background(lambda: 6 * 7).result() == 42

    def fails() -> int:
        raise OSError("disken är full")

    with pytest.raises(OSError, match="disken är full"):
        Background(fails).result()
