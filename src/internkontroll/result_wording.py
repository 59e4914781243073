"""One control's Resultat cell in Bilaga 1, worded as the plan's ``[report]`` table says.

The cell is, in order: what a person wrote first (``preface``), the opening (what was checked,
when, from which source, by whom, the sample), the figures, the statistical sample statement when
asked for, the person's motivation and analysis, and the verdict. A person's ``result`` replaces
all of it, and a person's ``verdict`` replaces the computed verdict, so a pasted text never ends
with two verdicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from internkontroll.accounting import left_out_sentence
from internkontroll.assessment import Assessment
from internkontroll.models import Control, Period, PlanHeader, SampleSpec
from internkontroll.periods import Split, split_period
from internkontroll.swedish import (
    DateStyle,
    count_word,
    day_text,
    join,
    lower_first,
    percent,
    span_text,
)
from internkontroll.wording import ControlWording, blanks, fill

ORDINALS = ["första", "andra", "tredje", "fjärde"]


def paragraphs(*parts: str) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def person_text(entry: Mapping[str, Any], key: str) -> str:
    value = entry.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def _split_of(template: str | None) -> Split | None:
    names = {b.name for b in blanks(template)} if template else set()
    if "half_years" in names:
        return "halvår"
    if "quarters" in names:
        return "kvartal"
    return None


def _change_day(day: date, other: date, style: DateStyle) -> str:
    """'den 31 december' when both days fall in one year, else with the year."""
    if style == "iso":
        return day_text(day, style)
    return "den " + day_text(day, style, year=day.year != other.year)


def period_change(
    plan_period: Period | None,
    period: Period,
    parts: list[Period],
    reason: str,
    style: DateStyle,
) -> str:
    """Why and how the control's period differs from the plan's, in the seed's words."""
    if not reason or plan_period is None or plan_period == period:
        return ""
    reason = reason.strip().rstrip(".")
    if plan_period.start == period.start:
        which = f"den {ORDINALS[len(parts) - 1]} " if 1 < len(parts) <= len(ORDINALS) else ""
        before = _change_day(plan_period.end, period.end, style)
        after = _change_day(period.end, plan_period.end, style)
        return (
            f"Slutdatumet för {which}granskningsperioden har ändrats från {before} till {after} "
            f"{reason}."
        )
    if plan_period.end == period.end:
        which = "den första " if len(parts) > 1 else ""
        before = _change_day(plan_period.start, period.start, style)
        after = _change_day(period.start, plan_period.start, style)
        return (
            f"Startdatumet för {which}granskningsperioden har ändrats från {before} till {after} "
            f"{reason}."
        )
    was = span_text(plan_period.start, plan_period.end, style)
    now = span_text(period.start, period.end, style)
    return f"Granskningsperioden har ändrats från {was}, till att istället omfatta {now}, {reason}."


def sample_fractions(spec: SampleSpec | None, keep: tuple[str, ...]) -> str:
    """'15 procent SoL och 25 procent LSS', or the counts; empty when the size was planned."""
    if spec is None:
        return ""
    if isinstance(spec.fraction, dict):
        return join([f"{percent(f)} {lower_first(s, keep)}" for s, f in spec.fraction.items()])
    if spec.fraction is not None:
        return f"{percent(spec.fraction)} av besluten"
    if isinstance(spec.count, dict):
        return join([f"{c} {lower_first(s, keep)}" for s, c in spec.count.items()])
    if spec.count is not None:
        return count_word(spec.count, "beslut", "beslut")
    return ""


def opening_fields(
    header: PlanHeader,
    control: Control,
    period: Period | None,
    wording: ControlWording,
) -> dict[str, str]:
    style, keep = wording.date_style, wording.keep_case
    split = _split_of(wording.opening)
    parts = [p for _, p in split_period(period, split)] if period and split else []
    halves = [p for _, p in split_period(period, "halvår")] if period else []
    quarters = [p for _, p in split_period(period, "kvartal")] if period else []
    return {
        "title": lower_first(control.title, keep),
        "description": control.description.strip(),
        "period": span_text(period.start, period.end, style) if period else "",
        "half_years": join([span_text(p.start, p.end, style) for p in halves]),
        "quarters": join([span_text(p.start, p.end, style) for p in quarters]),
        "source": wording.source_system,
        "method": lower_first(control.method.strip().rstrip("."), keep),
        "owner": lower_first(control.owner.strip(), keep),
        "sample": sample_fractions(control.sample, keep),
        "period_change": period_change(header.period, period, parts, wording.period_reason, style)
        if period
        else "",
        "organisation": header.organisation,
        "year": str(header.year),
    }


def _default_opening(fields: Mapping[str, str], *, carried_out: bool = True) -> str:
    """The seed's opening: "Risken har hanterats genom kontroll av ... under perioden ..."; a
    control that was not carried out did not handle the risk."""
    span = f" under perioden {fields['period']}" if fields["period"] else ""
    handled = "har hanterats" if carried_out else "skulle ha hanterats"
    sentences = [f"Risken {handled} genom kontroll av {fields['title']}{span}."]
    method, source = fields["method"], fields["source"]
    if method or source:
        based = method or "uppgifter"
        sentences.append(f"Kontrollen baseras på {based}{f' från {source}' if source else ''}.")
    if fields["owner"]:
        sentences.append(f"Granskningen genomfördes av {fields['owner']}.")
    sentences.append(fields["period_change"])
    return " ".join(s for s in sentences if s)


def statement_kind(wording: ControlWording, spec: SampleSpec | None) -> str:
    """fractions, statistical or none; by default fractions unless the size was planned."""
    if spec is None:
        return "none"
    if wording.sample_statement is not None:
        return wording.sample_statement
    return "statistical" if spec.tolerable is not None else "fractions"


def opening_text(
    header: PlanHeader,
    control: Control,
    period: Period | None,
    wording: ControlWording,
    *,
    carried_out: bool = True,
) -> str:
    fields = opening_fields(header, control, period, wording)
    kind = statement_kind(wording, control.sample)
    if kind != "fractions":
        fields["sample"] = ""
    template = wording.opening
    text = (
        fill(template, fields)
        if template is not None
        else _default_opening(fields, carried_out=carried_out)
    )
    uses_sample = template is not None and "sample" in {b.name for b in blanks(template)}
    if fields["sample"] and not uses_sample:
        text = f"{text} Urval: {fields['sample']}."
    return text


def figures_text(
    control: Control | None,
    result: Mapping[str, Any],
    wording: ControlWording,
    fields: Mapping[str, str],
    warnings: list[str],
    smallest: int = 0,
) -> str:
    """The check's sentence, or the plan's figures template filled from the metrics (a group's
    figure from fewer than ``smallest`` cases masked); the sample's sentence is left for
    ``result_cell`` to add where the plan asks for it."""
    stated = str(result.get("sample_text", "") or "")
    computed = str(result.get("result_text", "") or "").removesuffix(stated).strip()
    if wording.figures is None or result.get("assessment") == Assessment.EJ_GENOMFORD.value:
        return computed
    try:
        return fill(wording.figures, fields, result.get("metrics", {}), smallest)
    except KeyError as missing:
        warnings.append(
            f"kontroll {result['id']}: mallen figures nämner {missing.args[0]!r}, som "
            f"kontrollen inte gav; kontrollens egen mening används"
        )
        return computed


def verdict_text(
    wording: ControlWording, assessment: Assessment, label: str, entry: Mapping[str, Any]
) -> str:
    written = person_text(entry, "verdict")
    if written:
        return written
    if assessment is Assessment.EJ_GENOMFORD:
        return "Kontrollpunkten har inte genomförts."
    words = lower_first(label, wording.keep_case) if label else assessment.phrase
    return fill(wording.verdict_phrase, {"assessment": words})


def result_cell(
    header: PlanHeader,
    control: Control | None,
    period: Period | None,
    result: Mapping[str, Any],
    entry: Mapping[str, Any],
    assessment: Assessment,
    wording: ControlWording,
    warnings: list[str],
    *,
    waiting: bool = False,
) -> str:
    """The whole Resultat cell for one control; ``waiting`` when it still waits for a person's
    assessment (a manual control, or one without criteria): nobody has reviewed it yet."""
    written = person_text(entry, "result")
    if written:
        return written
    fields: dict[str, str] = {}
    opening = ""
    if control is not None:
        # A control still waiting for a person is not yet known to be missed.
        carried_out = waiting or assessment is not Assessment.EJ_GENOMFORD
        if waiting or not carried_out:  # "Granskningen genomfördes av ..." is not true
            control = control.model_copy(update={"owner": ""})
        fields = opening_fields(header, control, period, wording)
        opening = opening_text(header, control, period, wording, carried_out=carried_out)
    figures = figures_text(control, result, wording, fields, warnings, header.min_group_size)
    metrics = result.get("metrics", {})
    stated = str(result.get("sample_text", "") or "")
    spec = control.sample if control is not None else None
    if stated and statement_kind(wording, spec) == "statistical":
        figures = f"{figures} {stated}".strip()
    reason = ""
    # Once a person has assessed a control that waited for them, "waiting" is no news.
    assessed_by_person = bool(result.get("awaiting_assessment")) and not waiting
    # A control that only waits for a person says so in its verdict; its figures speak for it.
    figures_shown = bool(result.get("result_text"))
    if not assessed_by_person and (
        (assessment is Assessment.EJ_GENOMFORD and not (waiting and figures_shown))
        or not figures_shown
    ):
        reason = str(result.get("reason", "") or "")
    label = person_text(entry, "assessment_label")
    return paragraphs(
        person_text(entry, "preface"),
        opening,
        figures,
        left_out_sentence(metrics),
        reason,
        person_text(entry, "motivation"),
        person_text(entry, "analysis"),
        "Kontrollpunkten är ännu inte bedömd."
        if waiting
        else verdict_text(wording, assessment, label, entry),
    )
