"""The internkontrollplan the nämnd adopts, from the plan alone: the first document of the year.

An introduction, the risk analysis (with how each risk is handled and why), the risk matrix as a
table whose cells are shaded by level (so Word needs no picture converter), and the controls:
what is checked, how, how much, how often, by whom and when it is reported. From a results folder
the control table also says where each control stands (planerad, pågår, genomförd).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from internkontroll.document import Document, Table
from internkontroll.manual import STATUS_LABELS
from internkontroll.models import Control, Period, PlanHeader, Risk, RiskScale, SampleSpec
from internkontroll.summary import in_words
from internkontroll.swedish import DateStyle, join, span_text
from internkontroll.wording import ReportSettings

HANDLING_LABELS = {
    "kontroll": "Kontroll",
    "atgard": "Åtgärd",
    "accepteras": "Accepteras",
    "bevakas": "Bevakas",
}
MOMENT_LABELS = {"delår": "Delår", "helår": "Helår"}


def _level(scale: RiskScale, risk: Risk) -> str:
    return scale.level_for(risk.score).name


def _scaled(labels: list[str], value: int) -> str:
    return f"{value} – {labels[value - 1]}" if 1 <= value <= len(labels) else str(value)


def risk_analysis_table(risks: list[Risk], scale: RiskScale) -> Table:
    rows = []
    fills: dict[tuple[int, int], str] = {}
    for index, risk in enumerate(risks):
        motivation = risk.motivation
        if risk.source:
            motivation = f"{motivation}\n\nKälla: {risk.source}".strip()
        rows.append(
            [
                f"{risk.id}. {risk.title}",
                risk.description,
                _scaled(scale.likelihood, risk.likelihood),
                _scaled(scale.impact, risk.impact),
                f"{risk.score} ({_level(scale, risk)})",
                HANDLING_LABELS.get(risk.handling or "", ""),
                motivation,
            ]
        )
        fills[(index, 4)] = scale.level_for(risk.score).colour.lstrip("#").upper()
    columns = [
        "Risk",
        "Beskrivning",
        "Sannolikhet",
        "Konsekvens",
        "Riskvärde",
        "Hantering",
        "Motivering",
    ]
    return Table("riskanalys", "Riskanalys", columns, rows, [18, 26, 10, 10, 8, 9, 19], fills=fills)


def risk_matrix_table(risks: list[Risk], scale: RiskScale) -> Table:
    """Likelihood down (highest first), impact across; each cell its risks' ids and its level,
    shaded with the level's colour so the grid reads in colour and in black and white."""
    columns = ["Sannolikhet \\ Konsekvens"] + [
        _scaled(scale.impact, impact) for impact in range(1, len(scale.impact) + 1)
    ]
    rows: list[list[str]] = []
    fills: dict[tuple[int, int], str] = {}
    for row, likelihood in enumerate(range(len(scale.likelihood), 0, -1)):
        cells = [_scaled(scale.likelihood, likelihood)]
        for impact in range(1, len(scale.impact) + 1):
            level = scale.level_for(likelihood * impact)
            ids = [r.id for r in risks if r.likelihood == likelihood and r.impact == impact]
            cells.append(f"{', '.join(ids)}\n({level.name})" if ids else f"({level.name})")
            fills[(row, impact)] = level.colour.lstrip("#").upper()
        rows.append(cells)
    widths = [16] + [12] * len(scale.impact)
    return Table("riskmatris", "Riskmatris", columns, rows, widths, fills=fills)


def _percent(share: float) -> str:
    text = f"{share * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} %"


def _money(value: float | str) -> str:
    return value.strip() if isinstance(value, str) else f"{value:,.0f} kr".replace(",", "\u00a0")


def _sample_scope(sample: SampleSpec) -> str:
    if sample.method == "monetary":
        tolerable = sample.tolerable_misstatement
        limit = f", tolerabelt felbelopp {_money(tolerable)}" if tolerable is not None else ""
        return f"Beloppsurval, {_percent(sample.confidence)} säkerhet{limit}"
    if sample.tolerable is not None:
        return (
            f"Stickprov, storlek för {_percent(sample.confidence)} säkerhet och "
            f"{_percent(sample.tolerable)} tolerabel avvikelse"
        )
    if isinstance(sample.fraction, dict):
        return "Stickprov " + join([f"{_percent(v)} {k}" for k, v in sample.fraction.items()])
    if sample.fraction is not None:
        return f"Stickprov {_percent(sample.fraction)}"
    if isinstance(sample.count, dict):
        return "Stickprov " + join([f"{v} {k}" for k, v in sample.count.items()])
    if sample.count is not None:
        return f"Stickprov {sample.count} ärenden"
    return "Stickprov"


def scope(control: Control, period: Period | None, date_style: DateStyle = "kompakt") -> str:
    """Omfattning/urval: the sample, the checklist, or the whole population, and the period."""
    if control.sample is not None:
        what = _sample_scope(control.sample)
    elif control.items:
        count = len(control.items)
        what = f"Checklista, {in_words(count)} punkt{'' if count == 1 else 'er'}"
    elif control.check is not None:
        what = "Samtliga ärenden"
    else:
        what = ""
    span = f"period {span_text(period.start, period.end, date_style)}" if period is not None else ""
    return ", ".join(p for p in (what, span) if p).capitalize() if what else span.capitalize()


def control_table(
    controls: list[Control],
    header: PlanHeader,
    statuses: Mapping[str, str] | None = None,
    wording: ReportSettings | None = None,
) -> Table:
    """The plan's controls; with ``statuses`` (from a results folder) a Status column too.
    Periods are written in the date style of the plan's ``[report]``."""
    wording = wording or ReportSettings()
    rows = []
    for control in controls:
        year = header.year
        period = (
            control.period
            or header.period
            or Period(start=date(year, 1, 1), end=date(year, 12, 31))
        )
        row = [
            f"{control.title}\n\n{control.description}".strip(),
            control.risk,
            control.method or ("Manuell kontroll" if control.check is None else ""),
            scope(control, period, wording.for_control(control.id, control.check).date_style),
            control.frequency.capitalize(),
            control.owner,
            join([MOMENT_LABELS.get(m, m) for m in control.report_at]).capitalize(),
        ]
        if statuses is not None:
            row.append(STATUS_LABELS.get(statuses.get(control.id, "planerad"), "Planerad"))
        rows.append(row)
    columns = [
        "Kontrollmoment",
        "Risk",
        "Metod",
        "Omfattning/urval",
        "Frekvens",
        "Ansvarig",
        "Rapporteras",
    ]
    widths: list[float] = [26, 6, 16, 16, 10, 14, 10]
    if statuses is not None:
        columns.append("Status")
        widths.append(9)
    return Table("kontroller", "Kontrollmoment", columns, rows, widths)


def flat_table(
    risks: list[Risk],
    scale: RiskScale,
    controls: list[Control],
    header: PlanHeader,
    statuses: Mapping[str, str] | None = None,
    wording: ReportSettings | None = None,
) -> Table:
    """Risk and control side by side, one row per control (a risk without one gets its own
    row): the plan as a single sheet to filter in Excel."""
    analysis = risk_analysis_table(risks, scale)
    listed = control_table(controls, header, statuses, wording)
    blank_control = [""] * len(listed.columns)
    rows: list[list[str]] = []
    for risk, risk_row in zip(risks, analysis.rows, strict=True):
        mine = [
            row
            for control, row in zip(controls, listed.rows, strict=True)
            if control.risk == risk.id
        ]
        rows.extend(risk_row + row for row in mine or [blank_control])
    columns = analysis.columns + listed.columns
    return Table("plan", header.title, columns, rows)


def _ett(count: int) -> str:
    """Numbers for neuter nouns: "ett kontrollmoment", "två kontrollmoment"."""
    return "ett" if count == 1 else in_words(count)


def introduction(
    header: PlanHeader, risks: list[Risk], controls: list[Control], scale: RiskScale
) -> str:
    who = header.organisation or "Nämnden"
    manual = sum(c.check is None for c in controls)
    handled = [r for r in risks if r.handling == "kontroll"]
    first = (
        f"{who} ska enligt kommunallagen (6 kap. 6 §) se till att den interna kontrollen är "
        f"tillräcklig. Internkontrollplanen för {header.year} bygger på nämndens riskanalys: "
        f"{in_words(len(risks))} {'risk' if len(risks) == 1 else 'risker'} har bedömts efter "
        f"sannolikhet och konsekvens på en skala 1–{len(scale.likelihood)} × "
        f"1–{len(scale.impact)}, och riskvärdet är produkten av de två."
    )
    handling = (
        f"{in_words(len(handled)).capitalize()} av riskerna hanteras genom kontroll. "
        if handled
        else ""
    )
    second = (
        f"{handling}Planen har {_ett(len(controls)) if controls else 'inga'} kontrollmoment"
        + (f", varav {_ett(manual)} {'manuellt' if manual == 1 else 'manuella'}" if manual else "")
        + "."
    )
    if any(c.report_at for c in controls):
        second += (
            " Resultatet redovisas till nämnden vid delårs- och helårsbokslutet enligt "
            "kolumnen Rapporteras."
        )
    return f"{first}\n\n{second}"


def plan_document(
    header: PlanHeader,
    scale: RiskScale,
    risks: list[Risk],
    controls: list[Control],
    statuses: Mapping[str, str] | None = None,
    wording: ReportSettings | None = None,
) -> Document:
    """The whole plan document: introduction, risk analysis, matrix and controls."""
    title = header.title
    if header.organisation:
        title = f"{title}, {header.organisation}"
    return Document(
        title=title,
        summary=introduction(header, risks, controls, scale),
        summary_title="Inledning",
        tables=[
            risk_analysis_table(risks, scale),
            risk_matrix_table(risks, scale),
            control_table(controls, header, statuses, wording),
        ],
        single=flat_table(risks, scale, controls, header, statuses, wording),
    )
