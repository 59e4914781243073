"""``internkontroll verify DIR``: do these results still follow from their inputs?

Checks every file of the folder against the manifest in resultat.json, recomputes the plan's
and every input's sha256, reruns the plan, and compares figures, assessments and samples with
what the folder holds. Nothing is written, and no code named by the folder runs unless asked.
An auditor gets either a confirmation or a list of what changed.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from internkontroll.as_of import recorded
from internkontroll.engine import file_sha256, run_plan
from internkontroll.errors import DatasetError, PlanError
from internkontroll.manifest import manifest_differences
from internkontroll.planfile import load_plan
from internkontroll.results import RESULTS, control_json, read_results_file


@dataclass
class Verification:
    differences: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def confirmed(self) -> bool:
        return not self.differences


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return bool(a == b)


def _plugins_dir(plan_path: Path) -> str:
    """The plan's ``plugins_dir``, read without loading anything; '' when it names none."""
    try:
        header = tomllib.loads(plan_path.read_text(encoding="utf-8")).get("plan", {})
    except (OSError, ValueError):
        return ""  # load_plan below reports the broken plan
    value = header.get("plugins_dir") if isinstance(header, dict) else None
    return str(value) if value else ""


def verify(folder: Path, *, allow_plugins: bool = False) -> Verification:
    """Compare the folder with its manifest and with a new run of its plan; reads only.

    The plan is named by the folder, which may come from someone else: its own plugins folder
    is code, and is run only with ``allow_plugins`` (``verify --plugins``).
    """
    found = Verification()
    document = read_results_file(folder)
    found.differences += manifest_differences(folder, document)
    plan_info = document["plan"]
    try:
        plan_path = Path(plan_info["path"])
    except (KeyError, TypeError) as exc:
        raise DatasetError(f"{folder / RESULTS} kan inte läsas som resultat ({exc})") from None
    if not plan_path.is_file():
        found.differences.append(f"planen {plan_path} finns inte längre")
        return found
    if hashlib.sha256(plan_path.read_bytes()).hexdigest() != plan_info.get("sha256"):
        found.differences.append(f"planen {plan_path} har ändrats sedan körningen")
    stored = {c["id"]: c for c in document["controls"]}
    for control in stored.values():
        for source in control["inputs"]:
            path = plan_path.parent / source["path"]
            where = f"kontroll {control['id']}: indata {source['dataset']} ({source['path']})"
            if not path.is_file():
                found.differences.append(f"{where} finns inte längre")
            elif file_sha256(path) != source["sha256"]:
                found.differences.append(f"{where} har ändrats (sha256 skiljer sig)")
            else:
                found.checked.append(f"{where}: samma sha256")
    own_plugins = _plugins_dir(plan_path)
    if own_plugins and not allow_plugins:
        found.differences.append(
            f"planen {plan_path} laddar egna plugins ({own_plugins}); de körs inte utan "
            "verify --plugins, så siffrorna räknades inte om"
        )
        return found
    try:
        plan, host = load_plan(plan_path)
    except PlanError as exc:
        found.differences.append(f"planen kan inte längre läsas: {exc}")
        return found
    plan.as_of = recorded(document, plan.period_end())  # judged at the same day as before
    for result in run_plan(plan, host, set(stored)):
        now, then = control_json(result), stored[result.control.id]
        where = f"kontroll {result.control.id}"
        if now["assessment"] != then["assessment"]:
            found.differences.append(
                f"{where}: bedömningen skulle nu bli {now['assessment']}, var {then['assessment']}"
            )
        for name in sorted(set(now["metrics"]) | set(then["metrics"])):
            a, b = then["metrics"].get(name), now["metrics"].get(name)
            if a is None or b is None or not _same(a, b):
                found.differences.append(f"{where}: måttet {name} var {a}, skulle nu bli {b}")
        if now["sample"] != then["sample"]:
            found.differences.append(f"{where}: urvalet skulle nu bli ett annat")
        if now["population"] != then["population"]:
            found.differences.append(
                f"{where}: populationen var {then['population']}, skulle nu bli {now['population']}"
            )
    return found
