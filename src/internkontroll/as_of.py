"""The day a run looks from: a delår at 31 August or the year's end.

``run --as-of`` cuts each control's period at that day and records it in resultat.json; reports
and the summary judge lateness and choose their words from it, never from the clock, so a report
remade a year later is the same, byte for byte.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from internkontroll.errors import DatasetError
from internkontroll.swedish import MONTHS


def recorded(document: dict[str, Any], period_end: date) -> date:
    """The ``as_of`` of a resultat.json; the end of the plan's period for a folder written
    before the key existed."""
    value = document.get("as_of")
    if value is None:
        return period_end
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DatasetError(f"resultat.json: as_of {value!r} är inget datum (ÅÅÅÅ-MM-DD)") from None


def moment_words(as_of: date, period_end: date) -> str:
    """How the summary names the moment: "vid årsbokslutet" at the period's end, otherwise
    "per den 31 augusti 2024"."""
    if as_of >= period_end:
        return "vid årsbokslutet"
    return f"per den {as_of.day} {MONTHS[as_of.month - 1]} {as_of.year}"


def refuse_mixed(earlier: dict[str, Any] | None, as_of: date, period_end: date) -> None:
    """A run of some controls into a folder judged at another day would mix two moments."""
    if earlier is None:
        return
    before = recorded(earlier, period_end)
    if before != as_of:
        raise DatasetError(
            f"resultatmappen gäller per {before}, körningen per {as_of}; kör alla kontroller "
            "(utan --control) eller använd en egen mapp för delåret"
        )
