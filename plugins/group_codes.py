"""Each row of a batch as an index into its group's name, named once per distinct value.

The row API names a row's group with ``GroupNames.name(value)`` as ``feed`` meets it, and the
first spelling met wins (" lss " and "LSS" are one group, named as first written). A batch does
the same with one call per distinct value, asked in the order of the rows that first have it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from internkontroll.grouping import GroupNames

if TYPE_CHECKING:
    from internkontroll.batch import Batch

MISSING_GROUP = "(uppgift saknas)"


def first_seen(codes: Any, mask: Any) -> list[int]:
    """The codes of the flagged rows, each once, in the order of the rows that first have them:
    each code's first row found in one pass (``minimum.at``), without sorting the rows."""
    import numpy as np

    rows = np.flatnonzero(mask)
    if not len(rows):
        return []
    picked = codes[rows]
    first = np.full(int(picked.max()) + 1, len(codes), dtype=np.intp)
    np.minimum.at(first, picked, rows)
    present = np.flatnonzero(first < len(codes))
    order: list[int] = present[np.argsort(first[present], kind="stable")].tolist()
    return order


def group_codes(
    batch: Batch, group_by: str | None, names: GroupNames, counted: Any
) -> tuple[list[str], Any]:
    """Each counted row's group as an index into the returned names (-1: outside the plan's
    groups), the names in the order ``feed`` first counts them; no ``group_by``: one group ""."""
    import numpy as np

    if not group_by:
        return [""], np.zeros(len(batch), dtype=np.intp)
    uniques, codes = batch.codes(group_by)
    named: dict[str, int] = {}
    to_group = np.full(len(uniques) + 1, -1, dtype=np.intp)
    for code in first_seen(codes, counted):
        name = names.name(uniques[code] or MISSING_GROUP)
        if name is not None:
            to_group[code] = named.setdefault(name, len(named))
    grouped: Any = to_group[codes]
    return list(named), grouped
