"""Stickprov: the reference figures, and the properties that make a sample defensible."""

from __future__ import annotations

import math
import random

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from internkontroll.cli import cli
from internkontroll.sample_size import SamplingError, binomial_cdf, plan_size, upper_limit
from internkontroll.sampling import (
    select_random,
    select_stratified,
    select_systematic,
    stratum_size,
)


@pytest.mark.parametrize(
    ("confidence", "tolerable", "expected", "population", "model", "size"),
    [
        (0.95, 0.05, 0, None, "binomial", 59),
        (0.95, 0.05, 0, None, "poisson", 60),
        (0.95, 0.05, 0, 100, "hypergeometric", 45),
        (0.95, 0.05, 1, None, "binomial", 93),
        (0.90, 0.10, 0, None, "binomial", 22),
    ],
)
def test_reference_sample_sizes(
    confidence: float,
    tolerable: float,
    expected: int,
    population: int | None,
    model: str,
    size: int,
) -> None:
    assert plan_size(confidence, tolerable, expected, population, model).size == size  # type: ignore[arg-type]


def test_reference_upper_limits() -> None:
    assert upper_limit(59, 0, 0.95) == pytest.approx(0.0495, abs=5e-5)
    # The example: 30 decisions (25 % of 120), none deviating: below about 9.5 %.
    assert upper_limit(30, 0, 0.95) == pytest.approx(0.095, abs=5e-4)
    # Clopper-Pearson, one-sided: the closed form for k = 0 is 1 - alpha^(1/n).
    assert upper_limit(100, 0, 0.90) == pytest.approx(1 - 0.1 ** (1 / 100))
    # At the limit the probability of k or fewer deviations is exactly alpha.
    assert binomial_cdf(3, 100, upper_limit(100, 3, 0.95)) == pytest.approx(0.05, abs=1e-9)


def test_hypergeometric_limit_is_consistent_with_planning() -> None:
    # 45 of 100 with none deviating: at most 4 of the 100 can deviate (5 would be rejected).
    assert upper_limit(45, 0, 0.95, population=100, model="hypergeometric") == 0.04
    assert upper_limit(44, 0, 0.95, population=100, model="hypergeometric") >= 0.05


def test_impossible_requests_are_swedish_errors() -> None:
    with pytest.raises(SamplingError, match="mellan 0 och 1"):
        plan_size(1.5, 0.05)
    with pytest.raises(SamplingError, match="populationens storlek"):
        plan_size(0.95, 0.05, model="hypergeometric")
    with pytest.raises(SamplingError, match="mellan 0 och 10"):
        upper_limit(10, 11)


ids = st.lists(st.text(alphabet="ABC0123456789", min_size=1, max_size=6), unique=True, max_size=80)


@settings(max_examples=80)
@given(ids, st.integers(min_value=0, max_value=100), st.integers(), st.randoms())
def test_same_seed_and_population_in_any_order_same_sample(
    population: list[str], size: int, seed: int, rng: random.Random
) -> None:
    shuffled = list(population)
    rng.shuffle(shuffled)
    for select in (select_random, select_systematic):
        first = select(population, size, seed)
        assert first == select(shuffled, size, seed)
        assert len(first) == min(size, len(population))
        assert set(first) <= set(population)
        assert len(set(first)) == len(first)


@settings(max_examples=80)
@given(
    st.dictionaries(st.sampled_from(["SoL", "LSS", "SFB"]), ids, min_size=1),
    st.floats(min_value=0.01, max_value=1.0),
    st.integers(),
)
def test_stratum_sizes_round_up_and_never_exceed(
    strata: dict[str, list[str]], fraction: float, seed: int
) -> None:
    chosen = select_stratified(strata, seed, fraction=fraction)
    for name, members in strata.items():
        assert len(chosen[name]) == min(len(members), math.ceil(round(fraction * len(members), 9)))
        assert set(chosen[name]) <= set(members)
    assert stratum_size(120, 0.25, None) == 30
    assert stratum_size(7, 0.15, None) == 2  # 1.05 rounds up
    assert stratum_size(3, None, 10) == 3


@settings(max_examples=60)
@given(
    st.integers(min_value=1, max_value=400),
    st.integers(min_value=0, max_value=10),
    st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_upper_limit_falls_with_n_and_rises_with_k(n: int, k: int, confidence: float) -> None:
    if k > n:
        return
    limit = upper_limit(n, k, confidence)
    assert 0 <= k / n <= limit <= 1
    assert upper_limit(n + 10, k, confidence) < limit or limit == 1
    if k < n:
        assert upper_limit(n, k + 1, confidence) > limit


def test_cli_size_and_evaluate_as_json() -> None:
    runner = CliRunner()
    size = runner.invoke(
        cli, ["sample", "size", "--confidence", "0.95", "--tolerable", "0.05", "--json"]
    )
    assert size.exit_code == 0 and '"size": 59' in size.output
    hyper = runner.invoke(
        cli,
        [
            "sample",
            "size",
            "--confidence",
            "0.95",
            "--tolerable",
            "0.05",
            "--population",
            "100",
            "--json",
        ],
    )
    assert '"size": 45' in hyper.output
    evaluate = runner.invoke(
        cli,
        [
            "sample",
            "evaluate",
            "--size",
            "59",
            "--deviations",
            "0",
            "--confidence",
            "0.95",
            "--json",
        ],
    )
    assert evaluate.exit_code == 0 and '"upper_limit": 0.049508' in evaluate.output
    text = runner.invoke(cli, ["sample", "evaluate", "--size", "30", "--deviations", "0"])
    assert text.output.startswith(
        "Urvalet om 30 beslut innehöll inga avvikelser; med 95 procents säkerhet är "
        "avvikelsefrekvensen högst 9,5 procent"
    )
    bad = runner.invoke(cli, ["sample", "size", "--confidence", "95", "--tolerable", "0.05"])
    assert bad.exit_code != 0 and "Traceback" not in bad.output
