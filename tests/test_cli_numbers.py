"""Numbers on the command line the Swedish way: 0,95 is read as 0.95, and no English type word.

``sample size --confidence 0,95`` once failed with "'0,95' är inget giltigt float", help showed
FLOAT and INTEGER RANGE, and an out-of-range value did not say which option it was.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from internkontroll.cli import cli


def size(*args: str) -> int:
    result = CliRunner().invoke(cli, ["sample", "size", *args, "--json"])
    assert result.exit_code == 0, result.output
    return int(json.loads(result.output)["size"])


def test_decimal_comma_gives_the_same_size_as_the_point() -> None:
    # 95 % / 5 % / 1 % is AICPA's A-1 cell: 93, with either decimal sign
    dots = size("--confidence", "0.95", "--tolerable", "0.05", "--expected-rate", "0.01")
    commas = size("--confidence", "0,95", "--tolerable", "0,05", "--expected-rate", "0,01")
    assert dots == commas == 93


@pytest.mark.parametrize(
    "args",
    [
        ["sample", "size", "--help"],
        ["sample", "evaluate", "--help"],
        ["browse", "--help"],
        ["report", "--help"],
        ["summary", "--help"],
        ["carry-over", "--help"],
    ],
)
def test_help_names_no_type_in_english(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0
    for english in ("FLOAT", "INTEGER", "RANGE"):
        assert english not in result.output


def test_a_word_for_a_number_is_refused_in_swedish() -> None:
    result = CliRunner().invoke(cli, ["sample", "evaluate", "--size", "tio", "--deviations", "0"])
    assert result.exit_code == 1
    assert "'--size'" in result.output and "'tio' är inget giltigt heltal" in result.output
    result = CliRunner().invoke(cli, ["sample", "size", "--confidence", "hög", "--tolerable", "0.05"])
    assert "'hög' är inget giltigt decimaltal" in result.output


@pytest.mark.parametrize(("option", "value"), [("--confidence", "1,5"), ("--tolerable", "0")])
def test_a_probability_out_of_range_names_its_option(option: str, value: str) -> None:
    values = {"--confidence": "0.95", "--tolerable": "0.05", option: value}
    args = [part for pair in values.items() for part in pair]
    result = CliRunner().invoke(cli, ["sample", "size", *args])
    assert result.exit_code == 1
    assert f"'{option}'" in result.output and "mellan 0 och 1" in result.output


@pytest.mark.parametrize("value", ["2025-02-30", "31/8", "2024-8-31x"])
def test_a_date_that_is_none_is_refused_in_words(value: str) -> None:
    result = CliRunner().invoke(cli, ["run", "plan.toml", "--out", "ut", "--as-of", value])
    assert result.exit_code == 1
    assert f"'{value}' är inget datum; väntade ÅÅÅÅ-MM-DD" in result.output
    assert "%Y" not in result.output
