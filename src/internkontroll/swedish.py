"""Numbers and lists the way a Swedish annual report writes them."""

from __future__ import annotations

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
    """0.95 → '95 procent'."""
    return f"{number(rate * 100, digits)} procent"


def join(items: list[str]) -> str:
    """['a', 'b', 'c'] → 'a, b och c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]
