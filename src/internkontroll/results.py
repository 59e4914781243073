"""The results folder's content: resultat.json, findings and tables as CSV (``findings_csv``),
the plan snapshot, history.

Earlier results are kept in ``historik/<time>/``; how the folder is replaced safely (lock,
staging beside it, one rename) is ``result_folder``'s job.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from internkontroll import __version__, human_assessment
from internkontroll.assessment import Assessment
from internkontroll.engine import ControlResult, file_sha256
from internkontroll.errors import DatasetError
from internkontroll.findings_csv import write_findings, write_table
from internkontroll.json_pieces import write_json
from internkontroll.models import Plan
from internkontroll.privacy import guard
from internkontroll.result_folder import (
    MARKER,
    MARKER_TEXT,
    ResultFolderError,
    check_out,
    inside,
    link_or_copy,
    link_tree,
    locked,
    os_error_text,
    staging_for,
    swap_into_place,
)

RESULTS = "resultat.json"
PLAN_SNAPSHOT = "plan.toml"
FINDINGS_DIR = "avvikelser"
TABLES_DIR = "underlag"
HISTORY_DIR = "historik"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A temporary file beside ``path``, renamed to it when the block ends without an error
    (and removed when it does not): never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.chmod(temporary, 0o666 & ~_umask())  # as an ordinary file would get, not 0600
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        if exc.filename is None:  # a failed write (disk full, file too large) names no file
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomic_bytes(path: Path, content: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename: never a half-written file."""
    with atomic_file(path) as stream:
        stream.write(content)


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
    _check_controls(path, document["controls"])
    return document


def _check_controls(path: Path, controls: list[Any]) -> None:
    """Each control has an id and one of the four assessment keys: a file edited by hand (or
    by a newer version) is refused here, in Swedish, not deep inside a report."""
    known = [a.value for a in Assessment]
    for index, control in enumerate(controls, start=1):
        if not isinstance(control, dict) or not isinstance(control.get("id"), str):
            raise DatasetError(
                f"{path}: kontroll nummer {index} i controls kan inte läsas (id saknas)"
            )
        value = control.get("assessment")
        if value not in known:
            raise DatasetError(
                f"{path}: kontroll {control['id']}, nyckeln assessment: {value!r} är ingen "
                f"känd bedömning; väntade {', '.join(known)}"
            )


def control_json(result: ControlResult) -> dict[str, Any]:
    """One control in resultat.json; ``results_file`` reads these keys back."""
    outcome = result.outcome
    return {
        "id": result.control.id,
        "risk": result.control.risk,
        "check": result.control.check,
        "assessment": result.assessment.value,
        "reason": result.reason,
        "detail": result.detail,
        "metrics": outcome.metrics,
        "result_text": outcome.result_text,
        "sample_text": outcome.sample_text,
        "population": outcome.population,
        "sample": outcome.sample.model_dump() if outcome.sample else None,
        "inputs": [vars(i) for i in result.inputs],
        "metric_labels": result.labels,
        "status": result.status,
        "awaiting_assessment": result.awaiting,
    }


def _history_name(previous: dict[str, Any] | None, out: Path) -> str:
    """historik/<time of the earlier run>, from its resultat.json or else the file's time."""
    stamp = (previous or {}).get("generated_at")
    if not isinstance(stamp, str):
        modified = (out / RESULTS).stat().st_mtime
        stamp = datetime.fromtimestamp(modified, UTC).isoformat(timespec="seconds")
    name = "".join(c for c in stamp.replace("+", "_") if c.isalnum() or c in "-_.T")
    taken, suffix, candidate = out / HISTORY_DIR, 1, name
    while (taken / candidate).exists():
        suffix += 1
        candidate = f"{name}-{suffix}"
    return candidate


def _previous_document(out: Path) -> dict[str, Any] | None:
    try:
        document = json.loads((out / RESULTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) else None


def _plan_evidence(plan: Plan) -> dict[str, Any]:
    raw = plan.source.read_bytes()
    return {
        "title": plan.header.title,
        "organisation": plan.header.organisation,
        "year": plan.header.year,
        "path": str(plan.source),
        "sha256": hashlib.sha256(raw).hexdigest(),
    }


class _Stage:
    """The new folder being built, and the sha256 of every file put in it."""

    def __init__(self, staging: Path, out: Path, earlier: dict[str, Any]) -> None:
        self.staging = staging
        self.out = out
        self.manifest: dict[str, str] = {}
        self.earlier_hashes: dict[str, str] = (
            earlier if all(isinstance(v, str) for v in earlier.values()) else {}
        )

    def path(self, name: str) -> Path:
        path = inside(self.staging, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def text(self, name: str, text: str) -> None:
        content = guard(text, str(self.out / name)).encode("utf-8")
        write_atomic_bytes(self.path(name), content)
        self.manifest[name] = hashlib.sha256(content).hexdigest()

    def written(self, name: str) -> None:
        self.manifest[name] = file_sha256(self.staging / name)

    def carry(self, old_name: str, new_name: str) -> None:
        """An earlier file, linked in unchanged; its hash as the earlier manifest gave it, so a
        file changed since then is caught by ``verify`` rather than blessed."""
        link_or_copy(self.out / old_name, self.path(new_name))
        known = self.earlier_hashes.get(old_name)
        self.manifest[new_name] = known or file_sha256(self.staging / new_name)

    def carry_tree(self, old_name: str, new_name: str) -> None:
        source = self.out / old_name
        for origin, _ in link_tree(source, self.staging / new_name):
            relative = origin.relative_to(source).as_posix()
            known = self.earlier_hashes.get(f"{old_name}/{relative}")
            target = f"{new_name}/{relative}"
            self.manifest[target] = known or file_sha256(self.staging / target)


def _stage_controls(stage: _Stage, results: list[ControlResult]) -> None:
    for result in results:
        name = f"{FINDINGS_DIR}/{result.control.id}.csv"
        write_findings(
            stage.path(name), stage.out / name, result.control.id, result.outcome.findings
        )
        stage.written(name)
        for table_name, table in result.outcome.tables.items():
            name = f"{TABLES_DIR}/{result.control.id}_{table_name}.csv"
            write_table(stage.path(name), stage.out / name, table)
            stage.written(name)


def _carry_earlier(stage: _Stage, previous: dict[str, Any] | None, kept_ids: set[str]) -> None:
    """History, people's words and the controls not run this time, from the earlier folder;
    the earlier results themselves go to historik/<time>/."""
    out = stage.out
    if (out / HISTORY_DIR).is_dir():
        stage.carry_tree(HISTORY_DIR, HISTORY_DIR)
    if (out / RESULTS).is_file():
        archive = f"{HISTORY_DIR}/{_history_name(previous, out)}"
        for name in (RESULTS, PLAN_SNAPSHOT):
            if (out / name).is_file():
                stage.carry(name, f"{archive}/{name}")
        for name in (FINDINGS_DIR, TABLES_DIR):
            if (out / name).is_dir():
                stage.carry_tree(name, f"{archive}/{name}")
    for control_id in sorted(kept_ids):
        for name in [f"{FINDINGS_DIR}/{control_id}.csv"] + [
            f"{TABLES_DIR}/{p.name}" for p in sorted((out / TABLES_DIR).glob(f"{control_id}_*.csv"))
        ]:
            if (out / name).is_file():
                stage.carry(name, name)
    ours = {RESULTS, PLAN_SNAPSHOT, FINDINGS_DIR, TABLES_DIR, HISTORY_DIR, MARKER}
    if out.is_dir():
        for entry in sorted(out.iterdir()):  # bedomning.toml, and whatever people put here
            if entry.name not in ours:
                if entry.is_dir() and not entry.is_symlink():
                    list(link_tree(entry, stage.staging / entry.name))
                else:
                    link_or_copy(entry, stage.staging / entry.name)


def write_results(
    plan: Plan, results: list[ControlResult], out: Path, *, partial: bool = False
) -> list[str]:
    """Write the results folder and return warnings for the user.

    The whole new folder (findings, worksheets, plan snapshot, history, bedomning.toml with
    sections for new controls, and resultat.json with its manifest last) is built beside the
    old one and swapped in with one rename. A run that fails, is refused or is killed leaves
    the earlier folder as it was. With ``partial`` (a run of some controls only) the others
    keep their last result.
    """
    out = Path(os.path.abspath(out))  # "." has no name to put a lock or staging beside
    check_out(out)
    try:
        with locked(out):
            check_out(out)  # again, now that no other run can change it
            with staging_for(out) as staging:
                warnings = _build(plan, results, out, staging, partial)
                swap_into_place(staging, out)
    except OSError as exc:
        raise ResultFolderError(
            f"resultatmappen {out} kunde inte skrivas ({os_error_text(exc)}); den tidigare är orörd"
        ) from None
    return warnings


def _build(
    plan: Plan, results: list[ControlResult], out: Path, staging: Path, partial: bool
) -> list[str]:
    previous = _previous_document(out)
    earlier = {
        c["id"]: c
        for c in (previous or {}).get("controls", [])
        if partial and isinstance(c, dict) and "id" in c
    }
    fresh = {r.control.id: control_json(r) for r in results}
    controls = [fresh.get(c.id) or earlier.get(c.id) for c in plan.controls]
    versions = {r.control.check: r.check_version for r in results if r.check_version}
    document: dict[str, Any] = {
        "plan": _plan_evidence(plan),
        "tool": {"name": "internkontroll", "version": __version__, "plugins": versions},
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "as_of": (plan.as_of or plan.period_end()).isoformat(),
        "controls": [c for c in controls if c is not None],
    }
    earlier_manifest = (previous or {}).get("manifest")
    stage = _Stage(staging, out, earlier_manifest if isinstance(earlier_manifest, dict) else {})
    _stage_controls(stage, results)
    kept = {c.id for c in plan.controls if c.id in earlier and c.id not in fresh}
    _carry_earlier(stage, previous, kept)
    stage.text(PLAN_SNAPSHOT, plan.source.read_text(encoding="utf-8"))
    stage.text(MARKER, MARKER_TEXT)
    warnings = []
    try:
        human_assessment.ensure_sections(
            staging, [(c.id, c.title) for c in plan.controls], out / human_assessment.FILENAME
        )
    except human_assessment.HumanAssessmentError as exc:
        warnings.append(f"{exc}\n{out / human_assessment.FILENAME} lämnas orörd.")
    document["manifest"] = dict(sorted(stage.manifest.items()))
    # resultat.json last: it names every other file and its sha256.
    with atomic_file(stage.path(RESULTS)) as handle:  # a piece at a time: 5 MB at 3 M rows
        write_json(handle, document, str(out / RESULTS))
    return warnings
