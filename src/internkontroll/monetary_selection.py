"""Selection with probability proportional to amount (PPS), for monetary-unit sampling.

Every krona of the population is a sampling unit; the item that holds a selected krona is the
item reviewed (the logical unit). The items are laid end to end in a seeded order (the order of
their keys ``sha256(f"{seed}:{id}")``, the same keys as the attribute sampler), so the file's
row order does not matter. From a seeded start ``s`` in ``[0, J)``, with ``J = B / n``, the kronor
at ``s, s + J, s + 2J, …`` are selected (systematic selection over the cumulative amounts).

An item of at least ``J`` kronor is always hit, perhaps more than once: it is taken whole and
listed as such, and its misstatement is counted in full rather than projected. All arithmetic
is exact (fractions of the amounts as written), so the same population and seed give the same
items on every machine. Amounts are taken without sign; an item of 0 kr cannot be selected and
is counted apart.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from internkontroll.sample_size import SamplingError
from internkontroll.sampling import unit_key


@dataclass(frozen=True)
class SelectedItem:
    unit: str
    amount: Decimal
    hits: int
    whole: bool
    """At or above the interval: taken whole (the top stratum)."""


@dataclass(frozen=True)
class MonetarySelection:
    items: list[SelectedItem]
    """The selected items, by id."""
    size: int
    """Selection points (the planned ``n``); items taken whole may hold several."""
    book_value: Decimal
    interval: Fraction
    start: Fraction
    population: int
    """Items with an amount (the ones that could be selected)."""
    zero_items: int
    """Items of 0 kr, which monetary-unit sampling cannot select."""

    @property
    def whole_items(self) -> list[SelectedItem]:
        return [item for item in self.items if item.whole]


def seeded_start(seed: int) -> Fraction:
    """A fraction in ``[0, 1)`` from the seed, the same on every machine and Python version."""
    digest = hashlib.sha256(f"{seed}:monetary-start".encode()).digest()
    return Fraction(int.from_bytes(digest[:8], "big"), 1 << 64)


def select_monetary(
    units: Iterable[tuple[str, Decimal]], size: int, seed: int
) -> MonetarySelection:
    """``size`` selection points over the cumulative amounts of ``units`` (id, amount), each id
    once (the first amount given for it counts)."""
    if size < 1:
        raise SamplingError("urvalet måste ha minst en urvalspunkt")
    amounts: dict[str, Decimal] = {}
    for unit, amount in units:
        amounts.setdefault(unit, abs(amount))
    zero = sum(1 for amount in amounts.values() if amount == 0)
    ordered = sorted(
        (unit for unit, amount in amounts.items() if amount != 0),
        key=lambda unit: (unit_key(seed, unit), unit),
    )
    book = sum((amounts[unit] for unit in ordered), Decimal(0))
    if book <= 0:
        raise SamplingError("populationen har inga belopp att dra ett beloppsurval ur")
    interval = Fraction(book) / size
    start = seeded_start(seed) * interval
    chosen: list[SelectedItem] = []
    cumulative = Fraction(0)
    for unit in ordered:
        width = Fraction(amounts[unit])
        # Points s + iJ with cumulative ≤ point < cumulative + width.
        first = math.ceil((cumulative - start) / interval)
        after = math.ceil((cumulative + width - start) / interval)
        hits = min(after, size) - max(first, 0)
        if hits > 0:
            chosen.append(SelectedItem(unit, amounts[unit], hits, width >= interval))
        cumulative += width
    chosen.sort(key=lambda item: item.unit)
    return MonetarySelection(chosen, size, book, interval, start, len(ordered), zero)
