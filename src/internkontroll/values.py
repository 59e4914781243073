"""Typed parsing of export cells: dates, amounts, integers and text.

Exports come from case-management systems and from Excel by hand: dates as ISO or YYYYMMDD,
amounts as "1 234,50" or "1234.50". Each parser raises ``ValueError`` with the Swedish words for
what was expected; the dataset layer adds where. ``parser_for`` gives the fast per-column form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

FieldType = Literal["text", "date", "decimal", "integer"]

EXPECTED: dict[FieldType, str] = {
    "text": "text",
    "date": "ett datum (ÅÅÅÅ-MM-DD eller ÅÅÅÅMMDD)",
    "decimal": "ett belopp eller tal (t.ex. 1 234,50 eller 1234.50)",
    "integer": "ett heltal",
}

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_PLAIN_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")
_SPACES = re.compile("[ \u00a0\u202f\u2009']+")
# Spaces (and ') may group thousands, three digits at a time; elsewhere they part two numbers.
_SPACE_GROUPED = re.compile(r"[-+\u2212]? ?(\d{1,3}( \d{3})+|\d+)([.,]\d*)?")


def _without_group_spaces(text: str, kind: FieldType) -> str:
    """``text`` (spaces already folded to ' ') without its thousands spaces; a space anywhere
    else is refused rather than read as 10050 from "100 50"."""
    if " " not in text:
        return text
    if _SPACE_GROUPED.fullmatch(text) is None:
        raise ValueError(f"väntade {EXPECTED[kind]}")
    return text.replace(" ", "")


# Dates a case or a ledger can carry. Outside them a date is a placeholder (9999-12-31 for
# "tillsvidare", Excel's 1899-12-30 for a time without a date) that would give absurd day
# counts or overflow when a check adds months to it, so it is a cell error instead.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def _in_range(day: date) -> date:
    if not EARLIEST <= day <= LATEST:
        raise ValueError(
            f"datumet {day.isoformat()} ligger utanför åren {EARLIEST.year}–{LATEST.year}; "
            f"väntade {EXPECTED['date']} för något som har hänt eller ska hända (ett "
            "platshållardatum som 9999-12-31 för tillsvidare skrivs som en tom cell)"
        )
    return day


def parse_date(raw: object) -> date:
    if isinstance(raw, datetime):
        return _in_range(raw.date())
    if isinstance(raw, date):
        return _in_range(raw)
    text = str(raw).strip()
    if len(text) == 10 and text[4] == text[7] == "-" and text.isascii():
        # YYYY-MM-DD, nearly every date of an export: read by the C parser in a tenth of the
        # time; a text it refuses goes on to the patterns, which say what is wrong with it.
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return _in_range(parsed)
    return _parse_date_text(text)


def _parse_date_text(text: str) -> date:
    match = _ISO.fullmatch(text) or _COMPACT.fullmatch(text)
    if match is None:
        raise ValueError(f"väntade {EXPECTED['date']}")
    year, month, day = (int(part) for part in match.groups())
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise ValueError(f"datumet finns inte; väntade {EXPECTED['date']}") from None
    return _in_range(parsed)


def parse_decimal(raw: object) -> Decimal:
    """Swedish and English notation: the last of ',' and '.' is the decimal mark."""
    if isinstance(raw, bool):
        raise ValueError(f"väntade {EXPECTED['decimal']}")
    if isinstance(raw, int):
        return bounded(Decimal(raw))
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueError(f"väntade {EXPECTED['decimal']}")
        return bounded(Decimal(repr(raw)))
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise ValueError(f"väntade {EXPECTED['decimal']}")
        return bounded(raw)
    text = _SPACES.sub(" ", str(raw)).strip()
    if text.lower().endswith("kr"):
        text = text[:-2].rstrip()
    text = _without_group_spaces(text, "decimal")
    if text.startswith("\u2212"):
        text = "-" + text[1:]
    text = _normalise_separators(text)
    if _PLAIN_NUMBER.fullmatch(text) is None:
        raise ValueError(f"väntade {EXPECTED['decimal']}")
    try:
        value = Decimal(text)
    except ArithmeticError:  # decimal.InvalidOperation: digits Decimal does not take
        raise ValueError(f"väntade {EXPECTED['decimal']}") from None
    return bounded(value)


DECIMAL_LIMIT = Decimal(10) ** 12
"""No amount or number of hours in a municipality's export reaches a trillion: such a cell is a
mapping or export error, and summing it in whole öre would overflow 64 bits."""


def bounded(value: Decimal) -> Decimal:
    """``value``, or ValueError when it is a trillion or more (either sign)."""
    if abs(value) >= DECIMAL_LIMIT:
        raise ValueError(
            "talet har fler än 12 siffror före decimaltecknet; väntade ett belopp eller antal "
            "under 1 000 000 000 000 (är rätt kolumn mappad?)"
        )
    return value


_GROUPED = {mark: re.compile(rf"[-+]?\d{{1,3}}(\{mark}\d{{3}})+") for mark in ",."}

AMBIGUOUS_DOT = r"^[-+]?[1-9][0-9]{0,2}\.[0-9]{3}$"
"""'3.000' alone: a thousands point (3 000, as in '3.000,00') or a decimal point (3,000). Read
either way it would give a figure off by a factor of a thousand, so it is refused."""
_AMBIGUOUS_DOT = re.compile(AMBIGUOUS_DOT)
AMBIGUOUS_DOT_MESSAGE = (
    "tvetydigt tal: en punkt följd av tre siffror kan vara tusentalsavgränsare eller "
    "decimaltecken; skriv 3000 eller 3 000 för tretusen, 3,000 eller 3,00 för tre"
)


def _normalise_separators(text: str) -> str:
    """'1.234,50' and '1,234.50' become '1234.50'; a thousands mark must group three digits."""
    comma, dot = text.rfind(","), text.rfind(".")
    if comma >= 0 and dot >= 0:
        decimal_mark, thousands = (",", ".") if comma > dot else (".", ",")
        whole, _, fraction = text.rpartition(decimal_mark)
        if thousands in fraction or _GROUPED[thousands].fullmatch(whole) is None:
            return "x"  # not a number: the caller says what was expected
        return whole.replace(thousands, "") + "." + fraction
    mark = "," if comma >= 0 else "."
    if mark == "." and _AMBIGUOUS_DOT.fullmatch(text):
        raise ValueError(AMBIGUOUS_DOT_MESSAGE)
    if text.count(mark) > 1:
        return text.replace(mark, "") if _GROUPED[mark].fullmatch(text) else "x"
    return text.replace(",", ".")


def parse_integer(raw: object) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = _without_group_spaces(_SPACES.sub(" ", str(raw)).strip(), "integer")
    # "10,00" and "10.0": a whole number as a spreadsheet writes it. Three zeros are left out,
    # for "1,000" may be a thousand.
    whole = _ZERO_FRACTION.fullmatch(text)
    if whole is not None:
        text = whole.group(1)
    if re.fullmatch(r"[-+]?\d+", text) is None:
        raise ValueError(f"väntade {EXPECTED['integer']}")
    return int(text)


_ZERO_FRACTION = re.compile(r"([-+]?\d+)[,.]0{1,2}")


def parse_text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    return str(raw).strip()


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


class _CachedDates:
    """Date parsing with a memory of the strings seen: an export holds a few thousand distinct
    dates across a million rows, so most cells cost one dictionary lookup."""

    def __init__(self, limit: int = 50_000) -> None:
        self.seen: dict[str, date] = {}
        self.limit = limit

    def __call__(self, raw: object) -> date | None:
        if raw.__class__ is str:  # only strings are remembered: any other value may not hash
            found = self.seen.get(raw)
            if found is not None:
                return found
        if is_blank(raw):
            return None
        value = parse_date(raw)
        if len(self.seen) < self.limit and isinstance(raw, str):
            self.seen[raw] = value
        return value


def _text(raw: object) -> str | None:
    if isinstance(raw, str):
        return raw.strip() or None
    return None if raw is None else parse_text(raw) or None


PLAIN_DECIMAL = rf"^-?[0-9]{{1,{len(str(DECIMAL_LIMIT)) - 1}}}([.,][0-9]+)?$"
"""A cell ``_decimal`` reads as Decimal(cell with ',' as '.'), for the batch reader to do the
same in one pass, unless it matches ``AMBIGUOUS_DOT``; a longer whole part goes to
``parse_decimal``, which refuses it."""


def _decimal(raw: object) -> Decimal | None:
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        # isascii: str.isdigit() also accepts '¹' and other digits Decimal cannot read.
        if text.isascii() and text.isdigit():
            return bounded(Decimal(text))
        whole, mark, fraction = text.replace(",", ".").partition(".")
        if (
            mark
            and text.isascii()
            and whole.lstrip("-").isdigit()
            and fraction.isdigit()
            and _AMBIGUOUS_DOT.fullmatch(text) is None
        ):
            return bounded(Decimal(f"{whole}.{fraction}"))
    return None if is_blank(raw) else parse_decimal(raw)


def _integer(raw: object) -> int | None:
    return None if is_blank(raw) else parse_integer(raw)


def parser_for(kind: FieldType) -> Callable[[object], object]:
    """The fastest correct parser for one column: blanks give None, bad values ValueError."""
    if kind == "date":
        return _CachedDates()
    if kind == "decimal":
        return _decimal
    if kind == "integer":
        return _integer
    return _text
