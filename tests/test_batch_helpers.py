"""What the engine asks of a batch: which rows have unreadable fields, and the dataset role
its rows are read for, kept by ``take``."""

from __future__ import annotations

from internkontroll.batch import Batch
from internkontroll.datasets import Row
from internkontroll.outcome import FindingLog


def test_errors_in_flags_rows_with_an_error_in_the_named_fields_only() -> None:
    rows = [
        Row(2, {"id": "A"}),
        Row(3, {"id": "B"}, {"day": "rad 3: igår går inte att läsa"}),
        Row(4, {}, {"id": "rad 4: trasig rad", "day": "rad 4: trasig rad"}),
        Row(5, {"id": "C"}, {"amount": "rad 5: fel"}),
    ]
    batch = Batch(rows)
    assert batch.errors_in({"id", "day"}).tolist() == [False, True, True, False]
    assert batch.errors_in({"amount"}).tolist() == [False, False, False, True]
    assert batch.errors_in(set()).tolist() == [False] * 4


def test_a_role_is_given_to_every_row_and_kept_by_take() -> None:
    rows = [Row(number, {"id": f"B{number}"}) for number in (2, 3, 4)]
    log = FindingLog()
    batch = Batch(rows)
    batch.log = log
    counts = batch.with_role("counts")
    assert counts.role == "counts" and counts.log is log
    taken = counts.take(counts.everything() & [True, False, True])
    assert taken.role == "counts" and taken.log is log
    assert [(row.number, row.role) for row in taken.rows] == [(2, "counts"), (4, "counts")]
