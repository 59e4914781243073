"""A plan or bedomning.toml saved as ANSI is refused at the line, never read with � in it.

A plan in Windows-1252 once loaded with "Vård- och omsorgsnämnden" turned into
"V\ufffdrd- och omsorgsn\ufffdmnden" in every report, exit 0; one with "halvårsvis" failed
with "frekvensen 'halv\ufffdrsvis' är okänd", which hides the cause.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from internkontroll import human_assessment
from internkontroll.errors import PlanError
from internkontroll.planfile import load_plan
from internkontroll.utf8_text import utf8_problem

from .conftest import PLAN, write


def test_a_plan_in_windows_1252_is_refused_at_the_first_swedish_letter(plan_dir: Path) -> None:
    text = PLAN.replace('organisation = "Testnämnden"', 'organisation = "Vård- och omsorgsnämnden"')
    path = plan_dir / "plan.toml"
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    [problem] = caught.value.problems
    assert problem.line == text.splitlines().index('organisation = "Vård- och omsorgsnämnden"') + 1
    assert "filen är inte UTF-8 utan troligen sparad som Windows-1252 (ANSI)" in problem.message
    assert "spara den som UTF-8" in problem.message


def test_the_same_plan_in_utf8_with_a_byte_order_mark_loads(plan_dir: Path) -> None:
    text = PLAN.replace('organisation = "Testnämnden"', 'organisation = "Vård- och omsorgsnämnden"')
    path = plan_dir / "plan.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    plan, _ = load_plan(path)
    assert plan.header.organisation == "Vård- och omsorgsnämnden"


def test_bedomning_in_windows_1252_names_its_line(tmp_path: Path) -> None:
    write(tmp_path / human_assessment.FILENAME, "")
    (tmp_path / human_assessment.FILENAME).write_bytes(
        '[controls.K1]\nresult = "Bra"\nmotivation = "Älvgården"\n'.encode("cp1252")
    )
    with pytest.raises(human_assessment.HumanAssessmentError) as caught:
        human_assessment.read(tmp_path)
    assert ":3: filen är inte UTF-8" in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (b"a\nb\n\xe5\n", 3),  # å in Windows-1252, on the third line
        (b"\xe5", 1),
        (b"ok\r\nok\r\n\x81\x8d", 3),  # not Windows-1252 either
    ],
)
def test_the_line_is_that_of_the_first_byte_that_is_not_utf8(raw: bytes, line: int) -> None:
    found = utf8_problem(raw)
    assert found is not None and found[0] == line


def test_utf8_is_no_problem() -> None:
    assert utf8_problem("Vård\nhalvårsvis\n".encode()) is None
