"""Plain Swedish for a figure a grouped count could not give: its group or part had no cases.

Criteria may name ``LSS.mean_days`` when the period held no LSS decision. The control is then
not judged (a figure not measured is not "utan anmärkning"), and Bilaga 1 says why in words
a report author can paste, instead of metric names: "Det fanns inga beslut med lag LSS att
räkna under perioden 240101–241231, så måttet ”LSS: genomsnitt” kunde inte beräknas."
"""

from __future__ import annotations

from collections.abc import Collection

from internkontroll.metrics import ENGINE_METRICS
from internkontroll.row_filters import FIELD_WORDS


def figure_parts(
    name: str, group_by: str | None, parts: list[str], leaves: Collection[str]
) -> tuple[str, str, str] | None:
    """``(group, part, leaf)`` of a figure name such as ``LSS.H1.mean_days``; group and part
    are "" when the name has none. None when it is not a per-group count of the check's
    (``leaves``: the last parts it uses), such as the engine's ``sample.n``."""
    head, _, leaf = name.rpartition(".")
    if leaf not in leaves or any(metric.match(name) for metric in ENGINE_METRICS):
        return None
    pieces = head.split(".") if head else []
    part = pieces.pop() if pieces and pieces[-1] in parts else ""
    group = ".".join(pieces)
    if group and not group_by:
        return None
    return group, part, leaf


def no_cases(what: str, group_by: str | None, group: str, span: str) -> str:
    """"Det fanns inga beslut med lag LSS att räkna under perioden 240101–241231": what was
    missing, without a full stop, for ``criteria.missing_reason`` to go on from."""
    who = f" med {FIELD_WORDS.get(group_by, group_by)} {group}" if group_by and group else ""
    return f"Det fanns inga {what}{who} att räkna under perioden {span}"
