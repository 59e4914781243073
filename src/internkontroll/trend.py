"""A risk over the years: its score and level, and how its controls were assessed each year.

Built from plain rows (``RiskYear``), like the overview, so that results folders and the register
give the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

from internkontroll.document import Document, Table
from internkontroll.overview import COUNTED, from_folder
from internkontroll.report import ResultsFolder

LABELS = dict(COUNTED)


@dataclass(frozen=True)
class RiskYear:
    """One risk of one nämnd in one year, with its controls' assessments (id, key)."""

    organisation: str
    year: int
    risk_id: str
    title: str
    score: int
    level: str
    controls: tuple[tuple[str, str], ...]


def from_results_folder(folder: ResultsFolder) -> list[RiskYear]:
    """The rows of one results folder: each risk with the overview's assessment per control."""
    lines = from_folder(folder).controls
    header = folder.header
    return [
        RiskYear(
            organisation=header.organisation,
            year=header.year,
            risk_id=risk.id,
            title=risk.title,
            score=risk.score,
            level=folder.scale.level_for(risk.score).name,
            controls=tuple(
                (line.control_id, line.assessment)
                for line in lines
                if _risk_of(folder, line.control_id) == risk.id
            ),
        )
        for risk in folder.risks.values()
    ]


def _risk_of(folder: ResultsFolder, control_id: str) -> str | None:
    control = folder.controls.get(control_id)
    return control.risk if control else None


def _change(previous: RiskYear | None, current: RiskYear) -> str:
    if previous is None or (previous.organisation, previous.risk_id) != (
        current.organisation,
        current.risk_id,
    ):
        return ""
    if current.score > previous.score:
        return f"höjt från {previous.score}"
    if current.score < previous.score:
        return f"sänkt från {previous.score}"
    return "oförändrat"


def trend_table(rows: list[RiskYear]) -> Table:
    """Per nämnd and risk, one row per year, oldest first."""
    ordered = sorted(rows, key=lambda r: (r.organisation, r.risk_id, r.year))
    cells = []
    previous: RiskYear | None = None
    for row in ordered:
        controls = "; ".join(
            f"{control_id} {LABELS.get(key, key).lower()}" for control_id, key in row.controls
        )
        cells.append(
            [
                row.organisation,
                f"{row.risk_id} {row.title}",
                str(row.year),
                str(row.score),
                row.level,
                _change(previous, row),
                controls or "ingen kontroll",
            ]
        )
        previous = row
    columns = ["Nämnd", "Risk", "År", "Riskvärde", "Nivå", "Förändring", "Kontrollernas bedömning"]
    return Table(
        "trend",
        "Riskerna över åren",
        columns,
        cells,
        [16, 28, 6, 8, 10, 12, 30],
        sheet="Risker över åren",
        numeric_columns=(2, 3),
    )


def trend_document(rows: list[RiskYear]) -> Document:
    """The trend table as a document."""
    years = sorted({r.year for r in rows})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
    return Document(title=f"Riskerna över åren {span}".strip(), tables=[trend_table(rows)])
