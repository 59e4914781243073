"""Stickprov selection: the same population and seed always give the same sample.

Every unit gets a key ``sha256(f"{seed}:{unit id}")``. Simple random selection takes the units with
the smallest keys, so the same population and seed give the same sample whatever the order of
the export's rows. Stratified selection does the same within each stratum, taking
``ceil(fraction × N_s)`` units or ``count``, never more than the stratum holds. Systematic
selection orders the units by id, draws a start in ``[0, N/n)`` from the seed, and takes every
``N/n``-th unit.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Hashable, Iterable, Mapping
from typing import Literal

Method = Literal["random", "systematic", "stratified"]


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
