"""A personnummer written in the plan is refused by validate with its line.

Once ``validate`` called such a plan valid, and then ``run`` refused to copy it into the results
folder ("skulle ha innehållit ett personnummer ... kolumnmappning"), naming neither the line
nor the plan; ``report --table plan`` refused the Riskanalys table the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from internkontroll.errors import PlanError
from internkontroll.planfile import load_plan

from .conftest import PLAN


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            'description = "Den enskilde får inte sin rätt."',
            'description = "Som för 19121212-1212: den enskilde får inte sin rätt."',
        ),
        ('title = "Verkställighetstid"', 'title = "Verkställighetstid" # 121212+1212'),
    ],
)
def test_a_personnummer_in_the_plan_is_refused_at_its_line(
    plan_dir: Path, old: str, new: str
) -> None:
    text = PLAN.replace(old, new)
    path = plan_dir / "plan.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    [problem] = caught.value.problems
    assert problem.line == text.splitlines().index(new) + 1
    assert "personnummer" in problem.message and "1212" not in str(problem)


def test_numbers_that_are_no_personnummer_pass(plan_dir: Path) -> None:
    """A seed, an amount and a period are digits too; the control digit decides."""
    text = PLAN.replace(
        'description = "Den enskilde får inte sin rätt."',
        'description = "Diarienummer 2024-1234, 1 234 567 kr, 191212-1213."',
    )
    (plan_dir / "plan.toml").write_text(text, encoding="utf-8")
    load_plan(plan_dir / "plan.toml")
