"""A figure about fewer people than a report may show (the plan's ``min_group_size``).

resultat.json keeps every figure exact. What a person reads (a report's table, the plan's own
``figures`` template, an assessment's reason) shows a group's count or figure from fewer than
``min_group_size`` cases as "visas inte (färre än 3)": a mean of two decisions describes the
two people behind them.
"""

from __future__ import annotations

from collections.abc import Mapping


def too_few(metrics: Mapping[str, object], name: str, smallest: int) -> bool:
    """Whether ``name`` is a group's count or figure (``LSS.mean_days`` beside ``LSS.n``; a
    figure without a group beside ``n``) from more than none but fewer than ``smallest``
    cases."""
    prefix, _, _ = name.rpartition(".")
    count = metrics.get(f"{prefix}.n" if prefix else "n")
    return isinstance(count, int | float) and 0 < count < smallest


def not_shown(smallest: int) -> str:
    """What stands in place of a figure from too few cases."""
    return f"visas inte (färre än {smallest})"
