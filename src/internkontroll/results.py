"""The results folder: resultat.json, findings as CSV, the plan snapshot and bedomning.toml.

Earlier results are moved into ``historik/`` before new ones are written, and every file is
written to a temporary name and renamed, so a failing run leaves the last good folder intact.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from internkontroll import __version__, human_assessment
from internkontroll.engine import ControlResult
from internkontroll.errors import DatasetError
from internkontroll.models import Plan
from internkontroll.privacy import guard

RESULTS = "resultat.json"
PLAN_SNAPSHOT = "plan.toml"
FINDINGS_DIR = "avvikelser"
TABLES_DIR = "underlag"
HISTORY_DIR = "historik"
STAGING_DIR = ".pagaende-korning"
FINDING_COLUMNS = ["kontroll", "referens", "rad", "typ", "beskrivning", "belopp"]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic_bytes(path: Path, content: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o666 & ~_umask())  # as an ordinary file would get, not 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    write_atomic_bytes(path, text.encode(encoding))


def read_results_file(folder: Path) -> dict[str, Any]:
    """resultat.json as written by ``write_results``: the one place it is parsed back, so that
    the report, the summary and ``verify`` agree on what a readable results folder is."""
    path = folder / RESULTS
    if not path.is_file():
        raise DatasetError(f"{path} finns inte; kör först internkontroll run PLAN --out {folder}")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{path} kan inte läsas som resultat ({exc})") from None
    if not (
        isinstance(document, dict)
        and isinstance(document.get("plan"), dict)
        and isinstance(document.get("controls"), list)
    ):
        raise DatasetError(f"{path} kan inte läsas som resultat (plan eller controls saknas)")
    return document


def control_json(result: ControlResult) -> dict[str, Any]:
    """One control in resultat.json; ``results_file`` reads these keys back."""
    outcome = result.outcome
    return {
        "id": result.control.id,
        "risk": result.control.risk,
        "check": result.control.check,
        "assessment": result.assessment.value,
        "reason": result.reason,
        "metrics": outcome.metrics,
        "result_text": outcome.result_text,
        "sample_text": outcome.sample_text,
        "population": outcome.population,
        "sample": outcome.sample.model_dump() if outcome.sample else None,
        "inputs": [vars(i) for i in result.inputs],
        "metric_labels": result.labels,
    }


def _stage_csv(path: Path, final: Path, header: list[str], rows: Iterable[list[Any]]) -> None:
    """A CSV for a Swedish Excel, streamed row by row and checked for personnummer as it goes:
    a million rows never sit in memory at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            guard(" ".join(str(cell) for cell in row), str(final))
            writer.writerow(row)


def _stage_findings(path: Path, final: Path, result: ControlResult) -> None:
    rows = (
        [
            result.control.id,
            f.reference,
            f.row or "",
            f.kind,
            f.description,
            "" if f.amount is None else str(f.amount).replace(".", ","),
        ]
        for f in result.outcome.findings
    )
    _stage_csv(path, final, FINDING_COLUMNS, rows)


def _archive_previous(out: Path) -> Path | None:
    """Move the last run's files into historik/<time>/; returns that folder."""
    current = out / RESULTS
    if not current.is_file():
        return None
    try:
        stamp = json.loads(current.read_text(encoding="utf-8"))["generated_at"]
    except (ValueError, KeyError, TypeError):
        stamp = datetime.fromtimestamp(current.stat().st_mtime, UTC).isoformat()
    folder = out / HISTORY_DIR / str(stamp).replace(":", "").replace("+", "_")
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = folder.with_name(f"{folder.name}-{suffix}")
    folder.mkdir(parents=True)
    for name in (RESULTS, PLAN_SNAPSHOT):
        if (out / name).is_file():
            shutil.copy2(out / name, folder / name)
    for name in (FINDINGS_DIR, TABLES_DIR):
        if (out / name).is_dir():
            shutil.copytree(out / name, folder / name)
    return folder


def _earlier_controls(out: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((out / RESULTS).read_text(encoding="utf-8"))
        return {c["id"]: c for c in data["controls"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _plan_evidence(plan: Plan) -> dict[str, Any]:
    raw = plan.source.read_bytes()
    return {
        "title": plan.header.title,
        "organisation": plan.header.organisation,
        "year": plan.header.year,
        "path": str(plan.source),
        "sha256": hashlib.sha256(raw).hexdigest(),
    }


def write_results(
    plan: Plan, results: list[ControlResult], out: Path, *, partial: bool = False
) -> list[str]:
    """Write the results folder and return warnings for the user.

    Every file is first written to a staging folder and checked for personnummer; only then
    are the earlier results moved to the history and the new ones renamed into place, so a run
    that fails or is interrupted leaves the folder as it was. With ``partial`` (a run of some
    controls only) the others keep their last result.
    """
    earlier = _earlier_controls(out) if partial else {}
    fresh = {r.control.id: control_json(r) for r in results}
    controls = [fresh.get(c.id) or earlier.get(c.id) for c in plan.controls]
    versions = {r.control.check: r.check_version for r in results if r.check_version}
    document = {
        "plan": _plan_evidence(plan),
        "tool": {"name": "internkontroll", "version": __version__, "plugins": versions},
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "controls": [c for c in controls if c is not None],
    }
    out.mkdir(parents=True, exist_ok=True)
    staging = out / STAGING_DIR
    shutil.rmtree(staging, ignore_errors=True)  # left by a run that was interrupted
    staged: list[str] = []

    def stage(name: str, text: str) -> None:
        write_atomic(staging / name, guard(text, str(out / name)))
        staged.append(name)

    for result in results:
        name = f"{FINDINGS_DIR}/{result.control.id}.csv"
        _stage_findings(staging / name, out / name, result)
        staged.append(name)
        for table_name, table in result.outcome.tables.items():
            name = f"{TABLES_DIR}/{result.control.id}_{table_name}.csv"
            _stage_csv(
                staging / name,
                out / name,
                table.columns,
                (["" if cell is None else cell for cell in row] for row in table.rows),
            )
            staged.append(name)
    stage(PLAN_SNAPSHOT, plan.source.read_text(encoding="utf-8"))
    stage(RESULTS, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    _archive_previous(out)
    for name in staged:  # only renames from here on; resultat.json last
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, out / name)
    shutil.rmtree(staging, ignore_errors=True)
    if not partial:
        _remove_stale(out, set(staged))
    try:
        human_assessment.ensure_sections(out, [(c.id, c.title) for c in plan.controls])
    except human_assessment.HumanAssessmentError as exc:
        return [f"{exc}\n{out / human_assessment.FILENAME} lämnas orörd."]
    return []


def _remove_stale(out: Path, written: set[str]) -> None:
    """Findings and worksheets of controls no longer in the plan; they are kept in historik/."""
    for folder in (FINDINGS_DIR, TABLES_DIR):
        for path in (out / folder).glob("*.csv"):
            if f"{folder}/{path.name}" not in written:
                path.unlink()
