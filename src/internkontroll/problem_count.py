"""The last line of a refused plan: how many problems, and whether the plan or an export has them.

An export that cannot be read (empty, damaged, in another format) is named by the plan's line
for its dataset, but the plan is not what needs mending: the last line must not say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from internkontroll.errors import PlanProblem


def problems_line(problems: Sequence[PlanProblem], plan_path: Path) -> str:
    """'2 fel i planen plan.toml', '1 fel i exporten som planen plan.toml läser', or both."""
    in_exports = sum(1 for problem in problems if problem.export)
    in_plan = len(problems) - in_exports
    exports = "exporten" if in_exports == 1 else "exporterna"
    if not in_exports:
        return f"{in_plan} fel i planen {plan_path}"
    if not in_plan:
        return f"{in_exports} fel i {exports} som planen {plan_path} läser"
    return f"{in_plan} fel i planen {plan_path} och {in_exports} i {exports} den läser"
