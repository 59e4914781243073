"""Seeded generator of the demo's synthetic export from the case-management system.

Run from the repository root: ``python controls/exempel/generate.py``. The same seed gives the same
file byte for byte. Every person is invented; their personnummer are shaped and Luhn-valid like real
ones so that the privacy guards are exercised, but belong to no one in particular.

The waiting times, follow-up habits and a few broken rows are shaped so that the demo plan's
computed figures land near the 2024 annual report's Bilaga 1. The figures themselves are computed
by the checks, never written in here.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

SEED = 2024
OUT = Path(__file__).parent / "data" / "beslut.csv"
HEADER = [
    "Beslut-ID",
    "Personnummer",
    "Lag",
    "Lagrum",
    "Insats",
    "Ansökningsdatum",
    "Beslutsdatum",
    "Verkställighetsdatum",
    "Giltig till",
    "Uppföljningsdatum",
    "Avslutad",
]

# insats: (lag, lagrum, share of decisions, time-limited?, mean days to verkställighet)
SERVICES = {
    "Hemtjänst": ("SoL", "4 kap. 1 § SoL", 0.38, True, 5),
    "Korttidsboende": ("SoL", "4 kap. 1 § SoL", 0.10, True, 7),
    "Särskilt boende": ("SoL", "4 kap. 1 § SoL", 0.14, False, 9),
    "Bostad med särskild service": ("LSS", "9 § 9 LSS", 0.07, False, 95),
    "Daglig verksamhet": ("LSS", "9 § 10 LSS", 0.09, False, 40),
    "Korttidsvistelse": ("LSS", "9 § 6 LSS", 0.06, True, 35),
    "Personlig assistans": ("LSS", "9 § 2 LSS", 0.06, True, 30),
    "Assistansersättning": ("SFB", "51 kap. SFB", 0.10, True, 15),
}
# Mean utredningstid by law and half-year, tuned so that the computed means land near the
# annual report's 8/57 days (first half) and 11/70 days (second half).
INVESTIGATION = {
    ("SoL", 1): 8,
    ("SoL", 2): 12,
    ("LSS", 1): 55,
    ("LSS", 2): 67,
    ("SFB", 1): 90,
    ("SFB", 2): 95,
}
# Share of decisions followed up in time, by insats.
FOLLOW_UP = {
    "Hemtjänst": 0.99,
    "Korttidsboende": 1.0,
    "Korttidsvistelse": 0.97,
    "Personlig assistans": 0.97,
    "Assistansersättning": 0.95,
    "Särskilt boende": 0.0,
    "Bostad med särskild service": 0.22,
    "Daglig verksamhet": 0.27,
}


def luhn_digit(nine: str) -> str:
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def personnummer(rng: random.Random) -> str:
    born = date(1930, 1, 1) + timedelta(days=rng.randrange(75 * 365))
    nine = f"{born:%y%m%d}{rng.randrange(1000):03d}"
    return f"{born:%Y%m%d}-{nine[6:]}{luhn_digit(nine)}"


def waiting(rng: random.Random, mean: float) -> int:
    return max(0, round(rng.expovariate(1 / mean))) if mean else 0


def decision(rng: random.Random, number: int) -> list[str]:
    names = list(SERVICES)
    service = rng.choices(names, weights=[SERVICES[s][2] for s in names])[0]
    law, lagrum, _, limited, execution_mean = SERVICES[service]
    decided = date(2023, 9, 1) + timedelta(days=rng.randrange(480))
    half = 1 if decided.month <= 6 else 2
    applied = decided - timedelta(days=waiting(rng, INVESTIGATION[(law, half)]))
    executed: date | None = decided + timedelta(days=waiting(rng, execution_mean))
    if executed and executed > date(2024, 12, 31):
        executed = None  # not yet verkställd when the export was taken
    valid_to: date | None = None
    followed_up: date | None = None
    in_time = rng.random() < FOLLOW_UP[service]
    if limited:
        valid_to = decided + timedelta(days=rng.choice([91, 182, 182, 365]))
        followed_up = (
            valid_to - timedelta(days=rng.randrange(1, 30))
            if in_time
            else valid_to + timedelta(days=rng.randrange(5, 60))
        )
        if followed_up > date(2024, 12, 31):
            followed_up = None
    elif in_time:
        start = max(decided, date(2023, 12, 1))
        if start < date(2024, 11, 30):
            followed_up = start + timedelta(days=rng.randrange((date(2024, 11, 30) - start).days))
    elif rng.random() < 0.5:
        followed_up = decided + timedelta(days=rng.randrange(20, 120))
        if followed_up >= date(2023, 12, 1):
            followed_up = None
    return [
        f"B{number:06d}",
        personnummer(rng),
        law,
        lagrum,
        service,
        f"{applied}",
        f"{decided}",
        f"{executed or ''}",
        f"{valid_to or ''}",
        f"{followed_up or ''}",
        "",
    ]


def rows(rng: random.Random, count: int = 3200) -> list[list[str]]:
    out = [decision(rng, n) for n in range(1, count + 1)]
    # The export's own faults, as controllers meet them: impossible dates, wrong order, repeats.
    out[17][6] = "2024-02-30"
    out[230][7] = "2024-13-01"
    out[412][5], out[412][6] = out[412][6], out[412][5]
    out[998][7] = "20240231"
    out.insert(1500, list(out[1499]))
    out.insert(2600, list(out[42]))
    return out


def main() -> None:
    rng = random.Random(SEED)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # Windows-1252 and ';' as the case-management system exports it for Excel.
    with OUT.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows(rng))


if __name__ == "__main__":
    main()
