"""A batch fed to verkställighetstid outside the engine, with no log held to put its findings
back in row order, still gives them in the row path's order: late decisions between rejected
and outside rows come in the runs between them, not all after."""

from __future__ import annotations

from datetime import date
from typing import Any

from internkontroll_checks.verkstallighetstid import Verkstallighetstid, VerkstallighetstidParams

from internkontroll.batch import Batch
from internkontroll.checks import ControlContext
from internkontroll.datasets import Row
from internkontroll.models import Period

PERIOD = Period(start=date(2024, 1, 1), end=date(2024, 12, 31))


def fresh() -> Verkstallighetstid:
    params = VerkstallighetstidParams.model_validate({"groups": ["SoL", "LSS"]})
    return Verkstallighetstid(params, ControlContext(control_id="K2", period=PERIOD))


def row(number: int, law: str, decided: date | None, executed: date | None = None) -> Row:
    values: dict[str, Any] = {"decision_id": f"B{number}", "law": law, "decided": decided}
    return Row(number, {**values, "executed": executed})


ROWS = [
    row(2, "SoL", date(2024, 1, 10)),  # late: not verkställt at the end
    row(3, "LSS", date(2024, 3, 1), date(2024, 2, 1)),  # rejected: verkställt before beslut
    row(4, "SoL", date(2024, 2, 1), date(2024, 6, 3)),  # late
    row(5, "LSS", date(2024, 2, 2), date(2024, 9, 1)),  # late
    row(6, "LSS", None),  # rejected: no beslut
    row(7, "SFB", date(2024, 1, 5)),  # outside the groups
    row(8, "LSS", date(2024, 4, 1)),  # late
    row(9, "SoL", date(2024, 4, 1), date(2024, 4, 20)),  # in time
]


def test_findings_of_a_batch_fed_without_a_held_log_come_in_row_order() -> None:
    by_rows = fresh()
    for one in ROWS:
        by_rows.feed(one)
    batch = fresh()
    batch.feed_batch(Batch(ROWS))
    expected = [finding.model_dump() for finding in by_rows.findings]
    assert [finding.model_dump() for finding in batch.findings] == expected
    assert [finding.row for finding in batch.findings] == [2, 3, 4, 5, 6, 7, 8]
