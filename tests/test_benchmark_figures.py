"""The benchmark's figures agree with pandas (and DuckDB, where installed) on a small size.

Timing is the benchmark's business (benchmarks/run.py); this only checks that the three
computations are of the same figures, so that the benchmark compares like with like.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.generate import generate
from benchmarks.run import disagreements, our_figures, plan_for
from internkontroll.engine import run_plan
from internkontroll.planfile import load_plan
from internkontroll.results import write_results


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, float]]:
    data = tmp_path_factory.mktemp("bench")
    generate(3000, data)
    plan, host = load_plan(plan_for(data, 3000))
    write_results(plan, run_plan(plan, host), data / "ut")
    return data, our_figures(data / "ut" / "resultat.json")


def test_agrees_with_pandas(small: tuple[Path, dict[str, float]]) -> None:
    pytest.importorskip("pandas")
    from benchmarks.pandas_figures import figures

    data, ours = small
    theirs = figures(data, 3000)
    assert len(theirs) > 30
    assert disagreements(ours, theirs) == []


def test_agrees_with_duckdb(small: tuple[Path, dict[str, float]]) -> None:
    pytest.importorskip("duckdb")
    from benchmarks.duckdb_figures import figures

    data, ours = small
    assert disagreements(ours, figures(data, 3000)) == []


def test_a_wrong_figure_is_caught(small: tuple[Path, dict[str, float]]) -> None:
    _, ours = small
    assert disagreements(ours, {"K2.LSS.n": ours["K2.LSS.n"] + 1})
    assert json.dumps(ours)  # the figures are plain numbers
