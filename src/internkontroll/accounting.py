"""Where every row went: the line ``run`` prints per control, and the words Bilaga 1 adds.

A figure computed on part of an export must say so. Rows read split into those used and those
left out (invalid, duplicates, excluded by the plan, outside the groups, outside the check's
population such as the period); the parts always add up to the rows read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from internkontroll.swedish import count_word, number

# Rows the engine left out for data quality, as Bilaga 1 names them. Exclusions by the plan's own
# rules are already told by each check's result text.
# Metric → (one, many): "1 ogiltig", "2 ogiltiga".
LEFT_OUT = {"invalid_rows": ("ogiltig", "ogiltiga"), "duplicate_rows": ("dubblett", "dubbletter")}


@dataclass(frozen=True)
class RowAccount:
    read: int
    used: int
    invalid: int
    duplicates: int
    excluded: int
    outside_population: int


def account(
    read: int, in_population: int, refused: int, metrics: Mapping[str, float | int]
) -> RowAccount:
    """The split of ``read`` rows. ``refused`` rows had unreadable values and never reached the
    check; ``in_population`` did, and the check may still have rejected (counted as invalid
    too) or excluded some of them."""
    # A control that could not be carried out has no metrics, yet its refused rows were read.
    invalid = max(int(metrics.get("invalid_rows", 0)), refused)
    duplicates = int(metrics.get("duplicate_rows", 0))
    excluded = int(metrics.get("excluded", 0)) + int(metrics.get("outside_groups", 0))
    rejected_by_check = max(invalid - refused, 0)
    used = max(in_population - excluded - rejected_by_check, 0)
    outside = max(read - in_population - refused - duplicates, 0)
    return RowAccount(read, used, invalid, duplicates, excluded, outside)


def control_line(control_id: str, row_account: RowAccount) -> str:
    """``K1: 1 200 rader lästa: 1 150 använda, 10 ogiltiga, ...`` for the end of a run."""
    a = row_account
    parts = [
        count_word(a.used, "använd", "använda"),
        count_word(a.invalid, "ogiltig", "ogiltiga"),
        count_word(a.duplicates, "dubblett", "dubbletter"),
        count_word(a.excluded, "undantagen", "undantagna"),
    ]
    if a.outside_population:
        parts.append(f"{number(a.outside_population)} utanför perioden eller populationen")
    return f"{control_id}: {count_word(a.read, 'rad läst', 'rader lästa')}: {', '.join(parts)}"


def left_out_sentence(metrics: Mapping[str, object]) -> str:
    """A sentence for Bilaga 1 when rows were left out of the figures for data quality, else ''."""
    counts = {}
    for name in LEFT_OUT:
        value = metrics.get(name)
        if isinstance(value, int | float) and value > 0:
            counts[name] = int(value)
    if not counts:
        return ""
    parts = ", ".join(count_word(n, *LEFT_OUT[name]) for name, n in counts.items())
    total = sum(counts.values())
    rows = f"{number(total)} {'rad' if total == 1 else 'rader'}"
    return f"{rows} i underlaget ingår inte i siffrorna ({parts}); de listas i avvikelser/."
