"""The summary paragraph: none, one, two and all with anmärkning, and controls not carried out."""

from __future__ import annotations

import pytest

from internkontroll.models import Control, PlanHeader, RiskScale
from internkontroll.report import ResultsFolder
from internkontroll.summary import summary_paragraph

TITLES = [
    "Utredningstid",
    "Verkställighetstid",
    "Uppföljning av tidsbegränsade beslut",
    "Uppföljning av tillsvidarebeslut",
]


def folder(*assessments: str) -> ResultsFolder:
    controls = {
        f"K{i}": Control(id=f"K{i}", risk="R1", title=TITLES[i % 4], check="x", dataset="d")
        for i in range(len(assessments))
    }
    return ResultsFolder(
        header=PlanHeader(title="Internkontrollplan 2024", year=2024),
        scale=RiskScale(),
        risks={},
        controls=controls,
        actions=[],
        provider_reviews=[],
        results=[{"id": f"K{i}", "assessment": a} for i, a in enumerate(assessments)],
        people={},
    )


U, F, M, E = "utan_anmarkning", "forsumbar_anmarkning", "med_anmarkning", "ej_genomford"
END = " En redogörelse av de genomförda kontrollerna redovisas i bilaga 1."


@pytest.mark.parametrize(
    ("assessments", "text"),
    [
        (
            (U, F, U, M),
            "Uppföljningen vid årsbokslutet visar att tre av fyra kontrollpunkter i "
            "internkontrollplan 2024 har genomförts utan anmärkning eller med försumbar anmärkning, "
            "medan en kontrollpunkt har genomförts med anmärkning. Anmärkningen avser "
            "kontrollpunkten uppföljning av tillsvidarebeslut." + END,
        ),
        (
            (U, U, U, U),
            "Uppföljningen vid årsbokslutet visar att samtliga fyra kontrollpunkter i "
            "internkontrollplan 2024 har genomförts utan anmärkning." + END,
        ),
        (
            (U, M, U, M),
            "Uppföljningen vid årsbokslutet visar att två av fyra kontrollpunkter i "
            "internkontrollplan 2024 har genomförts utan anmärkning, medan två kontrollpunkter har "
            "genomförts med anmärkning. Anmärkningarna avser kontrollpunkterna verkställighetstid "
            "och uppföljning av tillsvidarebeslut." + END,
        ),
        (
            (M, M, M),
            "Uppföljningen vid årsbokslutet visar att samtliga tre kontrollpunkter i "
            "internkontrollplan 2024 har genomförts med anmärkning. Anmärkningarna avser "
            "kontrollpunkterna utredningstid, verkställighetstid och uppföljning av tidsbegränsade "
            "beslut." + END,
        ),
        (
            (F,),
            "Uppföljningen vid årsbokslutet visar att kontrollpunkten i internkontrollplan "
            "2024 har genomförts med försumbar anmärkning." + END,
        ),
        (
            (U, E, M),
            "Uppföljningen vid årsbokslutet visar att en av tre kontrollpunkter i "
            "internkontrollplan 2024 har genomförts utan anmärkning, medan en kontrollpunkt har "
            "genomförts med anmärkning. Kontrollpunkten verkställighetstid har inte genomförts. "
            "Anmärkningen avser kontrollpunkten uppföljning av tidsbegränsade beslut." + END,
        ),
        (
            (E, E),
            "Uppföljningen vid årsbokslutet visar att ingen av de två kontrollpunkterna i "
            "internkontrollplan 2024 har genomförts." + END,
        ),
    ],
)
def test_summary(assessments: tuple[str, ...], text: str) -> None:
    assert summary_paragraph(folder(*assessments)) == text


def test_interim_report_wording() -> None:
    assert summary_paragraph(folder(U), "delårsbokslutet").startswith(
        "Uppföljningen vid delårsbokslutet visar att kontrollpunkten i"
    )
