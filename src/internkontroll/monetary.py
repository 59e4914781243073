"""Monetary-unit sampling (MUS): planning from kronor, and the upper misstatement limit.

Planning (the Poisson model, as AICPA's Audit Sampling guide, Appendix C, and the R package jfa)
-------------------------------------------------------------------------------------------------
With confidence ``c``, book value ``B``, tolerable misstatement ``TM`` and expected misstatement
``EM`` (kronor), write ``t = TM / B`` and ``e = EM / B``. The sample size is the smallest ``n``
for which the expected ``n × e`` taints (a real number) still bound the misstatement below
``t``: ``qgamma(c, 1 + n·e, rate = n) < t``. The sampling interval is ``J = B / n``.

Evaluation
----------
Each reviewed item has a book amount and an audited amount (``granskat_belopp``). An item at or
above the interval was taken whole: its misstatement ``book − audited`` is known and added as it
is. Any other item's taint is ``(book − audited) / book`` and stands for ``taint × J`` kronor.

- most likely misstatement: ``J × Σ taints`` + known misstatement;
- upper misstatement limit, Stringer: ``J × (λ₀ + Σᵢ (λᵢ − λᵢ₋₁) × tᵢ)`` + known, with the
  overstatement taints ``tᵢ`` in falling order and ``λᵢ`` the Poisson factor for ``i`` errors
  (3,00; 4,75; 6,30 … at 95 %): basic precision, projected misstatement and incremental allowance
  in one sum, as the guide computes it;
- upper misstatement limit, Poisson/gamma (``bound = "poisson"``): ``J × qgamma(c, 1 + Σ taints)``
  + known.

Understatements (negative taints) do not lower an overstatement bound; they are counted and
reported beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from internkontroll.gamma import poisson_factor, regularized_lower
from internkontroll.sample_size import SamplingError
from internkontroll.swedish import given_number, number

Bound = Literal["stringer", "poisson"]
LARGEST_SIZE = 100_000


_SHARE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%\s*$")


def parse_misstatement(value: float | str) -> tuple[Decimal, bool]:
    """A plan's misstatement: kronor (``12500``), or a share of the book value (``"5 %"``).
    Returns the number and whether it is a share (as a fraction: ``"5 %"`` → 0.05)."""
    if isinstance(value, str):
        match = _SHARE.match(value)
        if match is None:
            raise ValueError(
                f"{value!r} är varken ett belopp i kronor (t.ex. 12500) eller en andel av det "
                'bokförda värdet (t.ex. "5 %")'
            )
        return Decimal(match.group(1).replace(",", ".")) / 100, True
    try:
        return Decimal(str(value)), False
    except InvalidOperation:  # pragma: no cover - TOML numbers are always finite
        raise ValueError(f"{value!r} är inget belopp") from None


def misstatement_kronor(value: float | str, book_value: Decimal) -> Decimal:
    """The misstatement in kronor for a population of ``book_value``."""
    number, share = parse_misstatement(value)
    return number * book_value if share else number


def check_monetary_spec(spec: Any) -> None:
    """What ``method = "monetary"`` needs in ``[control.sample]``; ValueError in Swedish."""
    if spec.tolerable_misstatement is None:
        raise ValueError(
            'method = "monetary" kräver tolerable_misstatement: kronor (t.ex. 12500) eller en '
            'andel av det bokförda värdet (t.ex. "5 %")'
        )
    others = [k for k in ("fraction", "count", "tolerable", "stratify_by") if getattr(spec, k)]
    if spec.expected or spec.expected_rate is not None:
        others.append("expected/expected_rate (använd expected_misstatement)")
    if others:
        raise ValueError(
            f'method = "monetary" räknar själv fram urvalets storlek; ta bort {", ".join(others)}'
        )
    tolerable, tolerable_share = parse_misstatement(spec.tolerable_misstatement)
    expected, expected_share = parse_misstatement(spec.expected_misstatement)
    if tolerable <= 0 or (tolerable_share and tolerable >= 1):
        raise ValueError(
            "tolerable_misstatement ska vara större än 0 kr (eller mellan 0 och 100 %)"
        )
    if expected < 0:
        raise ValueError("expected_misstatement kan inte vara negativt")
    if tolerable_share == expected_share and expected >= tolerable:
        raise ValueError("expected_misstatement ska vara mindre än tolerable_misstatement")


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise SamplingError(
            f"säkerheten ska ligga mellan 0 och 1 (t.ex. 0,95), inte {given_number(confidence)}"
        )


def monetary_size(confidence: float, tolerable_rate: float, expected_rate: float = 0.0) -> int:
    """The smallest ``n`` with ``qgamma(confidence, 1 + n·e, n) < t`` (rates of the book value)."""
    _check_confidence(confidence)
    if not 0 < tolerable_rate < 1:
        raise SamplingError(
            "det tolerabla felbeloppet ska vara större än 0 och mindre än det bokförda värdet"
        )
    if not 0 <= expected_rate < tolerable_rate:
        raise SamplingError(
            "det förväntade felbeloppet ska vara mindre än det tolerabla (och inte negativt)"
        )
    for n in range(1, LARGEST_SIZE + 1):
        # P(1 + x, n·t) > c is qgamma(c, 1 + x, rate = n) < t without a quantile per step.
        if regularized_lower(1 + n * expected_rate, n * tolerable_rate) > confidence:
            return n
    raise SamplingError(
        f"urvalet skulle behöva fler än {number(LARGEST_SIZE, 0)} urvalspunkter; höj det tolerabla "
        "felbeloppet eller sänk det förväntade"
    )


@dataclass(frozen=True)
class MonetaryPlan:
    size: int
    confidence: float
    book_value: Decimal
    tolerable: Decimal
    expected: Decimal

    @property
    def interval(self) -> Decimal:
        """The sampling interval ``B / n`` in kronor."""
        return self.book_value / self.size

    @property
    def expected_taints(self) -> float:
        """The taints the plan allows for: ``n × EM / B``."""
        return self.size * float(self.expected / self.book_value)


def plan_monetary(
    confidence: float, book_value: Decimal, tolerable: Decimal, expected: Decimal = Decimal(0)
) -> MonetaryPlan:
    """Sample size and interval for a population of ``book_value`` kronor."""
    if book_value <= 0:
        raise SamplingError("populationens bokförda värde måste vara större än 0 kr")
    if tolerable > book_value:
        raise SamplingError(
            f"det tolerabla felbeloppet ({number(tolerable)} kr) är större än hela det bokförda "
            f"värdet ({number(book_value)} kr); då behövs inget urval"
        )
    size = monetary_size(confidence, float(tolerable / book_value), float(expected / book_value))
    return MonetaryPlan(size, confidence, book_value, tolerable, expected)


@dataclass(frozen=True)
class ReviewedItem:
    unit: str
    book: Decimal
    audited: Decimal
    whole: bool
    """At or above the interval: taken whole, its misstatement known rather than projected."""

    @property
    def misstatement(self) -> Decimal:
        return self.book - self.audited

    @property
    def taint(self) -> float:
        return float(self.misstatement / self.book) if self.book else 0.0


@dataclass(frozen=True)
class MonetaryEvaluation:
    most_likely: float
    """Kronor: projected taints plus the known misstatement of items taken whole."""
    upper: float
    """Kronor: the upper misstatement limit at the confidence."""
    basic_precision: float
    known: float
    taints: tuple[float, ...]
    """The overstatement taints of the items below the interval, largest first."""
    misstated: int
    """Items with any difference between book and audited amount."""
    understated: int
    understatement: float
    """Kronor by which audited amounts exceed book amounts (not netted against the bound)."""


def evaluate_monetary(
    items: Iterable[ReviewedItem],
    interval: Decimal,
    confidence: float,
    bound: Bound = "stringer",
) -> MonetaryEvaluation:
    """Most likely misstatement and upper misstatement limit of a reviewed MUS sample."""
    _check_confidence(confidence)
    if interval <= 0:
        raise SamplingError("urvalsintervallet måste vara större än 0 kr")
    step = float(interval)
    known = 0.0
    taints: list[float] = []
    misstated = understated = 0
    understatement = 0.0
    for item in items:
        difference = item.misstatement
        if difference != 0:
            misstated += 1
        if difference < 0:
            understated += 1
            understatement += float(-difference)
        elif item.whole:
            known += float(difference)
        elif difference > 0:
            taints.append(item.taint)
    taints.sort(reverse=True)
    basic = poisson_factor(0, confidence) * step
    if bound == "stringer":
        factors = [poisson_factor(i, confidence) for i in range(len(taints) + 1)]
        allowance = sum((factors[i + 1] - factors[i]) * t for i, t in enumerate(taints))
        projected_upper = basic + allowance * step
    else:
        projected_upper = poisson_factor(sum(taints), confidence) * step
    return MonetaryEvaluation(
        most_likely=step * sum(taints) + known,
        upper=projected_upper + known,
        basic_precision=basic,
        known=known,
        taints=tuple(taints),
        misstated=misstated,
        understated=understated,
        understatement=understatement,
    )
