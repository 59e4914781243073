"""Shared helpers for the tests that hold a check's batch path to its row path.

Two ways to compare. Through the engine: a plan run row by row (``batch_rows=0``) and in
batches writes the same resultat.json figures and byte for byte the same findings and tables.
Directly on a check: valid rows of every role folded row by row (``observe``, ``in_population``,
``feed``), in batches (``observe_batch``, ``population_where``, ``feed_batch``) and in partitions
folded on their own and merged, give the same outcome and findings. The direct way also reaches
what the engine still feeds row by row (rows of a check's second dataset).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

from hypothesis import reject

from internkontroll.batch import Batch
from internkontroll.checks import Check
from internkontroll.datasets import Row
from internkontroll.engine import run_plan
from internkontroll.planfile import load_plan
from internkontroll.privacy import PersonnummerLeak
from internkontroll.results import write_results

from .test_batch_equality import folder_contents

Stream = Sequence[tuple[str, Sequence[Row]]]
"""Rows by role, in the order the datasets are read."""


def run_sizes(files: dict[str, str], plan: str, sizes: list[int]) -> list[dict[str, Any]]:
    """What a run writes, once per batch size (0: row by row)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8")
        (root / "plan.toml").write_text(plan, encoding="utf-8")
        outputs = []
        for size in sizes:
            loaded, host = load_plan(root / "plan.toml")
            results = run_plan(loaded, host, batch_rows=size)
            out = root / f"ut{size}"
            try:
                write_results(loaded, results, out)
            except PersonnummerLeak as exc:
                # Ten digits of a sha256 in resultat.json can pass for a personnummer (a known
                # false alarm, whichever path ran): such an example proves nothing here.
                assert "resultat.json" in str(exc)
                reject()
            outputs.append(folder_contents(out))
        return outputs


def with_role(role: str, rows: Sequence[Row]) -> list[Row]:
    for row in rows:
        row.role = role
    return list(rows)


def fold_rows(check: Check[Any], stream: Stream) -> Check[Any]:
    """The row path, as the engine takes valid rows one by one."""
    primary = check.roles[0]
    for role, rows in stream:
        for row in rows:
            check.observe(row)
            # A row of another role is fed whole; a row of the first, when it belongs.
            if role != primary or check.in_population(row):
                check.feed(row)
    return check


def fold_batches(
    check: Check[Any], stream: Stream, size: int, columnar: bool = False
) -> Check[Any]:
    """The batch path: per batch observe, population and feed in phases, the findings held
    and put back in row order. ``columnar``: batches that hold columns, as the reader's do."""
    primary = check.roles[0]
    fields = check.role_fields(check.params)
    for role, rows in stream:
        kinds = dict(fields.get(role, {}))
        if role == primary:
            kinds.update(check.optional_fields(check.params))
        for low in range(0, len(rows), size):
            part = rows[low : low + size]
            batch = Batch.from_rows(part, kinds) if columnar else Batch(part)
            batch.log = check.findings
            check.findings.hold()
            check.observe_batch(batch)
            if role == primary:
                check.feed_batch(batch.take(check.population_where(batch)))
            else:
                check.feed_batch(batch)
            check.findings.release()
    return check


def fold_parts(
    fresh: Callable[[], Check[Any]],
    stream: Stream,
    cuts: list[int],
    size: int,
    columnar: bool = False,
) -> Check[Any]:
    """The rows of every role in reading order, cut into parts at ``cuts``, each part folded
    in batches by its own check, the parts merged in order."""
    flat = [(role, row) for role, rows in stream for row in rows]
    bounds = [0, *sorted(min(cut, len(flat)) for cut in cuts), len(flat)]
    merged: Check[Any] | None = None
    for low, high in pairwise(bounds):
        part: list[tuple[str, list[Row]]] = []
        for role, row in flat[low:high]:
            if not part or part[-1][0] != role:
                part.append((role, []))
            part[-1][1].append(row)
        check = fold_batches(fresh(), part, size, columnar)
        if merged is None:
            merged = check
        else:
            merged.merge(check)
    assert merged is not None
    return merged


def summary(check: Check[Any]) -> tuple[Any, ...]:
    """Everything a check hands the engine, findings as written."""
    outcome = check.outcome()
    findings = check.findings
    if outcome.findings is not findings:
        findings.extend(outcome.findings)
    return (
        outcome.metrics,
        outcome.result_text,
        outcome.population,
        check.invalid_rows,
        [finding.model_dump() for finding in findings],
    )
