"""A mistyped optional field in a column mapping is refused with its line, not dropped.

``interupted = "Avbrott"`` once passed validate and run with exit 0 while the IVO report left
out every interruption: verkställighetstid reads ``interrupted`` only when it is mapped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from internkontroll.errors import PlanError
from internkontroll.planfile import load_plan

from .conftest import PLAN, write

HEADER = "Beslut-ID;Lag;Beslutsdatum;Verkställighetsdatum;Avbrott;Handläggare\n"


def load(tmp_path: Path, text: str) -> None:
    write(tmp_path / "beslut.csv", HEADER + "B1;SoL;2024-01-10;2024-01-15;;A\n")
    load_plan(write(tmp_path / "plan.toml", text))


def with_column(line: str) -> str:
    return PLAN.replace(
        'executed = "Verkställighetsdatum"\n', f'executed = "Verkställighetsdatum"\n{line}\n'
    )


def test_typo_of_an_optional_field_is_refused_at_its_line(tmp_path: Path) -> None:
    text = with_column('interupted = "Avbrott"')
    with pytest.raises(PlanError) as caught:
        load(tmp_path, text)
    [problem] = caught.value.problems
    assert problem.line == text.splitlines().index('interupted = "Avbrott"') + 1
    assert problem.where == "datamängd beslut"
    assert "columns.interupted" in problem.message
    assert "menade du 'interrupted'?" in problem.message


def test_the_right_name_and_a_column_kept_for_later_are_accepted(tmp_path: Path) -> None:
    load(tmp_path, with_column('interrupted = "Avbrott"\nhandlaggare = "Handläggare"'))


def test_a_typo_beside_the_mapped_field_is_no_loss(tmp_path: Path) -> None:
    """Both spellings mapped: the control reads the right one, nothing is dropped."""
    load(tmp_path, with_column('interrupted = "Avbrott"\ninterupted = "Avbrott"'))


def test_a_dataset_no_control_reads_is_not_judged(tmp_path: Path) -> None:
    text = with_column("") + '\n[datasets.senare]\npath = "beslut.csv"\n'
    text += '[datasets.senare.columns]\ninterupted = "Avbrott"\n'
    load(tmp_path, text)
