"""Monetary-unit sampling: AICPA's table C-1, a Stringer bound worked by hand, and PPS selection
that does not depend on the order of the rows."""

from __future__ import annotations

import bisect
import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from internkontroll.gamma import gamma_cdf, gamma_quantile, poisson_factor, regularized_lower
from internkontroll.monetary import (
    ReviewedItem,
    evaluate_monetary,
    monetary_size,
    plan_monetary,
)
from internkontroll.monetary_selection import seeded_start, select_monetary
from internkontroll.sample_size import SamplingError, poisson_cdf
from internkontroll.sampling import unit_key

# --- AICPA Audit Sampling guide (2017), Appendix C, Table C-1 ----------------------------------
# "Monetary Unit Sample Size Determination Tables". Values as typed into the test suite of the R
# package jfa (koenderks/jfa, tests/testthat/test-validation-appendix-c.R, which retrieved the
# table on 28-04-2021 from https://onlinelibrary.wiley.com/doi/pdf/10.1002/9781119448617.app3).
# One row per (risk of incorrect acceptance, expected / tolerable misstatement); the columns are
# the tolerable misstatement as a share of the population's book value, then the expected sum of
# taints ("expected misstatement in the sample") for the row. The guide rounds the taints up, so
# a few printed taints are 0,01 above n × e (jfa's notes list them); they are held to 0,01.
C1_TOLERABLE = [0.5, 0.3, 0.1, 0.08, 0.06, 0.05, 0.04, 0.03, 0.02, 0.01, 0.005]
C1 = [
    (5, 0.0, [6, 10, 30, 38, 50, 60, 75, 100, 150, 300, 600], 0.0),
    (5, 0.1, [8, 13, 37, 46, 62, 74, 92, 123, 184, 368, 736], 0.37),
    (5, 0.2, [10, 16, 47, 58, 78, 93, 116, 155, 232, 463, 925], 0.93),
    (5, 0.3, [12, 20, 60, 75, 100, 120, 150, 200, 300, 600, 1199], 1.80),
    (5, 0.4, [17, 27, 81, 102, 135, 162, 203, 270, 405, 809, 1618], 3.24),
    (5, 0.5, [24, 39, 116, 145, 193, 231, 289, 385, 577, 1154, 2308], 5.77),
    (10, 0.0, [5, 8, 24, 29, 39, 47, 58, 77, 116, 231, 461], 0.0),
    (10, 0.2, [7, 12, 35, 43, 57, 69, 86, 114, 171, 341, 682], 0.69),
    (10, 0.3, [9, 15, 44, 55, 73, 87, 109, 145, 217, 433, 866], 1.30),
    (10, 0.4, [12, 20, 58, 72, 96, 115, 143, 191, 286, 572, 1144], 2.29),
    (10, 0.5, [16, 27, 80, 100, 134, 160, 200, 267, 400, 799, 1597], 4.00),
    (15, 0.0, [4, 7, 19, 24, 32, 38, 48, 64, 95, 190, 380], 0.0),
    (15, 0.2, [6, 10, 28, 35, 46, 55, 69, 91, 137, 273, 545], 0.55),
    (15, 0.3, [7, 12, 35, 43, 57, 69, 86, 114, 171, 341, 681], 1.03),
    (15, 0.4, [9, 15, 45, 56, 74, 89, 111, 148, 221, 442, 883], 1.77),
    (15, 0.5, [13, 21, 61, 76, 101, 121, 151, 202, 302, 604, 1208], 3.02),
    (20, 0.0, [4, 6, 17, 21, 27, 33, 41, 54, 81, 161, 322], 0.0),
    (20, 0.2, [5, 8, 23, 29, 38, 46, 57, 76, 113, 226, 451], 0.46),
    (20, 0.3, [6, 10, 28, 35, 47, 56, 70, 93, 139, 277, 554], 0.84),
    (20, 0.4, [8, 12, 36, 45, 59, 71, 89, 118, 177, 354, 707], 1.42),
    (20, 0.5, [10, 16, 48, 60, 80, 95, 119, 159, 238, 475, 949], 2.38),
    (25, 0.0, [3, 5, 14, 18, 24, 28, 35, 47, 70, 139, 278], 0.0),
    (25, 0.2, [4, 7, 19, 24, 32, 38, 48, 64, 95, 190, 380], 0.38),
    (25, 0.3, [5, 8, 23, 29, 39, 46, 58, 77, 115, 230, 460], 0.69),
    (25, 0.4, [6, 10, 29, 37, 49, 58, 73, 97, 145, 289, 578], 1.16),
    (25, 0.5, [8, 13, 38, 48, 64, 76, 95, 127, 190, 380, 760], 1.90),
    (30, 0.0, [3, 5, 13, 16, 21, 25, 31, 41, 61, 121, 241], 0.0),
    (30, 0.2, [4, 6, 17, 21, 27, 33, 41, 54, 81, 162, 323], 0.33),
    (30, 0.4, [5, 8, 24, 30, 40, 48, 60, 80, 120, 239, 477], 0.96),
    (30, 0.6, [9, 15, 43, 54, 71, 85, 107, 142, 213, 425, 850], 2.55),
    (35, 0.0, [3, 4, 11, 14, 18, 21, 27, 35, 53, 105, 210], 0.0),
    (35, 0.2, [3, 5, 14, 18, 23, 28, 35, 46, 69, 138, 276], 0.28),
    (35, 0.4, [4, 7, 20, 25, 34, 40, 50, 67, 100, 199, 397], 0.80),
    (35, 0.6, [7, 12, 34, 43, 57, 68, 85, 113, 169, 338, 676], 2.03),
    (50, 0.0, [2, 3, 7, 9, 12, 14, 18, 24, 35, 70, 139], 0.0),
    (50, 0.2, [2, 3, 9, 11, 15, 18, 22, 29, 44, 87, 173], 0.18),
    (50, 0.4, [3, 4, 12, 15, 19, 23, 29, 38, 57, 114, 228], 0.46),
    (50, 0.6, [4, 6, 17, 22, 29, 34, 43, 57, 85, 170, 340], 1.02),
]


@pytest.mark.parametrize(("risk", "ratio", "sizes", "taints"), C1)
def test_table_c1_sample_sizes(risk: int, ratio: float, sizes: list[int], taints: float) -> None:
    computed = [
        monetary_size(1 - risk / 100, tolerable, tolerable * ratio) for tolerable in C1_TOLERABLE
    ]
    assert computed == sizes
    smallest_tolerable = C1_TOLERABLE[-1]
    expected_taints = computed[-1] * smallest_tolerable * ratio
    assert expected_taints == pytest.approx(taints, abs=0.0101)


def test_plan_in_kronor_gives_size_and_interval() -> None:
    # 5 % tolerable of 300 000 kr at 95 %, nothing expected: C-1 says 60, so J = 5 000 kr.
    plan = plan_monetary(0.95, Decimal(300_000), Decimal(15_000))
    assert (plan.size, plan.interval) == (60, Decimal(5000))
    expecting = plan_monetary(0.95, Decimal(300_000), Decimal(15_000), Decimal(3_000))
    assert expecting.size == 93  # C-1: 5 % risk, ratio 0,2, tolerable 5 %
    assert expecting.expected_taints == pytest.approx(93 * 0.01)


def test_planning_refuses_what_cannot_be() -> None:
    with pytest.raises(SamplingError, match="mindre än det tolerabla"):
        monetary_size(0.95, 0.05, 0.05)
    with pytest.raises(SamplingError, match="större än hela det bokförda"):
        plan_monetary(0.95, Decimal(1000), Decimal(2000))
    with pytest.raises(SamplingError, match="större än 0 kr"):
        plan_monetary(0.95, Decimal(0), Decimal(10))


# --- the gamma distribution ---------------------------------------------------------------------


def test_poisson_factors_of_the_audit_tables() -> None:
    # The confidence factors printed in audit guides for 0..4 errors at 95 % and 0 at 90 %.
    rounded = [round(poisson_factor(k, 0.95), 2) for k in range(5)]
    assert rounded == [3.00, 4.74, 6.30, 7.75, 9.15]
    assert poisson_factor(0, 0.95) == pytest.approx(-math.log(0.05))
    assert poisson_factor(0, 0.90) == pytest.approx(-math.log(0.10))


@settings(max_examples=60)
@given(st.integers(min_value=0, max_value=40), st.floats(min_value=0.01, max_value=80))
def test_gamma_agrees_with_the_poisson_sum_for_whole_errors(errors: int, mean: float) -> None:
    assert 1 - regularized_lower(errors + 1, mean) == pytest.approx(
        poisson_cdf(errors, mean), abs=1e-10
    )


@settings(max_examples=60)
@given(
    st.floats(min_value=0.2, max_value=60),
    st.floats(min_value=0.01, max_value=0.99),
    st.floats(min_value=0.1, max_value=500),
)
def test_gamma_quantile_inverts_the_cdf(shape: float, probability: float, rate: float) -> None:
    x = gamma_quantile(probability, shape, rate)
    assert gamma_cdf(x, shape, rate) == pytest.approx(probability, abs=1e-9)


def test_gamma_with_half_shape_is_the_error_function() -> None:
    # P(1/2, x) = erf(√x): an identity independent of the series and the fraction.
    for x in (0.01, 0.3, 1.0, 2.5, 9.0):
        assert regularized_lower(0.5, x) == pytest.approx(math.erf(math.sqrt(x)), abs=1e-13)


# --- evaluation: a Stringer bound worked by hand ------------------------------------------------


HAND_ITEMS = [
    ReviewedItem("A", Decimal(1000), Decimal(750), whole=False),  # taint 0,25
    ReviewedItem("B", Decimal(2000), Decimal(1000), whole=False),  # taint 0,50
    ReviewedItem("C", Decimal(400), Decimal(0), whole=False),  # taint 1,00
    ReviewedItem("D", Decimal(12000), Decimal(11500), whole=True),  # 500 kr, known
    ReviewedItem("E", Decimal(800), Decimal(900), whole=False),  # understated 100 kr
    ReviewedItem("F", Decimal(650), Decimal(650), whole=False),  # correct
]


def test_stringer_bound_by_hand_to_the_krona() -> None:
    """Book value 300 000 kr, 60 points, interval J = 5 000 kr, 95 % confidence.

    Poisson factors (qgamma(0.95, 1 + i) in R): λ0 = 2,995732, λ1 = 4,743865, λ2 = 6,295794,
    λ3 = 7,753657. Overstatement taints, largest first: 1,00 (C), 0,50 (B), 0,25 (A).

    basic precision         2,995732 × 5 000                     = 14 978,66
    1st taint  (4,743865 − 2,995732) × 1,00 × 5 000              =  8 740,66
    2nd taint  (6,295794 − 4,743865) × 0,50 × 5 000              =  3 879,82
    3rd taint  (7,753657 − 6,295794) × 0,25 × 5 000              =  1 822,33
    item D, taken whole: 12 000 − 11 500                         =    500,00
    upper misstatement limit                                     = 29 921,47 → 29 921 kr
    most likely: (1,00 + 0,50 + 0,25) × 5 000 + 500              =  9 250 kr
    """
    result = evaluate_monetary(HAND_ITEMS, Decimal(5000), 0.95)
    assert round(result.upper) == 29_921
    assert round(result.most_likely) == 9_250
    assert round(result.basic_precision, 2) == 14_978.66
    assert result.known == 500
    assert result.taints == (1.0, 0.5, 0.25)
    assert (result.misstated, result.understated, result.understatement) == (5, 1, 100.0)


def test_no_misstatement_leaves_the_basic_precision() -> None:
    clean = [ReviewedItem(str(i), Decimal(100), Decimal(100), whole=False) for i in range(60)]
    result = evaluate_monetary(clean, Decimal(5000), 0.95)
    assert result.most_likely == 0
    assert result.upper == pytest.approx(-math.log(0.05) * 5000)  # 14 978,66 kr


def test_poisson_bound_uses_the_sum_of_taints() -> None:
    result = evaluate_monetary(HAND_ITEMS, Decimal(5000), 0.95, bound="poisson")
    # J × qgamma(0.95, 1 + 1,75) + 500: at that point P(2,75, upper / J) is exactly 0,95.
    assert regularized_lower(2.75, (result.upper - 500) / 5000) == pytest.approx(0.95, abs=1e-12)
    stringer = evaluate_monetary(HAND_ITEMS, Decimal(5000), 0.95)
    assert result.most_likely == stringer.most_likely
    # With whole errors only (taints of 1) the two bounds are the same: Σ (λi − λi−1) = λk.
    whole_errors = [ReviewedItem(str(i), Decimal(50), Decimal(0), whole=False) for i in range(3)]
    assert evaluate_monetary(whole_errors, Decimal(5000), 0.95, "poisson").upper == pytest.approx(
        evaluate_monetary(whole_errors, Decimal(5000), 0.95).upper
    )


@settings(max_examples=60)
@given(st.lists(st.floats(min_value=0.01, max_value=1.0), max_size=8))
def test_stringer_never_below_the_projection_plus_basic_precision(taints: list[float]) -> None:
    items = [
        ReviewedItem(str(i), Decimal(1000), Decimal(1000) - Decimal(round(t * 1000)), whole=False)
        for i, t in enumerate(taints)
    ]
    result = evaluate_monetary(items, Decimal(1000), 0.95)
    assert result.upper >= result.most_likely + result.basic_precision - 1e-6


# --- selection ----------------------------------------------------------------------------------


def reference_selection(units: list[tuple[str, Decimal]], size: int, seed: int) -> dict[str, int]:
    """Point by point, as described on paper: lay the items end to end in key order, and for
    each point find the item holding it by bisection over the running totals."""
    ordered = sorted((u for u in units if u[1] != 0), key=lambda u: (unit_key(seed, u[0]), u[0]))
    edges: list[Fraction] = []
    total = Fraction(0)
    for _, amount in ordered:
        total += Fraction(abs(amount))
        edges.append(total)
    interval = total / size
    start = seeded_start(seed) * interval
    hits: dict[str, int] = {}
    for i in range(size):
        point = start + i * interval
        holder = ordered[bisect.bisect_right(edges, point)][0]
        hits[holder] = hits.get(holder, 0) + 1
    return hits


amounts = st.decimals(min_value=0, max_value=50_000, places=2, allow_nan=False)
populations = st.dictionaries(
    st.text(alphabet="ABCDEF0123456789", min_size=1, max_size=5), amounts, min_size=1, max_size=60
).filter(lambda d: any(v != 0 for v in d.values()))


@settings(max_examples=80)
@given(populations, st.integers(min_value=1, max_value=80), st.integers(), st.randoms())
def test_selection_matches_the_reference_and_ignores_row_order(
    population: dict[str, Decimal], size: int, seed: int, rng: random.Random
) -> None:
    units = list(population.items())
    chosen = select_monetary(units, size, seed)
    assert {i.unit: i.hits for i in chosen.items} == reference_selection(units, size, seed)
    rng.shuffle(units)
    assert select_monetary(units, size, seed) == chosen
    assert sum(item.hits for item in chosen.items) == size
    assert chosen.book_value == sum(population.values())
    for item in chosen.items:
        assert item.whole == (item.amount >= chosen.interval)
    # Every item at or above the interval is taken, and only those can be hit twice.
    big = {u for u, a in population.items() if a and a >= chosen.interval}
    assert big <= {i.unit for i in chosen.items}
    assert all(i.hits == 1 for i in chosen.items if not i.whole)


def test_selection_lists_large_items_and_skips_zero_amounts() -> None:
    units = [(f"T{i}", Decimal(100 + i)) for i in range(200)]
    units += [("STORT", Decimal(40_000)), ("NOLL", Decimal(0))]
    chosen = select_monetary(units, 30, seed=2025)
    assert [item.unit for item in chosen.whole_items] == ["STORT"]
    assert chosen.whole_items[0].hits >= 40_000 // int(chosen.interval)
    assert chosen.zero_items == 1
    assert "NOLL" not in {item.unit for item in chosen.items}
    assert chosen.population == 201
    assert chosen != select_monetary(units, 30, seed=2026)


def test_larger_items_are_more_likely_to_be_drawn() -> None:
    # Over many seeds, an item's share of draws follows its share of the kronor.
    units = [("liten", Decimal(100)), ("mellan", Decimal(300))] + [
        (f"X{i}", Decimal(1000)) for i in range(10)
    ]
    drawn = {"liten": 0, "mellan": 0}
    for seed in range(2000):
        for item in select_monetary(units, 1, seed).items:
            if item.unit in drawn:
                drawn[item.unit] += 1
    total = 10_400
    assert drawn["liten"] / 2000 == pytest.approx(100 / total, abs=0.01)
    assert drawn["mellan"] / 2000 == pytest.approx(300 / total, abs=0.015)


def test_a_plan_too_large_to_be_useful_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import internkontroll.monetary as monetary
    import internkontroll.sample_size as sample_size
    from internkontroll.sample_size import plan_size

    monkeypatch.setattr(monetary, "LARGEST_SIZE", 500)
    with pytest.raises(SamplingError, match="fler än 500 urvalspunkter"):
        monetary_size(0.95, 0.05, 0.04)
    monkeypatch.setattr(sample_size, "LARGEST_RATE_PLAN", 500)
    with pytest.raises(SamplingError, match="fler än 500 enheter"):
        plan_size(0.95, 0.05, expected_rate=0.04)
