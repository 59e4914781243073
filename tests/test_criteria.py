"""Criteria turn figures into assessments, where higher is better and where lower is better."""

from __future__ import annotations

import pytest

from internkontroll.assessment import Assessment
from internkontroll.criteria import judge, missing_detail
from internkontroll.models import Criteria

RATE = Criteria(metric="*.rate", better="higher", utan_anmarkning=0.95, forsumbar_anmarkning=0.9)
DAYS = Criteria(metric="LSS.mean_days", better="lower", utan_anmarkning=60, unit="dagar")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, Assessment.UTAN_ANMARKNING),
        (0.95, Assessment.UTAN_ANMARKNING),
        (0.949, Assessment.FORSUMBAR_ANMARKNING),
        (0.9, Assessment.FORSUMBAR_ANMARKNING),
        (0.89, Assessment.MED_ANMARKNING),
    ],
)
def test_higher_is_better(value: float, expected: Assessment) -> None:
    assert judge(RATE, {"SoL.rate": value})[0] is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (40, Assessment.UTAN_ANMARKNING),
        (60, Assessment.UTAN_ANMARKNING),
        (60.5, Assessment.MED_ANMARKNING),
    ],
)
def test_lower_is_better(value: float, expected: Assessment) -> None:
    assert judge(DAYS, {"LSS.mean_days": value})[0] is expected


def test_reason_names_figure_and_threshold() -> None:
    _, reason = judge(DAYS, {"LSS.mean_days": 72.25})
    assert (
        reason
        == "LSS.mean_days = 72,25 dagar når inte gränsen för utan anmärkning (högst 60 dagar)."
    )


def test_worst_of_several_figures_decides() -> None:
    assessment, reason = judge(RATE, {"a.rate": 0.99, "b.rate": 0.5, "c.rate": 0.92, "n": 3})
    assert assessment is Assessment.MED_ANMARKNING
    assert reason.startswith("b.rate = 0,5 ")
    assert "Sämst av 3 mått" in reason


def test_missing_metric_means_not_carried_out() -> None:
    assessment, reason = judge(DAYS, {"SoL.mean_days": 3})
    assert assessment is Assessment.EJ_GENOMFORD
    assert reason == (
        "Måttet ”LSS.mean_days” kunde inte beräknas: underlaget gav inget värde för det under "
        "perioden."
    )
    assert "LSS.mean_days finns inte" in missing_detail(DAYS, {"SoL.mean_days": 3})


def test_thresholds_in_the_wrong_order_are_refused() -> None:
    with pytest.raises(ValueError, match="försumbar"):
        Criteria(metric="x", better="higher", utan_anmarkning=0.9, forsumbar_anmarkning=0.95)
