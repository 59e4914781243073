"""Stickprov: reproducible selection, and statistical attribute sampling (planning, evaluation).

Selection
---------
Every unit gets a key ``sha256(f"{seed}:{unit id}")``. Simple random selection takes the units with
the smallest keys, so the same population and seed give the same sample whatever the order of
the export's rows. Stratified selection does the same within each stratum, taking
``ceil(fraction × N_s)`` units or ``count``, never more than the stratum holds. Systematic
selection orders the units by id, draws a start in ``[0, N/n)`` from the seed, and takes every
``N/n``-th unit.

Planning and evaluation (attribute sampling, as in the R package jfa)
---------------------------------------------------------------------
With confidence ``c``, ``α = 1 − c``, tolerable deviation rate ``p`` and ``k`` expected
deviations, the sample size is the smallest ``n`` for which ``k`` deviations still show, with
confidence ``c``, that the true rate is below ``p``:

- binomial: ``P(X ≤ k | n, p) ≤ α``, ``X ~ Bin(n, p)``;
- Poisson: ``P(X ≤ k | λ = n·p) ≤ α``, ``X ~ Po(n·p)``;
- hypergeometric (population ``N``): ``P(X ≤ k | N, K, n) ≤ α`` with ``K = ⌈p·N⌉`` deviating
  units in the population.

95 % / 5 % / 0 expected gives 59 (binomial), 60 (Poisson) and 45 for N = 100 (hypergeometric).

The upper deviation limit of a reviewed sample of ``n`` with ``k`` deviations is the rate ``p`` at
which ``P(X ≤ k) = α`` (one-sided Clopper–Pearson for the binomial; ``λ/n`` for Poisson); for the
hypergeometric it is ``K/N`` for the largest ``K`` with ``P(X ≤ k | N, K, n) > α``. n = 59 and
k = 0 give 4.95 % (binomial).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

Model = Literal["binomial", "poisson", "hypergeometric"]
Method = Literal["random", "systematic", "stratified"]


# --- selection --------------------------------------------------------------------------


def unit_key(seed: int, unit_id: str) -> int:
    digest = hashlib.sha256(f"{seed}:{unit_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def stratum_size(population: int, fraction: float | None, count: int | None) -> int:
    """How many to take from a stratum: fractions round up, never more than it holds."""
    if count is not None:
        wanted = count
    elif fraction is not None:
        wanted = math.ceil(round(fraction * population, 9))
    else:
        wanted = population
    return max(0, min(population, wanted))


def select_random(ids: Iterable[str], size: int, seed: int) -> list[str]:
    """The ``size`` units with the smallest seeded keys: independent of the order of ``ids``."""
    ranked = sorted(set(ids), key=lambda unit: (unit_key(seed, unit), unit))
    return sorted(ranked[:size])


def select_systematic(ids: Iterable[str], size: int, seed: int) -> list[str]:
    """Every N/n-th unit of the units in id order, from a seeded random start."""
    ordered = sorted(set(ids))
    if size <= 0 or not ordered:
        return []
    size = min(size, len(ordered))
    step = len(ordered) / size
    start = random.Random(seed).random() * step
    return [ordered[int(start + i * step)] for i in range(size)]


def select_stratified(
    strata: Mapping[str, Iterable[str]],
    seed: int,
    fraction: float | Mapping[str, float] | None = None,
    count: int | Mapping[str, int] | None = None,
) -> dict[str, list[str]]:
    """Simple random selection within each stratum, by fraction or count (one or per stratum)."""
    chosen: dict[str, list[str]] = {}
    for name, members in strata.items():
        units = set(members)
        share = fraction.get(name) if isinstance(fraction, Mapping) else fraction
        number = count.get(name) if isinstance(count, Mapping) else count
        if isinstance(fraction, Mapping) and share is None and number is None:
            share = 0.0  # a stratum the plan gives no fraction for is not sampled
        if isinstance(count, Mapping) and number is None and share is None:
            number = 0
        chosen[name] = select_random(units, stratum_size(len(units), share, number), seed)
    return chosen


def allocate(strata_sizes: Mapping[Hashable, int], total: int) -> dict[Hashable, int]:
    """A planned total spread over strata in proportion to their size, rounding up."""
    population = sum(strata_sizes.values())
    if population == 0:
        return dict.fromkeys(strata_sizes, 0)
    return {
        name: min(size, math.ceil(total * size / population)) for name, size in strata_sizes.items()
    }


# --- distributions ----------------------------------------------------------------------


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


# --- planning and evaluation ------------------------------------------------------------


class SamplingError(ValueError):
    """Planning or evaluation asked for something that cannot be (Swedish message)."""


@dataclass(frozen=True)
class SizePlan:
    size: int
    confidence: float
    tolerable: float
    expected: int
    model: Model
    population: int | None


def _check_probability(name: str, value: float) -> None:
    if not 0 < value < 1:
        raise SamplingError(f"{name} ska ligga mellan 0 och 1 (t.ex. 0.95), inte {value}")


def plan_size(
    confidence: float,
    tolerable: float,
    expected: int = 0,
    population: int | None = None,
    model: Model = "binomial",
) -> SizePlan:
    """The smallest sample that, with ``expected`` deviations, supports the tolerable rate."""
    _check_probability("säkerheten (confidence)", confidence)
    _check_probability("den tolerabla avvikelsefrekvensen", tolerable)
    if expected < 0:
        raise SamplingError("förväntade avvikelser kan inte vara negativt")
    alpha = 1 - confidence
    if model == "hypergeometric":
        if population is None or population < 1:
            raise SamplingError("den hypergeometriska modellen behöver populationens storlek")
        deviating = math.ceil(round(tolerable * population, 9))
        if deviating <= expected:
            raise SamplingError(
                f"populationen om {population} rymmer bara {deviating} tolerabla avvikelser, "
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
