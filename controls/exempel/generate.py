"""Seeded generator of the demo's synthetic export from the case-management system.

Run from the repository root: ``python controls/exempel/generate.py``. The same seed gives the same
file byte for byte. Every person is invented; their personnummer are shaped and Luhn-valid like real
ones so that the privacy guards are exercised, but belong to no one in particular.

The waiting times, follow-up habits and a few broken rows are shaped so that the demo plan's
computed figures, rounded as Bilaga 1 writes them, are the 2024 annual report's: utredningstid
8/57 and 11/70 days, verkställighetstid 6/40 days, tidsbegränsade 99/100/95 % and tillsvidare
0/21/25 % (tests/test_seed_bilaga1.py holds them to it). The figures themselves are computed
by the checks, never written in here. Every knob is a named constant below; the cases the IVO
rules need (avbrott, ended without verkställighet, declined offers, avslag) come from their own
random stream, so changing their numbers leaves the other decisions as they were.
"""

from __future__ import annotations

import calendar
import csv
import random
from datetime import date, timedelta
from pathlib import Path

SEED = 2024
OUT = Path(__file__).parent / "data" / "beslut.csv"
EXPORTED = date(2024, 12, 31)  # the day the export was taken: nothing later is known
DECISIONS = 3200  # decisions made from FIRST_DECIDED over DECIDED_DAYS days
FIRST_DECIDED, DECIDED_DAYS = date(2023, 9, 1), 480
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
    "Avslutsorsak",
    "Utfall",
    "Erbjudet",
    "Tackat nej",
    "Avbrott",
    "Återupptaget",
]

# insats: (lag, lagrum, share of decisions, time-limited?, mean days to verkställighet)
SERVICES = {
    "Hemtjänst": ("SoL", "4 kap. 1 § SoL", 0.38, True, 5),
    "Korttidsboende": ("SoL", "4 kap. 1 § SoL", 0.10, True, 7),
    "Särskilt boende": ("SoL", "4 kap. 1 § SoL", 0.14, False, 9),
    "Bostad med särskild service": ("LSS", "9 § 9 LSS", 0.07, False, 95),
    "Daglig verksamhet": ("LSS", "9 § 10 LSS", 0.09, False, 46),
    "Korttidsvistelse": ("LSS", "9 § 6 LSS", 0.06, True, 35),
    "Personlig assistans": ("LSS", "9 § 2 LSS", 0.06, True, 30),
    "Assistansersättning": ("SFB", "51 kap. SFB", 0.10, True, 15),
}
# Mean utredningstid by law and half-year, tuned so that the computed means round to the
# annual report's 8/57 days (first half) and 11/70 days (second half).
INVESTIGATION = {
    ("SoL", 1): 8,
    ("SoL", 2): 11,
    ("LSS", 1): 56,
    ("LSS", 2): 67,
    ("SFB", 1): 90,
    ("SFB", 2): 95,
}
# How long a time-limited decision is valid, by law: one of four lengths, drawn evenly.
VALID_FOR_DAYS = {
    "SoL": [91, 182, 182, 365],
    "LSS": [91, 182, 365, 365],
    "SFB": [91, 182, 182, 365],
}
# Share of decisions followed up in time, by insats. For time-limited decisions: before valid_to.
# For open-ended ones (tillsvidare): at each yearly due date, by the due date plus
# OPEN_ENDED_GRACE_DAYS (the K4 control's grace_days), chained year after year.
FOLLOW_UP = {
    "Hemtjänst": 0.995,
    "Korttidsboende": 1.0,
    "Korttidsvistelse": 0.94,
    "Personlig assistans": 0.94,
    "Assistansersättning": 0.95,
    "Särskilt boende": 0.0,
    "Bostad med särskild service": 0.24,
    "Daglig verksamhet": 0.33,
}


# Open-ended decisions older than the others, so that yearly follow-ups fall due in the period:
# OPEN_ENDED_OLDER of them, decided between OPEN_ENDED_FROM and FIRST_DECIDED.
OPEN_ENDED_OLDER = 420
OPEN_ENDED_FROM = date(2019, 1, 1)
OPEN_ENDED_INTERVAL_MONTHS = 12
OPEN_ENDED_GRACE_DAYS = 31
OPEN_ENDED_EARLY_DAYS = 45  # an in-time follow-up comes up to this many days before the due date
# Of the missed due dates, the share followed up late (the rest: not at all), by insats; a late
# follow-up moves the next due date, so the rhythm the check reconstructs drifts as in real exports.
OPEN_ENDED_LATE_SHARE = {
    "Särskilt boende": 0.0,
    "Bostad med särskild service": 0.5,
    "Daglig verksamhet": 0.5,
}

# The IVO cases, from their own stream (SEED + 1), applied to the decisions above:
IVO_SEED = SEED + 1
AVSLAG_SHARE = 0.04  # decisions that are avslag: no verkställighet, outcome "Avslag"
PARTLY_SHARE = 0.05  # "Delvis bifall"; the rest "Bifall"
INTERRUPTED = 14  # verkställda SoL/LSS decisions interrupted later ...
RESUMED_SHARE = 0.5  # ... of which this share resumed (some after more than three months)
ENDED_UNEXECUTED = 10  # not verkställda SoL/LSS decisions that ended, with a reason
END_REASONS = ["Avliden", "Flyttat från kommunen", "Tackat nej till insatsen", "Behov upphört"]
DECLINED = 8  # SoL/LSS decisions whose offer was declined, never verkställda


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def open_ended_follow_up(rng: random.Random, decided: date, service: str) -> date | None:
    """The latest yearly follow-up known at EXPORTED: each due date is met with the share, each
    miss is followed up late (OPEN_ENDED_LATE_SHARE) or not at all."""
    latest: date | None = None
    anchor = decided
    while (due := add_months(anchor, OPEN_ENDED_INTERVAL_MONTHS)) <= EXPORTED:
        if rng.random() < FOLLOW_UP[service]:
            done = due + timedelta(
                days=rng.randrange(-OPEN_ENDED_EARLY_DAYS, OPEN_ENDED_GRACE_DAYS + 1)
            )
        elif rng.random() < OPEN_ENDED_LATE_SHARE[service]:
            done = due + timedelta(days=rng.randrange(OPEN_ENDED_GRACE_DAYS + 1, 150))
        else:
            anchor = due  # missed: the next falls due a year later all the same
            continue
        if done > EXPORTED:
            break
        latest = anchor = done
    return latest


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


def decision(
    rng: random.Random, number: int, follow_rngs: dict[str, random.Random], older: bool = False
) -> list[str]:
    names = [s for s in SERVICES if not older or not SERVICES[s][3]]
    service = rng.choices(names, weights=[SERVICES[s][2] for s in names])[0]
    law, lagrum, _, limited, execution_mean = SERVICES[service]
    if older:
        decided = OPEN_ENDED_FROM + timedelta(
            days=rng.randrange((FIRST_DECIDED - OPEN_ENDED_FROM).days)
        )
    else:
        decided = FIRST_DECIDED + timedelta(days=rng.randrange(DECIDED_DAYS))
    half = 1 if decided.month <= 6 else 2
    applied = decided - timedelta(days=waiting(rng, INVESTIGATION[(law, half)]))
    executed: date | None = decided + timedelta(days=waiting(rng, execution_mean))
    if executed and executed > EXPORTED:
        executed = None  # not yet verkställd when the export was taken
    valid_to: date | None = None
    followed_up: date | None = None
    in_time = rng.random() < FOLLOW_UP[service]
    if limited:
        valid_to = decided + timedelta(days=rng.choice(VALID_FOR_DAYS[law]))
        followed_up = (
            valid_to - timedelta(days=rng.randrange(1, 30))
            if in_time
            else valid_to + timedelta(days=rng.randrange(5, 60))
        )
        if followed_up > EXPORTED:
            followed_up = None
    else:
        followed_up = open_ended_follow_up(follow_rngs[service], decided, service)
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
        *[""] * 7,
    ]


def ivo_cases(rng: random.Random, out: list[list[str]]) -> None:
    """Outcomes, avbrott, decisions ended unexecuted and declined offers, in place."""
    col = {name: HEADER.index(name) for name in HEADER}
    for row in out:
        roll = rng.random()
        if roll < AVSLAG_SHARE:
            row[col["Utfall"]] = "Avslag"
            row[col["Verkställighetsdatum"]] = ""
        else:
            row[col["Utfall"]] = "Delvis bifall" if roll < AVSLAG_SHARE + PARTLY_SHARE else "Bifall"
    granted = [r for r in out if r[col["Utfall"]] != "Avslag" and r[col["Lag"]] in ("SoL", "LSS")]
    executed = [r for r in granted if r[col["Verkställighetsdatum"]]]
    for row in rng.sample(executed, INTERRUPTED):
        start = date.fromisoformat(row[col["Verkställighetsdatum"]]) + timedelta(
            days=rng.randrange(20, 200)
        )
        if start <= EXPORTED:
            row[col["Avbrott"]] = start.isoformat()
            if rng.random() < RESUMED_SHARE:
                resumed = start + timedelta(days=rng.randrange(10, 150))
                row[col["Återupptaget"]] = resumed.isoformat() if resumed <= EXPORTED else ""
    waiting = [r for r in granted if not r[col["Verkställighetsdatum"]] and not r[col["Avbrott"]]]
    chosen = rng.sample(waiting, ENDED_UNEXECUTED + DECLINED)
    for row in chosen[:ENDED_UNEXECUTED]:
        ended = date.fromisoformat(row[col["Beslutsdatum"]]) + timedelta(
            days=rng.randrange(30, 300)
        )
        row[col["Avslutad"]] = min(ended, EXPORTED).isoformat()
        row[col["Avslutsorsak"]] = rng.choice(END_REASONS)
    for row in chosen[ENDED_UNEXECUTED:]:
        offered = date.fromisoformat(row[col["Beslutsdatum"]]) + timedelta(
            days=rng.randrange(5, 60)
        )
        if offered <= EXPORTED:
            row[col["Erbjudet"]] = offered.isoformat()
            row[col["Tackat nej"]] = min(
                offered + timedelta(days=rng.randrange(1, 10)), EXPORTED
            ).isoformat()


def rows(rng: random.Random, count: int = DECISIONS) -> list[list[str]]:
    # One stream of yearly follow-ups per insats: tuning one insats leaves the others as they were.
    follow_rngs = {name: random.Random(SEED + 10 + i) for i, name in enumerate(SERVICES)}
    out = [decision(rng, n, follow_rngs) for n in range(1, count + 1)]
    out += [
        decision(rng, n, follow_rngs, older=True)
        for n in range(count + 1, count + OPEN_ENDED_OLDER + 1)
    ]
    ivo_cases(random.Random(IVO_SEED), out)
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
