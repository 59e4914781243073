"""Column mappings that no control reads: a mistyped field name must not pass in silence.

An optional field (``ended``, ``declined``, ``person_id`` for verkställighetstid) is read only
when the dataset maps it, so ``endde = "Avslutad"`` would otherwise leave the IVO report without
the ended decisions, with exit 0 and no word. A mapped field is accepted when a control of the
plan reads it from that dataset (needed or optional, with the control's params) or when some
check type declares it; one that resembles a field the controls would read but which is not
mapped is refused with its line and the suggestion.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from internkontroll.checks import Check, control_fields
from internkontroll.models import Control, DatasetSpec, dataset_roles


def readable_fields(
    controls: list[Control], checks: dict[str, type[Check[Any]]]
) -> tuple[dict[str, set[str]], set[str]]:
    """Dataset name → every field the plan's controls can read from it, and the datasets a
    control reads whose check or params are faulty (already reported; not judged here)."""
    readable: dict[str, set[str]] = {}
    unsure: set[str] = set()
    for control in controls:
        roles = dataset_roles(control)
        check = checks.get(control.check or "")
        if not roles:
            continue
        if check is None or set(roles) != set(check.roles):
            unsure.update(roles.values())
            continue
        try:
            params = check.Params.model_validate(control.params)
        except ValidationError:
            unsure.update(roles.values())
            continue
        for role, fields in control_fields(check, params, control, {}).items():
            readable.setdefault(roles[role], set()).update(fields)
        primary = roles[check.roles[0]]
        readable.setdefault(primary, set()).update(check.optional_fields(params))
    return readable, unsure


def unread_columns(
    datasets: dict[str, DatasetSpec],
    controls: list[Control],
    checks: dict[str, type[Check[Any]]],
) -> Iterator[tuple[str, str, str]]:
    """(dataset, mapped field, the unmapped field it resembles) for each mapped field that no
    control of the plan reads and no check type declares, while a field the controls would read
    from that dataset is unmapped and spelt alike: a typo that would drop the field in silence.
    A mapped field unlike any of them (a column kept for later) is left alone."""
    readable, unsure = readable_fields(controls, checks)
    declared = {name for check in checks.values() for name in check.fields}
    for name, spec in datasets.items():
        if name not in readable or name in unsure:
            continue
        unmapped = sorted(readable[name] - set(spec.columns))
        for field in spec.columns:
            if field in readable[name] or field in declared:
                continue
            import difflib  # only for a column mapped and read by nothing

            close = difflib.get_close_matches(field, unmapped, n=1, cutoff=0.6)
            if close:
                yield name, field, close[0]
