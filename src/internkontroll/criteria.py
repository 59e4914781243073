"""Turning figures into an assessment with the control's criteria, in either direction.

``better = "higher"``: a rate must be at least the threshold. ``better = "lower"``: days must be at
most the threshold. The reason names the figure and the threshold so that a reader can check it,
unless the figure is a group's from fewer cases than a report may show (``small_groups``).
"""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase

from internkontroll.assessment import SEVERITY, Assessment
from internkontroll.models import Criteria
from internkontroll.small_groups import not_shown, too_few
from internkontroll.swedish import number


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


def judge(
    criteria: Criteria,
    metrics: dict[str, float | int],
    labels: Mapping[str, str] | None = None,
    smallest: int = 0,
) -> tuple[Assessment, str]:
    """The worst assessment over the figures the criteria name, with its reason.

    Every name the criteria list must be there: judging on the half that is would give a
    confident verdict on part of what the plan asked for. A figure from fewer than
    ``smallest`` cases is judged as it is, but the reason does not show it."""
    missing = missing_metrics(criteria, metrics)
    if missing:
        wanted = ", ".join(missing)
        known = ", ".join(sorted(metrics)) or "inga"
        word = "Måttet" if len(missing) == 1 else "Måtten"
        return Assessment.EJ_GENOMFORD, (
            f"{word} {wanted} finns inte i kontrollens resultat (kontrollen gav: {known})."
        )
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
