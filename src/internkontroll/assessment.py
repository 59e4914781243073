"""The annual report's four-step assessment scale and its Swedish words."""

from enum import StrEnum


class Assessment(StrEnum):
    """How a control turned out; ordered from best to worst except ``ej_genomford``."""

    UTAN_ANMARKNING = "utan_anmarkning"
    FORSUMBAR_ANMARKNING = "forsumbar_anmarkning"
    MED_ANMARKNING = "med_anmarkning"
    EJ_GENOMFORD = "ej_genomford"

    @property
    def label(self) -> str:
        """The Swedish words a report shows."""
        return LABELS[self]

    @property
    def phrase(self) -> str:
        """As in "kontrollpunkten är genomförd med försumbar anmärkning"."""
        return PHRASES[self]


LABELS: dict[Assessment, str] = {
    Assessment.UTAN_ANMARKNING: "Utan anmärkning",
    Assessment.FORSUMBAR_ANMARKNING: "Försumbar anmärkning",
    Assessment.MED_ANMARKNING: "Med anmärkning",
    Assessment.EJ_GENOMFORD: "Ej genomförd",
}

PHRASES: dict[Assessment, str] = {
    Assessment.UTAN_ANMARKNING: "utan anmärkning",
    Assessment.FORSUMBAR_ANMARKNING: "med försumbar anmärkning",
    Assessment.MED_ANMARKNING: "med anmärkning",
    Assessment.EJ_GENOMFORD: "ej genomförd",
}

# Worst first when several figures are judged: ej_genomford outranks everything.
SEVERITY: dict[Assessment, int] = {
    Assessment.UTAN_ANMARKNING: 0,
    Assessment.FORSUMBAR_ANMARKNING: 1,
    Assessment.MED_ANMARKNING: 2,
    Assessment.EJ_GENOMFORD: 3,
}


def parse_assessment(text: str) -> Assessment | None:
    """Read an assessment as a person writes it: the key or the Swedish words."""
    wanted = text.strip().lower()
    for assessment in Assessment:
        if wanted in (assessment.value, assessment.label.lower()):
            return assessment
    return None
