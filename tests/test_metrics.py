"""Checks declare their figures: validate refuses unknown names, the engine refuses undeclared
ones, a named figure that is missing at run time is ej_genomford, and readers see labels."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from internkontroll import hookimpl
from internkontroll.assessment import Assessment
from internkontroll.checks import Check, NoParams
from internkontroll.criteria import judge, missing_detail
from internkontroll.datasets import Row
from internkontroll.engine import run_plan
from internkontroll.errors import PlanError
from internkontroll.metrics import (
    Metric,
    Shown,
    declared,
    find,
    labels_for,
    undeclared,
    unknown_pattern,
)
from internkontroll.models import Criteria
from internkontroll.outcome import Outcome
from internkontroll.planfile import load_plan
from internkontroll.plugins import PluginHost

from .conftest import PLAN, write

FAMILY = Metric("{group}.mean_days", "{group}: genomsnitt", "dagar")


@pytest.mark.parametrize(
    ("name", "placeholders"),
    [
        ("LSS.mean_days", {"group": "LSS"}),
        ("mean_days", None),
        ("LSS.H1.mean_days", None),  # a placeholder is one dot-free part
        ("LSS.mean_days_x", None),
    ],
)
def test_a_pattern_names_a_family(name: str, placeholders: dict[str, str] | None) -> None:
    assert FAMILY.match(name) == placeholders


@pytest.mark.parametrize(
    ("pattern", "fits"),
    [("*.mean_days", True), ("SoL.*", True), ("*", True), ("*.rate", False), ("mean_*", False)],
)
def test_a_criteria_pattern_is_known_when_it_can_pick_a_declared_figure(
    pattern: str, fits: bool
) -> None:
    assert FAMILY.could_match(pattern) is fits


def test_labels_fill_the_placeholders_and_rates_show_as_percent() -> None:
    labels = labels_for(
        (FAMILY, Metric("min_rate", "lägsta andel uppföljda", "andel")),
        ["LSS.mean_days", "min_rate", "unknown"],
    )
    assert labels == {
        "LSS.mean_days": {"label": "LSS: genomsnitt", "unit": "dagar"},
        "min_rate": {"label": "lägsta andel uppföljda", "unit": "andel"},
    }
    assert Shown("LSS: genomsnitt", "dagar").heading == "LSS: genomsnitt, dagar"
    assert Shown("lägsta andel", "andel").heading == "lägsta andel, procent"
    assert Shown("lägsta andel", "andel").value(0.9612) == "96 procent"
    assert Shown("genomsnitt", "dagar").value(45.25) == "45,3"


def test_unknown_name_gets_the_nearest_declared_one_as_suggestion() -> None:
    metrics = declared(PluginHost().checks()["verkstallighetstid"])
    message = unknown_pattern(metrics, "SoL.medel_dagar")
    assert message is not None and "menade du 'SoL.mean_days'?" in message
    assert unknown_pattern(metrics, "SoL.mean_days") is None
    assert unknown_pattern(metrics, "*.mean_days") is None


def test_validate_refuses_an_unknown_metric_with_file_line_and_control(plan_dir: Path) -> None:
    text = PLAN.replace('metric = "*.mean_days"', 'metric = ["SoL.medel_dagar", "LSS.mean_days"]')
    path = write(plan_dir / "plan.toml", text)
    line = text.splitlines().index('metric = ["SoL.medel_dagar", "LSS.mean_days"]') + 1
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    [problem] = caught.value.problems
    assert problem.line == line
    assert problem.where == "kontroll K1"
    assert "okänt mått 'SoL.medel_dagar' (menade du 'SoL.mean_days'?)" in problem.message


def test_a_listed_metric_missing_at_run_time_is_ej_genomford(plan_dir: Path) -> None:
    """Both names are declared, but no SoL decision exists: judging on LSS alone would be a
    verdict on half of what the plan asked for."""
    text = PLAN.replace('metric = "*.mean_days"', 'metric = ["SoL.mean_days", "LSS.mean_days"]')
    path = write(plan_dir / "plan.toml", text)
    csv = (plan_dir / "beslut.csv").read_text(encoding="utf-8")
    only_lss = [line for line in csv.splitlines() if ";SoL;" not in line]
    (plan_dir / "beslut.csv").write_text("\n".join(only_lss) + "\n", encoding="utf-8")
    plan, host = load_plan(path)
    [result] = run_plan(plan, host)
    assert "LSS.mean_days" in result.outcome.metrics
    assert result.assessment is Assessment.EJ_GENOMFORD
    # Bilaga 1 gets plain words; the names are for the controller.
    assert result.reason == (
        "Det fanns inga verkställda beslut med lag SoL att räkna under perioden "
        "240101–241231, så måttet ”SoL: genomsnitt” kunde inte beräknas."
    )
    assert result.detail.startswith("Måttet SoL.mean_days finns inte i kontrollens resultat")


def test_judge_names_every_missing_metric() -> None:
    criteria = Criteria(metric=["A.x", "B.x", "C.x"], better="lower", utan_anmarkning=1)
    assessment, reason = judge(criteria, {"B.x": 0.5})
    assert assessment is Assessment.EJ_GENOMFORD
    assert reason.startswith("Måtten ”A.x” och ”C.x” kunde inte beräknas")
    assert missing_detail(criteria, {"B.x": 0.5}).startswith("Måtten A.x, C.x finns inte")


class Overpromises(Check[NoParams]):
    name = "overpromises"
    title = "Ger ett mått den inte deklarerat"
    fields = {"decision_id": "text"}
    metrics = (Metric("rows", "rader", "antal"),)

    def feed(self, row: Row) -> None:
        pass

    def outcome(self) -> Outcome:
        return Outcome(metrics={"rows": 1, "surprise": 2})


class Declares:
    @hookimpl
    def register_checks(self, register: Callable[[type[Any]], None]) -> None:
        register(Overpromises)


def test_an_undeclared_figure_fails_only_its_control(plan_dir: Path) -> None:
    extra = """
[[control]]
id = "K9"
risk = "R1"
title = "Extra"
check = "overpromises"
dataset = "beslut"
[control.criteria]
metric = "rows"
better = "higher"
utan_anmarkning = 1
"""
    path = write(plan_dir / "plan.toml", PLAN + extra)
    host = PluginHost()
    host.register(Declares(), name="declares")
    plan, host = load_plan(path, host)
    results = {r.control.id: r for r in run_plan(plan, host)}
    assert results["K1"].assessment is Assessment.FORSUMBAR_ANMARKNING
    assert results["K9"].assessment is Assessment.EJ_GENOMFORD
    assert "gav mått den inte deklarerat: surprise" in results["K9"].reason


def test_builtin_checks_declare_every_figure_the_demo_produces(tmp_path: Path) -> None:
    """The demo plans run with no undeclared figure, and every figure has a stored label."""
    root = Path(__file__).parent.parent / "controls" / "exempel"
    for name in ("plan.toml", "plan-2025.toml"):
        plan, host = load_plan(root / name)
        for result in run_plan(plan, host):
            assert "inte deklarerat" not in result.reason, result.reason
            if result.outcome.metrics:
                assert set(result.labels) == set(result.outcome.metrics), result.control.id


def test_resultat_json_stores_the_labels(plan_dir: Path, tmp_path: Path) -> None:
    from internkontroll.results import write_results

    plan, host = load_plan(plan_dir / "plan.toml")
    write_results(plan, run_plan(plan, host), tmp_path / "ut")
    document = json.loads((tmp_path / "ut" / "resultat.json").read_text(encoding="utf-8"))
    labels = document["controls"][0]["metric_labels"]
    assert labels["LSS.mean_days"] == {"label": "LSS: genomsnitt", "unit": "dagar"}
    assert labels["over_3_months"]["unit"] == "antal"


_PARTS = st.sampled_from(["LSS", "SoL", "mean_days", "n", "rate", "a.b", "x*y", "", "{group}"])


@given(
    st.lists(
        st.lists(_PARTS, min_size=1, max_size=3)
        .map(".".join)
        .filter(lambda p: p.count("{group}") < 2),  # a placeholder names one part
        min_size=1,
        max_size=6,
    ),
    st.lists(st.lists(_PARTS, min_size=1, max_size=3).map(".".join), max_size=12),
)
def test_finding_a_name_takes_the_first_family_that_holds_it(
    patterns: list[str], names: list[str]
) -> None:
    """Against the plain rule: the first metric, in declared order, whose pattern matches."""
    chosen = tuple(Metric(p, p.replace("{group}", "[{group}]"), "antal") for p in patterns)

    def first(name: str) -> Metric | None:
        return next((m for m in chosen if m.match(name) is not None), None)

    assert [find(chosen, n) for n in names] == [first(n) for n in names]
    assert undeclared(chosen, names) == [n for n in names if first(n) is None]
    assert labels_for(chosen, names) == {
        n: {"label": m.render(n), "unit": m.unit} for n in names if (m := first(n)) is not None
    }


def _by_pattern(template: str, name: str) -> dict[str, str] | None:
    """The plain rule: a placeholder is ``[^.]+``, the rest of the name is taken as it is."""
    pieces = re.split(r"\{([a-z_]+)\}", template)
    pattern = "".join(
        re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>[^.]+)" for i, piece in enumerate(pieces)
    )
    found = re.fullmatch(pattern, name)
    return found.groupdict() if found else None


_TEMPLATE_PARTS = st.sampled_from(
    ["LSS", "n", "a.b", "", "x*y", "{group}", "{part}", "over_{days}", "{a}{b}", "{c}_n"]
)
_NAME_PARTS = st.sampled_from(["LSS", "n", "a.b", "", "x*y", "over_3", "over_", "LSS_n", "ab", "_n"])


@given(
    st.lists(_TEMPLATE_PARTS, min_size=1, max_size=4)
    .map(".".join)
    .filter(lambda t: len(set(re.findall(r"\{(\w+)\}", t))) == len(re.findall(r"\{(\w+)\}", t))),
    st.lists(_NAME_PARTS, min_size=1, max_size=4).map(".".join),
)
def test_a_family_holds_the_names_its_pattern_matches(template: str, name: str) -> None:
    """Part by part, with a placeholder the whole part or beside text in it, as the pattern
    with each placeholder ``[^.]+`` takes the whole name."""
    metric = Metric(template, template, "antal")
    assert metric.match(name) == _by_pattern(template, name)
    assert find((metric,), name) == (metric if _by_pattern(template, name) is not None else None)
