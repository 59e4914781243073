"""A decision without a case id is on the IVO list by its row, as in the findings, never as
the text 'None', whether the check is fed row by row or in batches."""

from __future__ import annotations

from pathlib import Path

import pytest

from internkontroll.engine import run_plan
from internkontroll.planfile import load_plan
from internkontroll.results import write_results

from .conftest import write
from .test_ivo import PLAN


@pytest.mark.parametrize("batch_rows", [0, 2])
def test_a_blank_case_id_is_listed_by_its_row(tmp_path: Path, batch_rows: int) -> None:
    write(tmp_path / "plan.toml", PLAN.replace("{extra}", ""))
    write(
        tmp_path / "beslut.csv",
        "Id;Pnr;Lag;Lagrum;Insats;Beslut;Verkställt;Erbjudet\n"
        "A;;LSS;9 § 9 LSS;Daglig verksamhet;2024-01-15;;\n"
        ";;LSS;9 § 9 LSS;Daglig verksamhet;2024-02-15;;\n",
    )
    plan, host = load_plan(tmp_path / "plan.toml")
    results = run_plan(plan, host, batch_rows=batch_rows)
    write_results(plan, results, tmp_path / "ut")
    listed = (tmp_path / "ut" / "underlag" / "K2_ivo_rapportering.csv").read_text("utf-8-sig")
    ids = [line.split(";")[1] for line in listed.splitlines()[1:]]
    assert "None" not in listed
    # A (15 January) is late from Q2, the blank one (15 February, row 3) too: Q2, Q3 and Q4.
    assert ids == ["A", "rad 3", "A", "rad 3", "A", "rad 3"]
