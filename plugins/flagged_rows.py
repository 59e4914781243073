"""The values of a batch's flagged rows, as their built rows would give them, without a ``Row``.

A check that words a finding or an IVO line for each of many flagged rows reads the few fields it
needs at those rows only: a whole column made Python for a hundredth of its rows, or a ``Row`` per
flagged row, would cost more than the rest of the batch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from internkontroll.batch import Batch, Codes


def values_at(batch: Batch, name: str, indices: Codes) -> list[Any]:
    """The field's value at each of the rows ``indices``, as ``batch.row(index)[name]`` reads it:
    None where blank, where the cell did not parse, or where the export does not map the field."""
    # Batch has no public way to read a column at some rows yet, hence the look at its columns.
    store: dict[str, Any] = getattr(batch, "_store", None) or {}
    wanted = indices.tolist()
    if name in store:
        values: list[Any] = store[name].take(indices).values()
    elif store:
        return [None] * len(wanted)
    else:
        column = batch.values(name)
        return [column[index] for index in wanted]
    errors = batch.all_errors()
    if errors:
        for position, index in enumerate(wanted):
            found = errors.get(index)
            if found and name in found:
                values[position] = None
    return values


def references_at(batch: Batch, key_field: str | None, indices: Codes) -> list[str]:
    """``Check.reference`` of each of the rows ``indices``: the case id, or "rad N" without one."""
    numbers: list[int] = batch.row_numbers[indices].tolist()
    if not key_field:
        return [f"rad {number}" for number in numbers]
    keys = values_at(batch, key_field, indices)
    return [str(key) if key else f"rad {number}" for key, number in zip(keys, numbers, strict=True)]
