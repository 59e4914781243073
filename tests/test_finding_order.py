"""A held finding log gives the row path's order back: a batch is folded in phases, each over
all its rows, while the row path makes each row's findings in one go."""

from __future__ import annotations

from internkontroll.batch import Batch
from internkontroll.datasets import Row
from internkontroll.outcome import Finding, FindingLog


def note(log: FindingLog, row: int, text: str) -> None:
    log.position = row
    log.append(Finding(reference=f"B{row}", description=text, row=row))


def test_held_findings_come_out_by_row_then_in_the_order_made() -> None:
    log = FindingLog()
    log.hold()
    note(log, 9, "population")  # a first phase flags rows 9 and 5
    note(log, 5, "population")
    note(log, 7, "feed")  # a later phase flags rows 7 and 5
    note(log, 5, "feed")
    assert len(log) == 4
    log.release()
    assert [(f.row, f.description) for f in log] == [
        (5, "population"),
        (5, "feed"),
        (7, "feed"),
        (9, "population"),
    ]


def test_a_log_that_is_not_held_keeps_the_order_of_appending() -> None:
    log = FindingLog()
    note(log, 9, "a")
    note(log, 5, "b")
    assert [f.row for f in log] == [9, 5]


def test_batch_helpers_mark_each_finding_with_its_row() -> None:
    rows = [Row(number, {"id": f"B{number}"}) for number in (2, 4, 6, 8)]
    batch = Batch(rows)
    log = batch.log = FindingLog()
    log.hold()

    def flag(row: Row) -> None:
        log.append(Finding(reference=row["id"], description="sent", row=row.number))

    def early(row: Row) -> bool:
        log.append(Finding(reference=row["id"], description="tidig", row=row.number))
        return row.number > 4

    late = batch.where_row(early)
    batch.find_where(batch.everything() & ~late, flag)
    assert late.tolist() == [False, False, True, True]
    assert [f"{f.row} {f.description}" for f in log] == [
        "2 tidig",
        "2 sent",
        "4 tidig",
        "4 sent",
        "6 tidig",
        "8 tidig",
    ]


def test_dataset_batches_hold_every_row_in_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from internkontroll.datasets import Dataset
    from internkontroll.models import DatasetSpec

    path = tmp_path / "beslut.csv"
    path.write_text("Id;Datum\nB1;2024-01-02\n\nB2;igår\nB3;2024-02-30\nB4;2024-03-01\n", "utf-8")
    spec = DatasetSpec(path="beslut.csv", columns={"id": "Id", "day": "Datum"})
    fields = {"id": "text", "day": "date"}
    dataset = Dataset("beslut", spec, path)
    batches = list(dataset.batches(fields, 3))
    assert [len(b) for b in batches] == [3, 1]
    flat = [row for batch in batches for row in batch.rows]
    expected = list(dataset.rows(fields))
    assert [(r.number, dict(r), r.errors) for r in flat] == [
        (r.number, dict(r), r.errors) for r in expected
    ]
    assert [r.number for r in flat] == [2, 4, 5, 6]
