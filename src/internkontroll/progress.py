"""A progress bar on standard error for long runs, and only when a person watches a terminal.

Piped or redirected output stays clean: no bar at all. The total is estimated from the exports'
sizes and the length of their first lines, so the bar is a guide, not a count.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from internkontroll.engine import Progress
from internkontroll.models import Plan

LONG_RUN_ROWS = 100_000
_SAMPLE_BYTES = 1 << 16


def estimated_rows(path: Path) -> int:
    """Rows in a CSV, from its size and the lines in its first 64 KB; 0 for anything else."""
    if path.suffix.lower() != ".csv" or not path.is_file():
        return 0
    with path.open("rb") as handle:
        head = handle.read(_SAMPLE_BYTES)
    lines = head.count(b"\n")
    if not head or not lines:
        return 0
    return path.stat().st_size * lines // len(head)


@contextmanager
def run_progress(plan: Plan) -> Iterator[Progress | None]:
    """A callback for ``run_plan`` that moves a bar, or None when no bar should be shown."""
    stream = sys.stderr
    total = sum(estimated_rows(plan.resolve(spec.path)) for spec in plan.datasets.values())
    if total < LONG_RUN_ROWS or not stream.isatty():
        yield None
        return
    with click.progressbar(length=total, label="Läser exporterna", file=stream) as bar:

        def step(rows: int) -> None:
            bar.update(max(0, min(rows, total - bar.pos)))

        yield step
