"""The reviewer's side of the 2025 demo: control H2's monetary-unit sample, drawn and filled in.

Run from the repository root after ``generate_2025.py`` (which calls it): ``python
controls/exempel/granska_2025.py``. It draws H2's sample exactly as ``internkontroll sample
plan-2025.toml --control H2 --out granskning/H2-beloppsurval.csv`` does, and fills in what an
invented reviewer found: whether the receipt is there, and the amount it supports
(``granskat_belopp``). A purchase without a receipt supports nothing (0 kr); now and then a
receipt shows less than was booked. Seeded, so the same ledger gives the same file byte for byte.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from internkontroll import worksheets
from internkontroll.engine import draw_sample
from internkontroll.monetary_sample import AUDITED_COLUMN, worksheet_fields
from internkontroll.planfile import load_plan

HERE = Path(__file__).parent
CONTROL = "H2"
WORKSHEET = Path("granskning") / "H2-beloppsurval.csv"
SEED = 2026


def amount_text(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def main(folder: Path = HERE) -> None:
    """Draw H2 from ``folder``'s plan-2025.toml and write its filled worksheet there."""
    plan, host = load_plan(folder / "plan-2025.toml")
    run, drawn = draw_sample(plan, host, CONTROL)
    check = run.check
    key = check.key_field or ""
    columns = run.review_columns
    header, body = worksheets.build(
        drawn.rows,
        drawn.strata,
        key,
        worksheet_fields(run.control.sample, check.worksheet_fields(check.params)),
        columns,
    )
    rng = random.Random(SEED)
    receipt_at = header.index("kvitto")
    audited_at = header.index(AUDITED_COLUMN)
    comment_at = header.index(worksheets.COMMENT_COLUMN)
    for line, row in zip(body, drawn.rows, strict=True):
        book = abs(row["amount"])
        has_receipt = str(row["receipt"] or "").strip().casefold() == "ja"
        audited, comment = book, ""
        if not has_receipt:
            audited, comment = Decimal(0), "kvitto saknas"
        elif rng.random() < 0.06:
            audited = (book * Decimal(rng.choice([50, 60, 75, 80, 90])) / 100).quantize(
                Decimal("0.01")
            )
            comment = "kvittot visar ett lägre belopp"
        line[receipt_at] = "ja" if has_receipt else "nej"
        line[audited_at] = amount_text(audited)
        line[comment_at] = comment
    (folder / WORKSHEET).unlink(missing_ok=True)
    worksheets.write(folder / WORKSHEET, header, body, columns)


if __name__ == "__main__":
    main()
