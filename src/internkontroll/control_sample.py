"""A control's sample: collects the population during the pass, then draws as the plan says.

The check decides what belongs to the population (``Check.in_population``); the sampler keeps
those rows (not the export) and draws with ``internkontroll.sampling``, so the drawn sample is
the same for ``internkontroll sample`` (the worksheet) and ``internkontroll run`` (the review).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from internkontroll.datasets import Row
from internkontroll.grouping import GroupNames
from internkontroll.models import SampleSpec
from internkontroll.outcome import Outcome, Sample
from internkontroll.sample_size import plan_size, upper_limit
from internkontroll.sampling import (
    allocate,
    select_random,
    select_stratified,
    select_systematic,
    stratum_size,
)
from internkontroll.swedish import count_word, number, people_count

NO_STRATUM = ""


@dataclass
class DrawnSample:
    rows: list[Row]
    strata: dict[str, str]  # unit id -> stratum
    population: int
    population_by_stratum: dict[str, int]
    info: Sample


@dataclass
class Sampler:
    spec: SampleSpec
    key_field: str
    units: dict[str, tuple[str, Row]] = field(default_factory=dict)
    names: GroupNames = field(init=False)

    def __post_init__(self) -> None:
        # " sol " is the plan's stratum "SoL": per-stratum fractions and counts must find it.
        planned = [
            *(self.spec.fraction if isinstance(self.spec.fraction, dict) else {}),
            *(self.spec.count if isinstance(self.spec.count, dict) else {}),
        ]
        self.names = GroupNames(planned)

    def add(self, row: Row) -> None:
        unit = str(row[self.key_field])
        stratum = NO_STRATUM
        if self.spec.stratify_by:
            value = row[self.spec.stratify_by]
            text = str(value) if value not in (None, "") else "(uppgift saknas)"
            stratum = self.names.name(text) or text  # an open set names every value
        self.units.setdefault(unit, (stratum, row))

    def _by_stratum(self) -> dict[str, list[str]]:
        strata: dict[str, list[str]] = {}
        for unit, (stratum, _) in self.units.items():
            strata.setdefault(stratum, []).append(unit)
        return dict(sorted(strata.items()))

    def _planned_size(self) -> int | None:
        spec = self.spec
        if spec.tolerable is None:
            return None
        population = len(self.units)
        if population == 0:
            return 0
        return plan_size(
            spec.confidence,
            spec.tolerable,
            spec.expected,
            population if spec.model == "hypergeometric" else None,
            spec.model,
            spec.expected_rate,
        ).size

    def draw(self) -> DrawnSample:
        spec = self.spec
        strata = self._by_stratum()
        planned = self._planned_size()
        if spec.method == "stratified":
            count = spec.count
            if planned is not None:
                sizes = allocate({name: len(ids) for name, ids in strata.items()}, planned)
                count = {str(name): size for name, size in sizes.items()}
            chosen = select_stratified(strata, spec.seed, spec.fraction, count)
            picked = [unit for units in chosen.values() for unit in units]
        else:
            everyone = list(self.units)
            fraction = spec.fraction if not isinstance(spec.fraction, dict) else None
            count = spec.count if not isinstance(spec.count, dict) else None
            size = planned if planned is not None else stratum_size(len(everyone), fraction, count)
            size = min(size, len(everyone))
            select = select_systematic if spec.method == "systematic" else select_random
            picked = select(everyone, size, spec.seed)
        picked_set = set(picked)
        per_stratum = {
            name: sum(1 for unit in ids if unit in picked_set) for name, ids in strata.items()
        }
        ordered = sorted(picked, key=lambda unit: (self.units[unit][0], unit))
        return DrawnSample(
            rows=[self.units[unit][1] for unit in ordered],
            strata={unit: self.units[unit][0] for unit in ordered},
            population=len(self.units),
            population_by_stratum={name: len(ids) for name, ids in strata.items()},
            info=Sample(
                size=len(ordered),
                seed=spec.seed,
                method=spec.method,
                strata=per_stratum if spec.stratify_by else {},
            ),
        )


def sample_figures(
    spec: SampleSpec, drawn: DrawnSample, outcome: Outcome, smallest: int
) -> tuple[dict[str, float | int], str]:
    """What a reviewed sample shows: its size, deviations, upper limit and the sentence saying
    so. A deviation is a sampled case with at least one finding."""
    deviating = {
        f.reference
        for f in outcome.findings
        if f.kind == "avvikelse" and f.reference in drawn.strata
    }
    k = len(deviating)
    metrics: dict[str, float | int] = {
        "sample.n": drawn.info.size,
        "sample.population": drawn.population,
        "sample.deviations": k,
    }
    if drawn.info.size == 0:
        return metrics, "Urvalet var tomt: det fanns inga beslut att granska."
    model = spec.model
    limit = upper_limit(
        drawn.info.size,
        k,
        spec.confidence,
        drawn.population if model == "hypergeometric" else None,
        model,
    )
    metrics["sample.upper_limit"] = limit
    found = "inga avvikelser" if k == 0 else people_count(k, smallest, "avvikelse", "avvikelser")
    sentence = (
        f"Urvalet om {count_word(drawn.info.size, 'beslut', 'beslut')} innehöll {found}; med "
        f"{number(spec.confidence * 100, 1)} procents säkerhet är avvikelsefrekvensen högst "
        f"{number(limit * 100, 1)} procent."
    )
    return metrics, sentence
