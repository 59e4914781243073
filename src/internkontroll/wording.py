"""The plan's ``[report]`` table: how Bilaga 1 words what the checks computed.

An annual report has its own voice ("Risken har hanterats genom kontroll av ...", "Verksamhetens
bedömning är att ...", periods written 240101–240630). The quality unit sets that voice once in
the plan, for all controls, per check (``[report.checks.utredningstid]``) or per control
(``[report.controls.K1]``); the most specific setting wins. Templates name their blanks in braces:
``{period}``, ``{owner}``, ``{SoL.mean_days:dagar}``. Figures are always filled from the results,
never typed into the plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, field_validator

from internkontroll.small_groups import not_shown, too_few
from internkontroll.swedish import DateStyle, count_word, days, number, percent

SampleStatement = Literal["fractions", "statistical", "none"]

DEFAULT_DATE_STYLE: DateStyle = "kompakt"
DEFAULT_VERDICT = "Verksamhetens bedömning är att kontrollpunkten är genomförd {assessment}."
DEFAULT_PROVIDER_INTRODUCTION = (
    "Kommuner får enligt kommunallagen lämna över verksamhet till privata utförare. Kommunen är "
    "dock fortfarande ansvarig för dessa verksamheter på samma sätt som för verksamhet som "
    "bedrivs i egen regi. Kommunens nämnder ska årligen följa upp verksamhet som lämnats till "
    "privata utförare."
)

# The blanks an opening may use; a figures template may also name the control's metrics.
OPENING_FIELDS = {
    "title": "kontrollens titel, med liten begynnelsebokstav",
    "description": "kontrollens beskrivning",
    "period": "kontrollens period i planens datumstil",
    "half_years": "periodens kalenderhalvår, t.ex. 240101–240630 och 240701–241130",
    "quarters": "periodens kalenderkvartal",
    "source": "source_system",
    "method": "kontrollens metod, med liten begynnelsebokstav",
    "owner": "kontrollens ansvarige",
    "sample": "urvalets andelar, t.ex. 15 procent SoL och 25 procent LSS",
    "period_change": "meningen om att perioden ändrats (kräver period_reason)",
    "organisation": "planens organisation",
    "year": "planens år",
}
VERDICT_FIELDS = {"assessment": "bedömningen, t.ex. utan anmärkning"}


def _days(value: float) -> str:
    return days(value)


def _whole(value: float) -> str:
    return number(value, 0)


def _kronor(value: float) -> str:
    return f"{number(value, 0)} kr"


def _hours(value: float) -> str:
    return count_word(round(value), "timme", "timmar")


METRIC_FORMATS: dict[str, Callable[[float], str]] = {
    "": number,
    "tal": number,
    "heltal": _whole,
    "dagar": _days,
    "procent": percent,
    "kr": _kronor,
    "timmar": _hours,
}

_BLANK = re.compile(r"\{\{|\}\}|\{([^{}:]*)(?::([^{}]*))?\}")


@dataclass(frozen=True)
class Blank:
    name: str
    format: str


def blanks(template: str) -> list[Blank]:
    """The blanks of ``template``; ``ValueError`` in Swedish for a stray brace or unknown format."""
    found: list[Blank] = []
    rest = _BLANK.sub(lambda m: "" if m[0] in ("{{", "}}") else "\0", template)
    if "{" in rest or "}" in rest:
        raise ValueError(
            "en klammerparentes står ensam; skriv {namn} för ett fält och {{ eller }} för en "
            "klammer i texten"
        )
    for match in _BLANK.finditer(template):
        if match[0] in ("{{", "}}"):
            continue
        name, fmt = match[1].strip(), (match[2] or "").strip()
        if not name:
            raise ValueError("tomt fält {} i mallen; skriv t.ex. {period}")
        if fmt not in METRIC_FORMATS:
            known = ", ".join(f for f in METRIC_FORMATS if f)
            raise ValueError(f"okänt format {fmt!r} i {{{name}:{fmt}}}; kända: {known}")
        found.append(Blank(name, fmt))
    return found


def fill(
    template: str,
    text: Mapping[str, str],
    metrics: Mapping[str, float] | None = None,
    smallest: int = 0,
) -> str:
    """``template`` with its blanks filled: text fields as they are, metrics formatted, and a
    group's figure from fewer than ``smallest`` cases masked (``small_groups``).

    Raises ``KeyError`` with the name of a blank that has no value.
    """

    def value(match: re.Match[str]) -> str:
        if match[0] == "{{":
            return "{"
        if match[0] == "}}":
            return "}"
        name, fmt = match[1].strip(), (match[2] or "").strip()
        if not fmt and name in text:
            return text[name]
        if metrics is not None and name in metrics:
            if too_few(metrics, name, smallest):
                return not_shown(smallest)
            return METRIC_FORMATS[fmt](metrics[name])
        raise KeyError(name)

    return tidy(_BLANK.sub(value, template))


def tidy(text: str) -> str:
    """Blank fields leave no double spaces or spaces before a full stop; paragraphs stay."""
    paragraphs = [re.sub(r"[ \t]+", " ", p).replace(" .", ".").strip() for p in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


class Wording(BaseModel):
    """The settings that may be given for the whole plan, a check or a control."""

    model_config = ConfigDict(extra="forbid")

    date_style: DateStyle | None = None
    """kompakt (240101–240630; enstaka dagar utskrivna), lång (1 januari 2024 till 30 juni
    2024) or iso (2024-01-01–2024-06-30)."""
    opening: str | None = None
    """The opening paragraph(s) before the figures; blanks from ``OPENING_FIELDS``."""
    figures: str | None = None
    """Replaces the check's own result sentence; blanks are metric names or opening fields."""
    source_system: str | None = None
    verdict_phrase: str | None = None
    """The verdict sentence, with ``{assessment}``."""
    sample_statement: SampleStatement | None = None
    period_reason: str | None = None
    """Why the control's period differs from the plan's, e.g. "för att möjliggöra en kontroll
    innan årsskiftet"; gives the ``{period_change}`` sentence."""
    purpose: str | None = None
    """What the control checks, for the summary: "för att säkerställa att ..."."""

    @field_validator("opening")
    @classmethod
    def _opening_blanks(cls, value: str | None) -> str | None:
        return _only(value, OPENING_FIELDS)

    @field_validator("verdict_phrase")
    @classmethod
    def _verdict_blanks(cls, value: str | None) -> str | None:
        return _only(value, VERDICT_FIELDS)

    @field_validator("figures")
    @classmethod
    def _figure_blanks(cls, value: str | None) -> str | None:
        if value is not None:
            blanks(value)
        return value


def _only(template: str | None, allowed: Mapping[str, str]) -> str | None:
    if template is None:
        return None
    for blank in blanks(template):
        if blank.name not in allowed or blank.format:
            known = ", ".join("{" + name + "}" for name in allowed)
            raise ValueError(f"okänt fält {{{blank.name}}} i mallen; kända fält: {known}")
    return template


T = TypeVar("T")


def _first(values: Iterable[T | None]) -> T | None:
    return next((v for v in values if v is not None), None)


class ReportSettings(Wording):
    """``[report]``: plan-wide wording, with ``checks`` and ``controls`` overriding it."""

    keep_case: list[str] = []
    """Names that keep their capital letter mid-sentence, e.g. ["Solrosen", "Combine"]."""
    provider_introduction: str | None = None
    """The paragraph above Bilaga 2; the seed's text about kommunallagen by default."""
    checks: dict[str, Wording] = {}
    controls: dict[str, Wording] = {}

    def for_control(self, control_id: str, check: str | None) -> ControlWording:
        layers: list[Wording] = [self]
        if check is not None and check in self.checks:
            layers.append(self.checks[check])
        if control_id in self.controls:
            layers.append(self.controls[control_id])

        layers.reverse()
        return ControlWording(
            date_style=_first(w.date_style for w in layers) or DEFAULT_DATE_STYLE,
            opening=_first(w.opening for w in layers),
            figures=_first(w.figures for w in layers),
            source_system=_first(w.source_system for w in layers) or "",
            verdict_phrase=_first(w.verdict_phrase for w in layers) or DEFAULT_VERDICT,
            sample_statement=_first(w.sample_statement for w in layers),
            period_reason=_first(w.period_reason for w in layers) or "",
            purpose=_first(w.purpose for w in layers) or "",
            keep_case=tuple(self.keep_case),
        )

    @property
    def introduction(self) -> str:
        if self.provider_introduction is None:
            return DEFAULT_PROVIDER_INTRODUCTION
        return self.provider_introduction.strip()


@dataclass(frozen=True)
class ControlWording:
    """The wording in force for one control, every setting resolved."""

    date_style: DateStyle
    opening: str | None
    figures: str | None
    source_system: str
    verdict_phrase: str
    sample_statement: SampleStatement | None
    """None: fractions for a sample sized by fraction or count, statistical for a planned one."""
    period_reason: str
    purpose: str
    keep_case: tuple[str, ...] = ()
