"""Time the folds of verkställighetstid and beslutsuppföljning, row by row against in batches.

    python benchmarks/case_folds.py 1000000

Generates the benchmark decisions (benchmarks/generate.py) if needed, reads them once row by
row and once in batches, and times only the checks' own work: ``in_population`` and ``feed``
per row, against ``population_where``, ``take`` and ``feed_batch`` per batch. Reading is not
timed. Both folds must give the same figures; the script says so.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from internkontroll_checks.beslutsuppfoljning import (  # noqa: E402
    Beslutsuppfoljning,
)
from internkontroll_checks.verkstallighetstid import (  # noqa: E402
    Verkstallighetstid,
)

from benchmarks.generate import generate  # noqa: E402
from internkontroll.checks import Check, ControlContext  # noqa: E402
from internkontroll.datasets import Dataset  # noqa: E402
from internkontroll.models import DatasetSpec, Period  # noqa: E402

COLUMNS = {
    "decision_id": "Beslut-ID",
    "person_id": "Personnummer",
    "law": "Lag",
    "service": "Insats",
    "decided": "Beslutsdatum",
    "executed": "Verkställighetsdatum",
    "valid_to": "Giltig till",
    "followed_up": "Uppföljningsdatum",
    "ended": "Avslutad",
}
CHECKS: dict[str, tuple[type[Check[Any]], dict[str, Any]]] = {
    "verkstallighetstid": (Verkstallighetstid, {"group_by": "law"}),
    "tidsbegransade": (Beslutsuppfoljning, {"kind": "tidsbegransade"}),
    "tillsvidare": (
        Beslutsuppfoljning,
        {"kind": "tillsvidare", "interval_months": 3, "grace_days": 14},
    ),
}


def with_ends(path: Path) -> Path:
    """The decisions with an "Avslutad" column (one in ten ended 400 days after the beslut),
    which the tillsvidare rule reads; written once beside the generated file."""
    target = path.with_name(path.stem + "-avslutad.csv")
    if target.exists():
        return target
    with (
        path.open(encoding="utf-8", newline="") as source,
        target.open("w", encoding="utf-8", newline="") as handle,
    ):
        reader = csv.reader(source, delimiter=";")
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow([*next(reader), "Avslutad"])
        for number, cells in enumerate(reader):
            ended = ""
            if number % 10 == 0:
                ended = (date.fromisoformat(cells[5]) + timedelta(days=400)).isoformat()
            writer.writerow([*cells, ended])
    return target


def make(name: str) -> Check[Any]:
    check_class, params = CHECKS[name]
    period = Period(start=date(2024, 1, 1), end=date(2024, 12, 31))
    context = ControlContext(control_id=name, period=period)
    return check_class(check_class.Params.model_validate(params), context)


def by_rows(dataset: Dataset, name: str, fields: dict[str, Any]) -> tuple[float, Any]:
    check, spent = make(name), 0.0
    rows = dataset.rows(fields)
    while chunk := list(islice(rows, 100_000)):
        began = time.perf_counter()
        for row in chunk:
            if check.in_population(row):
                check.feed(row)
        spent += time.perf_counter() - began
    return spent, check.outcome().metrics


def by_batches(dataset: Dataset, name: str, fields: dict[str, Any], size: int) -> tuple[float, Any]:
    check, spent = make(name), 0.0
    for batch in dataset.batches(fields, size):
        began = time.perf_counter()
        batch.log = check.findings
        check.findings.hold()
        fed = batch.take(check.population_where(batch))
        check.feed_batch(fed)
        check.findings.release()
        spent += time.perf_counter() - began
    return spent, check.outcome().metrics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", type=int)
    parser.add_argument("--batch", type=int, default=65536)
    parser.add_argument("--out", type=Path, default=HERE / "data")
    args = parser.parse_args()
    path = with_ends(generate(args.size, args.out)["beslut"])
    spec = DatasetSpec(path=path.name, columns=COLUMNS)
    dataset = Dataset("beslut", spec, path)
    for name, (check_class, params) in CHECKS.items():
        fields = dict(check_class.needed_fields(check_class.Params.model_validate(params)))
        optional = check_class.optional_fields(params)
        fields.update({field: kind for field, kind in optional.items() if field in COLUMNS})
        row_time, row_figures = by_rows(dataset, name, fields)
        batch_time, batch_figures = by_batches(dataset, name, fields, args.batch)
        same = "samma siffror" if row_figures == batch_figures else "OLIKA SIFFROR"
        print(
            f"{name}: rad för rad {row_time:.2f} s, i batchar {batch_time:.2f} s "
            f"({row_time / batch_time:.1f}×), {same}"
        )


if __name__ == "__main__":
    main()
