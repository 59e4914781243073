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


def _check_probability(name: str, value: float) -> None:
    if not 0 < value < 1:
        raise SamplingError(f"{name} ska ligga mellan 0 och 1 (t.ex. 0.95), inte {value}")


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
    _check_probability("den tolerabla avvikelsefrekvensen", tolerable)
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
        for n in range(expected + 1, population + 1):
            if hypergeometric_cdf(expected, population, deviating, n) <= alpha:
                return SizePlan(n, confidence, tolerable, expected, model, population)
        return SizePlan(population, confidence, tolerable, expected, model, population)
    n = expected + 1
    while True:
        probability = (
            binomial_cdf(expected, n, tolerable)
            if model == "binomial"
            else poisson_cdf(expected, n * tolerable)
        )
        if probability <= alpha:
            break
        n += 1
        if n > 10_000_000:  # pragma: no cover - only for absurd inputs
            raise SamplingError("urvalsstorleken blir orimligt stor")
    if population is not None:
        n = min(n, population)
    return SizePlan(n, confidence, tolerable, expected, model, population)


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
    n = 0
    while True:
        n += 1
        if n > (population if model == "hypergeometric" and population else LARGEST_RATE_PLAN):
            raise SamplingError(
                f"urvalet skulle behöva fler än {number(LARGEST_RATE_PLAN, 0)} enheter; höj den "
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
        largest = deviations
        for deviating in range(deviations, population + 1):
            if hypergeometric_cdf(deviations, population, deviating, size) > alpha:
                largest = deviating
            else:
                break
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
