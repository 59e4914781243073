"""Kommunstyrelsen's overview (sammanställning): every nämnd's internal control in one document.

Per nämnd the number of controls per assessment, then every control judged med anmärkning with
its risk, result and action, and one summary paragraph. It is built from plain rows
(``BodyResults``), so a register that keeps results in a database can call ``overview_document``
without results folders; ``from_folder`` makes the rows from a loaded results folder.
"""

from __future__ import annotations

from dataclasses import dataclass

from internkontroll.assessment import Assessment
from internkontroll.document import Document, Table
from internkontroll.report import ResultsFolder, bilaga1_table
from internkontroll.summary import in_words, points

NOT_ASSESSED = "ej_bedomd"
COUNTED: list[tuple[str, str]] = [
    (Assessment.UTAN_ANMARKNING.value, "Utan anmärkning"),
    (Assessment.FORSUMBAR_ANMARKNING.value, "Försumbar anmärkning"),
    (Assessment.MED_ANMARKNING.value, "Med anmärkning"),
    (Assessment.EJ_GENOMFORD.value, "Ej genomförd"),
    (NOT_ASSESSED, "Ej bedömd"),
]


@dataclass(frozen=True)
class ControlLine:
    """One control of one nämnd, as the overview shows it."""

    control_id: str
    title: str
    risk: str
    assessment: str
    """A key of ``Assessment``, or "ej_bedomd" for a control awaiting a person's assessment."""
    result: str = ""
    action: str = ""


@dataclass(frozen=True)
class BodyResults:
    """One nämnd's results for one year."""

    organisation: str
    year: int
    controls: list[ControlLine]

    def count(self, assessment: str) -> int:
        return sum(1 for c in self.controls if c.assessment == assessment)


def refuse_duplicates(bodies: list[BodyResults]) -> None:
    """The same nämnd and year twice would count its controls twice."""
    seen: set[tuple[str, int]] = set()
    for body in bodies:
        key = (body.organisation.strip().casefold(), body.year)
        if key in seen:
            raise ValueError(
                f"{body.organisation or 'organisationen'} {body.year} finns med två gånger; "
                "varje nämnd och år får bara ingå en gång i sammanställningen"
            )
        seen.add(key)


def counts_table(bodies: list[BodyResults]) -> Table:
    rows = []
    for body in bodies:
        rows.append(
            [
                body.organisation,
                str(body.year),
                str(len(body.controls)),
                *(str(body.count(key)) for key, _ in COUNTED),
            ]
        )
    if len(bodies) > 1:
        rows.append(
            [
                "Totalt",
                "",
                str(sum(len(b.controls) for b in bodies)),
                *(str(sum(b.count(key) for b in bodies)) for key, _ in COUNTED),
            ]
        )
    columns = ["Nämnd", "År", "Kontrollpunkter", *(label for _, label in COUNTED)]
    return Table(
        "sammanstallning",
        "Sammanställning av nämndernas internkontroll",
        columns,
        rows,
        [24, 6, 10, 10, 10, 10, 10, 10],
        sheet="Sammanställning",
        numeric_columns=tuple(range(2, 3 + len(COUNTED))),
    )


def remarks_table(bodies: list[BodyResults]) -> Table:
    rows = [
        [body.organisation, c.risk, c.title, c.result, c.action]
        for body in bodies
        for c in body.controls
        if c.assessment == Assessment.MED_ANMARKNING.value
    ]
    columns = ["Nämnd", "Identifierad risk", "Kontroll", "Resultat", "Åtgärd"]
    return Table(
        "anmarkningar",
        "Kontrollpunkter med anmärkning",
        columns,
        rows,
        [16, 18, 16, 34, 20],
        sheet="Med anmärkning",
    )


def _bodies_genitive(count: int) -> str:
    """"två nämnders", "en nämnds": whose internkontroll the paragraph sums up."""
    return f"{in_words(count)} {'nämnds' if count == 1 else 'nämnders'}"


def overview_summary(bodies: list[BodyResults]) -> str:
    """One paragraph over all nämnder, in the annual report's words."""
    total = sum(len(b.controls) for b in bodies)
    if total == 0:
        return "Sammanställningen innehåller inga kontrollpunkter."
    good = sum(
        b.count(Assessment.UTAN_ANMARKNING.value) + b.count(Assessment.FORSUMBAR_ANMARKNING.value)
        for b in bodies
    )
    med = [b for b in bodies if b.count(Assessment.MED_ANMARKNING.value)]
    with_remarks = sum(b.count(Assessment.MED_ANMARKNING.value) for b in med)
    other = total - good - with_remarks
    years = sorted({b.year for b in bodies})
    year = " och ".join(str(y) for y in years)
    text = (
        f"Sammanställningen av {_bodies_genitive(len(bodies))} internkontroll {year} visar att "
        f"{in_words(good)} av {points(total)} har genomförts utan anmärkning eller med "
        f"försumbar anmärkning"
    )
    if with_remarks:
        text += f" och att {points(with_remarks)} har genomförts med anmärkning"
    sentences = [text + "."]
    if other:
        sentences.append(f"{points(other).capitalize()} har inte genomförts eller bedömts.")
    if med:
        names = [f"{b.organisation} ({b.count(Assessment.MED_ANMARKNING.value)})" for b in med]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]
        sentences.append(f"Anmärkningarna finns hos {listed}.")
    return " ".join(sentences)


def from_folder(folder: ResultsFolder) -> BodyResults:
    """A nämnd's rows from its results folder, with Bilaga 1's result and action cells."""
    bilaga1 = bilaga1_table(folder)
    lines = []
    for index, result in enumerate(folder.results):
        control = folder.controls.get(result["id"])
        risk = folder.risks.get(result["risk"])
        row = bilaga1.rows[index]
        lines.append(
            ControlLine(
                control_id=result["id"],
                title=control.title if control else result["id"],
                risk=risk.title if risk else result["risk"],
                assessment=bilaga1.mark(index) or Assessment.EJ_GENOMFORD.value,
                result=row[4],
                action=row[5],
            )
        )
    return BodyResults(folder.header.organisation, folder.header.year, lines)


def overview_document(bodies: list[BodyResults]) -> Document:
    """The whole overview; refuses the same nämnd and year twice."""
    refuse_duplicates(bodies)
    return Document(
        title="Sammanställning av internkontroll",
        tables=[counts_table(bodies), remarks_table(bodies)],
        summary=overview_summary(bodies),
    )
