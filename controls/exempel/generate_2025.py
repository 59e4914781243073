"""Seeded generator of the 2025 demo's personal-assistance data: handkassor and assistance hours.

Run from the repository root: ``python controls/exempel/generate_2025.py``. The same seed gives
the same files byte for byte. Units, staff and cases are invented; staff appear only as ids.

Planted on purpose, as controllers meet them: purchases without receipt, attest or purpose, a few
above the maximum amount or of blocked categories, cash counts that do not match the ledger, a
handkassa left uncounted for two months and one left unused, a purchase split in two to stay
under the maximum amount (SPLIT_PURCHASES) and a count made by one person (ONE_PERSON_COUNT);
and assistance performed beyond or short of the hours granted. The checks compute the figures;
nothing here is a result.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

SEED = 2025
DATA = Path(__file__).parent / "data"
YEAR_START, YEAR_END = date(2025, 1, 1), date(2025, 12, 31)
CASHBOXES = ["Solgläntan", "Björken", "Eken", "Lönnen", "Ekbacken korttids"]
PURPOSES = [
    "Bio med brukare",
    "Fika på stan",
    "Bowling",
    "Busskort",
    "Material till pyssel",
    "Entré badhus",
    "Utflykt",
    "Museibesök",
]
CATEGORIES = ["Nöje", "Resa", "Material", "Nöje", "Nöje", "Livsmedel"]
# Two purchases by one person, each under the 2 000 kr maximum, together over it.
SPLIT_CASHBOX, SPLIT_PAYER, SPLIT_ATTESTER = "Björken", "P-1007", "P-2004"
SPLIT_PURCHASES = [(date(2025, 3, 11), Decimal("1250.00")), (date(2025, 3, 12), Decimal("980.00"))]
# Personal assistance: the first LSS case with one open decision moves to SFB on this day
# (Försäkringskassan pays from then on).
SOURCE_CHANGE = (date(2025, 4, 1), "SFB")
# Time reports are due REPORT_DEADLINE_DAYS after the month worked: most come in within it, a
# few late (LATE_REPORT_SHARE of the case-months) and a few not at all (UNREPORTED_SHARE).
REPORT_DEADLINE_DAYS = 10
LATE_REPORT_SHARE = 0.04
UNREPORTED_SHARE = 0.01
# Counts are made by two people ("P-2003 / P-2007"), except this one.
ONE_PERSON_COUNT = ("Eken", date(2025, 4, 30))


def money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def swedish(amount: Decimal) -> str:
    whole, _, cents = f"{amount:.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", " ")
    return f"{groups},{cents}"


def ledger_and_counts(rng: random.Random) -> tuple[list[list[str]], list[list[str]]]:
    ledger: list[list[str]] = []
    counts: list[list[str]] = []
    second_counter = random.Random(SEED + 1)  # its own stream: the ledger stays as it was

    def add(*cells: str) -> None:
        ledger.append([f"V{len(ledger) + 1:05d}", *cells])

    for box in CASHBOXES:
        balance = Decimal(3000)
        add(box, "2024-12-31", swedish(balance), "ingående saldo", "nej", "", "", "", "", "")
        day = YEAR_START
        while day <= YEAR_END:
            idle = box == "Lönnen" and date(2025, 5, 1) <= day <= date(2025, 7, 15)
            for split_day, split_amount in SPLIT_PURCHASES:
                if box == SPLIT_CASHBOX and day == split_day:
                    add(
                        box,
                        day.isoformat(),
                        swedish(split_amount),
                        "inköp",
                        "ja",
                        SPLIT_PAYER,
                        SPLIT_ATTESTER,
                        "Utflykt",
                        f"GP-{600 + split_day.day}",
                        "Nöje",
                    )
                    balance -= split_amount
                    if balance < 0:
                        refill = Decimal(3000)
                        add(box, day.isoformat(), swedish(refill), "påfyllning", "nej",
                            "Kassör", "", "Påfyllning", "", "")  # fmt: skip
                        balance += refill
            if not idle and rng.random() < 0.45:
                amount = money(rng.uniform(25, 450))
                if rng.random() < 0.006:
                    amount = money(rng.uniform(2100, 3500))
                payer = f"P-{rng.randrange(1000, 1040)}"
                attester = f"P-{rng.randrange(2000, 2010)}"
                roll = rng.random()
                receipt = "nej" if roll < 0.03 else "ja"
                if 0.03 <= roll < 0.05:
                    attester = ""
                elif 0.05 <= roll < 0.06:
                    attester = payer
                purpose = "" if 0.06 <= roll < 0.08 else rng.choice(PURPOSES)
                activity = "" if 0.08 <= roll < 0.11 else f"GP-{rng.randrange(100, 999)}"
                category = rng.choice(CATEGORIES) if rng.random() < 0.05 else "Nöje"
                if category == "Livsmedel" and rng.random() < 0.6:
                    category = "Nöje"
                if amount > balance:
                    add(
                        box,
                        day.isoformat(),
                        swedish(Decimal(3000)),
                        "påfyllning",
                        "nej",
                        "Kassör",
                        "",
                        "Påfyllning",
                        "",
                        "",
                    )
                    balance += 3000
                add(
                    box,
                    day.isoformat(),
                    swedish(amount),
                    "inköp",
                    receipt,
                    payer,
                    attester,
                    purpose,
                    activity,
                    category,
                )
                balance -= amount
                if balance > 5000:
                    add(
                        box,
                        day.isoformat(),
                        swedish(Decimal(2000)),
                        "återlämning",
                        "nej",
                        "Kassör",
                        "",
                        "Till banken",
                        "",
                        "",
                    )
                    balance -= 2000
            month_end = (day + timedelta(days=1)).month != day.month
            skipped = box == "Eken" and day.month in (6, 7)
            if month_end and not skipped:
                counted = balance
                if rng.random() < 0.05:
                    counted += money(rng.choice([-150, -20.5, 50, -0.5]))
                counter = f"P-{rng.randrange(2000, 2010)}"
                if (box, day) != ONE_PERSON_COUNT:
                    counter += f" / P-{second_counter.randrange(2010, 2020)}"
                counts.append([box, day.isoformat(), swedish(counted), counter])
            day += timedelta(days=1)
    return ledger, counts


def hours_data(rng: random.Random) -> tuple[list[list[str]], list[list[str]]]:
    granted: list[list[str]] = []
    performed: list[list[str]] = []
    for case in range(1, 41):
        case_id = f"PA-{case:04d}"
        source = "SFB" if case <= 25 else "LSS"
        weekly = rng.randrange(20, 121)
        change = (
            date(2025, rng.randrange(2, 12), rng.randrange(1, 28)) if rng.random() < 0.3 else None
        )
        if change:
            granted.append(
                [
                    case_id,
                    "2024-07-01",
                    (change - timedelta(days=1)).isoformat(),
                    str(weekly),
                    "vecka",
                    source,
                ]
            )
            weekly_after = max(10, weekly + rng.choice([-20, -10, 10, 25]))
            granted.append([case_id, change.isoformat(), "", str(weekly_after), "vecka", source])
        else:
            granted.append([case_id, "2024-07-01", "", str(weekly), "vecka", source])
        month_factor: dict[int, float] = {}
        for month in range(1, 13):
            roll = rng.random()
            month_factor[month] = (
                rng.uniform(1.06, 1.18)
                if roll < 0.04
                else rng.uniform(0.78, 0.94)
                if roll < 0.12
                else rng.uniform(0.995, 1.004)
            )
        day = YEAR_START
        while day <= YEAR_END:
            rate = weekly_after if change and day >= change else weekly
            hours = rate / 7 * month_factor[day.month]
            performed.append([case_id, day.isoformat(), f"{hours:.2f}".replace(".", ",")])
            day += timedelta(days=1)
    return granted, performed


def change_source(granted: list[list[str]]) -> None:
    """SOURCE_CHANGE: the case's decision ends the day before, and the same hours go on paid by
    the new source."""
    day, source = SOURCE_CHANGE
    rows: dict[str, list[list[str]]] = {}
    for row in granted:
        rows.setdefault(row[0], []).append(row)
    case = next(c for c, r in rows.items() if len(r) == 1 and r[0][5] == "LSS" and not r[0][2])
    for row in rows[case]:
        start = date.fromisoformat(row[1])
        end = date.fromisoformat(row[2]) if row[2] else None
        if start < day and (end is None or end >= day):
            row[2] = (day - timedelta(days=1)).isoformat()
            granted.append(
                [case, day.isoformat(), end.isoformat() if end else "", row[3], row[4], source]
            )


def reported_dates(performed: list[list[str]]) -> None:
    """Add the day each time report reached the payroll (a case-month is reported at once)."""
    rng = random.Random(SEED + 2)  # its own stream: the hours stay as they were
    when: dict[tuple[str, str], str] = {}
    for row in performed:
        key = (row[0], row[1][:7])
        if key not in when:
            last = date.fromisoformat(row[1][:7] + "-01") + timedelta(days=31)
            last = last.replace(day=1) - timedelta(days=1)
            roll = rng.random()
            if roll < UNREPORTED_SHARE:
                when[key] = ""
            elif roll < UNREPORTED_SHARE + LATE_REPORT_SHARE:
                when[key] = (
                    last + timedelta(days=rng.randrange(REPORT_DEADLINE_DAYS + 1, 60))
                ).isoformat()
            else:
                when[key] = (
                    last + timedelta(days=rng.randrange(1, REPORT_DEADLINE_DAYS + 1))
                ).isoformat()
        row.append(when[key])


def write(name: str, header: list[str], rows: list[list[str]]) -> None:
    with (DATA / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    rng = random.Random(SEED)
    DATA.mkdir(parents=True, exist_ok=True)
    ledger, counts = ledger_and_counts(rng)
    write(
        "kassabok.csv",
        [
            "Verifikation",
            "Handkassa",
            "Datum",
            "Belopp",
            "Typ",
            "Kvitto",
            "Betalt av",
            "Attesterat av",
            "Syfte",
            "Aktivitet i GP",
            "Kategori",
        ],
        ledger,
    )
    write("kassarakningar.csv", ["Handkassa", "Datum", "Räknat saldo", "Räknat av"], counts)
    granted, performed = hours_data(rng)
    change_source(granted)
    reported_dates(performed)
    write(
        "beviljade_timmar.csv",
        ["Ärende", "Gäller från", "Gäller till", "Timmar", "Per", "Källa"],
        granted,
    )
    write("utford_tid.csv", ["Ärende", "Datum", "Timmar", "Rapporterad"], performed)
    from granska_2025 import main as review  # H2's filled worksheet follows the new ledger

    review()


if __name__ == "__main__":
    main()
