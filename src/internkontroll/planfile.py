"""Loading a plan: every mistake found in one pass, each in Swedish with file, line and id.

The plan is validated piece by piece (header, each risk, dataset and control) so that one bad
control does not hide the next; cross-references (risk ids, datasets, checks, params, column
mappings, files) are checked only on pieces that parsed.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from internkontroll.checks import control_fields
from internkontroll.datasets import Dataset
from internkontroll.errors import DatasetError, PlanError, PlanProblem
from internkontroll.metrics import declared, possible_metrics, unknown_pattern
from internkontroll.models import (
    Action,
    Control,
    DatasetSpec,
    Period,
    Plan,
    PlanHeader,
    ProviderReview,
    Risk,
    RiskScale,
    dataset_roles,
)
from internkontroll.plugins import PluginHost
from internkontroll.privacy import contains_personnummer
from internkontroll.safe_names import name_problem
from internkontroll.toml_swedish import toml_error
from internkontroll.tomlsource import TomlSource
from internkontroll.unread_columns import unread_columns
from internkontroll.utf8_text import utf8_problem
from internkontroll.wording import ReportSettings

TOP_LEVEL_KEYS = (
    "plan",
    "risk_scale",
    "risk",
    "datasets",
    "control",
    "action",
    "provider_review",
    "report",
)

_PYDANTIC_SWEDISH: dict[str, str] = {
    "missing": "saknas",
    "string_type": "ska vara text inom citattecken",
    "int_type": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal",
    "float_type": "ska vara ett tal",
    "float_parsing": "ska vara ett tal",
    "bool_type": "ska vara true eller false",
    "date_type": "ska vara ett datum utan citattecken, t.ex. 2024-01-31",
    "date_parsing": "ska vara ett datum, t.ex. 2024-01-31",
    "date_from_datetime_inexact": "ska vara ett datum utan klockslag",
    "dict_type": "ska vara en tabell",
    "model_type": "ska vara en tabell",
    "list_type": "ska vara en lista",
    "literal_error": "har ett otillåtet värde",
    "greater_than_equal": "är för litet",
    "less_than_equal": "är för stort",
    "greater_than": "är för litet",
    "less_than": "är för stort",
    "string_too_short": "får inte vara tomt",
    "too_short": "har för få värden",
}


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    import difflib  # only for a plan with a mistake

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (menade du {close[0]!r}?)" if close else ""


class _Collector:
    """Gathers problems for one plan file, with line numbers from its text."""

    def __init__(self, file: Path, source: TomlSource, check_files: bool = True) -> None:
        self.file = file
        self.source = source
        self.check_files = check_files
        self.problems: list[PlanProblem] = []

    def add(
        self, location: tuple[str | int, ...], where: str, message: str, *, export: bool = False
    ) -> None:
        problem = PlanProblem(self.file, self.source.line_for(location), where, message, export)
        if problem not in self.problems:
            self.problems.append(problem)

    def validate(
        self, model: type[BaseModel], data: Any, location: tuple[str | int, ...], where: str
    ) -> Any:
        """``model`` from ``data``; on failure each error is recorded and None returned."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for loc, message in _union_merged(exc.errors(), model):
                self.add(location + loc, where, message)
            return None


def _is_branch(part: str | int) -> bool:
    """A union's branch in an error's location (``dataset.str``, ``dataset.dict[str,str]``):
    a type's name, not a key a person wrote."""
    return isinstance(part, str) and (part.casefold() in _UNION_BRANCHES or "[" in part)


def _union_merged(
    errors: list[Any], model: type[BaseModel]
) -> list[tuple[tuple[str | int, ...], str]]:
    """(location, Swedish message) per error, with a union's branches told as one key: the
    branch the value's own type chose when it went deeper (a key inside a table), otherwise
    "ska vara text inom citattecken eller en tabell"."""
    plain: list[tuple[tuple[str | int, ...], str]] = []
    branches: dict[tuple[str | int, ...], list[tuple[tuple[str | int, ...], Any]]] = {}
    for error in errors:
        loc = tuple(p for p in error["loc"] if isinstance(p, str | int))
        at = next((i for i, part in enumerate(loc) if _is_branch(part)), None)
        if at is None:
            plain.append((loc, _describe_error(error, loc, model)))
        else:
            branches.setdefault(loc[:at], []).append((loc[:at] + loc[at + 1 :], error))
    for parent, found in branches.items():
        deeper = [(loc, error) for loc, error in found if len(loc) > len(parent)]
        if deeper:
            plain.extend((loc, _describe_error(error, loc, model)) for loc, error in deeper)
            continue
        words = list(dict.fromkeys(_PYDANTIC_SWEDISH.get(e["type"], e["msg"]) for _, e in found))
        joined = " eller ".join([words[0], *(w.removeprefix("ska vara ") for w in words[1:])])
        key = ".".join(str(p) for p in parent)
        plain.append((parent, f"{key} {joined}" if key else joined))
    return plain


def _describe_error(error: Any, loc: tuple[str | int, ...], model: type[BaseModel]) -> str:
    key = ".".join(str(p) for p in loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        known = list(model.model_fields) if len(loc) == 1 else []
        return f"okänd nyckel {key!r}{did_you_mean(str(loc[-1]), known)}"
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", "")).replace(" or ", " eller ")
        given = error.get("input")
        allowed = re.findall(r"'([^']*)'", expected)
        hint = did_you_mean(given, allowed) if isinstance(given, str) else ""
        return f"{key} har ett otillåtet värde{hint}; väntade {expected}"
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
        return f"{key}: {message}" if key else message
    words = _PYDANTIC_SWEDISH.get(kind)
    if kind == "model_type" and loc and loc[-1] == "period":
        words = "ska vara en tabell, t.ex. { start = 2025-01-01, end = 2025-12-31 }"
    if words is None:
        return f"{key}: ogiltigt värde ({error['msg']})"
    bound = error.get("ctx", {})
    limit = next((bound[k] for k in ("ge", "le", "gt", "lt", "min_length") if k in bound), None)
    suffix = f" (gräns {limit})" if limit is not None and kind != "missing" else ""
    return f"{key} {words}{suffix}" if key else f"{words}{suffix}"


_UNION_BRANCHES = {"int", "float", "str", "bool", "date", "decimal", "none"}


def describe_validation_error(exc: ValidationError) -> str:
    """A pydantic error outside a plan (a plugin's Outcome, say) in Swedish, one per key."""
    messages: dict[str, str] = {}
    for error in exc.errors():
        loc = tuple(p for p in error["loc"] if isinstance(p, str | int))
        if len(loc) > 1 and str(loc[-1]).casefold() in _UNION_BRANCHES:
            loc = loc[:-1]  # a union's branch (rows.float, rows.int): one message for the key
        key = ".".join(str(p) for p in loc)
        messages.setdefault(key, _describe_error(error, loc, BaseModel))
    return "; ".join(messages.values())


def _toml_syntax_problem(file: Path, exc: tomllib.TOMLDecodeError, text: str) -> PlanProblem:
    line, column, detail = toml_error(exc, text)
    where = f", kolumn {column}" if column else ""
    return PlanProblem(file, line, "", f"TOML-syntaxfel{where}: {detail}")


def load_plan(
    path: Path,
    host: PluginHost | None = None,
    *,
    check_files: bool = True,
    unreadable: list[PlanProblem] | None = None,
) -> tuple[Plan, PluginHost]:
    """The plan at ``path`` and the plugins it can use, or ``PlanError`` with every problem.

    Without ``check_files`` exports that do not exist yet are no error: the plan document is
    adopted before the year's exports are made. Given ``unreadable``, an export that exists but
    cannot be read is no error either when the plan is otherwise right: the problem is put in
    the list, and a run fails only the controls that read that export."""
    path = Path(path)
    if not path.is_file():
        raise PlanError([PlanProblem(path, None, "", "planfilen finns inte")])
    raw = path.read_bytes()
    not_utf8 = utf8_problem(raw)
    if not_utf8 is not None:
        raise PlanError([PlanProblem(path, not_utf8[0], "", not_utf8[1])])
    text = raw.decode("utf-8").removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError([_toml_syntax_problem(path, exc, text)]) from None
    found = _Collector(path, TomlSource(text), check_files)
    for number, line in enumerate(text.splitlines(), start=1):
        if contains_personnummer(line):
            found.problems.append(
                PlanProblem(
                    path,
                    number,
                    "",
                    "raden innehåller ett personnummer; skriv ärendets id i stället (planen "
                    "kopieras till resultatmappen och når rapporterna)",
                )
            )

    for key in data:
        if key not in TOP_LEVEL_KEYS:
            found.add(
                (key,),
                "",
                f"okänd tabell {key!r}{did_you_mean(key, TOP_LEVEL_KEYS)}; "
                f"väntade {', '.join(TOP_LEVEL_KEYS)}",
            )

    header: PlanHeader | None = None
    if "plan" not in data:
        found.add((), "", "tabellen [plan] saknas; väntade title och year")
    else:
        header = found.validate(PlanHeader, data["plan"], ("plan",), "[plan]")

    scale = found.validate(RiskScale, data.get("risk_scale", {}), ("risk_scale",), "[risk_scale]")
    scale = scale or RiskScale()

    risks = _load_risks(found, data.get("risk", []), scale)
    datasets = _load_datasets(found, data.get("datasets", {}), path)

    if host is None:
        plugins_dir = None
        if header is not None and header.plugins_dir:
            plugins_dir = (path.parent / header.plugins_dir).resolve()
        host = PluginHost(plugins_dir=plugins_dir)

    # Ids declared even where the entry itself is faulty, so one mistake is not reported twice.
    raw_risks = data.get("risk", [])
    risk_ids = {str(r["id"]) for r in raw_risks if isinstance(r, dict) and "id" in r}
    risk_ids |= set(risks)
    raw_datasets = data.get("datasets")
    dataset_names = set(raw_datasets) if isinstance(raw_datasets, dict) else set()
    controls = _load_controls(
        found,
        data.get("control", []),
        risk_ids,
        datasets,
        dataset_names,
        host,
        path,
        _plan_period(header),
    )

    for name, field, meant in unread_columns(datasets, controls, host.checks()):
        found.add(
            ("datasets", name, "columns", field),
            f"datamängd {name}",
            f"columns.{field}: ingen kontroll i planen läser fältet {field!r}, och fältet "
            f"{meant!r}, som en kontroll läser när det finns, är inte mappat (menade du "
            f"{meant!r}?); som det står läser ingen kontroll den kolumnen",
        )

    raw_controls = data.get("control", [])
    control_ids = {str(c["id"]) for c in raw_controls if isinstance(c, dict) and "id" in c}
    actions = _load_list(found, data.get("action", []), "action", Action, "åtgärd")
    for index, action in enumerate(actions):
        if action.risk is not None and action.risk not in risk_ids:
            found.add(("action", index, "risk"), "åtgärd", f"risken {action.risk!r} finns inte")
        if action.control is not None and action.control not in control_ids:
            found.add(
                ("action", index, "control"), "åtgärd", f"kontrollen {action.control!r} finns inte"
            )
    reviews = _load_list(
        found, data.get("provider_review", []), "provider_review", ProviderReview, "utförare"
    )
    report = load_report_settings(found, data.get("report", {}), controls, set(host.checks()))
    if unreadable is not None and all(problem.export for problem in found.problems):
        unreadable.extend(found.problems)
        found.problems = []
    if found.problems or header is None:
        raise PlanError(found.problems)
    plan = Plan(
        header=header,
        risk_scale=scale,
        risks=list(risks.values()),
        datasets=datasets,
        controls=controls,
        actions=actions,
        provider_reviews=reviews,
        report=report or ReportSettings(),
        source=path.resolve(),
    )
    return plan, host


def load_report_settings(
    found: _Collector, raw: Any, controls: list[Control], checks: set[str]
) -> ReportSettings | None:
    """``[report]``, with the ids and check names it refers to checked against the plan."""
    settings: ReportSettings | None = found.validate(ReportSettings, raw, ("report",), "[report]")
    if settings is None:
        return None
    ids = [c.id for c in controls]
    for control_id in settings.controls:
        if control_id not in ids:
            found.add(
                ("report", "controls", control_id),
                "[report]",
                f"kontrollen {control_id!r} finns inte{did_you_mean(control_id, ids)}",
            )
    for name in settings.checks:
        if name not in checks:
            found.add(
                ("report", "checks", name),
                "[report]",
                f"kontrolltypen {name!r} finns inte{did_you_mean(name, sorted(checks))}",
            )
    for control in controls:
        wording = settings.for_control(control.id, control.check)
        if wording.period_reason and wording.opening and "{period_change}" not in wording.opening:
            place = "controls" if control.id in settings.controls else "checks"
            key = control.id if place == "controls" else str(control.check)
            found.add(
                ("report", place, key, "opening"),
                f"kontroll {control.id}",
                "period_reason är angivet men inledningen saknar {period_change}, så "
                "skälet skulle aldrig visas",
            )
    return settings


def _as_list(found: _Collector, value: Any, name: str) -> list[Any]:
    if isinstance(value, list):
        return value
    found.add((name,), "", f"{name} ska skrivas som [[{name}]], en tabell per post")
    return []


def _load_list(
    found: _Collector, raw: Any, name: str, model: type[BaseModel], where: str
) -> list[Any]:
    items = []
    for index, item in enumerate(_as_list(found, raw, name)):
        parsed = found.validate(model, item, (name, index), where)
        if parsed is not None:
            items.append(parsed)
    return items


def _load_risks(found: _Collector, raw: Any, scale: RiskScale) -> dict[str, Risk]:
    risks: dict[str, Risk] = {}
    for index, item in enumerate(_as_list(found, raw, "risk")):
        where = f"risk {item.get('id', index + 1)}" if isinstance(item, dict) else "risk"
        risk = found.validate(Risk, item, ("risk", index), where)
        if risk is None:
            continue
        if risk.id in risks:
            found.add(("risk", index, "id"), where, f"id:t {risk.id!r} finns redan")
            continue
        if risk.likelihood > len(scale.likelihood):
            found.add(
                ("risk", index, "likelihood"),
                where,
                f"likelihood {risk.likelihood} ligger utanför skalan 1–{len(scale.likelihood)}",
            )
        if risk.impact > len(scale.impact):
            found.add(
                ("risk", index, "impact"),
                where,
                f"impact {risk.impact} ligger utanför skalan 1–{len(scale.impact)}",
            )
        risks[risk.id] = risk
    return risks


def _load_datasets(found: _Collector, raw: Any, plan_path: Path) -> dict[str, DatasetSpec]:
    datasets: dict[str, DatasetSpec] = {}
    if not isinstance(raw, dict):
        found.add(("datasets",), "", "datasets ska vara tabeller: [datasets.NAMN]")
        return datasets
    for name, item in raw.items():
        where = f"datamängd {name}"
        unsafe = name_problem(name)
        if unsafe is not None:
            found.add(("datasets", name), where, f"namnet {unsafe}")
        spec = found.validate(DatasetSpec, item, ("datasets", name), where)
        if spec is None:
            continue
        if found.check_files and not (plan_path.parent / spec.path).is_file():
            folder = (plan_path.parent / spec.path).is_dir()
            found.add(
                ("datasets", name, "path"),
                where,
                f"sökvägen {spec.path!r} är en mapp; väntade en CSV- eller XLSX-fil"
                if folder
                else f"filen {spec.path!r} finns inte (sökvägen räknas från planfilens mapp)",
            )
        datasets[name] = spec
    return datasets


def _plan_period(header: PlanHeader | None) -> Period | None:
    """The period a control without its own is judged on; None when [plan] is faulty."""
    if header is None:
        return None
    year = header.year
    return header.period or Period(start=date(year, 1, 1), end=date(year, 12, 31))


def _load_controls(
    found: _Collector,
    raw: Any,
    risks: set[str],
    datasets: dict[str, DatasetSpec],
    dataset_names: set[str],
    host: PluginHost,
    plan_path: Path,
    period: Period | None,
) -> list[Control]:
    controls: list[Control] = []
    seen: set[str] = set()
    for index, item in enumerate(_as_list(found, raw, "control")):
        where = f"kontroll {item.get('id', index + 1)}" if isinstance(item, dict) else "kontroll"
        control = found.validate(Control, item, ("control", index), where)
        loc: tuple[str | int, ...] = ("control", index)
        if control is None:
            # The references of a control that did not parse are still checked, so that its
            # duplicate id or unknown dataset shows beside the bad key, not after its fix.
            if isinstance(item, dict):
                _check_references(found, loc, where, item, seen, risks, datasets, dataset_names)
                check = item.get("check")
                if isinstance(check, str) and check not in host.checks():
                    _unknown_check(found, loc, where, check, host)
            continue
        _check_references(
            found,
            loc,
            where,
            {"id": control.id, "risk": control.risk, "dataset": control.dataset},
            seen,
            risks,
            datasets,
            dataset_names,
        )
        if control.manual:
            _check_manual(found, loc, where, control)
            controls.append(control)
            continue
        _check_data_control(
            found, loc, where, control, datasets, dataset_names, host, plan_path, period
        )
        controls.append(control)
    return controls


def _unknown_check(
    found: _Collector, loc: tuple[str | int, ...], where: str, name: str, host: PluginHost
) -> None:
    checks = host.checks()
    failed = "; ".join(str(f) for f in host.failures)
    found.add(
        (*loc, "check"),
        where,
        f"okänd kontrolltyp {name!r}{did_you_mean(name, list(checks))}; kända: "
        f"{', '.join(checks) or 'inga'}" + (f" ({failed})" if failed else ""),
    )


def _check_references(
    found: _Collector,
    loc: tuple[str | int, ...],
    where: str,
    item: dict[str, Any],
    seen: set[str],
    risks: set[str],
    datasets: dict[str, DatasetSpec],
    dataset_names: set[str],
) -> None:
    """The control's id, risk and dataset names against the rest of the plan; a value of the
    wrong type is the model's error and is left to it."""
    control_id, risk, dataset = item.get("id"), item.get("risk"), item.get("dataset")
    if isinstance(control_id, str) and control_id:
        if control_id in seen:
            found.add((*loc, "id"), where, f"id:t {control_id!r} finns redan")
        seen.add(control_id)
    if isinstance(risk, str) and risk not in risks:
        found.add(
            (*loc, "risk"),
            where,
            f"risken {risk!r} finns inte{did_you_mean(risk, sorted(risks))}; kända risker: "
            f"{', '.join(sorted(risks)) or 'inga'}",
        )
    roles = {"": dataset} if isinstance(dataset, str) else dataset
    if not isinstance(roles, dict):
        return
    for role, name in roles.items():
        if isinstance(name, str) and name not in dataset_names:
            found.add(
                (*loc, "dataset", role) if role else (*loc, "dataset"),
                where,
                f"datamängden {name!r} finns inte"
                f"{did_you_mean(name, list(datasets))}; kända: "
                f"{', '.join(datasets) or 'inga'}",
            )


def _check_data_control(
    found: _Collector,
    loc: tuple[str | int, ...],
    where: str,
    control: Control,
    datasets: dict[str, DatasetSpec],
    dataset_names: set[str],
    host: PluginHost,
    plan_path: Path,
    period: Period | None,
) -> None:
    """A control with a check: its datasets, params and column mappings; criteria are optional
    (without them the figures are shown and a person assesses)."""
    if control.dataset is None:
        found.add(
            loc,
            where,
            f"dataset saknas; kontrolltypen {control.check} behöver en datamängd, "
            't.ex. dataset = "beslut"',
        )
        return
    roles = dataset_roles(control)
    for key in ("items", "worksheet"):
        if getattr(control, key):
            found.add(
                (*loc, key),
                where,
                f"{key} hör till manuella kontroller (utan check); en kontroll med "
                "check granskas med [control.sample] och dess worksheet",
            )
    assert control.check is not None
    check = host.checks().get(control.check)
    if check is None:
        _unknown_check(found, loc, where, control.check, host)
    else:
        params = found.validate(check.Params, control.params, (*loc, "params"), where)
        possible = None
        if params is not None and (control.period or period) is not None:
            possible = possible_metrics(check, params, control.period or period)
        for pattern in control.criteria.metrics if control.criteria else []:
            unknown = unknown_pattern(declared(check), pattern, possible)
            if unknown:
                found.add((*loc, "criteria", "metric"), where, unknown)
        if set(roles) != set(check.roles):
            wanted = " = ..., ".join(check.roles) + " = ..."
            found.add(
                (*loc, "dataset"),
                where,
                f'kontrolltypen {control.check} läser en datamängd; skriv dataset = "namn"'
                if check.roles == ("",)
                else f"kontrolltypen {control.check} läser flera datamängder; skriv "
                f"dataset = {{ {wanted} }}",
            )
        elif params is not None:
            primary = datasets.get(roles.get(check.roles[0], ""))
            columns = primary.columns if primary is not None else {}
            for role, fields in control_fields(check, params, control, columns).items():
                name = roles.get(role, "")
                if name in datasets:
                    _check_columns(
                        found, loc, where, control, fields, name, datasets[name], plan_path
                    )


def _check_manual(
    found: _Collector, loc: tuple[str | int, ...], where: str, control: Control
) -> None:
    """A control without a check: no data; a checklist's figures may have criteria."""
    for key in ("dataset", "sample"):
        if getattr(control, key) is not None:
            found.add(
                (*loc, key),
                where,
                f'{key} kräver en kontrolltyp; ange check = "..." eller ta bort {key} '
                "(en kontroll utan check är manuell)",
            )
    if control.params:
        found.add((*loc, "params"), where, "params kräver en kontrolltyp (check)")
    if control.criteria is not None and not control.items:
        found.add(
            (*loc, "criteria"),
            where,
            "en manuell kontroll utan checklista (items) har inga siffror att bedöma; "
            "ta bort [control.criteria], bedömningen skrivs i bedomning.toml",
        )
    if control.criteria is not None and control.items:
        from internkontroll.checklist import METRICS

        unknown = [m for m in control.criteria.metrics if m not in METRICS]
        if unknown:
            found.add(
                (*loc, "criteria", "metric"),
                where,
                f"okänt mått {unknown[0]!r}{did_you_mean(unknown[0], METRICS)}; "
                f"en checklista ger {', '.join(METRICS)}",
            )
    if control.worksheet is not None and not control.items:
        found.add(
            (*loc, "worksheet"),
            where,
            'worksheet kräver en checklista: items = ["punkt 1", "punkt 2"]',
        )
    if len(set(control.items)) != len(control.items):
        found.add((*loc, "items"), where, "items har samma punkt två gånger")


def _check_columns(
    found: _Collector,
    loc: tuple[str | int, ...],
    where: str,
    control: Control,
    needed: dict[str, Any],
    name: str,
    spec: DatasetSpec,
    plan_path: Path,
) -> None:
    missing = [f for f in needed if f not in spec.columns]
    if missing:
        found.add(
            ("datasets", name, "columns"),
            where,
            f"kolumnmappningen för datamängden {name} saknar "
            f"{', '.join(missing)} som kontrolltypen {control.check} behöver; "
            f'lägg till t.ex. {missing[0]} = "Rubrik i exporten" under '
            f"[datasets.{name}.columns]",
        )
    dataset = Dataset(name, spec, (plan_path.parent / spec.path).resolve())
    if not dataset.path.is_file():
        return
    try:
        absent = dataset.missing_columns([f for f in needed if f in spec.columns])
    except DatasetError as exc:
        found.add(("datasets", name, "path"), where, str(exc), export=True)
        return
    if absent:
        from internkontroll.header_hint import absent_columns

        found.add(
            ("datasets", name, "columns"),
            where,
            absent_columns(
                absent, dataset.reader().header(), spec.path, name, spec.encoding, spec.delimiter
            ),
        )
