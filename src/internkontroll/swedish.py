"""Numbers and lists the way a Swedish annual report writes them."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float | Decimal, digits: int = 0) -> Decimal:
    """Rounding as people do it by hand (2,5 → 3), not banker's rounding."""
    quantum = Decimal(1).scaleb(-digits)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def number(value: float | int | Decimal, digits: int = 2) -> str:
    """40 → '40', 0.955 → '0,96', 1234.5 → '1 234,5' (space between thousands)."""
    rounded = round_half_up(value, digits)
    text = f"{rounded:,f}".replace(",", " ")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "−") if text != "-0" else "0"


def percent(rate: float, digits: int = 0) -> str:
    """0.95 → '95 procent'; never rounds a shortfall up to 100 or a few down to 0."""
    rounded = round_half_up(rate * 100, digits)
    if rate < 1 and rounded >= 100:
        rounded = Decimal(100) - Decimal(1).scaleb(-digits)
    if rate > 0 and rounded <= 0:
        return f"mindre än {number(Decimal(1).scaleb(-digits), digits)} procent"
    return f"{number(rounded, digits)} procent"


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


def lower_first(text: str) -> str:
    """'Hemtjänst' → 'hemtjänst', but 'LSS' stays 'LSS'."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def count_word(count: int, one: str, many: str) -> str:
    """'1 beslut', '3 beslut'; '1 dag', '2 dagar'."""
    return f"{count} {one if count == 1 else many}"


def join(items: list[str], last: str = "och") -> str:
    """['a', 'b', 'c'] → 'a, b och c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def days(value: float) -> str:
    """A mean number of days as a report writes it: 5.6 → '6 dagar', 1 → '1 dag'."""
    return count_word(int(round_half_up(value)), "dag", "dagar")


def people_count(count: int, smallest: int, one: str, many: str) -> str:
    """A count of cases about people, masked below ``smallest``: 'färre än 3 beslut'."""
    if 0 < count < smallest:
        return f"färre än {smallest} {many}"
    return count_word(count, one, many)
