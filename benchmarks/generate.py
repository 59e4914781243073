"""Seeded exports for the benchmarks: case decisions and a handkassa ledger at any size.

    python benchmarks/generate.py 100000 --out benchmarks/data

writes beslut-100000.csv (and .xlsx with --xlsx), kassabok-100000.csv and kassarakningar-100000.csv.
The same size and seed give the same files. The data are clean (no broken rows), so that the
pandas and DuckDB scripts, which do not repeat our data-quality rules, compute the same figures.
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

LAWS = [
    ("SoL", ["Hemtjänst", "Korttidsboende", "Särskilt boende"], 8, 6),
    ("LSS", ["Daglig verksamhet", "Bostad med särskild service", "Korttidsvistelse"], 57, 40),
]
START = date(2023, 7, 1)


def luhn(nine: str) -> str:
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def decisions(rows: int, rng: random.Random):  # type: ignore[no-untyped-def]
    yield [
        "Beslut-ID",
        "Personnummer",
        "Lag",
        "Insats",
        "Ansökningsdatum",
        "Beslutsdatum",
        "Verkställighetsdatum",
        "Giltig till",
        "Uppföljningsdatum",
    ]
    for number in range(rows):
        law, services, investigation, execution = LAWS[0] if rng.random() < 0.7 else LAWS[1]
        decided = START + timedelta(days=rng.randrange(550))
        applied = decided - timedelta(days=int(rng.expovariate(1 / investigation)))
        executed = decided + timedelta(days=int(rng.expovariate(1 / execution)))
        born = date(1930, 1, 1) + timedelta(days=rng.randrange(27000))
        nine = f"{born:%y%m%d}{rng.randrange(1000):03d}"
        valid_to = followed = ""
        if rng.random() < 0.5:
            end = decided + timedelta(days=rng.choice((91, 182, 365)))
            valid_to = end.isoformat()
            if rng.random() < 0.95:
                followed = (end - timedelta(days=rng.randrange(-20, 40))).isoformat()
        yield [
            f"B{number:08d}",
            f"{born:%Y%m%d}-{nine[6:]}{luhn(nine)}",
            law,
            rng.choice(services),
            applied.isoformat(),
            decided.isoformat(),
            executed.isoformat() if rng.random() < 0.97 else "",
            valid_to,
            followed,
        ]


def ledger(rows: int, rng: random.Random):  # type: ignore[no-untyped-def]
    yield [
        "Verifikation",
        "Handkassa",
        "Datum",
        "Belopp",
        "Typ",
        "Kvitto",
        "Betalt av",
        "Attesterat av",
        "Syfte",
    ]
    boxes = [f"Enhet {n:03d}" for n in range(max(1, rows // 2000))]
    for number in range(rows):
        box = rng.choice(boxes)
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(366))
        refill = rng.random() < 0.05
        amount = rng.uniform(1000, 3000) if refill else rng.uniform(20, 2500)
        payer = f"P-{rng.randrange(100)}"
        yield [
            f"V{number:08d}",
            box,
            day.isoformat(),
            f"{amount:.2f}".replace(".", ","),
            "påfyllning" if refill else "inköp",
            "nej" if rng.random() < 0.03 else "ja",
            payer,
            payer if rng.random() < 0.01 else f"P-{rng.randrange(100, 120)}",
            "" if rng.random() < 0.02 else "Aktivitet",
        ]


def counts(rows: int, rng: random.Random):  # type: ignore[no-untyped-def]
    yield ["Handkassa", "Datum", "Räknat saldo"]
    for box in range(max(1, rows // 2000)):
        for month in range(1, 13):
            last = date(2024, month % 12 + 1, 1) if month < 12 else date(2025, 1, 1)
            day = last - timedelta(days=1)
            yield [f"Enhet {box:03d}", day.isoformat(), f"{rng.uniform(0, 5000):.2f}"]


def write(path: Path, rows) -> None:  # type: ignore[no-untyped-def]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerows(rows)


def write_xlsx(source: Path, target: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Beslut")
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter=";"):
            sheet.append(row)
    book.save(target)


def generate(size: int, out: Path, xlsx: bool = False, seed: int = 8) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "beslut": out / f"beslut-{size}.csv",
        "kassabok": out / f"kassabok-{size}.csv",
        "kassarakningar": out / f"kassarakningar-{size}.csv",
    }
    if not paths["beslut"].exists():
        write(paths["beslut"], decisions(size, random.Random(seed)))
    if not paths["kassabok"].exists():
        write(paths["kassabok"], ledger(size, random.Random(seed + 1)))
        write(paths["kassarakningar"], counts(size, random.Random(seed + 2)))
    if xlsx:
        paths["beslut_xlsx"] = out / f"beslut-{size}.xlsx"
        if not paths["beslut_xlsx"].exists():
            write_xlsx(paths["beslut"], paths["beslut_xlsx"])
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", type=int)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    parser.add_argument("--xlsx", action="store_true")
    args = parser.parse_args()
    for path in generate(args.size, args.out, args.xlsx).values():
        print(path)


if __name__ == "__main__":
    main()
