"""Numbers and lists the way a Swedish annual report writes them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

NBSP = "\u00a0"
"""Between a number's thousands, so no format breaks "1 402" across two lines."""

DateStyle = Literal["kompakt", "lång", "iso"]


def round_half_up(value: float | Decimal, digits: int = 0) -> Decimal:
    """Rounding as people do it by hand (2,5 → 3), not banker's rounding."""
    quantum = Decimal(1).scaleb(-digits)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def number(value: float | int | Decimal, digits: int = 2) -> str:
    """40 → '40', 0.955 → '0,96', 1234.5 → '1 234,5' (no-break space between thousands)."""
    rounded = round_half_up(value, digits)
    text = f"{rounded:,f}".replace(",", NBSP)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "−") if text != "-0" else "0"


def given_number(value: float | int | Decimal) -> str:
    """A number as given, with every decimal it has and a decimal comma: 0.001 → '0,001',
    12.345 → '12,345' (never rounded: a message about the value must show the value)."""
    exact = Decimal(str(value))
    exponent = exact.normalize().as_tuple().exponent
    return number(exact, max(-exponent, 0) if isinstance(exponent, int) else 0)


def percent(rate: float, digits: int = 0) -> str:
    """0.95 → '95 procent'; never rounds a shortfall up to 100 or a few down to 0."""
    rounded = round_half_up(rate * 100, digits)
    if rate < 1 and rounded >= 100:
        rounded = Decimal(100) - Decimal(1).scaleb(-digits)
    if rate > 0 and rounded <= 0:
        return f"mindre än {number(Decimal(1).scaleb(-digits), digits)} procent"
    return f"{number(rounded, digits)} procent"


def given_percent(rate: float) -> str:
    """A rate a person gave, as percent with as many decimals as it has (up to six): 0.0001 →
    '0,01', 0.9999 → '99,99'; never rounded to a figure the person did not give."""
    exact = Decimal(str(rate)) * 100
    for digits in range(1, 7):
        if round_half_up(exact, digits) == exact:
            return number(exact, digits)
    return number(exact, 6)


MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def long_date(day: date) -> str:
    """2023-12-01 → '1 december 2023'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def lower_first(text: str, keep: Iterable[str] = ()) -> str:
    """'Hemtjänst' → 'hemtjänst' mid-sentence, but 'LSS', 'SoL', 'IVO-anmälan' and the words in
    ``keep`` (names such as 'Solrosen') keep their case."""
    first = text.split(maxsplit=1)[0].strip(".,:;()") if text.strip() else ""
    stem = first.split("-", 1)[0]
    if not stem or any(c.isupper() for c in stem[1:]) or {first, stem} & set(keep):
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    """The first letter capitalised, the rest as written ('utan anmärkning/…' → 'Utan …')."""
    return text[:1].upper() + text[1:]


def day_text(day: date, style: DateStyle, *, year: bool = True) -> str:
    """One day in running text: '1 december 2023' (kompakt and lång), '2023-12-01' (iso).

    The compact style (240101) is for ranges; a single day reads better written out.
    """
    if style == "iso":
        return f"{day:%Y-%m-%d}"
    return long_date(day) if year else f"{day.day} {MONTHS[day.month - 1]}"


def span_text(start: date, end: date, style: DateStyle) -> str:
    """A period: '240101–240630' (kompakt), '1 januari 2024 till 30 juni 2024' (lång),
    '2024-01-01–2024-06-30' (iso)."""
    if style == "kompakt":
        return f"{start:%y%m%d}–{end:%y%m%d}"
    if style == "iso":
        return f"{start:%Y-%m-%d}–{end:%Y-%m-%d}"
    return f"{long_date(start)} till {long_date(end)}"


def count_word(count: int, one: str, many: str) -> str:
    """'1 beslut', '3 beslut'; '1 dag', '2 dagar'; '1 402 timmar' never broken inside."""
    return f"{number(count, 0)} {one if count == 1 else many}"


def join(items: list[str], last: str = "och") -> str:
    """['a', 'b', 'c'] → 'a, b och c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def days(value: float) -> str:
    """A mean number of days as a report writes it: 5.6 → '6 dagar', 1 → '1 dag'."""
    return count_word(int(round_half_up(value)), "dag", "dagar")


def mean_days_phrase(what: str, mean: float, count: int, smallest: int) -> str:
    """'utredningstiden LSS är 30 dagar', or, for fewer than ``smallest`` beslut, that the
    figure is not shown: a mean of one or two beslut describes the people behind them."""
    if count < smallest:
        return f"{what} redovisas inte eftersom den bygger på färre än {smallest} beslut"
    return f"{what} är {days(mean)}"


def people_count(count: int, smallest: int, one: str, many: str) -> str:
    """A count of cases about people, masked below ``smallest``: 'färre än 3 beslut'."""
    if 0 < count < smallest:
        return f"färre än {smallest} {many}"
    return count_word(count, one, many)
