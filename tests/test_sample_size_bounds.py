"""Sample sizes are found by a bounded search: the same answers as walking n upwards one by
one (the reference below), and absurd requests are refused at once instead of spinning."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from internkontroll.sample_size import (
    SamplingError,
    binomial_cdf,
    hypergeometric_cdf,
    plan_size,
    poisson_cdf,
    upper_limit,
)


def walked_size(
    confidence: float, tolerable: float, expected: int, model: str, population: int | None
) -> int:
    """n = expected + 1, expected + 2, ... until the probability falls to alpha."""
    alpha = 1 - confidence
    limit = population if population is not None else 10**6
    for n in range(expected + 1, limit + 1):
        if model == "binomial":
            probability = binomial_cdf(expected, n, tolerable)
        elif model == "poisson":
            probability = poisson_cdf(expected, n * tolerable)
        else:
            assert population is not None
            deviating = -(-round(tolerable * population, 9) // 1)
            probability = hypergeometric_cdf(expected, population, int(deviating), n)
        if probability <= alpha:
            return n
    assert population is not None
    return population


@settings(max_examples=60, deadline=None)
@given(
    confidence=st.sampled_from([0.8, 0.9, 0.95, 0.975, 0.99]),
    tolerable=st.sampled_from([0.02, 0.05, 0.1, 0.2]),
    expected=st.integers(0, 4),
    model=st.sampled_from(["binomial", "poisson", "hypergeometric"]),
    population=st.one_of(st.none(), st.integers(30, 600)),
)
def test_the_search_finds_what_walking_finds(
    confidence: float, tolerable: float, expected: int, model: str, population: int | None
) -> None:
    if model == "hypergeometric" and population is None:
        population = 300
    try:
        found = plan_size(confidence, tolerable, expected, population, model).size  # type: ignore[arg-type]
    except SamplingError:
        assert model == "hypergeometric"  # too few tolerable deviations in the population
        return
    walked = walked_size(confidence, tolerable, expected, model, population)
    if population is not None:
        walked = min(walked, population)
    assert found == walked


def walked_limit(size: int, deviations: int, confidence: float, population: int) -> float:
    largest = deviations
    for deviating in range(deviations, population + 1):
        if hypergeometric_cdf(deviations, population, deviating, size) > 1 - confidence:
            largest = deviating
        else:
            break
    return largest / population


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(1, 80),
    deviations=st.integers(0, 10),
    confidence=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
    extra=st.integers(0, 400),
)
def test_the_hypergeometric_limit_is_found_by_search_as_by_walking(
    size: int, deviations: int, confidence: float, extra: int
) -> None:
    deviations = min(deviations, size)
    population = size + extra
    found = upper_limit(size, deviations, confidence, population, "hypergeometric")
    assert found == walked_limit(size, deviations, confidence, population)


@pytest.mark.parametrize(
    ("confidence", "tolerable", "expected", "population", "model"),
    [
        (0.95, 0.05, 100_000, None, "binomial"),
        (0.9999999999, 0.0000001, 0, None, "binomial"),
        (0.9999999999, 0.0000001, 0, None, "poisson"),
        (0.9999999999, 0.0000001, 0, 10**9, "hypergeometric"),
        (0.95, 0.05, 90_000, 10**9, "hypergeometric"),
    ],
)
def test_a_sample_beyond_the_largest_is_refused_with_the_limit(
    confidence: float, tolerable: float, expected: int, population: int | None, model: str
) -> None:
    with pytest.raises(SamplingError, match="fler än 100\u00a0000 enheter"):
        plan_size(confidence, tolerable, expected, population, model)  # type: ignore[arg-type]


def test_a_population_smaller_than_the_need_is_taken_whole() -> None:
    assert plan_size(0.99, 0.01, 0, 50, "binomial").size == 50
    size = plan_size(0.95, 0.05, 4_000).size  # large, but within the bound
    assert binomial_cdf(4_000, size, 0.05) <= 0.05 < binomial_cdf(4_000, size - 1, 0.05)


def test_an_upper_limit_over_a_huge_population_is_found_without_walking_it() -> None:
    # 10 of a billion, none deviating, 1 - 1e-10 sure: (1 - p)^10 = 1e-10 gives p = 0.9.
    limit = upper_limit(10, 0, 0.9999999999, 10**9, "hypergeometric")
    assert limit == pytest.approx(0.9, abs=1e-6)
