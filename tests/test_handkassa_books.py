"""The handkassa books (one matrix row per handkassa, grown in steps) give every handkassa's
balance per day as a plain sum of its transactions does, however many handkassor there are."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from itertools import accumulate

import numpy as np
from internkontroll_checks.handkassa import _Books

START, END = date(2024, 1, 1), date(2024, 12, 31)
DAYS = (END - START).days + 1


def transactions(count: int, boxes: int, seed: int) -> list[tuple[str, date, int]]:
    rng = random.Random(seed)
    return [
        (
            f"enhet {rng.randrange(boxes)}",
            START + timedelta(days=rng.randrange(-20, DAYS + 20)),  # some outside the period
            rng.randrange(-500_000, 500_000),
        )
        for _ in range(count)
    ]


def reference(moves: list[tuple[str, date, int]]) -> dict[str, list[int]]:
    """Each handkassa's net change up to and including each day of the period."""
    per_day: dict[str, list[int]] = defaultdict(lambda: [0] * DAYS)
    before: dict[str, int] = defaultdict(int)
    for key, day, ore in moves:
        index = (day - START).days
        days = per_day[key]  # known from its first row, wherever the row's day falls
        if index < 0:
            before[key] += ore
        elif index < DAYS:
            days[index] += ore
    return {
        key: list(accumulate(days, initial=before[key]))[1:] for key, days in per_day.items()
    }


def fed_one_by_one(moves: list[tuple[str, date, int]]) -> _Books:
    books = _Books(START, END)
    for key, day, ore in moves:
        books.add(key, day, ore)
    return books


def fed_at_once(moves: list[tuple[str, date, int]]) -> _Books:
    books = _Books(START, END)
    keys = [key for key, _, _ in moves]
    rows = np.array(books.rows_of(keys), dtype=np.intp)
    offsets = np.array([(day - START).days for _, day, _ in moves], dtype=np.int64)
    books.add_many(rows, offsets, np.array([ore for _, _, ore in moves], dtype=np.int64))
    return books


def test_many_handkassor_keep_their_own_balances() -> None:
    moves = transactions(20_000, 1_500, seed=1)
    expected = reference(moves)
    used: dict[str, set[date]] = defaultdict(set)
    for key, day, _ in moves:
        if START <= day <= END:
            used[key].add(day)
    for books in (fed_one_by_one(moves), fed_at_once(moves)):
        assert sorted(books.keys()) == sorted(expected)
        assert len(books.days) < 1_500 + 64  # grown in steps, not doubled to 2 048
        for key, balances in expected.items():
            assert books.balances(key) == balances
            assert books.used_days(key) == sorted(used[key])


def test_books_merged_equal_one_pass_over_all_rows() -> None:
    moves = transactions(6_000, 300, seed=2)
    first, second = fed_at_once(moves[:2_500]), fed_one_by_one(moves[2_500:])
    first.merge(second)
    for key, balances in reference(moves).items():
        assert first.balances(key) == balances
