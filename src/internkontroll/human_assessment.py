"""bedomning.toml: where people write their own assessment, motivation, analysis and actions.

The program writes a skeleton once and afterwards only adds sections for new controls, as text
after what is there. It never rewrites what a person wrote, so comments and wording survive.

What a person writes is validated as strictly as the plan: an unknown key, an assessment the
program does not know or a table in the wrong place is an error with file and line, never
silently ignored (ignoring it would show the computed assessment as if the person agreed).
The file is only ever replaced by a text that itself passes that validation.

To add a key: add a field to ``ControlEntry`` (and to ``PERSON_KEYS`` and ``HEADER`` if the
skeleton should offer it). Validation, error messages and line numbers follow from the model.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ConfigDict, field_validator

from internkontroll.assessment import Assessment, parse_assessment
from internkontroll.errors import DatasetError, PlanProblem
from internkontroll.models import ActionFields
from internkontroll.planfile import _Collector, _toml_syntax_problem, did_you_mean
from internkontroll.privacy import contains_personnummer
from internkontroll.tomlsource import TomlSource
from internkontroll.utf8_text import utf8_problem

FILENAME = "bedomning.toml"
PERSON_KEYS = (
    "assessment",
    "assessment_label",
    "preface",
    "result",
    "motivation",
    "analysis",
    "verdict",
    "actions",
)

HEADER = """\
# Bedömning per kontroll. Fyll i det som ska stå i rapporten; programmet skriver aldrig över det.
#   assessment: utan_anmarkning, forsumbar_anmarkning, med_anmarkning eller ej_genomford
#               (tomt = den beräknade bedömningen används); färgar och räknas i sammanfattningen
#   assessment_label: egna ord för bedömningen, t.ex. "utan anmärkning/försumbar anmärkning"
#               (tomt = orden för assessment)
#   preface:    står först i resultattexten, t.ex. varför perioden ändrats
#   result:     ersätter hela resultattexten, bedömningsmeningen också (tomt = den beräknade)
#   motivation, analysis: läggs till efter siffrorna
#   verdict:    ersätter bedömningsmeningen ("Verksamhetens bedömning är att ...")
#   actions:    åtgärder, visas i kolumnen Åtgärd
#   [[controls.K1.action]]: en åtgärd med action, owner, due, status och [[controls.K1.action.log]]
# En manuell kontroll (utan check i planen), eller en utan kriterier, är "Ej bedömd" i
# rapporten tills assessment fylls i här.
# Flerradig text skrivs mellan tre citattecken: \"\"\"...\"\"\"
# Skriv varje kontroll som en egen tabell, [controls.K1], så kan nya kontroller läggas till.

"""

_KNOWN_ASSESSMENTS = ", ".join(a.value for a in Assessment)


class ControlEntry(BaseModel):
    """What people write for one control; every key is known or refused."""

    model_config = ConfigDict(extra="forbid")

    title: str = ""
    assessment: str = ""
    assessment_label: str = ""
    """A person's own words for the assessment; ``assessment`` still colours and counts."""
    preface: str = ""
    result: str = ""
    motivation: str = ""
    analysis: str = ""
    verdict: str = ""
    actions: str = ""
    action: list[ActionFields] = []
    """Actions with owner, due date, status and log: ``[[controls.K4.action]]``."""

    @field_validator("assessment")
    @classmethod
    def _known_assessment(cls, value: str) -> str:
        if value.strip() and parse_assessment(value) is None:
            raise ValueError(
                f"okänd bedömning {value!r}; väntade {_KNOWN_ASSESSMENTS} "
                '(eller orden, t.ex. "Med anmärkning"), eller tomt för den beräknade'
            )
        return value


class HumanAssessmentError(DatasetError):
    """A bedomning.toml that cannot be used; holds every problem found in one pass."""

    def __init__(self, path: Path, problems: list[PlanProblem]) -> None:
        self.path = path
        self.problems = problems
        count = "1 fel" if len(problems) == 1 else f"{len(problems)} fel"
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{count} i {path}; rätta filen och försök igen:\n{lines}")


def _problems(path: Path, text: str) -> tuple[dict[str, dict[str, Any]], list[PlanProblem]]:
    """Entries by control id, and every problem in ``text`` (TOML syntax, shape, keys, values)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return {}, [_toml_syntax_problem(path, exc, text)]
    found = _Collector(path, TomlSource(text))
    for key, value in data.items():
        if key == "controls":
            continue
        hint = (
            f" (menade du [controls.{key}]?)"
            if isinstance(value, dict)
            else did_you_mean(key, ["controls"])
        )
        found.add((key,), "", f"okänd nyckel {key!r}{hint}; filen har bara [controls.ID]")
    controls = data.get("controls", {})
    if not isinstance(controls, dict):
        found.add(("controls",), "", "controls ska vara en tabell per kontroll: [controls.K1]")
        controls = {}
    entries: dict[str, dict[str, Any]] = {}
    for control_id, entry in controls.items():
        where = f"kontroll {control_id}"
        if not isinstance(entry, dict):
            found.add(
                ("controls", control_id),
                where,
                f"ska vara en tabell [controls.{control_id}] med nycklarna "
                f"{', '.join(ControlEntry.model_fields)}",
            )
            continue
        if found.validate(ControlEntry, entry, ("controls", control_id), where) is not None:
            entries[control_id] = entry
        for location, value in _texts(entry, ("controls", control_id)):
            if contains_personnummer(value):
                found.add(
                    location,
                    where,
                    f"{'.'.join(str(p) for p in location[2:])} innehåller ett personnummer; "
                    "skriv ärendets id i stället (texten når rapporten och registret)",
                )
    return entries, found.problems


def _texts(
    value: Any, location: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every text in what a person wrote, with where it is (for the line number)."""
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*location, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*location, index))


def check_text(path: Path, text: str) -> dict[str, dict[str, Any]]:
    """Entries by control id from ``text``; ``HumanAssessmentError`` lists every problem."""
    entries, problems = _problems(path, text)
    if problems:
        raise HumanAssessmentError(path, problems)
    return entries


def _read_text(path: Path) -> str:
    """The text without a byte-order mark (TOML does not allow one; Notepad writes it)."""
    raw = path.read_bytes()
    not_utf8 = utf8_problem(raw)
    if not_utf8 is not None:
        problem = PlanProblem(path, not_utf8[0], "", not_utf8[1])
        raise HumanAssessmentError(path, [problem])
    return raw.decode("utf-8").removeprefix("\ufeff")


def read(folder: Path) -> dict[str, dict[str, Any]]:
    """People's entries by control id (none without a file); ``HumanAssessmentError`` if invalid."""
    path = folder / FILENAME
    if not path.is_file():
        return {}
    return check_text(path, _read_text(path))


def unknown_controls(
    path: Path, entries: dict[str, dict[str, Any]], control_ids: list[str]
) -> list[str]:
    """Warnings for entries whose control is not in the plan: kept, but shown nowhere."""
    by_case = {cid.casefold(): cid for cid in control_ids}
    warnings = []
    for cid in entries:
        if cid in control_ids:
            continue
        same = by_case.get(cid.casefold())
        hint = f" (menade du {same!r}?)" if same else did_you_mean(cid, control_ids)
        warnings.append(
            f"{path}: kontrollen {cid!r} finns inte i planen{hint}; "
            "det som står där visas inte i rapporten"
        )
    return warnings


def person_assessment(entry: dict[str, Any]) -> Assessment | None:
    value = entry.get("assessment")
    return parse_assessment(value) if isinstance(value, str) and value.strip() else None


def _section(control_id: str, title: str) -> str:
    body: dict[str, Any] = {
        "controls": {control_id: {"title": title} | dict.fromkeys(PERSON_KEYS, "")}
    }
    return tomli_w.dumps(body)


_INLINE_CONTROLS = re.compile(r"^\s*controls\s*=", re.MULTILINE)


def ensure_sections(
    folder: Path, controls: list[tuple[str, str]], named: Path | None = None
) -> list[str]:
    """Create the file or add sections for controls it lacks; returns the ids added. Messages
    name the file as ``named`` (the results folder's, when ``folder`` is its staging copy).

    Raises ``HumanAssessmentError`` and leaves the file untouched if it is invalid, or if adding the
    sections would make it invalid (for instance ``controls = { K1 = {...} }`` written inline,
    which TOML does not let anyone extend). The new text is validated before it is written,
    and written whole or not at all.
    """
    from internkontroll.results import write_atomic  # results imports this module

    path = folder / FILENAME
    shown = named or path
    bom = "\ufeff" if path.is_file() and path.read_bytes().startswith(b"\xef\xbb\xbf") else ""
    existing_text = _read_text(path) if path.is_file() else None
    existing = check_text(shown, existing_text) if existing_text is not None else {}
    missing = [(cid, title) for cid, title in controls if cid not in existing]
    if not missing:
        return []
    added = "".join(_section(cid, title) + "\n" for cid, title in missing)
    if existing_text is None:
        candidate = HEADER + added
    else:
        candidate = existing_text + ("" if existing_text.endswith("\n") else "\n") + "\n" + added
    _, problems = _problems(shown, candidate)
    if problems:
        ids = ", ".join(cid for cid, _ in missing)
        why = (
            "kontrollerna står i en enda tabell, controls = { ... }, och en sådan tabell kan "
            "inte utökas"
            if existing_text is not None and _INLINE_CONTROLS.search(existing_text)
            else problems[0].message
        )
        raise HumanAssessmentError(
            shown,
            [
                PlanProblem(
                    shown,
                    None,
                    "",
                    f"avsnitt för {ids} kan inte läggas till utan att filen blir ogiltig "
                    f"({why}); skriv varje kontroll som en egen tabell [controls.K1] i stället "
                    "för controls = { ... }, så läggs de till vid nästa körning",
                )
            ],
        )
    write_atomic(path, bom + candidate)
    return [cid for cid, _ in missing]
