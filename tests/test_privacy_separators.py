"""Personnummer with any separator between their digit groups are found; dates, date ranges,
amounts and phone numbers are not.

The positive side generates valid numbers (a real date, a Luhn check digit computed here) and
writes them every way people do; the negative side generates the numbers an export and a report
are full of. Both go through the same functions every writer and printed message uses.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from internkontroll.cli import cli
from internkontroll.privacy import (
    MASK,
    LeakScanner,
    PersonnummerLeak,
    contains_personnummer,
    guard,
    is_personnummer,
    redact,
    scan,
)

from .conftest import write

# Written by hand from the report that found them; 19121212-1212 passes the Luhn check.
UNCAUGHT_BEFORE = [
    "19121212 - 1212",
    "1912-12-12-1212",
    "121212 – 1212",
    "121212/1212",
    "121212_1212",
    "19 12 12 12 12 12",
    "12 12 12-1212",
    "19121212.1212",
    "121212\u00a0-\u00a01212",
    "19121212 — 1212",
    "121212 + 1212",
    "12/12/12-1212",
    "1912.12.12 1212",
    "121212\u200b1212",
]
LONG = ("x" * 99 + "\n") * 30  # past the length where scan classifies bytes first


def luhn_check_digit(nine: str) -> str:
    """The digit that makes ``nine`` + it pass the Luhn check, worked from the right."""
    for check in "0123456789":
        total = 0
        for position, char in enumerate(reversed(nine + check)):
            value = int(char) * (2 if position % 2 else 1)
            total += value // 10 + value % 10
        if total % 10 == 0:
            return check
    raise AssertionError("no check digit")


@pytest.mark.parametrize("number", UNCAUGHT_BEFORE)
def test_the_reported_forms_are_found_everywhere(number: str) -> None:
    assert is_personnummer(number)
    text = f"B1;SoL;Ledsagning {number};2025-01-10;2025-06-10"
    assert contains_personnummer(text)
    assert scan(LONG + text + "\n" + LONG)
    masked = redact(text)
    assert masked == f"B1;SoL;Ledsagning {MASK};2025-01-10;2025-06-10"
    with pytest.raises(PersonnummerLeak):
        guard(LONG + text, "filen")


@pytest.mark.parametrize("number", UNCAUGHT_BEFORE)
def test_a_number_split_between_two_pieces_is_found(number: str) -> None:
    scanner = LeakScanner("filen")
    cut = len(number) // 2
    with pytest.raises(PersonnummerLeak):
        scanner.feed(LONG + "Ledsagning " + number[:cut])
        scanner.feed(number[cut:] + ";x\n")
        scanner.close()


SPACES = [" ", "\u00a0", "\u202f", "\u2009"]
MARKS = ["-", "\u2010", "\u2011", "\u2013", "\u2014", "\u2212", "/", ".", "_", "+"]


@st.composite
def separators(draw: st.DrawFn) -> str:
    """A separator as people type it: a space, a mark, or a mark with spaces around it."""
    space = st.sampled_from(SPACES)
    form = draw(st.sampled_from(["space", "mark", "spaced mark", "mark space", "space mark"]))
    mark = draw(st.sampled_from(MARKS))
    if form == "space":
        return draw(space)
    if form == "mark":
        return mark
    if form == "spaced mark":
        return draw(space) + mark + draw(space)
    if form == "mark space":
        return mark + draw(space)
    return draw(space) + mark


@st.composite
def personnummer(draw: st.DrawFn) -> tuple[str, str]:
    """A valid personnummer or samordningsnummer written some way, and its ten digits."""
    born = draw(st.dates(dt.date(1900, 1, 1), dt.date(2029, 12, 31)))
    day = born.day + (60 if draw(st.booleans()) else 0)
    serial = draw(st.integers(0, 999))
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    ten = nine + luhn_check_digit(nine)
    century = f"{born:%Y}"[:2] if draw(st.booleans()) else ""
    year, month, day_text, last = ten[:2], ten[2:4], ten[4:6], ten[6:]
    if draw(st.booleans()):  # the date written whole
        date = century + year + month + day_text
    else:  # the date in groups: "1912-12-12", "12 12 12", "19 12 12 12"
        inner = draw(separators())
        front = century + (draw(st.sampled_from(["", inner])) if century else "")
        date = front + year + inner + month + inner + day_text
    between = draw(st.one_of(st.just(""), separators()))
    if draw(st.booleans()):
        last = last[:2] + draw(st.sampled_from(SPACES)) + last[2:]
    written = date + between + last
    if draw(st.integers(0, 9)) == 0:
        written = written.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return written, ten


AROUND = st.sampled_from(["", "Ledsagning ", "B1;", "(", "ärende: ", "x "])
AFTER = st.sampled_from(["", ";2025-01-10", " 2025-01-10", ", klart", ")", ".", " och B2"])


@given(personnummer(), AROUND, AFTER)
def test_a_valid_number_written_any_way_is_always_found(
    number: tuple[str, str], before: str, after: str
) -> None:
    written, ten = number
    text = before + written + after
    assert contains_personnummer(text), text
    assert scan(LONG + text + "\n" + LONG), text
    masked = redact(text)
    assert masked == before + MASK + after
    assert ten[-4:] not in masked.replace(" ", "")


@given(st.dates(), st.sampled_from(["", " ", "Beslut ", "B1;", "period "]))
def test_iso_dates_are_never_found(day: dt.date, before: str) -> None:
    for text in (f"{day:%Y-%m-%d}", f"{day:%Y%m%d}", f"{day:%y%m%d}", f"{day:%Y/%m/%d}"):
        assert not contains_personnummer(before + text)
        assert not scan(LONG + before + text + "\n")


RANGE_SEPARATORS = ["–", "-", "—", " – ", " - ", " ", "/", " till "]


@given(st.dates(), st.dates(), st.sampled_from(RANGE_SEPARATORS))
def test_date_ranges_are_never_found(first: dt.date, second: dt.date, between: str) -> None:
    for style in ("%Y-%m-%d", "%Y%m%d", "%y%m%d", "%Y/%m/%d", "%Y.%m.%d"):
        text = f"perioden {first:{style}}{between}{second:{style}}: klart"
        assert not contains_personnummer(text), text
        assert not scan(LONG + text + "\n"), text
        assert redact(text) == text


def grouped(whole: int, space: str) -> str:
    """``whole`` with its thousands apart, as a Swedish report writes it (an independent
    formatting: digits taken three at a time from the right)."""
    digits = str(whole)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return space.join(groups)


@given(
    st.integers(0, 10**15),
    st.integers(0, 99),
    st.sampled_from([" ", "\u00a0", "\u202f"]),
    st.sampled_from(["", "-", "−"]),
    st.sampled_from(["", " kr", ";", " dagar"]),
)
def test_amounts_are_never_found(whole: int, ore: int, space: str, sign: str, unit: str) -> None:
    for text in (
        f"{sign}{grouped(whole, space)},{ore:02d}{unit}",
        f"{grouped(whole, space)}{unit}",
    ):
        assert not contains_personnummer(text), text
        assert not scan(LONG + text + "\n"), text


@given(st.text(alphabet="0123456789", min_size=7, max_size=7), st.sampled_from(["-", " "]))
def test_phone_numbers_are_never_found(digits: str, dash: str) -> None:
    a, b, c = digits[:3], digits[3:5], digits[5:]
    for text in (
        f"07{a[0]}{dash}{a} {b} {c}",  # 070-123 45 67
        f"0{a[:2]}{dash}{b} {c} {a[2]}{digits[6]}",  # 031-12 34 56 (nine or ten digits)
        f"0{a}{dash}{b} {c} {digits[:2]}",  # 0470-12 34 56
        f"+46 7{a[0]} {a} {b} {c}",  # +46 70 123 45 67
        f"08{dash}{a} {digits[3:6]} {c}",  # 08-123 456 78
    ):
        assert not contains_personnummer(text), text


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-10–2024-02-10",
        "2024-01-10 – 2024-02-10",
        "20240110-20240210",
        "perioden 200101–201231",
        "1 234 567,50",
        "12 345 678 901",
        "070-123 45 67",
        "2024-01-10 12:30",
        "2024-01-10 12.30",
        "Enhet 237 2024-11-09: kvitto saknas",
        "19121212-1213",  # fails the Luhn check
        "19120231-1212",  # 31 February
    ],
)
def test_numbers_that_are_no_personnummer(text: str) -> None:
    assert not contains_personnummer(text)
    assert redact(text) == text


def _run_on(folder: Path, rows: str) -> tuple[int, str, dict[str, str]]:
    """Run the init plan on these rows: exit code, output, and the text of every file written."""
    write(
        folder / "data" / "beslut.csv",
        "Beslut-ID;Lag;Insats;Beslutsdatum;Verkställighetsdatum\n" + rows,
    )
    out = folder / "res"
    result = CliRunner().invoke(cli, ["run", str(folder / "plan.toml"), "--out", str(out)])
    texts = {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8-sig", errors="replace")
        for p in out.rglob("*")
        if p.is_file()
    }
    return result.exit_code, result.output, texts


def test_a_number_with_new_separators_never_reaches_a_file(tmp_path: Path) -> None:
    """The reported cases end to end: in a column the check shows, each row is a data-quality
    error naming file, row and column; as the case id, the control is refused. No file and
    nothing printed holds the number."""
    folder = tmp_path / "kommun"
    assert CliRunner().invoke(cli, ["init", str(folder)]).exit_code == 0
    shown = "".join(
        f"B{i};SoL;Ledsagning {number};2025-01-10;2025-06-10\n"
        for i, number in enumerate(UNCAUGHT_BEFORE)
    )
    code, output, texts = _run_on(folder, shown)
    assert code == 3, output
    findings = texts["avvikelser/K1.csv"]
    for row in range(2, len(UNCAUGHT_BEFORE) + 2):
        assert f"rad {row}, kolumn 'Insats': värdet är ett personnummer" in findings, row
    as_id = "".join(
        f"{number};SoL;Ledsagning;2025-01-10;2025-06-10\n" for number in UNCAUGHT_BEFORE
    )
    code, id_output, id_texts = _run_on(folder, as_id)
    assert code == 3, id_output
    assert "skulle ha innehållit ett personnummer" in " ".join(id_output.split())
    for text in [output, id_output, *texts.values(), *id_texts.values()]:
        assert not contains_personnummer(text)
        assert "1212" not in text


def test_debug_traceback_is_masked(plan_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--debug`` shows the whole traceback, its messages masked; exit code 4 as without."""
    from internkontroll import risk_handling

    def broken(plan: object) -> list[str]:
        try:
            raise KeyError("19121212-1212")
        except KeyError as exc:
            raise ValueError("värdet 121212 – 1212 och 1912-12-12-1212 är fel") from exc

    monkeypatch.setattr(risk_handling, "handling_warnings", broken)
    runner = CliRunner()
    plain = runner.invoke(cli, ["validate", str(plan_dir / "plan.toml")])
    assert plain.exit_code == 4 and "internt fel (ValueError)" in plain.output
    result = runner.invoke(cli, ["--debug", "validate", str(plan_dir / "plan.toml")])
    assert result.exit_code == 4, result.output
    assert "Traceback (most recent call last)" in result.output
    assert f"ValueError: värdet {MASK} och {MASK} är fel" in result.output
    assert f"KeyError: '{MASK}'" in result.output
    assert "1212" not in result.output
