"""Summaries of day counts kept as a histogram: exact mean, median and percentiles in tiny memory.

Waiting times are whole days, so a ``Counter`` of days holds a million decisions in a few hundred
entries, and two histograms merge by adding (the road to partitioned runs).
"""

from __future__ import annotations

import math
from collections import Counter

from internkontroll.metrics import Metric


class DayHistogram:
    def __init__(self) -> None:
        self.counts: Counter[int] = Counter()
        self.n = 0
        self.total = 0

    def add(self, days: int) -> None:
        self.counts[days] += 1
        self.n += 1
        self.total += days

    def add_counts(self, days: list[int], counts: list[int]) -> None:
        """``counts[i]`` values of ``days[i]`` each: a batch's days at once."""
        for value, count in zip(days, counts, strict=True):
            self.counts[value] += count
            self.n += count
            self.total += value * count

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

    @staticmethod
    def declare(prefix: str = "", who: str = "", *, p90: bool = False) -> tuple[Metric, ...]:
        """The figures ``metrics`` gives, declared for a check: ``prefix`` like "{group}",
        ``who`` like "{group}: " in front of each label."""
        dot = f"{prefix}." if prefix else ""
        declared = [
            Metric(f"{dot}n", f"{who}beslut", "antal"),
            Metric(f"{dot}mean_days", f"{who}genomsnitt", "dagar"),
            Metric(f"{dot}median_days", f"{who}median", "dagar"),
        ]
        if p90:
            declared.append(Metric(f"{dot}p90_days", f"{who}90:e percentilen", "dagar"))
        return tuple(declared)

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
