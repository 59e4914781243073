"""Group and stratum values as people write them: trimmed, compared without case, never lost.

An export may say " sol " where the plan says ``groups = ["SoL", "LSS"]``; both are the group
SoL, shown as the plan spells it. A value outside the plan's groups is not dropped silently:
it is counted (``outside_groups``), listed as a data-quality finding and named in the result
sentence, so a reader of Bilaga 1 knows rows were left out of the figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from internkontroll.metrics import Metric
from internkontroll.outcome import Finding
from internkontroll.row_filters import FIELD_WORDS
from internkontroll.swedish import join, people_count

OUTSIDE_GROUPS = Metric("outside_groups", "rader med ett värde utanför grupperna", "antal")


def excerpt(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


class GroupNames:
    """The name a value goes by: the planned spelling when it matches one, trimmed and without
    regard to case. With ``closed`` a value matching none has no name (it is outside);
    otherwise it is its own group, spelled as it was first seen."""

    def __init__(self, planned: Iterable[str] = (), *, closed: bool = False) -> None:
        self.planned = list(planned)
        self._names = {name.strip().casefold(): name for name in self.planned}
        self.closed = closed and bool(self._names)

    def name(self, value: object) -> str | None:
        text = "" if value is None else str(value).strip()
        key = text.casefold()
        found = self._names.get(key)
        if found is None and not self.closed:
            found = self._names.setdefault(key, text)
        return found

    def adopt(self, other: GroupNames) -> None:
        """Learn the spellings ``other`` met that this has not, in the order it met them: the
        names one pass would give had ``other``'s values come after this one's (a merge)."""
        for name in list(other._names.values()):
            self.name(name)


class OutsideGroups:
    """Rows whose group is not one the plan reports: counted, listed and put in words."""

    def __init__(self, field: str, groups: list[str]) -> None:
        self.field = FIELD_WORDS.get(field, field)
        self.groups = groups
        self.count = 0
        self.values: Counter[str] = Counter()

    def note(self, reference: str, row: int, value: str) -> Finding:
        """Count the row and return its finding for the control's list."""
        self.count += 1
        self.values[value] += 1
        return Finding(
            reference=reference,
            row=row,
            kind="datakvalitet",
            description=(
                f"{self.field} {excerpt(value)!r} är inte en av grupperna "
                f"{', '.join(self.groups)}; raden räknas inte i siffrorna"
            ),
        )

    def sentence(self, one: str, many: str, smallest: int) -> str:
        """'4 beslut med lag utanför SoL och LSS (SFB) ingår inte i siffrorna.' or ''."""
        if not self.count:
            return ""
        counted = people_count(self.count, smallest, one, many)
        shown = [excerpt(v, 20) for v, _ in self.values.most_common(3)]
        more = " m.fl." if len(self.values) > 3 else ""
        return (
            f"{counted[0].upper()}{counted[1:]} med {self.field} utanför {join(self.groups)} "
            f"({', '.join(shown)}{more}) ingår inte i siffrorna."
        )
