"""Where in the export a personnummer that would have reached the results came from.

A check's outcome is refused when it holds a personnummer (a case id that is one, a group or
stratum value that is one); "the result sentence would have held a personnummer" does not tell
the controller what to mend. On that failure only, the control's exports are read once more to
find the first row and column whose value is the number, so the message names file, row and
column, as a data-quality error does, and never the number itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import chain
from pathlib import Path

from internkontroll.csv_records import BadLine
from internkontroll.datasets import Dataset
from internkontroll.errors import DatasetError
from internkontroll.models import Plan
from internkontroll.outcome import Outcome
from internkontroll.privacy import PERSONNUMMER, is_personnummer
from internkontroll.values import FieldType

_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def numbers_in(text: str) -> Iterator[str]:
    """Each personnummer in ``text`` as its last ten digits: the same number however written."""
    for match in PERSONNUMMER.finditer(text):
        if is_personnummer(match.group(0)):
            digits = "".join(c for c in match.group(0).translate(_FULL_WIDTH) if c.isdigit())
            yield digits[-10:]


def _texts(outcome: Outcome) -> Iterator[str]:
    yield outcome.result_text
    yield from outcome.metrics
    for finding in outcome.findings:
        yield finding.reference
        yield finding.description
    for table in outcome.tables.values():
        for row in table.rows:
            yield from (str(cell) for cell in row)
    if outcome.sample is not None:
        yield from outcome.sample.strata


def leaked_numbers(outcome: Outcome) -> set[str]:
    return set(chain.from_iterable(numbers_in(text) for text in _texts(outcome)))


def origin(
    plan: Plan,
    datasets: Mapping[str, str],
    needed: Mapping[str, Mapping[str, FieldType]],
    outcome: Outcome,
    key_field: str | None = None,
    in_reference: bool = False,
) -> str:
    """', med värdet i beslut.csv rad 6, kolumn 'Lag',' for the first cell holding a number
    that is in ``outcome``, or '' when none is found. ``datasets`` maps each dataset name to
    its role, ``needed`` each role to the fields read. Where the number is in several columns,
    the case id (``key_field``) is named first when the leak is in a finding's reference
    (``in_reference``), last but for ``person_id`` otherwise: a number in the result sentence
    or a metric comes from a group or stratum, and ``person_id`` holds personnummer by design."""
    numbers = leaked_numbers(outcome)
    if not numbers:
        return ""

    def rank(field: str) -> int:
        if field == "person_id":
            return 3
        if field == key_field:
            return 0 if in_reference else 2
        return 1

    for name, role in datasets.items():
        spec = plan.datasets.get(name)
        fields: dict[str, FieldType] = {
            f: k for f, k in needed.get(role, {}).items() if k == "text"
        }
        if spec is None or not fields:
            continue
        try:
            found = _first_cells(Dataset(name, spec, plan.resolve(spec.path)), fields, numbers)
        except (DatasetError, OSError, ValueError):
            continue  # the export could not be read again: the message stays without a place
        if found:
            number, column = found[min(found, key=rank)]
            return f", med värdet i {Path(spec.path).as_posix()} rad {number}, kolumn {column!r},"
    return ""


def _first_cells(
    dataset: Dataset, fields: dict[str, FieldType], numbers: set[str]
) -> dict[str, tuple[int, str]]:
    """Per field, the first row (and its column's header) whose value holds one of ``numbers``."""
    layout = dataset.layout(fields)
    found: dict[str, tuple[int, str]] = {}
    for number, cells in layout.reader.records():
        if isinstance(cells, BadLine):
            continue
        for place in layout.plan:
            if place.name in found or place.position >= len(cells):
                continue
            value = cells[place.position]
            if value is not None and any(n in numbers for n in numbers_in(str(value))):
                found[place.name] = (number, place.column)
        if len(found) == len(layout.plan):
            break
    return found
