"""A control's monetary-unit sample: the population's amounts collected during the pass, the size
planned from the plan's kronor, the items drawn by amount, and the reviewed amounts evaluated.

It stands beside the attribute sampler (``control_sample.Sampler``) with the same two calls,
``add(row)`` and ``draw()``, so ``internkontroll sample`` writes the same items that ``run``
evaluates. The worksheet gets one more answer column, ``granskat_belopp``: the amount the reviewer
found supported. Without it filled in there is nothing to evaluate, and the control says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from internkontroll.control_sample import DrawnSample
from internkontroll.datasets import Row
from internkontroll.models import SampleSpec
from internkontroll.monetary import (
    MonetaryPlan,
    ReviewedItem,
    evaluate_monetary,
    misstatement_kronor,
    plan_monetary,
)
from internkontroll.monetary_selection import MonetarySelection, select_monetary
from internkontroll.outcome import Finding, Sample
from internkontroll.swedish import count_word, number, people_count
from internkontroll.worksheets import WorksheetError

AUDITED_COLUMN = "granskat_belopp"
AMOUNT_ANSWER = "belopp"
WHOLE = "hela beloppet"
"""Stratum of the items at or above the interval: reviewed whole, misstatement not projected."""
SAMPLED = "urval"


def review_columns(spec: SampleSpec | None, columns: Mapping[str, str]) -> dict[str, str]:
    """The check's answer columns, and the audited amount when the sample is by amount."""
    if spec is not None and spec.method == "monetary":
        return {**columns, AUDITED_COLUMN: AMOUNT_ANSWER}
    return dict(columns)


def worksheet_fields(spec: SampleSpec | None, fields: list[str]) -> list[str]:
    """The check's worksheet fields, with the book amount the reviewer compares against."""
    if spec is not None and spec.method == "monetary" and spec.amount_field not in fields:
        return [*fields, spec.amount_field]
    return fields


@dataclass
class MonetaryDrawn(DrawnSample):
    plan: MonetaryPlan | None = None
    selection: MonetarySelection | None = None


@dataclass
class MonetarySampler:
    spec: SampleSpec
    key_field: str
    units: dict[str, Row] = field(default_factory=dict)

    def add(self, row: Row) -> None:
        self.units.setdefault(str(row[self.key_field]), row)

    def _amount(self, row: Row) -> Decimal:
        value = row[self.spec.amount_field]
        return abs(value) if isinstance(value, Decimal) else Decimal(0)

    def draw(self) -> MonetaryDrawn:
        spec = self.spec
        amounts = [(unit, self._amount(row)) for unit, row in self.units.items()]
        book = sum((amount for _, amount in amounts), Decimal(0))
        if book == 0:
            return MonetaryDrawn(
                rows=[],
                strata={},
                population=len(self.units),
                population_by_stratum={},
                info=Sample(size=0, seed=spec.seed, method="monetary"),
            )
        assert spec.tolerable_misstatement is not None  # the plan model requires it
        plan = plan_monetary(
            spec.confidence,
            book,
            misstatement_kronor(spec.tolerable_misstatement, book),
            misstatement_kronor(spec.expected_misstatement, book),
        )
        selection = select_monetary(amounts, plan.size, spec.seed)
        strata = {item.unit: WHOLE if item.whole else SAMPLED for item in selection.items}
        large = sum(1 for _, amount in amounts if amount and amount >= selection.interval)
        whole = sum(1 for item in selection.items if item.whole)
        return MonetaryDrawn(
            rows=[self.units[item.unit] for item in selection.items],
            strata=strata,
            population=len(self.units),
            population_by_stratum={WHOLE: large, SAMPLED: selection.population - large},
            info=Sample(
                size=len(selection.items),
                seed=spec.seed,
                method="monetary",
                strata={WHOLE: whole, SAMPLED: len(selection.items) - whole},
            ),
            plan=plan,
            selection=selection,
        )


def _kronor(value: float | Decimal) -> str:
    return f"{number(value, 0)} kr"


def _ore(value: Decimal) -> str:
    """Kronor and öre as a receipt shows them: 180,50."""
    whole, _, ore = f"{abs(value):.2f}".partition(".")
    return f"{'−' if value < 0 else ''}{number(Decimal(whole), 0)},{ore}"


def _reviewed(drawn: MonetaryDrawn, key_field: str) -> list[ReviewedItem]:
    assert drawn.selection is not None
    by_unit = {item.unit: item for item in drawn.selection.items}
    items = []
    for row in drawn.rows:
        unit = str(row[key_field])
        audited = (row.review or {}).get(AUDITED_COLUMN)
        if not isinstance(audited, Decimal):
            raise WorksheetError(
                "beloppsurvalet kan inte utvärderas utan granskade belopp: ange worksheet i "
                "[control.sample] och fyll i kolumnen granskat_belopp för varje post"
            )
        selected = by_unit[unit]
        items.append(ReviewedItem(unit, selected.amount, audited, selected.whole))
    return items


def monetary_figures(
    spec: SampleSpec,
    drawn: MonetaryDrawn,
    key_field: str,
    words: tuple[str, str],
    smallest: int,
) -> tuple[dict[str, float | int], str, list[Finding]]:
    """What a reviewed monetary sample shows: the figures, the sentence, and each misstated item
    as a finding."""
    one, many = words
    metrics: dict[str, float | int] = {
        "sample.n": drawn.info.size,
        "sample.population": drawn.population,
    }
    plan, selection = drawn.plan, drawn.selection
    if plan is None or selection is None:
        return (
            metrics,
            f"Beloppsurvalet var tomt: det fanns inga {many} med belopp att granska.",
            [],
        )
    items = _reviewed(drawn, key_field)
    result = evaluate_monetary(items, plan.interval, spec.confidence, spec.bound)
    metrics.update(
        {
            "sample.book_value": float(plan.book_value),
            "sample.interval": float(plan.interval),
            "sample.points": plan.size,
            "sample.whole_items": len(selection.whole_items),
            "sample.misstatements": result.misstated,
            "sample.misstatement": result.most_likely,
            "sample.upper_misstatement": result.upper,
            "sample.tolerable_misstatement": float(plan.tolerable),
            "sample.understatement": result.understatement,
        }
    )
    rows = {str(row[key_field]): row.number for row in drawn.rows}
    findings = [
        Finding(
            reference=item.unit,
            row=rows.get(item.unit),
            amount=item.misstatement,
            description=(
                f"bokfört {_ore(item.book)} kr, granskat {_ore(item.audited)} kr"
                + ("" if item.whole else f" (felandel {number(item.taint * 100, 1)} procent)")
                + (", granskad i sin helhet" if item.whole else "")
            ),
        )
        for item in items
        if item.misstatement != 0
    ]
    whole = len(selection.whole_items)
    method = f"beloppsurval med intervallet {_kronor(plan.interval)}"
    if whole:
        method += f"; {count_word(whole, one, many)} över intervallet granskades i sin helhet"
    found = (
        "inga felaktiga belopp"
        if result.misstated == 0
        else people_count(result.misstated, smallest, "felaktigt belopp", "felaktiga belopp")
    )
    sentence = (
        f"Urvalet om {count_word(drawn.info.size, one, many)} ({method}) ur "
        f"{count_word(selection.population, one, many)} om sammanlagt "
        f"{_kronor(plan.book_value)} innehöll {found}; det mest sannolika felbeloppet är "
        f"{_kronor(result.most_likely)} och med {number(spec.confidence * 100, 1)} procents "
        f"säkerhet är det övre felbeloppet {_kronor(result.upper)} (tolerabelt "
        f"{_kronor(plan.tolerable)})."
    )
    if result.understated:
        sentence += (
            f" {people_count(result.understated, smallest, one, many).capitalize()} var för "
            f"lågt bokförda med sammanlagt {_kronor(result.understatement)}; det räknas inte "
            "av från det övre felbeloppet."
        )
    if selection.zero_items:
        sentence += (
            f" {count_word(selection.zero_items, one, many).capitalize()} utan belopp kunde "
            "inte väljas."
        )
    return metrics, sentence, findings
