"""An export that starts with Excel's ``sep=;`` line is told so, not only "columns missing".

Its message once listed the headers 'sep=' and '' and pointed at the column spelling, the
encoding and the delimiter, all of which were right.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from internkontroll.errors import PlanError
from internkontroll.planfile import load_plan

from .conftest import BESLUT_HEADER, PLAN, write


def test_the_sep_line_is_named_as_the_cause(plan_dir: Path) -> None:
    write(plan_dir / "beslut.csv", f"sep=;\n{BESLUT_HEADER}\nB1;;SoL;2024-01-10;2024-01-15\n")
    with pytest.raises(PlanError) as caught:
        load_plan(write(plan_dir / "plan.toml", PLAN))
    [problem] = caught.value.problems
    assert "första raden börjar med 'sep='" in problem.message
    assert "ta bort den raden" in problem.message
