"""Summaries of day counts kept as a histogram: exact mean, median and percentiles in tiny memory.

Waiting times are whole days, so a ``Counter`` of days holds a million decisions in a few hundred
entries, and two histograms merge by adding (the road to partitioned runs).
"""

from __future__ import annotations

import math
from collections import Counter


class DayHistogram:
    def __init__(self) -> None:
        self.counts: Counter[int] = Counter()
        self.n = 0
        self.total = 0

    def add(self, days: int) -> None:
        self.counts[days] += 1
        self.n += 1
        self.total += days

    def merge(self, other: DayHistogram) -> None:
        self.counts.update(other.counts)
        self.n += other.n
        self.total += other.total

    def mean(self) -> float:
        return self.total / self.n if self.n else math.nan

    def _value_at(self, rank: int) -> int:
        """The ``rank``-th smallest day count, 1-based."""
        seen = 0
        for days in sorted(self.counts):
            seen += self.counts[days]
            if seen >= rank:
                return days
        raise IndexError(rank)

    def median(self) -> float:
        """Middle value; the mean of the two middle values when n is even."""
        if not self.n:
            return math.nan
        if self.n % 2:
            return float(self._value_at(self.n // 2 + 1))
        return (self._value_at(self.n // 2) + self._value_at(self.n // 2 + 1)) / 2

    def percentile(self, share: float) -> float:
        """Nearest rank: the smallest value with at least ``share`` of the values at or below it."""
        if not self.n:
            return math.nan
        return float(self._value_at(max(1, math.ceil(share * self.n))))

    def metrics(self, prefix: str, *, p90: bool = False) -> dict[str, float | int]:
        """``<prefix>.mean_days`` and friends; empty groups give only ``n = 0``."""
        dot = f"{prefix}." if prefix else ""
        out: dict[str, float | int] = {f"{dot}n": self.n}
        if self.n:
            out[f"{dot}mean_days"] = self.mean()
            out[f"{dot}median_days"] = self.median()
            if p90:
                out[f"{dot}p90_days"] = self.percentile(0.9)
        return out
