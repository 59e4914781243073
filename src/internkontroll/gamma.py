"""The gamma distribution, for Poisson planning and bounds with a real number of errors.

Monetary-unit sampling counts errors as taints (a 25 % misstatement counts as 0,25 of an error),
and planning with an expected deviation *rate* under the Poisson model expects ``n × rate`` errors:
both are real numbers, where the Poisson distribution only takes whole ones. The gamma form is the
bridge: ``P(X ≤ k | λ) = 1 − P(k + 1, λ)`` for whole ``k``, with ``P`` the regularized lower
incomplete gamma function, and the same ``P`` is defined for any real shape. This is what the R
package jfa uses (``qgamma(conf, 1 + x, n)``).

The standard library has no incomplete gamma; the series and continued fraction below are the
classic pair (series below ``shape + 1``, Lentz's continued fraction above), accurate to about
1e-14, which is far finer than any table they are held to.
"""

from __future__ import annotations

import math

_EPSILON = 1e-16
_TINY = 1e-300


def _series(shape: float, x: float) -> float:
    term = total = 1.0 / shape
    denominator = shape
    for _ in range(100_000):
        denominator += 1
        term *= x / denominator
        total += term
        if abs(term) < abs(total) * _EPSILON:
            break
    return total * math.exp(-x + shape * math.log(x) - math.lgamma(shape))


def _continued_fraction(shape: float, x: float) -> float:
    """The upper tail ``Q(shape, x)`` by Lentz's method."""
    b = x + 1 - shape
    c = 1 / _TINY
    d = 1 / b
    h = d
    for i in range(1, 100_000):
        an = -i * (i - shape)
        b += 2
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPSILON:
            break
    return math.exp(-x + shape * math.log(x) - math.lgamma(shape)) * h


def regularized_lower(shape: float, x: float) -> float:
    """``P(shape, x)``: the probability that a gamma(shape, rate 1) variable is at most ``x``."""
    if shape <= 0:
        raise ValueError("formen (shape) måste vara positiv")
    if x <= 0:
        return 0.0
    if x < shape + 1:
        return min(1.0, _series(shape, x))
    return max(0.0, 1.0 - _continued_fraction(shape, x))


def gamma_cdf(x: float, shape: float, rate: float = 1.0) -> float:
    """R's ``pgamma(x, shape, rate)``."""
    return regularized_lower(shape, x * rate)


def gamma_quantile(probability: float, shape: float, rate: float = 1.0) -> float:
    """R's ``qgamma(probability, shape, rate)``, by bisection (monotone, so it cannot miss)."""
    if not 0 < probability < 1:
        raise ValueError("sannolikheten ska ligga mellan 0 och 1")
    low, high = 0.0, max(1.0, shape)
    while regularized_lower(shape, high) < probability:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if regularized_lower(shape, middle) < probability:
            low = middle
        else:
            high = middle
        if high - low <= 1e-15 * high:
            break
    return high / rate


def poisson_factor(errors: float, confidence: float) -> float:
    """The Poisson upper limit on the number of errors when ``errors`` were seen: the confidence
    factor of the audit tables (3,00 for none at 95 %, 4,75 for one, 6,30 for two)."""
    return gamma_quantile(confidence, 1 + errors)
