"""TOML syntax errors in plan.toml and bedomning.toml in Swedish, each with its line.

"TOML-syntaxfel, kolumn 16: Expected newline or end of document after a statement" once
told a controller nothing about the quotes they forgot, and a key written twice on the last
line ("Cannot overwrite a value (at end of document)") had no line at all.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from internkontroll.errors import PlanError
from internkontroll.planfile import load_plan
from internkontroll.toml_swedish import toml_error

from .conftest import PLAN

ENGLISH = ("Expected", "Invalid", "Cannot", "Unclosed", "Unterminated", "document", "value")

# text, line, words of the Swedish message (worked out by hand from the text)
CASES = [
    ('owner = Enhetschef LSS\n', 1, "ogiltigt värde (text inom citattecken"),
    ('title = "Plan" 2024\n', 1, "väntade radslut efter värdet"),
    ('year = 2024\nyear = 2025\n', 2, "nyckeln har redan ett värde"),
    ('[plan]\ntitle = "A"\n[plan]\n', 3, "tabellen [plan] finns redan"),
    ('[control.params]\n[control.params]\n', 2, "tabellen [control.params] finns redan"),
    ('[plan\n', 1, "väntade ] efter tabellens namn"),
    ('[[risk]\n', 1, "väntade ]] efter tabellens namn"),
    ('items = ["a",\n"b"\n', 2, "listan saknar sin avslutande ]"),
    ('period = { start = 2024-01-01\n', 1, "tabellen inom { } saknar sin avslutande }"),
    ('title = "Plan\n', 1, "texten saknar sitt avslutande citattecken"),
    ('path = "C:\\data\\beslut.csv"\n', 1, "ensamt \\ i text"),
    ('= 3\n', 1, "raden är varken nyckel = värde eller [tabell]"),
    ('a = { b = 1, b = 2 }\n', 1, "nyckeln b finns två gånger inom { }"),
    ('title\n', 1, "väntade = efter nyckeln"),
]


@pytest.mark.parametrize(("text", "line", "words"), CASES)
def test_each_syntax_error_in_swedish_with_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        tomllib.loads(text)
    found_line, _, message = toml_error(caught.value, text)
    assert found_line == line
    assert words in message
    assert not any(word in message for word in ENGLISH), message


def test_a_plan_with_a_key_twice_on_its_last_line_names_that_line(tmp_path: Path) -> None:
    text = PLAN + "forsumbar_anmarkning = 90\n"
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    [problem] = caught.value.problems
    assert problem.line == len(text.splitlines())
    assert problem.message.startswith("TOML-syntaxfel")
    assert "nyckeln har redan ett värde" in problem.message
