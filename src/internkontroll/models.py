"""The plan models: what the quality unit writes in its plan file.

Keys are English; the texts people read are Swedish. Every model forbids unknown keys so that a
misspelt key in a plan is an error with a line number, not a silent default.
"""

from __future__ import annotations

import datetime
from datetime import date
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from internkontroll.safe_names import check_name
from internkontroll.wording import ReportSettings


def _plain_path(value: str) -> str:
    """A path the file system can be asked about: no NUL or other control character, which
    the operating system refuses with an error of its own."""
    bad = next((c for c in value if ord(c) < 32 or ord(c) == 127), None)
    if bad is not None:
        raise ValueError(
            f"sökvägen '{value.encode('unicode_escape').decode()}' innehåller ett styrtecken "
            f"(U+{ord(bad):04X}); skriv sökvägen utan det"
        )
    return value


PathText = Annotated[str, AfterValidator(_plain_path)]
"""A relative path written in a plan."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


FIRST_YEAR, LAST_YEAR = 1900, 2199
"""The years a plan and its periods may name: 0001-01-01 or 9999-12-31 is a slip, and the
half-years and follow-up dates counted from such a day fall outside what a date can hold."""


class Period(Strict):
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("periodens slut ligger före dess början")
        if not FIRST_YEAR <= self.start.year <= self.end.year <= LAST_YEAR:
            raise ValueError(
                f"perioden {self.start}–{self.end} ska ligga mellan {FIRST_YEAR}-01-01 och "
                f"{LAST_YEAR}-12-31"
            )
        return self

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def label(self) -> str:
        """The annual report's short form, e.g. 231201–241130."""
        return f"{self.start:%y%m%d}–{self.end:%y%m%d}"


class RiskLevel(Strict):
    name: str
    min_score: int = Field(ge=1)
    colour: str = "#ffffff"


def _default_levels() -> list[RiskLevel]:
    return [
        RiskLevel(name="Låg", min_score=1, colour="#9bd49b"),
        RiskLevel(name="Medel", min_score=4, colour="#f7e07b"),
        RiskLevel(name="Hög", min_score=8, colour="#f4a460"),
        RiskLevel(name="Mycket hög", min_score=12, colour="#e06666"),
    ]


class RiskScale(Strict):
    """The likelihood × impact grid; labels run from 1 upwards, levels by lowest score."""

    likelihood: list[str] = Field(
        default_factory=lambda: ["Osannolik", "Mindre sannolik", "Möjlig", "Sannolik"],
        min_length=2,
    )
    impact: list[str] = Field(
        default_factory=lambda: ["Försumbar", "Lindrig", "Kännbar", "Allvarlig"], min_length=2
    )
    level: list[RiskLevel] = Field(default_factory=_default_levels, min_length=1)

    @field_validator("level")
    @classmethod
    def _sorted(cls, levels: list[RiskLevel]) -> list[RiskLevel]:
        return sorted(levels, key=lambda lvl: lvl.min_score)

    def level_for(self, score: int) -> RiskLevel:
        chosen = self.level[0]
        for lvl in self.level:
            if score >= lvl.min_score:
                chosen = lvl
        return chosen


class Risk(Strict):
    id: str = Field(min_length=1)
    title: str
    description: str = ""
    likelihood: int = Field(ge=1)
    impact: int = Field(ge=1)
    owner: str = ""
    handling: Literal["kontroll", "atgard", "accepteras", "bevakas"] | None = None
    """How the risk is met: by a control, an action, accepted, or watched."""
    motivation: str = ""
    source: str = ""
    """Where the risk comes from, e.g. "kommungemensam", "nämndinitiativ", "egen riskanalys"."""

    _safe_id = field_validator("id")(check_name)

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class DatasetSpec(Strict):
    """An export mapped onto canonical fields: ``columns`` maps field to header."""

    path: PathText
    columns: dict[str, str] = {}
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | int | None = None
    events: list[str] | None = None
    """Date fields that record when something happened (verkställd, uppföljd): a run with
    ``--as-of`` reads a date after that day as not yet happened. For a check that does not say
    which of its dates are events; an empty list says none are."""

    @model_validator(mode="after")
    def _mapped_events(self) -> DatasetSpec:
        unmapped = [name for name in self.events or () if name not in self.columns]
        if unmapped:
            raise ValueError(
                f"events nämner {', '.join(unmapped)}, som inte finns i columns; väntade fält "
                "som datamängden mappar"
            )
        return self

    @field_validator("delimiter")
    @classmethod
    def _one_char(cls, value: str | None) -> str | None:
        if value is not None and len(value) != 1:
            raise ValueError('avgränsaren ska vara ett enda tecken, t.ex. ";"')
        if value is not None and value in '\r\n"':
            raise ValueError(
                f"{value!r} kan inte vara avgränsare (radslut och citattecken har redan en "
                'betydelse i en CSV); väntade t.ex. ";", ",", "\\t" eller "|"'
            )
        return value

    @field_validator("encoding")
    @classmethod
    def _line_by_line(cls, value: str | None) -> str | None:
        from internkontroll.encodings import refuse_encoding

        return refuse_encoding(value)


class Criteria(Strict):
    """How a figure becomes an assessment.

    ``better = "higher"`` for rates (at least the threshold), ``"lower"`` for days (at most).
    ``metric`` may be a list or a shell pattern such as ``"*.mean_days"``: the worst figure decides.
    """

    metric: str | list[str]
    better: Literal["higher", "lower"]
    utan_anmarkning: float
    forsumbar_anmarkning: float | None = None
    unit: str = ""

    @model_validator(mode="after")
    def _thresholds_in_order(self) -> Criteria:
        f = self.forsumbar_anmarkning
        if f is not None:
            if self.better == "higher" and f > self.utan_anmarkning:
                raise ValueError(
                    "när högre är bättre ska gränsen för försumbar anmärkning vara lägre än "
                    "gränsen för utan anmärkning"
                )
            if self.better == "lower" and f < self.utan_anmarkning:
                raise ValueError(
                    "när lägre är bättre ska gränsen för försumbar anmärkning vara högre än "
                    "gränsen för utan anmärkning"
                )
        return self

    @property
    def metrics(self) -> list[str]:
        return [self.metric] if isinstance(self.metric, str) else list(self.metric)


class SampleSpec(Strict):
    """``[control.sample]``: how the control's population is sampled (stickprov).

    Give the size as ``fraction`` or ``count`` (one number, or one per stratum), or give
    ``tolerable`` (and optionally ``expected`` or ``expected_rate``, and ``model``) and the size
    follows from planning at ``confidence``. ``method = "monetary"`` is monetary-unit sampling:
    the size follows from ``tolerable_misstatement`` and ``expected_misstatement`` (kronor, or a
    share of the book value such as ``"5 %"``). ``worksheet`` names the reviewer's filled
    worksheet, when there is one.
    """

    method: Literal["random", "systematic", "stratified", "monetary"] = "random"
    stratify_by: str | None = None
    fraction: float | dict[str, float] | None = None
    count: int | dict[str, int] | None = None
    seed: int
    confidence: float = Field(default=0.95, gt=0, lt=1)
    tolerable: float | None = Field(default=None, gt=0, lt=1)
    expected: int = Field(default=0, ge=0)
    expected_rate: float | None = Field(default=None, ge=0, lt=1)
    model: Literal["binomial", "poisson", "hypergeometric"] = "binomial"
    tolerable_misstatement: float | str | None = None
    expected_misstatement: float | str = 0
    bound: Literal["stringer", "poisson"] = "stringer"
    amount_field: str = "amount"
    worksheet: PathText | None = None

    @model_validator(mode="after")
    def _one_size(self) -> SampleSpec:
        if self.expected and self.expected_rate is not None:
            raise ValueError(
                "ange antingen expected (antal) eller expected_rate (andel), inte båda"
            )
        if self.method == "monetary":
            from internkontroll.monetary import check_monetary_spec  # with its gamma function

            check_monetary_spec(self)
            return self
        if self.tolerable_misstatement is not None or self.expected_misstatement != 0:
            raise ValueError(
                'tolerable_misstatement och expected_misstatement kräver method = "monetary"'
            )
        given = [k for k in ("fraction", "count", "tolerable") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "ange urvalets storlek på ett sätt: fraction, count eller tolerable "
                f"(nu: {', '.join(given) or 'inget'})"
            )
        if self.method == "stratified" and not self.stratify_by:
            raise ValueError('method = "stratified" kräver stratify_by, t.ex. "law"')
        if self.method != "stratified" and (
            isinstance(self.fraction, dict) or isinstance(self.count, dict)
        ):
            raise ValueError('andel eller antal per stratum kräver method = "stratified"')
        fractions = self.fraction.values() if isinstance(self.fraction, dict) else [self.fraction]
        if any(f is not None and not 0 < f <= 1 for f in fractions):
            raise ValueError("fraction ska ligga mellan 0 och 1, t.ex. 0.25 för 25 procent")
        return self


class Control(Strict):
    id: str = Field(min_length=1)
    risk: str
    title: str
    description: str = ""
    method: str = ""
    owner: str = ""
    frequency: str = ""
    """One of ``timing.FREQUENCIES``; written in any case, kept in lower case."""
    report_at: list[str] = []
    """When the result is reported: "delår" and/or "helår"."""
    check: str | None = None
    """The check that computes the figures; without one the control is manual."""
    dataset: str | dict[str, str] | None = None
    """One dataset's name, or for a check that reads several, role → name:
    ``dataset = { ledger = "kassabok", counts = "kassarakningar" }``."""
    period: Period | None = None
    params: dict[str, Any] = {}
    criteria: Criteria | None = None
    sample: SampleSpec | None = None
    items: list[str] = []
    """A manual control's checklist: one point per row of its worksheet."""
    worksheet: PathText | None = None
    """A manual control's filled checklist worksheet, when there is one."""

    @field_validator("frequency")
    @classmethod
    def _known_frequency(cls, value: str) -> str:
        from internkontroll.timing import normalise_frequency

        return normalise_frequency(value)

    @field_validator("report_at")
    @classmethod
    def _known_moments(cls, value: list[str]) -> list[str]:
        from internkontroll.timing import normalise_moment

        return [normalise_moment(v) for v in value]

    @property
    def manual(self) -> bool:
        return self.check is None

    _safe_id = field_validator("id")(check_name)  # it becomes avvikelser/<id>.csv


class ActionLog(Strict):
    """One återrapportering of an action: what had been done by a date."""

    date: datetime.date
    text: str = Field(min_length=1)


class ActionFields(Strict):
    """An åtgärd with a life: who, by when, how far, and what was reported along the way. The
    fields a person may give in bedomning.toml (``[[controls.K4.action]]``)."""

    id: str = ""
    activity: str = ""
    """The Aktivitet column; empty: the linked control's title."""
    action: str = Field(min_length=1)
    status: str = ""
    owner: str = ""
    follow_up: str = ""
    due: date | None = None
    log: list[ActionLog] = []

    DONE: ClassVar[tuple[str, ...]] = ("klar", "genomförd", "avslutad", "slutförd")

    def is_open(self) -> bool:
        return self.status.strip().lower() not in self.DONE

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today and self.is_open()

    def latest(self, as_of: date | None = None) -> ActionLog | None:
        """The newest log entry, at or before ``as_of`` when given."""
        entries = [e for e in self.log if as_of is None or e.date <= as_of]
        return max(entries, key=lambda e: e.date, default=None)


class Action(ActionFields):
    """An åtgärd in the plan's action plan, linked to a risk or a control."""

    risk: str | None = None
    control: str | None = None


class ProviderReview(Strict):
    """One row of "Uppföljning av privata utförare" (the annual report's Bilaga 2)."""

    agreement: str
    followed_up: str
    fulfilled: bool
    deficiencies: str = ""
    impact: str = ""
    actions: str = ""
    follow_up_date: date | None = None
    """When the provider is followed up next (uppföljning utifrån begäran)."""


def dataset_roles(control: Control) -> dict[str, str]:
    """Role → dataset name; a single dataset has the role "", a manual control none."""
    if control.dataset is None:
        return {}
    return {"": control.dataset} if isinstance(control.dataset, str) else dict(control.dataset)


class PlanHeader(Strict):
    title: str
    organisation: str = ""
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    period: Period | None = None
    plugins_dir: PathText | None = None
    min_group_size: int = Field(default=3, ge=1)


class Plan(BaseModel):
    """A loaded, cross-checked plan. ``source`` is the TOML file; paths are relative to it."""

    header: PlanHeader
    risk_scale: RiskScale = Field(default_factory=RiskScale)
    risks: list[Risk] = []
    datasets: dict[str, DatasetSpec] = {}
    controls: list[Control] = []
    actions: list[Action] = []
    provider_reviews: list[ProviderReview] = []
    report: ReportSettings = Field(default_factory=ReportSettings)
    source: Path
    as_of: date | None = None
    """The day a run looks from (a delår): every control's period ends there at the latest."""

    def resolve(self, relative: str) -> Path:
        return (self.source.parent / relative).resolve()

    def full_period(self, control: Control) -> Period:
        """The control's period as the plan gives it, whatever ``as_of`` says."""
        if control.period is not None:
            return control.period
        if self.header.period is not None:
            return self.header.period
        year = self.header.year
        return Period(start=date(year, 1, 1), end=date(year, 12, 31))

    def control_period(self, control: Control) -> Period:
        """The period the control is judged on: cut at ``as_of`` when that falls inside it."""
        return cut_period(self.full_period(control), self.as_of)

    def period_end(self) -> date:
        """The end of the plan's period: the default ``as_of``."""
        if self.header.period is not None:
            return self.header.period.end
        return date(self.header.year, 12, 31)


def cut_period(period: Period, as_of: date | None) -> Period:
    """``period`` ending at ``as_of`` when that falls inside it; a period not yet begun is
    left whole (the engine refuses to run it)."""
    if as_of is None or not period.start <= as_of < period.end:
        return period
    return Period(start=period.start, end=as_of)
