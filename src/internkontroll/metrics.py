"""The figures a check declares: names (patterns such as ``{group}.mean_days``), Swedish labels
and units.

A check lists what it produces so that ``validate`` can refuse a criteria metric that will never
exist, the engine can refuse a figure nobody declared, and a reader sees "LSS: genomsnitt, dagar"
and "96 procent" where the engine has ``LSS.mean_days`` and ``0.96``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cached_property, lru_cache
from typing import Any, Literal

from internkontroll.swedish import number, percent

Unit = Literal["dagar", "antal", "andel", "kronor", "timmar"]
UNIT_WORDS: dict[str, str] = {
    "dagar": "dagar",
    "antal": "antal",
    "andel": "procent",
    "kronor": "kronor",
    "timmar": "timmar",
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_GLOB = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class Metric:
    """One figure or family of figures: ``{group}`` stands for one dot-free part of the name."""

    name: str
    label: str
    unit: Unit

    @cached_property
    def _parts(self) -> tuple[_Part, ...]:
        """The name's dot-separated parts: as a placeholder never holds a dot, a name is of
        the family when it has as many parts and each part fits its own."""
        return tuple(_part(text) for text in self.name.split("."))

    def match(self, name: str) -> dict[str, str] | None:
        """The placeholder values when ``name`` is one of this family, else None."""
        parts = name.split(".")
        mine = self._parts
        if len(parts) != len(mine):
            return None
        found: dict[str, str] = {}
        for part, text in zip(mine, parts, strict=True):
            if isinstance(part, str):  # plain text
                if part != text:
                    return None
            elif isinstance(part, tuple):  # one placeholder, the whole part
                if not text:
                    return None
                found[part[0]] = text
            else:  # text and placeholders in one part: a pattern decides, as ``[^.]+`` each
                fits = part.fullmatch(text)
                if fits is None:
                    return None
                found.update(fits.groupdict())
        return found

    def could_match(self, pattern: str) -> bool:
        """Whether a criteria pattern (a name or a shell pattern) can pick a figure of this
        family. Part by part, a placeholder takes any part; then the whole with a stand-in."""
        if not _GLOB.search(pattern):
            return self.match(pattern) is not None
        mine, theirs = self.name.split("."), pattern.split(".")
        if len(mine) == len(theirs) and all(
            _PLACEHOLDER.fullmatch(m) or fnmatchcase(m, t)
            for m, t in zip(mine, theirs, strict=True)
        ):
            return True
        return fnmatchcase(_PLACEHOLDER.sub("x", self.name), pattern)

    def render(self, name: str) -> str:
        """The label with the placeholders filled in: "LSS: genomsnitt"."""
        values = self.match(name) or {}
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), self.label)


# Figures the engine adds to every check's own.
ENGINE_METRICS: tuple[Metric, ...] = (
    Metric("invalid_rows", "rader med fel som inte räknats", "antal"),
    Metric("duplicate_rows", "upprepade ärende-id som inte räknats", "antal"),
    Metric("sample.n", "urvalets storlek", "antal"),
    Metric("sample.population", "populationen urvalet dragits ur", "antal"),
    Metric("sample.deviations", "avvikelser i urvalet", "antal"),
    Metric("sample.upper_limit", "övre gräns för avvikelsefrekvensen", "andel"),
    # A monetary-unit sample (method = "monetary").
    Metric("sample.book_value", "bokfört värde i populationen", "kronor"),
    Metric("sample.interval", "urvalsintervall", "kronor"),
    Metric("sample.points", "urvalspunkter", "antal"),
    Metric("sample.whole_items", "poster granskade i sin helhet", "antal"),
    Metric("sample.misstatements", "poster med felaktigheter", "antal"),
    Metric("sample.misstatement", "mest sannolik felaktighet", "kronor"),
    Metric("sample.upper_misstatement", "övre gräns för felaktigheten", "kronor"),
    Metric("sample.tolerable_misstatement", "tolerabel felaktighet", "kronor"),
    Metric("sample.understatement", "undervärdering i urvalet", "kronor"),
)


def declared(check_class: Any) -> tuple[Metric, ...]:
    """A check's own metrics and the engine's; empty when the check declares none."""
    own: tuple[Metric, ...] = tuple(getattr(check_class, "metrics", ()) or ())
    return (*own, *ENGINE_METRICS) if own else ()


def possible_metrics(check_class: Any, params: Any, period: Any) -> tuple[Metric, ...] | None:
    """What one control can give, its params and period taken into account, and the engine's;
    None when the check declares nothing (then any name may come)."""
    if not declared(check_class):
        return None
    own: tuple[Metric, ...] = tuple(check_class.possible_metrics(params, period))
    return (*own, *ENGINE_METRICS)


_Part = str | tuple[str] | re.Pattern[str]
"""A part of a family's name: plain text, one placeholder (its name), or a pattern for a part
that mixes the two."""


def _part(text: str) -> _Part:
    pieces = _PLACEHOLDER.split(text)  # alternately plain text and placeholder names
    if len(pieces) == 1:
        return text
    if len(pieces) == 3 and not pieces[0] and not pieces[2]:
        return (pieces[1],)
    return re.compile(
        "".join(
            re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>[^.]+)"
            for i, piece in enumerate(pieces)
        )
    )


def find(metrics: Iterable[Metric], name: str) -> Metric | None:
    """The first of ``metrics`` whose family holds ``name``."""
    chosen = tuple(metrics)
    if not chosen:
        return None
    return _families(chosen).first(name)


class _Families:
    """A check's families by shape (their number of parts, and their last part when it is
    plain text): a name is tried only against the few that can hold it, in declared order as
    ``find`` promises, so a check with 50 families and 9 000 figures makes a few comparisons
    a figure, and no pattern is compiled (a run's hundred would cost more than its matches)."""

    def __init__(self, metrics: tuple[Metric, ...]) -> None:
        self.metrics = metrics
        self._by_shape: dict[tuple[int, str | None], list[int]] = {}
        for index, metric in enumerate(metrics):
            last = metric._parts[-1]
            shape = (len(metric._parts), last if isinstance(last, str) else None)
            self._by_shape.setdefault(shape, []).append(index)

    def first(self, name: str) -> Metric | None:
        count = name.count(".") + 1
        plain = self._by_shape.get((count, name[name.rfind(".") + 1 :]), [])
        other = self._by_shape.get((count, None), [])
        for index in sorted(plain + other) if plain and other else plain or other:
            if self.metrics[index].match(name) is not None:
                return self.metrics[index]
        return None


@lru_cache(maxsize=64)
def _families(metrics: tuple[Metric, ...]) -> _Families:
    return _Families(metrics)


def undeclared(metrics: tuple[Metric, ...], names: Iterable[str]) -> list[str]:
    """Produced figures the check did not declare (none when it declares nothing)."""
    if not metrics:
        return []
    families = _families(metrics)
    return [n for n in names if families.first(n) is None]


def unknown_pattern(
    metrics: tuple[Metric, ...], pattern: str, possible: tuple[Metric, ...] | None = None
) -> str | None:
    """A Swedish message when no declared metric can match ``pattern``, with the nearest
    declared name as a suggestion; None when it is known or nothing is declared. ``possible``
    is what this control's params can give: a name the check knows but these params never
    produce (``LSS.mean_days`` without ``group_by``) is refused as well."""
    if not metrics:
        return None
    if any(m.could_match(pattern) for m in metrics):
        if not possible or any(m.could_match(pattern) for m in possible):
            return None
        suggestion = _suggest(possible, pattern)
        hint = f" (menade du {suggestion!r}?)" if suggestion else ""
        known = ", ".join(m.name for m in possible)
        return (
            f"måttet {pattern!r} kan inte uppstå med kontrollens inställningar i "
            f"[control.params]{hint}; med dem ger kontrollen: {known}"
        )
    suggestion = _suggest(metrics, pattern)
    known = ", ".join(m.name for m in metrics)
    hint = f" (menade du {suggestion!r}?)" if suggestion else ""
    return f"okänt mått {pattern!r}{hint}; kontrolltypen ger: {known}"


def _suggest(metrics: tuple[Metric, ...], pattern: str) -> str | None:
    """The closest declared name, with its placeholders taken from ``pattern`` where they fit."""
    import difflib  # only for a plan with a mistake

    head, _, last = pattern.rpartition(".")
    for metric in metrics:
        mine_head, _, mine_last = metric.name.rpartition(".")
        if head and mine_head and mine_head.count(".") == head.count("."):
            candidate = f"{head}.{mine_last}"
            if metric.could_match(candidate) and difflib.get_close_matches(
                last, [mine_last], n=1, cutoff=0.5
            ):
                return candidate
    names = [m.name for m in metrics]
    close = difflib.get_close_matches(pattern, names, n=1, cutoff=0.5)
    if close:
        return close[0]
    leaves = {m.name.rpartition(".")[2]: m.name for m in metrics}
    close = difflib.get_close_matches(last, list(leaves), n=1, cutoff=0.5)
    return leaves[close[0]] if close else None


@dataclass(frozen=True)
class Shown:
    """How a reader sees one figure: its label and its value in the label's unit."""

    label: str
    unit: str

    @property
    def heading(self) -> str:
        """Label and unit, as a table shows them: "LSS: genomsnitt, dagar"."""
        word = UNIT_WORDS.get(self.unit)
        return f"{self.label}, {word}" if word else self.label

    def value(self, value: float | int) -> str:
        if self.unit == "andel":
            return percent(float(value), 1 if 0 < abs(value) < 0.1 else 0)
        if self.unit == "antal":
            return number(value, 0)
        if not self.unit:
            return number(value)
        return number(value, 2 if self.unit == "kronor" else 1)


def labels_for(metrics: Iterable[Metric], names: Iterable[str]) -> dict[str, dict[str, str]]:
    """``name -> {"label", "unit"}`` for each produced figure; stored in resultat.json so that
    a report, or a register reading many folders, needs no plugin to show it."""
    chosen = tuple(metrics)
    out: dict[str, dict[str, str]] = {}
    if not chosen:
        return out
    families = _families(chosen)
    for name in names:
        metric = families.first(name)
        if metric is not None:
            out[name] = {"label": metric.render(name), "unit": metric.unit}
    return out


def shown(info: Mapping[str, Any] | None, name: str) -> Shown:
    """The label and unit stored for ``name``; the bare name when none was stored (an older
    results folder, or a check that declares nothing)."""
    entry = (info or {}).get(name)
    if isinstance(entry, Mapping) and isinstance(entry.get("label"), str):
        unit = entry.get("unit")
        return Shown(entry["label"], unit if isinstance(unit, str) else "")
    return Shown(name, "")
