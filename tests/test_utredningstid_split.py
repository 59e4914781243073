"""utredningstid split per half-year without groups, the default of ``group_by``, and
``validate`` refusing criteria the control's params can never produce.

The figures below are worked out by hand from the export in ``EXPORT``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from internkontroll.errors import PlanError
from internkontroll.planfile import load_plan

from .batch_folds import run_sizes

EXPORT = """\
Id;Lag;Ansökan;Beslut
U1;SoL;2024-01-01;2024-01-11
U2;SoL;2024-05-01;2024-06-30
U3;LSS;2024-06-01;2024-06-11
U4;SoL;2024-06-20;2024-07-01
U5;LSS;2024-11-01;2024-12-31
U6;SoL;2024-12-31;2025-01-01
U7;SoL;2023-12-01;2023-12-31
U8;SFB;2024-01-01;2024-12-01
U9;SoL;2024-03-10;2024-03-01
U10;SoL;20240301;20240331
U11;SoL;2024-02-29;2024-03-01
"""

PLAN = """\
[plan]
title = "P"
organisation = "N"
year = 2024
period = {{ start = 2024-01-01, end = 2024-12-31 }}

[[risk]]
id = "R1"
title = "a"
likelihood = 2
impact = 2

[datasets.beslut]
path = "beslut.csv"
[datasets.beslut.columns]
decision_id = "Id"
law = "Lag"
applied = "Ansökan"
decided = "Beslut"

[[control]]
id = "U1"
risk = "R1"
title = "Utredningstid"
check = "utredningstid"
dataset = "beslut"
[control.params]
{params}
[control.criteria]
metric = {metric}
better = "lower"
utan_anmarkning = 30
forsumbar_anmarkning = 60
"""

HALF_YEARS = 'split = "halvår"\nexclude = { law = ["SFB"] }'

# In 2024, SFB excluded, U9 decided before it was applied for (a data error):
# H1: U1 10, U2 60 (May 31 days + 29), U3 10, U10 30, U11 1 (2024 is a leap year)
# H2: U4 11, U5 60
H1 = {"H1.n": 5, "H1.mean_days": 111 / 5, "H1.median_days": 10, "H1.p90_days": 60}
H2 = {"H2.n": 2, "H2.mean_days": 71 / 2, "H2.median_days": 35.5, "H2.p90_days": 60}
WHOLE = {"n": 7, "mean_days": 182 / 7, "median_days": 11, "p90_days": 60}


def run(params: str, metric: str) -> list[dict[str, object]]:
    """The one control's entry in resultat.json, row by row and in batches of two."""
    plan = PLAN.format(params=params, metric=metric)
    return [out["controls"][0] for out in run_sizes({"beslut.csv": EXPORT}, plan, [0, 2])]


def test_half_years_without_a_group_give_figures_for_all_decisions() -> None:
    rows, batches = run(HALF_YEARS, '["H1.mean_days", "H2.mean_days"]')
    assert rows == batches
    metrics = rows["metrics"]
    assert isinstance(metrics, dict)
    for name, value in {**WHOLE, **H1, **H2, "excluded": 1, "invalid_rows": 1}.items():
        assert metrics[name] == pytest.approx(value), name
    # No group_by: one figure for all, no per-law figures.
    assert not [name for name in metrics if name.startswith(("SoL", "LSS"))]
    # H1 22,2 days is within 30; H2 35,5 within 60 only: the worst decides.
    assert rows["assessment"] == "forsumbar_anmarkning"


def test_half_years_for_all_decisions_also_come_with_groups() -> None:
    params = f'group_by = "law"\ngroups = ["SoL", "LSS"]\n{HALF_YEARS}'
    rows, batches = run(params, '["H2.mean_days", "SoL.H1.mean_days"]')
    assert rows == batches
    metrics = rows["metrics"]
    assert isinstance(metrics, dict)
    for name, value in {**H1, **H2}.items():
        assert metrics[name] == pytest.approx(value), name
    # SoL H1: U1 10, U2 60, U10 30, U11 1
    assert metrics["SoL.H1.mean_days"] == pytest.approx(101 / 4)
    assert metrics["LSS.H2.n"] == 1


def test_a_group_named_like_a_part_of_the_period_is_not_judged() -> None:
    export = EXPORT.replace(";SoL;", ";H1;")
    plan = PLAN.format(params=f'group_by = "law"\n{HALF_YEARS}', metric='"H1.mean_days"')
    for out in run_sizes({"beslut.csv": export}, plan, [0, 2]):
        control = out["controls"][0]
        assert control["assessment"] == "ej_genomford"
        assert "heter som en del av perioden" in control["reason"]


def problems_of(tmp_path: Path, params: str, metric: str) -> list[str]:
    (tmp_path / "beslut.csv").write_text(EXPORT, encoding="utf-8")
    text = PLAN.format(params=params, metric=metric)
    (tmp_path / "plan.toml").write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(tmp_path / "plan.toml")
    line = text.splitlines().index(f"metric = {metric}") + 1
    return [f"{p.line}: {p.message}" for p in caught.value.problems if p.line == line]


def test_validate_refuses_a_group_figure_without_group_by(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, HALF_YEARS, '["LSS.mean_days", "H1.mean_days"]')
    assert "'LSS.mean_days' kan inte uppstå med kontrollens inställningar" in problem
    assert "H1.mean_days" in problem.partition("ger kontrollen:")[2]


def test_validate_refuses_a_part_the_split_never_makes(tmp_path: Path) -> None:
    params = f'group_by = "law"\ngroups = ["SoL"]\n{HALF_YEARS}'
    metric = '["Q1.mean_days", "SoL.H3.mean_days", "LSS.mean_days", "SoL.H2.n"]'
    found = problems_of(tmp_path, params, metric)
    assert len(found) == 3
    for name in ("Q1.mean_days", "SoL.H3.mean_days", "LSS.mean_days"):
        assert any(f"'{name}' kan inte uppstå" in problem for problem in found), name


def test_groups_without_group_by_are_refused(tmp_path: Path) -> None:
    (tmp_path / "beslut.csv").write_text(EXPORT, encoding="utf-8")
    text = PLAN.format(params='groups = ["SoL", "LSS"]', metric='"mean_days"')
    (tmp_path / "plan.toml").write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(tmp_path / "plan.toml")
    [problem] = caught.value.problems
    assert problem.line == text.splitlines().index('groups = ["SoL", "LSS"]') + 1
    assert 'group_by = "law"' in problem.message
