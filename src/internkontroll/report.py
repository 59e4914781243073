"""The report's tables from a results folder: computed figures, people's words where they wrote.

A report reads only the results folder (resultat.json, the plan snapshot and bedomning.toml), so
the annual report can be remade from an archived folder years later.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from internkontroll import actions as action_text
from internkontroll import human_assessment, manual
from internkontroll.as_of import recorded
from internkontroll.assessment import Assessment
from internkontroll.document import Document, Table
from internkontroll.errors import DatasetError
from internkontroll.metrics import shown
from internkontroll.models import (
    Action,
    Control,
    Period,
    PlanHeader,
    ProviderReview,
    Risk,
    RiskScale,
    cut_period,
)
from internkontroll.result_wording import paragraphs, person_text, result_cell
from internkontroll.results import PLAN_SNAPSHOT, read_results_file
from internkontroll.small_groups import not_shown, too_few
from internkontroll.swedish import day_text, upper_first
from internkontroll.wording import ReportSettings

BILAGA1_TITLE = "Bilaga 1 – Uppföljning av internkontroll"
BILAGA1_COLUMNS = [
    "Identifierad risk",
    "Riskbeskrivning",
    "Kontroll",
    "Bedömning",
    "Resultat",
    "Åtgärd",
]


@dataclass
class ResultsFolder:
    """What a report needs from a results folder."""

    header: PlanHeader
    scale: RiskScale
    risks: dict[str, Risk]
    controls: dict[str, Control]
    actions: list[Action]
    provider_reviews: list[ProviderReview]
    results: list[dict[str, Any]]
    people: dict[str, dict[str, Any]]
    report: ReportSettings = field(default_factory=ReportSettings)
    warnings: list[str] = field(default_factory=list)
    """Things a report could not do as the plan asked (printed, never silent)."""
    as_of: date | None = None
    """The day the results look from (resultat.json's ``as_of``); None: the period's end."""

    def period_end(self) -> date:
        return self.header.period.end if self.header.period else date(self.header.year, 12, 31)

    def looks_from(self) -> date:
        """The day lateness and wording are judged against: never the clock."""
        return self.as_of or self.period_end()

    def linked_actions(self) -> list[action_text.Linked]:
        """The plan's actions and those written in bedomning.toml, each with its control."""
        ids = [r["id"] for r in self.results]
        return action_text.all_actions(
            self.actions, self.people, ids, {r["id"]: r["risk"] for r in self.results}
        )

    def header_as_of(self) -> PlanHeader:
        """The header with its period cut at ``as_of``: a delår's wording compares a control's
        period with the plan's over the same months."""
        if self.header.period is None:
            return self.header
        cut = cut_period(self.header.period, self.looks_from())
        return self.header.model_copy(update={"period": cut})

    def period(self, control: Control) -> Period | None:
        period = control.period or self.header.period
        return cut_period(period, self.looks_from()) if period is not None else None


def grouped_by_risk(results: list[dict[str, Any]], risk_order: list[str]) -> list[dict[str, Any]]:
    """The controls under their risk, risks in the plan's order, as the annual report's Bilaga 1
    has them, so that a risk's cells can span all its controls; the plan's control order is kept
    within a risk, and controls of a risk the plan does not list come last."""
    rank = {risk: index for index, risk in enumerate(risk_order)}
    return sorted(results, key=lambda result: rank.get(str(result.get("risk")), len(rank)))


def load_results(folder: Path) -> ResultsFolder:
    document = read_results_file(folder)
    try:
        plan = tomllib.loads((folder / PLAN_SNAPSHOT).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{folder}: resultatmappen kan inte läsas ({exc})") from None
    people = human_assessment.read(folder)  # HumanAssessmentError names file and line
    header = PlanHeader.model_validate(plan["plan"])
    end = header.period.end if header.period else date(header.year, 12, 31)
    return ResultsFolder(
        header=header,
        scale=RiskScale.model_validate(plan.get("risk_scale", {})),
        risks={r["id"]: Risk.model_validate(r) for r in plan.get("risk", [])},
        controls={c["id"]: Control.model_validate(c) for c in plan.get("control", [])},
        actions=[Action.model_validate(a) for a in plan.get("action", [])],
        provider_reviews=[
            ProviderReview.model_validate(p) for p in plan.get("provider_review", [])
        ],
        results=grouped_by_risk(document["controls"], [r["id"] for r in plan.get("risk", [])]),
        people=people,
        report=ReportSettings.model_validate(plan.get("report", {})),
        as_of=recorded(document, end),
        # A typo in a control id must not make a person's text vanish without a word.
        warnings=human_assessment.unknown_controls(
            folder / human_assessment.FILENAME, people, [c["id"] for c in plan.get("control", [])]
        ),
    )


def effective_assessment(result: dict[str, Any], entry: dict[str, Any]) -> Assessment:
    """The person's assessment where they wrote one, otherwise the computed one."""
    return human_assessment.person_assessment(entry) or Assessment(result["assessment"])


def assessment_words(result: dict[str, Any], entry: dict[str, Any]) -> str:
    """The Bedömning cell: a person's own label ("Utan anmärkning/försumbar anmärkning") or the
    label of the assessment key."""
    label = person_text(entry, "assessment_label")
    return upper_first(label) if label else effective_assessment(result, entry).label


def _result_text(
    folder: ResultsFolder,
    control: Control | None,
    result: dict[str, Any],
    entry: dict[str, Any],
    assessment: Assessment,
) -> str:
    wording = folder.report.for_control(result["id"], control.check if control else None)
    period = folder.period(control) if control is not None else None
    return result_cell(
        folder.header_as_of(),
        control,
        period,
        result,
        entry,
        assessment,
        wording,
        folder.warnings,
        waiting=manual.awaiting(result, entry),
    )


def bilaga1_table(folder: ResultsFolder, previous: ResultsFolder | None = None) -> Table:
    """Bilaga 1, optionally with last year's assessment and result beside this year's."""
    columns = list(BILAGA1_COLUMNS)
    earlier: dict[str, dict[str, Any]] = {}
    if previous is not None:
        columns.append(f"Utfall {previous.header.year}")
        earlier = {r["id"]: r for r in previous.results}
    rows: list[list[str]] = []
    marks: list[str | None] = []
    continues: list[bool] = []
    previous_risk: str | None = None
    linked = folder.linked_actions()
    for result in folder.results:
        control = folder.controls.get(result["id"])
        risk = folder.risks.get(result["risk"])
        entry = folder.people.get(result["id"], {})
        assessment = effective_assessment(result, entry)
        waiting = manual.awaiting(result, entry)
        first_of_risk = result["risk"] != previous_risk
        previous_risk = result["risk"]
        continues.append(not first_of_risk)
        row = [
            risk.title if risk and first_of_risk else "",
            risk.description if risk and first_of_risk else "",
            paragraphs(
                control.title if control else result["id"], control.description if control else ""
            ),
            manual.NOT_ASSESSED if waiting else assessment_words(result, entry),
            _result_text(folder, control, result, entry, assessment),
            _action_cell(folder, linked, result["id"], entry),
        ]
        if previous is not None:
            row.append(_previous_outcome(previous, earlier.get(result["id"])))
        rows.append(row)
        marks.append("ej_bedomd" if waiting else assessment.value)
    widths = [14, 16, 14, 10, 34, 20] + ([18] if previous is not None else [])
    return Table(
        "bilaga1",
        BILAGA1_TITLE,
        columns,
        rows,
        widths,
        mark_column=3,
        marks=marks,
        sheet="Bilaga 1",
        merged_columns=(0, 1),
        continues=continues,
    )


def _action_cell(
    folder: ResultsFolder, linked: list[action_text.Linked], control_id: str, entry: dict[str, Any]
) -> str:
    """The Åtgärd cell: what people wrote in ``actions`` and their own actions for the control;
    where they wrote no ``actions`` text, the plan's actions linked to the control are listed
    instead, each with ansvarig, klart senast and status. People's words win, as elsewhere: a
    paragraph written about the actions is not repeated by the plan's list."""
    style = folder.report.for_control("", None).date_style
    as_of = folder.looks_from()
    written = person_text(entry, "actions")
    shown = [
        item.action
        for item in linked
        if item.control == control_id and (item.from_assessment or not written)
    ]
    return paragraphs(written, *(action_text.cell_text(a, as_of, style) for a in shown))


def _previous_outcome(previous: ResultsFolder, result: dict[str, Any] | None) -> str:
    if result is None:
        return "Ingen kontroll med samma id."
    entry = previous.people.get(result["id"], {})
    return paragraphs(
        assessment_words(result, entry),
        person_text(entry, "result") or result.get("result_text", ""),
    )


def comparison_table(folder: ResultsFolder, previous: ResultsFolder) -> Table:
    """The figures each control is judged by, this year beside last year ("Utfall 2024 | 2023")."""
    year, last = folder.header.year, previous.header.year
    earlier = {r["id"]: r for r in previous.results}
    rows: list[list[str]] = []
    for result in folder.results:
        control = folder.controls.get(result["id"])
        before = earlier.get(result["id"])
        names = _judged_metrics(control, result, before)
        labels = {**(before or {}).get("metric_labels", {}), **result.get("metric_labels", {})}
        for name in names:
            seen = shown(labels, name)
            now = _figure(result["metrics"], name, seen.value, folder.header.min_group_size)
            then = (
                _figure(before["metrics"], name, seen.value, previous.header.min_group_size)
                if before
                else ""
            )
            rows.append(
                [
                    control.title if control else result["id"],
                    seen.heading,
                    now,
                    then,
                    assessment_words(result, folder.people.get(result["id"], {})),
                    assessment_words(before, previous.people.get(before["id"], {}))
                    if before
                    else "",
                ]
            )
    columns = [
        "Kontroll",
        "Mått",
        f"Utfall {year}",
        f"Utfall {last}",
        f"Bedömning {year}",
        f"Bedömning {last}",
    ]
    return Table(
        "jamforelse",
        f"Utfall {year} och {last}",
        columns,
        rows,
        [20, 16, 10, 10, 14, 14],
        sheet="Jämförelse",
    )


def _figure(metrics: dict[str, Any], name: str, value: Callable[[Any], str], smallest: int) -> str:
    """A metric as the table shows it: blank when missing, and masked when it is a group's
    count or figure (``LSS.mean_days`` beside ``LSS.n``) from fewer than ``smallest`` cases:
    such a figure describes fewer people than the plan lets a report show."""
    figure = metrics.get(name)
    if figure is None:
        return ""
    if too_few(metrics, name, smallest):
        return not_shown(smallest)
    return value(figure)


def _judged_metrics(
    control: Control | None, result: dict[str, Any], before: dict[str, Any] | None
) -> list[str]:
    if control is None or control.criteria is None:
        return []
    names = set(result["metrics"]) | set(before["metrics"] if before else {})
    return sorted(n for n in names if any(fnmatchcase(n, p) for p in control.criteria.metrics))


def risk_table(folder: ResultsFolder) -> Table:
    scale = folder.scale
    rows = []
    for risk in folder.risks.values():
        level = scale.level_for(risk.score)
        rows.append(
            [
                risk.id,
                risk.title,
                risk.description,
                f"{risk.likelihood} – {_label(scale.likelihood, risk.likelihood)}",
                f"{risk.impact} – {_label(scale.impact, risk.impact)}",
                str(risk.score),
                level.name,
            ]
        )
    columns = ["Id", "Risk", "Riskbeskrivning", "Sannolikhet", "Konsekvens", "Riskvärde", "Nivå"]
    return Table(
        "risker",
        "Riskregister",
        columns,
        rows,
        [5, 22, 30, 12, 12, 8, 10],
        sheet="Risker",
        numeric_columns=(5,),
    )


def _label(labels: list[str], value: int) -> str:
    return labels[value - 1] if 1 <= value <= len(labels) else ""


def action_table(folder: ResultsFolder, today: date) -> Table:
    """The action plan in the annual report's form, with the newest återrapportering; actions
    overdue at ``today`` (the results' as_of) stand out."""
    rows: list[list[str]] = []
    marks: list[str | None] = []
    style = folder.report.for_control("", None).date_style
    for item in folder.linked_actions():
        action = item.action
        control = folder.controls.get(item.control or "")
        due = f"Klar senast {day_text(action.due, style)}" if action.due else ""
        rows.append(
            [
                action.activity or (control.title if control else ""),
                action.action,
                action_text.status_text(action, today),
                action.owner,
                paragraphs(
                    action.follow_up,
                    due,
                    action_text.log_text(action, today, style),
                    "Från bedömningen" if item.from_assessment else "",
                ),
            ]
        )
        marks.append("overdue" if action.overdue(today) else None)
    for result in folder.results:
        written = person_text(folder.people.get(result["id"], {}), "actions")
        if written:
            control = folder.controls.get(result["id"])
            rows.append(
                [
                    control.title if control else result["id"],
                    written,
                    "",
                    control.owner if control else "",
                    "Från bedömningen",
                ]
            )
            marks.append(None)
    columns = ["Aktivitet", "Åtgärd", "Status", "Ansvarig", "Uppföljning"]
    return Table(
        "atgarder",
        "Åtgärdsplan",
        columns,
        rows,
        [18, 30, 12, 16, 18],
        mark_column=2,
        marks=marks,
        sheet="Åtgärder",
        introduction="" if rows else NO_ACTIONS,
    )


NO_ACTIONS = (
    "Inga åtgärder är beslutade: planen har ingen [[action]] och bedomning.toml ingen åtgärd "
    "(actions eller [[controls.ID.action]])."
)


def provider_table(folder: ResultsFolder) -> Table:
    """Bilaga 2 under the plan's introduction, with the date of each provider's next follow-up."""
    style = folder.report.for_control("", None).date_style
    rows = [
        [
            r.agreement,
            r.followed_up,
            "Ja" if r.fulfilled else "Nej",
            r.deficiencies,
            r.impact,
            r.actions,
            day_text(r.follow_up_date, style) if r.follow_up_date else "",
        ]
        for r in folder.provider_reviews
    ]
    columns = [
        "Berört avtal",
        "Vad har följts upp",
        "Har leverantören i huvudsak uppfyllt väsentliga mål och krav (Ja/Nej)",
        "Brister",
        "Påverkan",
        "Åtgärder",
        "Nästa uppföljning",
    ]
    return Table(
        "utforare",
        "Bilaga 2 – Uppföljning av privata utförare",
        columns,
        rows,
        [14, 20, 10, 20, 16, 20, 10],
        sheet="Bilaga 2",
        introduction=folder.report.introduction,
    )


def _check_comparable(
    folder: Path, results: ResultsFolder, compare: Path, previous: ResultsFolder
) -> None:
    """A comparison is with the same organisation's earlier year; anything else misleads."""
    now, then = results.header, previous.header
    if now.organisation != then.organisation:
        raise DatasetError(
            f"--compare {compare} gäller {then.organisation or 'en okänd organisation'}, men "
            f"{folder} gäller {now.organisation or 'en okänd organisation'}; jämför bara med "
            "samma organisations resultat från ett tidigare år"
        )
    if then.year >= now.year:
        raise DatasetError(
            f"--compare {compare} gäller år {then.year}, men {folder} gäller år {now.year}; "
            "jämförelsen ska vara med ett tidigare år"
        )


def report_document(folder: Path, table: str, compare: Path | None) -> Document:
    """The document a report renders: one table, or everything for ``all``."""
    # summary.py builds on this module's ResultsFolder, so it is imported here, not above.
    from internkontroll.matrix import risk_matrix_svg
    from internkontroll.plan_document import plan_document, risk_matrix_table
    from internkontroll.summary import summary_paragraph

    results = load_results(folder)
    if table == "plan":
        statuses = {
            r["id"]: manual.status(r, results.people.get(r["id"], {})) for r in results.results
        }
        return plan_document(
            results.header,
            results.scale,
            list(results.risks.values()),
            list(results.controls.values()),
            statuses,
            results.report,
        )
    previous = load_results(compare) if compare is not None else None
    if previous is not None and compare is not None:
        _check_comparable(folder, results, compare, previous)
    title = f"{results.header.title}, {results.header.organisation}".strip(", ")
    if table == "jamforelse" and previous is None:
        raise DatasetError("tabellen jamforelse behöver --compare MAPP med förra årets resultat")
    build = {
        "bilaga1": lambda: bilaga1_table(results, previous),
        "risker": lambda: risk_table(results),
        "atgarder": lambda: action_table(results, results.looks_from()),
        "utforare": lambda: provider_table(results),
        # Built only with --compare (checked above and in the choice for "all").
        "jamforelse": lambda: comparison_table(results, previous or results),
    }
    if table != "all":
        return Document(
            title=title,
            tables=[build[table]()],
            warnings=results.warnings,
            dated=results.looks_from(),
        )
    chosen = ["bilaga1", "atgarder", "risker"] + (["jamforelse"] if previous else [])
    if results.provider_reviews:
        chosen.append("utforare")
    return Document(
        title=title,
        tables=[build[name]() for name in chosen],
        summary=summary_paragraph(results),
        matrix_svg=risk_matrix_svg(list(results.risks.values()), results.scale),
        warnings=results.warnings,
        dated=results.looks_from(),
        matrix=risk_matrix_table(list(results.risks.values()), results.scale),
    )
