"""How large a stickprov must be, and what a reviewed one shows: attribute sampling as in the
R package jfa.

With confidence ``c``, ``α = 1 − c``, tolerable deviation rate ``p`` and ``k`` expected
deviations, the sample size is the smallest ``n`` for which ``k`` deviations still show, with
confidence ``c``, that the true rate is below ``p``:

- binomial: ``P(X ≤ k | n, p) ≤ α``, ``X ~ Bin(n, p)``;
- Poisson: ``P(X ≤ k | λ = n·p) ≤ α``, ``X ~ Po(n·p)``;
- hypergeometric (population ``N``): ``P(X ≤ k | N, K, n) ≤ α`` with ``K = ⌈p·N⌉`` deviating
  units in the population.

95 % / 5 % / 0 expected gives 59 (binomial), 60 (Poisson) and 45 for N = 100 (hypergeometric).

Auditors often state the expectation as a rate ``r`` ("we expect 1 %"), as the AICPA tables A-1
and A-2 are read. Then the expected deviations grow with the sample, as in jfa: ``k = ⌈n·r⌉`` for
the binomial and hypergeometric models (computed in floating point as jfa does, which is why a
few cells of the printed tables differ by rounding), and ``n·r`` as a real number for Poisson,
through the gamma form ``P(X ≤ x | λ) = 1 − P(1 + x, λ)`` (``internkontroll.gamma``). A sample
must also be larger than the deviations it expects.

The upper deviation limit of a reviewed sample of ``n`` with ``k`` deviations is the rate ``p`` at
which ``P(X ≤ k) = α`` (one-sided Clopper–Pearson for the binomial; ``λ/n`` for Poisson); for the
hypergeometric it is ``K/N`` for the largest ``K`` with ``P(X ≤ k | N, K, n) > α``. n = 59 and
k = 0 give 4.95 % (binomial).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from internkontroll.gamma import regularized_lower
from internkontroll.swedish import given_percent, number

Model = Literal["binomial", "poisson", "hypergeometric"]


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def binomial_cdf(k: int, n: int, p: float) -> float:
    if p <= 0:
        return 1.0
    if p >= 1:
        return 1.0 if k >= n else 0.0
    return min(
        1.0,
        sum(
            math.exp(_log_choose(n, i) + i * math.log(p) + (n - i) * math.log1p(-p))
            for i in range(min(k, n) + 1)
        ),
    )


def poisson_cdf(k: int, mean: float) -> float:
    if mean <= 0:
        return 1.0
    return min(
        1.0, sum(math.exp(i * math.log(mean) - mean - math.lgamma(i + 1)) for i in range(k + 1))
    )


def hypergeometric_cdf(k: int, population: int, deviating: int, n: int) -> float:
    total = _log_choose(population, n)
    low = max(0, n - (population - deviating))
    return min(
        1.0,
        sum(
            math.exp(_log_choose(deviating, i) + _log_choose(population - deviating, n - i) - total)
            for i in range(low, min(k, n, deviating) + 1)
        ),
    )


class SamplingError(ValueError):
    """Planning or evaluation asked for something that cannot be (Swedish message)."""


@dataclass(frozen=True)
class SizePlan:
    size: int
    confidence: float
    tolerable: float
    expected: float
    """Deviations the plan allows for: as given, or from ``expected_rate`` at this size."""
    model: Model
    population: int | None
    expected_rate: float | None = None


def _check_probability(name: str, value: float, example: str = "0.95") -> None:
    if not 0 < value < 1:
        raise SamplingError(f"{name} ska ligga mellan 0 och 1 (t.ex. {example}), inte {value}")


def plan_size(
    confidence: float,
    tolerable: float,
    expected: int = 0,
    population: int | None = None,
    model: Model = "binomial",
    expected_rate: float | None = None,
) -> SizePlan:
    """The smallest sample that, with ``expected`` deviations (or ``expected_rate`` of the
    sample), supports the tolerable rate."""
    _check_probability("säkerheten (confidence)", confidence)
    _check_probability("den tolerabla avvikelsefrekvensen", tolerable, "0.05")
    if expected < 0:
        raise SamplingError("förväntade avvikelser kan inte vara negativt")
    if expected_rate is not None:
        return _plan_for_rate(confidence, tolerable, expected_rate, population, model)
    alpha = 1 - confidence
    if model == "hypergeometric":
        if population is None or population < 1:
            raise SamplingError("den hypergeometriska modellen behöver populationens storlek")
        deviating = math.ceil(round(tolerable * population, 9))
        if deviating <= expected:
            raise SamplingError(
                f"populationen om {number(population, 0)} rymmer bara {deviating} tolerabla "
                "avvikelser, "
                f"inte fler än de {expected} förväntade"
            )

        def enough(n: int) -> bool:
            assert population is not None
            return hypergeometric_cdf(expected, population, deviating, n) <= alpha

        n = _smallest(enough, expected + 1, min(population, LARGEST_SIZE))
        if n is None and population > LARGEST_SIZE:
            raise _too_large()
        return SizePlan(n or population, confidence, tolerable, expected, model, population)

    def supports(n: int) -> bool:
        if model == "binomial":
            return binomial_cdf(expected, n, tolerable) <= alpha
        return poisson_cdf(expected, n * tolerable) <= alpha

    largest = LARGEST_SIZE if population is None else min(population, LARGEST_SIZE)
    n = _smallest(supports, expected + 1, largest) if expected < largest else None
    if n is None:
        if population is not None and population <= LARGEST_SIZE:
            n = population  # the whole population, as a larger sample cannot be drawn
        else:
            raise _too_large()
    return SizePlan(n, confidence, tolerable, expected, model, population)


def _too_large() -> SamplingError:
    return SamplingError(
        f"urvalet skulle behöva fler än {number(LARGEST_SIZE, 0)} enheter, det största urval "
        "som räknas ut; höj den tolerabla avvikelsefrekvensen eller sänk säkerheten eller "
        "antalet förväntade avvikelser"
    )


LARGEST_SIZE = 100_000
"""The largest sample a plan is computed for: a stickprov reviewed by people is far smaller,
and past it a request (0.9999999999 säkerhet, 100 000 förväntade avvikelser) is a slip that
would otherwise keep the search busy for minutes."""


def _smallest(holds: Callable[[int], bool], low: int, high: int) -> int | None:
    """The smallest ``n`` in ``low..high`` for which ``holds``, which stays true once true
    (the probability of few deviations falls as the sample grows); None if none does."""
    if low > high or not holds(high):
        return None
    while low < high:
        middle = (low + high) // 2
        if holds(middle):
            high = middle
        else:
            low = middle + 1
    return low


LARGEST_RATE_PLAN = 10_000
"""Beyond this an expected rate is too close to the tolerable one for sampling to be useful (jfa
stops at 5 000); the search, which grows with the square of the size, stays within seconds."""


def _expected_at(size: int, rate: float, model: Model) -> float:
    """Deviations expected in a sample of ``size``: whole ones, rounded up, except for Poisson."""
    return size * rate if model == "poisson" else math.ceil(size * rate)


def _plan_for_rate(
    confidence: float, tolerable: float, rate: float, population: int | None, model: Model
) -> SizePlan:
    if not 0 <= rate < tolerable:
        raise SamplingError(
            f"den förväntade avvikelsefrekvensen ({given_percent(rate)} procent) ska vara minst "
            f"0 och mindre än den tolerabla ({given_percent(tolerable)} procent)"
        )
    alpha = 1 - confidence
    deviating = 0
    if model == "hypergeometric":
        if population is None or population < 1:
            raise SamplingError("den hypergeometriska modellen behöver populationens storlek")
        deviating = math.ceil(round(tolerable * population, 9))
        if math.ceil(rate * population) >= deviating:
            raise SamplingError(
                f"populationen om {number(population, 0)} rymmer bara {deviating} tolerabla "
                "avvikelser, "
                f"inte fler än de {math.ceil(rate * population)} förväntade"
            )
    largest = LARGEST_RATE_PLAN
    if model == "hypergeometric" and population:
        largest = min(population, LARGEST_RATE_PLAN)
    n = 0
    while True:
        n += 1
        if n > largest:
            raise SamplingError(
                f"urvalet skulle behöva fler än {number(largest, 0)} enheter; höj den "
                "tolerabla avvikelsefrekvensen eller sänk den förväntade"
            )
        errors = _expected_at(n, rate, model)
        if n <= errors:
            continue
        if model == "poisson":
            probability = 1 - regularized_lower(1 + errors, n * tolerable)
        elif model == "binomial":
            probability = binomial_cdf(int(errors), n, tolerable)
        else:
            assert population is not None
            probability = hypergeometric_cdf(int(errors), population, deviating, n)
        if probability <= alpha:
            break
    if population is not None:
        n = min(n, population)
    return SizePlan(n, confidence, tolerable, _expected_at(n, rate, model), model, population, rate)


def upper_limit(
    size: int,
    deviations: int,
    confidence: float = 0.95,
    population: int | None = None,
    model: Model = "binomial",
) -> float:
    """The upper deviation limit: with ``confidence``, the true rate is at most this."""
    _check_probability("säkerheten (confidence)", confidence)
    if size < 1:
        raise SamplingError("urvalet måste innehålla minst ett beslut")
    if not 0 <= deviations <= size:
        raise SamplingError(f"antalet avvikelser ({deviations}) ska ligga mellan 0 och {size}")
    alpha = 1 - confidence
    if model == "hypergeometric":
        if population is None or population < size:
            raise SamplingError("den hypergeometriska modellen behöver en population ≥ urvalet")

        def rejected(deviating: int) -> bool:
            assert population is not None
            return hypergeometric_cdf(deviations, population, deviating, size) <= alpha

        first = _smallest(rejected, deviations, population)  # a search, not a walk to N
        largest = population if first is None else max(deviations, first - 1)
        return largest / population
    if model == "binomial" and deviations == size:
        return 1.0

    def tail(rate: float) -> float:
        if model == "binomial":
            return binomial_cdf(deviations, size, rate)
        return poisson_cdf(deviations, rate * size)

    low = deviations / size
    high = 1.0 if model == "binomial" else max(1.0, 10 * (deviations + 1) / size)
    for _ in range(200):
        middle = (low + high) / 2
        if tail(middle) > alpha:
            low = middle
        else:
            high = middle
    return high
