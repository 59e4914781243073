"""Personnummer however they are written: every separator, full-width digits, inside long text,
and in everything a command prints, whoever made the words."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from internkontroll.cli import cli
from internkontroll.privacy import MASK, contains_personnummer, excerpt, is_personnummer, redact

from .conftest import extra_control, write

# 700606-4443 and 19660707-5550 pass the Luhn check (hand-checked: 7*2=14→5, ...).
SEPARATORS = {
    "bindestreck": "-",
    "tankstreck": "\u2013",
    "långt tankstreck": "\u2014",
    "minustecken": "\u2212",
    "hårt bindestreck": "\u2011",
    "mellanslag": " ",
    "hårt mellanslag": "\u00a0",
    "inget": "",
    "plus": "+",
}
FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def luhn_ok(digits: str) -> bool:
    """An independent Luhn check: double every other digit from the right, starting second."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value // 10 + value % 10
    return total % 10 == 0


@pytest.mark.parametrize("separator", SEPARATORS.values(), ids=SEPARATORS.keys())
@pytest.mark.parametrize("date", ["700606", "19700606"])
def test_every_separator_is_masked(separator: str, date: str) -> None:
    number = f"{date}{separator}4443"
    assert is_personnummer(number)
    assert redact(f"ärende {number}, klart") == f"ärende {MASK}, klart"


@pytest.mark.parametrize("number", ["700606-4443", "7006064443", "19660707-5550"])
def test_full_width_digits_are_masked(number: str) -> None:
    wide = number.translate(FULL_WIDTH)
    assert wide != number and is_personnummer(wide)
    assert redact(f"x {wide} y") == f"x {MASK} y"


def test_a_long_cell_is_masked_before_it_is_cut() -> None:
    cell = "x" * 55 + "197006064443"
    assert excerpt(cell) == ("x" * 55 + MASK)[:60]
    assert "70060" not in excerpt(cell)


@given(
    date=st.dates(),
    tail=st.integers(0, 9999),
    separator=st.sampled_from(list(SEPARATORS.values())),
    before=st.text(alphabet="abc ;,", max_size=5),
)
def test_detection_agrees_with_a_plain_luhn_check(
    date: object, tail: int, separator: str, before: str
) -> None:
    short = f"{date:%y%m%d}"
    digits = f"{short}{tail:04d}"
    text = f"{before}{short}{separator}{tail:04d}"
    assert contains_personnummer(text) == luhn_ok(digits)
    assert (MASK in redact(text)) == luhn_ok(digits)


@pytest.mark.parametrize("text", ["2024-01-31", "B000123", "1234567890123", "12 3456 7890"])
def test_other_numbers_are_left_alone(text: str) -> None:
    assert redact(text) == text


def test_nothing_printed_holds_one(plan_dir: Path) -> None:
    """A path, a plugin's error, bedomning.toml text and click's own errors: all masked."""
    runner = CliRunner()
    odd = plan_dir / "700606–4443"
    write(odd / "plan.toml", (plan_dir / "plan.toml").read_text(encoding="utf-8"))
    write(odd / "beslut.csv", (plan_dir / "beslut.csv").read_text(encoding="utf-8"))
    printed = [runner.invoke(cli, ["validate", str(odd / "plan.toml")]).output]
    printed.append(runner.invoke(cli, ["validate", str(plan_dir / "19700606 4443.toml")]).output)
    printed.append(runner.invoke(cli, ["run", str(plan_dir / "７００６０６４４４３")]).output)
    plugin = write(
        plan_dir / "lokala" / "laecker.py",
        "raise RuntimeError('fel för 700606\u22124443')\n",
    )
    plan_text = (plan_dir / "plan.toml").read_text(encoding="utf-8")
    write(
        plan_dir / "plan.toml",
        plan_text.replace("year = 2024\n", 'year = 2024\nplugins_dir = "lokala"\n', 1)
        + extra_control("K2", "saknas"),
    )
    printed.append(runner.invoke(cli, ["validate", str(plan_dir / "plan.toml")]).output)
    assert plugin.is_file()
    text = "\n".join(printed)
    assert text.count(MASK) >= 4, text
    for digits in ("4443", "０６４"):
        assert digits not in text


def test_a_personnummer_in_bedomning_toml_stops_run_at_its_line(plan_dir: Path) -> None:
    """Written with a dash, a space or none: named by file and line, never shown."""
    runner = CliRunner()
    out = plan_dir / "ut"
    args = ["run", str(plan_dir / "plan.toml"), "--out", str(out)]
    assert runner.invoke(cli, args).exit_code == 0
    people = out / "bedomning.toml"
    people.write_text(
        people.read_text(encoding="utf-8").replace(
            'motivation = ""', 'motivation = "Gäller 700606\u20134443 och 19660707 5550."'
        ),
        encoding="utf-8",
    )
    again = runner.invoke(cli, args)
    assert again.exit_code == 1, again.output
    assert f"{people}:23: kontroll K1: motivation innehåller ett personnummer" in again.output
    assert "4443" not in again.output and "5550" not in again.output
