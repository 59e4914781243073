"""Where every row went: the line ``run`` prints per control, and the words Bilaga 1 adds.

A figure computed on part of an export must say so. Rows read split into those used and those
left out (invalid, duplicates, excluded by the plan, outside the groups, outside the check's
population such as the period); the parts always add up to the rows read, for every dataset a
control reads (handkassa: the ledger and the cash counts, each on its own line). The export's
blank lines, which give no row, are said after the parts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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


@dataclass
class Tally:
    """What the engine saw of one dataset's rows on their way to a control's check, counted
    as they pass: what the check's figures cannot tell (which dataset a row was from, and
    whether the check refused or left it out before or after taking it into its population)."""

    refused: int = 0
    """Rows with unreadable values: refused before the check saw them."""
    rejected: int = 0
    """Rows the check itself rejected, counted for a dataset other than the first; the first's
    are the rest of the check's ``invalid_rows``."""
    population: int = 0
    outside: int = 0
    """Rows the check was fed but left out as outside the period (``Check.outside_rows``)."""
    blank: int = 0
    """Blank lines of the dataset's export: no record, so not among the rows read."""
    """Rows of the first dataset taken into the population (fed, or offered to the sample)."""
    before_population: dict[str, int] = field(
        default_factory=lambda: {"invalid": 0, "excluded": 0, "used": 0}
    )
    """Rows of the first dataset the check rejected (``invalid``), left out by the plan's
    selection (``excluded``) or used though not in its population (``used``: a handkassa's
    refills, in the balance) while deciding whether they belong: they never were in the
    population, so they must not be taken from it."""


def account(
    read: int,
    in_population: int,
    refused: int,
    metrics: Mapping[str, float | int],
    before_population: Mapping[str, int] | None = None,
    other_invalid: int = 0,
    outside_fed: int = 0,
) -> RowAccount:
    """The split of ``read`` rows of a control's first dataset. ``refused`` rows had unreadable
    values and never reached the check; ``in_population`` did, and the check may still have
    rejected (counted as invalid too) or excluded some of them. ``before_population`` are the
    rows the check rejected or excluded before they reached the population (``Tally``);
    ``other_invalid`` the invalid rows of the control's other datasets, which the check's
    ``invalid_rows`` also counts; ``outside_fed`` the rows of the population the check was
    fed but left out as outside the period."""
    before = before_population or {}
    # A control that could not be carried out has no metrics, yet its refused rows were read.
    invalid = max(int(metrics.get("invalid_rows", 0)) - other_invalid, refused)
    duplicates = int(metrics.get("duplicate_rows", 0))
    excluded = int(metrics.get("excluded", 0)) + int(metrics.get("outside_groups", 0))
    rejected_before, excluded_before = before.get("invalid", 0), before.get("excluded", 0)
    rejected_inside = max(invalid - refused - rejected_before, 0)
    excluded_inside = max(excluded - excluded_before, 0)
    used_before = before.get("used", 0)
    used = max(in_population - excluded_inside - rejected_inside - outside_fed, 0) + used_before
    left_before = refused + duplicates + rejected_before + excluded_before + used_before
    outside = max(read - in_population - left_before, 0) + outside_fed
    return RowAccount(read, used, invalid, duplicates, excluded, outside)


def run_lines(
    control_id: str,
    rows_read: Mapping[str, int],
    tallies: Mapping[str, Tally],
    metrics: Mapping[str, float | int],
) -> list[str]:
    """``run``'s account of a control's rows: one line for a control of one dataset, and one
    line per dataset, each named, for a control of several (``tallies``: the first dataset
    first)."""
    if not tallies:
        return []
    first, *others = tallies
    rejected = {name: tallies[name].refused + tallies[name].rejected for name in others}
    head = tallies[first]
    counts = account(
        rows_read.get(first, 0),
        head.population,
        head.refused,
        metrics,
        head.before_population,
        sum(rejected.values()),
        head.outside,
    )
    if not others:
        return [control_line(control_id, counts, head.blank)]
    lines = [control_line(f"{control_id} ({first})", counts, head.blank)]
    for name in others:
        read, tally = rows_read.get(name, 0), tallies[name]
        parts = [
            count_word(read - rejected[name] - tally.outside, "använd", "använda"),
            count_word(rejected[name], "ogiltig", "ogiltiga"),
        ]
        if tally.outside:
            parts.append(f"{number(tally.outside)} utanför perioden")
        lines.append(
            f"{control_id} ({name}): {count_word(read, 'rad läst', 'rader lästa')}: "
            f"{', '.join(parts)}{blank_part(tally.blank)}"
        )
    return lines


def blank_part(blank: int) -> str:
    """'; 2 tomma rader hoppades över' after a line's parts, or '' when there were none: with
    the header, every line of the export is then accounted for."""
    if not blank:
        return ""
    return f"; {count_word(blank, 'tom rad', 'tomma rader')} hoppades över"


def control_line(control_id: str, row_account: RowAccount, blank: int = 0) -> str:
    """``K1: 1 200 rader lästa: 1 150 använda, 10 ogiltiga, ...`` for the end of a run, with
    the export's ``blank`` lines after the parts (they are no rows read)."""
    a = row_account
    parts = [
        count_word(a.used, "använd", "använda"),
        count_word(a.invalid, "ogiltig", "ogiltiga"),
        count_word(a.duplicates, "dubblett", "dubbletter"),
        count_word(a.excluded, "undantagen", "undantagna"),
    ]
    if a.outside_population:
        parts.append(f"{number(a.outside_population)} utanför perioden eller populationen")
    read = count_word(a.read, "rad läst", "rader lästa")
    return f"{control_id}: {read}: {', '.join(parts)}{blank_part(blank)}"


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
