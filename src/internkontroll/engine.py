"""The engine: each dataset streamed once, every control on it fed row by row, then judged.

Ten controls on one export cost one pass. A control whose check raises, returns nonsense or
cannot read its data becomes ``ej_genomford`` with the reason, and the others go on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from internkontroll.assessment import Assessment
from internkontroll.checks import Check, ControlContext
from internkontroll.criteria import judge
from internkontroll.datasets import Dataset, Row
from internkontroll.errors import DatasetError
from internkontroll.models import Control, Outcome, Plan
from internkontroll.plugins import PluginHost
from internkontroll.privacy import redact
from internkontroll.values import FieldType


@dataclass
class InputRecord:
    dataset: str
    path: str
    sha256: str
    rows: int


@dataclass
class ControlResult:
    control: Control
    assessment: Assessment
    reason: str
    outcome: Outcome = field(default_factory=Outcome)
    inputs: list[InputRecord] = field(default_factory=list)


class _ControlRun:
    """One control's check being fed: data quality first, then the check's own fold."""

    def __init__(self, control: Control, check: Check[Any], needed: dict[str, FieldType]):
        self.control = control
        self.check = check
        self.needed = needed
        self.error: str | None = None
        self._first_row: dict[Any, int] = {}

    def offer(self, row: Row) -> None:
        bad = [message for name, message in row.errors.items() if name in self.needed]
        if bad:
            self.check.reject(row, "; ".join(bad))
            return
        key_field = self.check.key_field
        if key_field is not None:
            key = row.values.get(key_field)
            if key is not None:
                first = self._first_row.setdefault(key, row.number)
                if first != row.number:
                    self.check.note_duplicate(row, first)
                    return
        self.check.feed(row)

    def fail(self, exc: BaseException) -> None:
        self.error = _describe(exc)


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return redact(text if isinstance(exc, DatasetError) else f"{type(exc).__name__}: {text}")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _failed(control: Control, why: str, inputs: list[InputRecord] | None = None) -> ControlResult:
    return ControlResult(
        control,
        Assessment.EJ_GENOMFORD,
        f"Kontrollen kunde inte genomföras: {why}",
        inputs=inputs or [],
    )


def run_plan(plan: Plan, host: PluginHost, only: set[str] | None = None) -> list[ControlResult]:
    """Run the plan's controls (or those in ``only``) and return their results in plan order."""
    checks = host.checks()
    results: dict[str, ControlResult] = {}
    by_dataset: dict[str, list[_ControlRun]] = {}
    for control in plan.controls:
        if only is not None and control.id not in only:
            continue
        check_class = checks.get(control.check)
        if check_class is None:
            results[control.id] = _failed(control, f"kontrolltypen {control.check!r} finns inte")
            continue
        try:
            params = check_class.Params.model_validate(control.params)
            context = ControlContext(
                control_id=control.id,
                period=plan.control_period(control),
                min_group_size=plan.header.min_group_size,
            )
            check = check_class(params, context)
            needed = check_class.needed_fields(params)
            mapped = (
                plan.datasets[control.dataset].columns if control.dataset in plan.datasets else {}
            )
            for name, kind in check_class.optional_fields(params).items():
                if name in mapped:
                    needed.setdefault(name, kind)
        except (ValidationError, Exception) as exc:
            results[control.id] = _failed(control, _describe(exc))
            continue
        by_dataset.setdefault(control.dataset, []).append(_ControlRun(control, check, needed))

    for name, runs in by_dataset.items():
        results.update(_run_dataset(plan, name, runs))

    return [results[c.id] for c in plan.controls if c.id in results]


def _run_dataset(plan: Plan, name: str, runs: list[_ControlRun]) -> dict[str, ControlResult]:
    spec = plan.datasets.get(name)
    if spec is None:
        return {r.control.id: _failed(r.control, f"datamängden {name!r} finns inte") for r in runs}
    dataset = Dataset(name, spec, plan.resolve(spec.path))
    fields: dict[str, FieldType] = {}
    for run in runs:
        for field_name, kind in run.needed.items():
            if fields.setdefault(field_name, kind) != kind:
                run.error = (
                    f"fältet {field_name} läses som {fields[field_name]} av en annan kontroll "
                    f"men som {kind} av denna"
                )
    active = [run for run in runs if run.error is None]
    try:
        for row in dataset.rows(fields):
            for run in active:
                if run.error is not None:
                    continue
                try:
                    run.offer(row)
                except Exception as exc:
                    run.fail(exc)
        source = InputRecord(
            dataset=name, path=spec.path, sha256=file_sha256(dataset.path), rows=dataset.rows_read
        )
    except DatasetError as exc:
        return {r.control.id: _failed(r.control, _describe(exc)) for r in runs}
    return {run.control.id: _finish(run, source) for run in runs}


def _finish(run: _ControlRun, source: InputRecord) -> ControlResult:
    if run.error is not None:
        return _failed(run.control, run.error, [source])
    check = run.check
    try:
        outcome = check.outcome()
        if not isinstance(outcome, Outcome):
            raise TypeError(f"kontrollen gav {type(outcome).__name__}, inte ett Outcome")
        metrics = dict(outcome.metrics)
        metrics["invalid_rows"] = check.invalid_rows
        if check.key_field is not None:
            metrics["duplicate_rows"] = check.duplicate_rows
        outcome = outcome.model_copy(
            update={"metrics": metrics, "findings": [*check.quality_findings, *outcome.findings]}
        )
    except Exception as exc:
        return _failed(run.control, _describe(exc), [source])
    criteria = run.control.criteria
    if criteria is None:
        return _failed(run.control, "kriterier saknas i planen", [source])
    assessment, reason = judge(criteria, outcome.metrics)
    return ControlResult(run.control, assessment, reason, outcome, [source])
