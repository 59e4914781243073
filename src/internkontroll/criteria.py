"""Turning figures into an assessment with the control's criteria, in either direction.

``better = "higher"``: a rate must be at least the threshold. ``better = "lower"``: days must be at
most the threshold. The reason names the figure and the threshold so that a reader can check it,
unless the figure is a group's from fewer cases than a report may show (``small_groups``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fnmatch import fnmatchcase

from internkontroll.assessment import SEVERITY, Assessment
from internkontroll.models import Criteria
from internkontroll.small_groups import not_shown, too_few
from internkontroll.swedish import join, number

Explain = Callable[[str], "str | None"]
"""Why a figure is not in the outcome, in plain Swedish ("Det fanns inga beslut med lag LSS
att räkna under perioden ..."), or None when the check cannot say."""


def _meets(value: float, threshold: float, better: str) -> bool:
    return value >= threshold if better == "higher" else value <= threshold


def _distinct(value: float, threshold: float) -> str:
    """``value`` with enough decimals that a reader sees it differ from ``threshold``."""
    digits = 2 if abs(value) >= 1 else 3
    while digits < 6 and value != threshold and number(value, digits) == number(threshold, digits):
        digits += 1
    return number(value, digits)


def judge_one(
    criteria: Criteria, name: str, value: float, label: str = "", hidden: str = ""
) -> tuple[Assessment, str]:
    """One figure against the thresholds; ``label`` is how a reader knows the figure, and
    ``hidden`` what the reason shows instead of it (a figure from too few cases)."""
    word = "minst" if criteria.better == "higher" else "högst"
    unit = f" {criteria.unit}" if criteria.unit else ""
    nearest = min(
        (t for t in (criteria.utan_anmarkning, criteria.forsumbar_anmarkning) if t is not None),
        key=lambda t: abs(t - value),
    )
    known = f"{label} ({name})" if label else name
    shown = f"{known} = {hidden or _distinct(value, nearest) + unit}"
    utan = f"{word} {number(criteria.utan_anmarkning)}{unit}"
    if _meets(value, criteria.utan_anmarkning, criteria.better):
        return (
            Assessment.UTAN_ANMARKNING,
            f"{shown} uppfyller gränsen för utan anmärkning ({utan}).",
        )
    forsumbar = criteria.forsumbar_anmarkning
    if forsumbar is not None:
        limit = f"{word} {number(forsumbar)}{unit}"
        if _meets(value, forsumbar, criteria.better):
            return Assessment.FORSUMBAR_ANMARKNING, (
                f"{shown} når inte gränsen för utan anmärkning ({utan}) men gränsen för "
                f"försumbar anmärkning ({limit})."
            )
        return Assessment.MED_ANMARKNING, (
            f"{shown} når inte gränsen för försumbar anmärkning ({limit})."
        )
    return Assessment.MED_ANMARKNING, f"{shown} når inte gränsen för utan anmärkning ({utan})."


def matching_metrics(criteria: Criteria, metrics: dict[str, float | int]) -> dict[str, float]:
    chosen: dict[str, float] = {}
    for pattern in criteria.metrics:
        for name, value in metrics.items():
            if fnmatchcase(name, pattern):
                chosen[name] = float(value)
    return chosen


def missing_metrics(criteria: Criteria, metrics: dict[str, float | int]) -> list[str]:
    """The names or patterns in the criteria that no figure answers to."""
    return [p for p in criteria.metrics if not any(fnmatchcase(n, p) for n in metrics)]


def missing_detail(criteria: Criteria, metrics: dict[str, float | int]) -> str:
    """The criteria's names no figure answers to, and every figure there is: for the
    controller (resultat.json's ``detail``, the terminal), never for Bilaga 1. Empty when none
    is missing."""
    missing = missing_metrics(criteria, metrics)
    if not missing:
        return ""
    known = ", ".join(sorted(metrics)) or "inga"
    word = "Måttet" if len(missing) == 1 else "Måtten"
    wanted = ", ".join(missing)
    return f"{word} {wanted} finns inte i kontrollens resultat (kontrollen gav: {known})."


def missing_reason(
    missing: list[str], labels: Mapping[str, str], explain: Explain | None = None
) -> str:
    """Why the control could not be judged, as a report author can paste it: what was not
    there to count, and which figure therefore could not be computed. Names the same cause
    once for all the figures it took away."""
    causes: dict[str, list[str]] = {}
    for name in missing:
        cause = (explain(name) if explain else None) or ""
        shown = labels.get(name) or ("" if set(name) & set("*?[") else name)
        causes.setdefault(cause, []).append(f"”{shown}”" if shown else "")
    sentences = []
    for cause, named in causes.items():
        known = [label for label in named if label]
        word = "måttet" if len(named) == 1 else "måtten"
        which = f"{word} {join(known)}" if len(known) == len(named) else word
        if cause:
            sentences.append(f"{cause}, så {which} kunde inte beräknas.")
        else:
            it = "det" if len(named) == 1 else "dem"
            sentences.append(
                f"{which[0].upper()}{which[1:]} kunde inte beräknas: underlaget gav inget "
                f"värde för {it} under perioden."
            )
    return " ".join(sentences)


def judge(
    criteria: Criteria,
    metrics: dict[str, float | int],
    labels: Mapping[str, str] | None = None,
    smallest: int = 0,
    explain: Explain | None = None,
) -> tuple[Assessment, str]:
    """The worst assessment over the figures the criteria name, with its reason.

    Every name the criteria list must be there: judging on the half that is would give a
    confident verdict on part of what the plan asked for. The reason then says in plain
    Swedish what was missing (``explain``; ``missing_detail`` has the names for the
    controller). A figure from fewer than ``smallest`` cases is judged as it is, but the
    reason does not show it."""
    missing = missing_metrics(criteria, metrics)
    if missing:
        return Assessment.EJ_GENOMFORD, missing_reason(missing, labels or {}, explain)
    chosen = matching_metrics(criteria, metrics)
    names = labels or {}
    hidden = {name: not_shown(smallest) for name in chosen if too_few(metrics, name, smallest)}
    judged = [
        judge_one(criteria, name, value, names.get(name, ""), hidden.get(name, ""))
        for name, value in chosen.items()
    ]
    worst = max(judged, key=lambda item: SEVERITY[item[0]])
    if len(judged) == 1:
        return worst
    if worst[0] is Assessment.UTAN_ANMARKNING:
        unit = f" {criteria.unit}" if criteria.unit else ""
        word = "minst" if criteria.better == "higher" else "högst"
        figures = ", ".join(
            f"{name} = {hidden.get(name) or number(value) + unit}" for name, value in chosen.items()
        )
        return worst[0], (
            f"Alla {len(judged)} mått uppfyller gränsen för utan anmärkning "
            f"({word} {number(criteria.utan_anmarkning)}{unit}): {figures}."
        )
    return worst[0], f"{worst[1]} Sämst av {len(judged)} mått."
