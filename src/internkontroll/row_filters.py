"""Which rows a check counts and in which group: inclusions, exclusions and named strata.

``include = { outcome = ["Bifall", "Delvis bifall"] }`` keeps only rows whose every named field
holds one of its values (only gynnande beslut, say); ``exclude = { law = ["SFB"] }`` drops rows
by value. A check offers both by giving its ``Params`` the ``RowSelection`` base and asking
``params.admits(row)``; rows left out are counted, never dropped silently. Strata are either the
values of one field (``stratify_by = "service"``) or named filters, for strata that mix fields
as the annual report's "hemtjänst, korttidsboende och LSS" does::

    [control.params.strata]
    "Hemtjänst" = { service = "Hemtjänst" }
    "LSS" = { law = "LSS" }
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, field_validator

from internkontroll.datasets import Row

if TYPE_CHECKING:
    from internkontroll.batch import Batch, Mask

Filter = Mapping[str, str | list[str]]


def _values(wanted: str | list[str]) -> list[str]:
    return [wanted] if isinstance(wanted, str) else list(wanted)


def matches(row: Row, conditions: Filter) -> bool:
    """Every field of ``conditions`` holds one of its values (trimmed, compared without case)."""
    for field, wanted in conditions.items():
        value = row[field]
        values = {w.strip().casefold() for w in _values(wanted)}
        if value is None or str(value).strip().casefold() not in values:
            return False
    return True


def excluded(row: Row, exclude: Filter) -> bool:
    """Any field of ``exclude`` holds one of the values to leave out."""
    return any(matches(row, {field: wanted}) for field, wanted in exclude.items())


class RowSelection(BaseModel):
    """The ``include`` and ``exclude`` keys every check's params may carry."""

    include: dict[str, str | list[str]] = {}
    """Only rows whose every named field holds one of its values: ``{ outcome = ["Bifall"] }``."""
    exclude: dict[str, str | list[str]] = {}
    """Rows to leave out by value, e.g. ``{ law = ["SFB"] }``."""

    @field_validator("include", "exclude")
    @classmethod
    def _some_value(cls, selection: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
        """``{ outcome = [] }`` would keep no row (include) or leave none out (exclude): a
        mistake either way, refused rather than run."""
        for name, wanted in selection.items():
            values = _values(wanted)
            if not values or not all(value.strip() for value in values):
                raise ValueError(
                    f"{name} anger inget värde (eller ett tomt); väntade ett eller flera värden, "
                    f't.ex. {{ {name} = ["ett värde"] }}'
                )
        return selection

    def selection_fields(self) -> list[str]:
        """The fields ``include`` and ``exclude`` read."""
        return list(dict.fromkeys([*self.include, *self.exclude]))

    def admits(self, row: Row) -> bool:
        """Whether the row is counted: included (when ``include`` is given) and not excluded."""
        if self.include and not matches(row, self.include):
            return False
        return not (self.exclude and excluded(row, self.exclude))


def admitted(batch: Batch, selection: RowSelection) -> Mask:
    """``selection.admits`` for every row of a batch, asked once per distinct value of a field:
    every ``include`` field matches and no ``exclude`` field does, as ``admits`` reads it."""
    mask = batch.everything()
    for name, wanted in selection.include.items():
        mask &= batch.where(name, _matcher(name, wanted))
    for name, wanted in selection.exclude.items():
        mask &= ~batch.where(name, _matcher(name, wanted))
    return mask


def _matcher(name: str, wanted: str | list[str]) -> Any:
    return lambda value: matches(Row(0, {name: value}), {name: wanted})


def strata_of(row: Row, strata: Mapping[str, Filter], stratify_by: str | None) -> list[str]:
    """The strata this row belongs to: named filters first, else the value of ``stratify_by``."""
    if strata:
        return [name for name, conditions in strata.items() if matches(row, conditions)]
    if stratify_by:
        value = row[stratify_by]
        return [str(value) if value not in (None, "") else "(uppgift saknas)"]
    return [""]


def strata_fields(strata: Mapping[str, Filter]) -> list[str]:
    """The fields the named strata read, in the order the plan names them: a worksheet's
    columns follow it, so a set here would reorder them with PYTHONHASHSEED."""
    return list(dict.fromkeys(field for conditions in strata.values() for field in conditions))


# Canonical fields as a sentence names them.
FIELD_WORDS = {
    "law": "lag",
    "service": "insats",
    "legal_basis": "lagrum",
    "unit": "enhet",
    "outcome": "utfall",
    "cashbox": "handkassa",
    "source": "huvudman",
}


def exclusion_sentence(exclude: Filter, subject: str = "Beslut") -> str:
    """'Beslut med lag SFB ingår inte.' for ``{law = ["SFB"]}``."""
    parts = [
        f"{FIELD_WORDS.get(field, field)} {' eller '.join(_values(wanted))}"
        for field, wanted in exclude.items()
    ]
    return f"{subject} med {' eller '.join(parts)} ingår inte." if parts else ""


def selection_sentence(selection: RowSelection, subject: str = "Beslut") -> str:
    """'Endast beslut med utfall Bifall ingår. Beslut med lag SFB ingår inte.'"""
    parts = [
        f"{FIELD_WORDS.get(field, field)} {' eller '.join(_values(wanted))}"
        for field, wanted in selection.include.items()
    ]
    only = f"Endast {subject.lower()} med {' och '.join(parts)} ingår." if parts else ""
    return f"{only} {exclusion_sentence(selection.exclude, subject)}".strip()
