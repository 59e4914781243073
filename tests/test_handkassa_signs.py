"""Handkassa's signs: the plan says how the ledger signs its amounts (``amount_signs``), and a
row whose sign contradicts its kind is a listed data-quality error kept out of the book, never
a purchase turned the other way (a "-25,00" purchase read as 25 kr put the balance 50 kr off
with exit 0). Expected balances are summed by a plain reference from the accepted rows."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from internkontroll.checks import ControlContext
from internkontroll.datasets import Row
from internkontroll.engine import run_plan
from internkontroll.models import Period
from internkontroll.planfile import load_plan
from internkontroll.results import write_results
from plugins.handkassa import Handkassa, HandkassaParams

from .batch_folds import fold_batches, fold_parts, fold_rows, summary, with_role

START, END = date(2025, 1, 1), date(2025, 1, 31)

PLAN = """\
[plan]
title = "Test"
year = 2025
period = {{ start = 2025-01-01, end = 2025-01-31 }}

[[risk]]
id = "R1"
title = "Risk"
likelihood = 2
impact = 2

[datasets.kassabok]
path = "kassabok.csv"
[datasets.kassabok.columns]
transaction_id = "Ver"
cashbox = "Kassa"
date = "Datum"
amount = "Belopp"
kind = "Typ"
receipt = "Kvitto"
paid_by = "Betalt av"
attested_by = "Attest"
purpose = "Syfte"

[datasets.rakningar]
path = "rakningar.csv"
[datasets.rakningar.columns]
cashbox = "Kassa"
date = "Datum"
counted = "Räknat"

[[control]]
id = "H1"
risk = "R1"
title = "Handkassor"
check = "handkassa"
dataset = {{ ledger = "kassabok", counts = "rakningar" }}
[control.params]
opening_balance = {{ "Solgläntan" = 1000 }}
{params}
"""

HEAD = "Ver;Kassa;Datum;Belopp;Typ;Kvitto;Betalt av;Attest;Syfte"


def ledger(*rows: tuple[str, str, str]) -> str:
    lines = [
        f"V{n};Solgläntan;{day};{amount};{kind};ja;Bo;Cia;Fika"
        for n, (day, amount, kind) in enumerate(rows, start=1)
    ]
    return "\n".join([HEAD, *lines]) + "\n"


def run(tmp_path: Path, params: str, ledger_text: str, counted: str) -> list[dict[str, Any]]:
    """The control's resultat.json entry and findings, row by row and in batches."""
    (tmp_path / "plan.toml").write_text(PLAN.format(params=params), encoding="utf-8")
    (tmp_path / "kassabok.csv").write_text(ledger_text, encoding="utf-8")
    (tmp_path / "rakningar.csv").write_text(
        f"Kassa;Datum;Räknat\nSolgläntan;2025-01-31;{counted}\n", encoding="utf-8"
    )
    outputs = []
    for size in (0, 2, 8192):
        plan, host = load_plan(tmp_path / "plan.toml")
        results = run_plan(plan, host, batch_rows=size)
        out = tmp_path / f"ut{size}"
        write_results(plan, results, out)
        control = json.loads((out / "resultat.json").read_text(encoding="utf-8"))["controls"][0]
        findings = (out / "avvikelser" / "H1.csv").read_text(encoding="utf-8-sig")
        outputs.append({"control": control["metrics"], "findings": findings})
    assert outputs[1] == outputs[0] and outputs[2] == outputs[0]
    return outputs


def test_a_minus_on_a_purchase_in_an_unsigned_ledger_is_listed_not_turned_round(
    tmp_path: Path,
) -> None:
    """1 000 opening, 200 bought, a "-25,00" purchase (a correction?), 300 refilled. Read as a
    25 kr purchase the book said 1 075 and a count of 1 125 differed by 50 kr. Now the row is a
    data-quality error naming file, row and column, and the book is 1 000 − 200 + 300 = 1 100."""
    text = ledger(
        ("2025-01-05", "200,00", "inköp"),
        ("2025-01-06", "-25,00", "inköp"),
        ("2025-01-07", "300,00", "påfyllning"),
    )
    found = run(tmp_path, "", text, "1100")[0]
    assert found["control"]["invalid_rows"] == 1
    assert found["control"]["purchases"] == 1
    assert found["control"]["transactions"] == 2
    # The row is out of the book, so the count of 31 January has no known book balance.
    assert "reconciliation_differences" not in found["control"]
    assert found["control"]["unreconciled_counts"] == 1
    (line,) = [line for line in found["findings"].splitlines() if ";datakvalitet;" in line]
    assert line.startswith("H1;V2;3;datakvalitet;")
    assert "kassabok (kassabok.csv) rad 3, kolumn 'Belopp'" in line
    assert "fel tecken" in line and "utan minustecken" in line
    assert "−25 kr för ett inköp" in line


def test_a_ledger_signed_by_direction_is_read_as_signed(tmp_path: Path) -> None:
    """With ``amount_signs = "med_tecken"`` money out is negative: −200 bought, +300 refilled,
    −100 returned gives 1 000 − 200 + 300 − 100 = 1 000; a purchase of +25 contradicts it."""
    text = ledger(
        ("2025-01-05", "-200,00", "inköp"),
        ("2025-01-06", "25,00", "inköp"),
        ("2025-01-07", "300,00", "påfyllning"),
        ("2025-01-08", "-100,00", "återlämning"),
        ("2025-01-09", "-50,00", "påfyllning"),
    )
    found = run(tmp_path, 'amount_signs = "med_tecken"', text, "1000")[0]
    metrics = found["control"]
    assert (metrics["invalid_rows"], metrics["purchases"], metrics["transactions"]) == (2, 1, 3)
    assert "reconciliation_differences" not in metrics  # the book lacks two rows before the count
    assert metrics["unreconciled_counts"] == 1
    lines = [line for line in found["findings"].splitlines() if ";datakvalitet;" in line]
    assert [line.split(";")[2] for line in lines] == ["3", "6"]
    assert "för ett inköp har fel tecken; väntade ett belopp med minustecken" in lines[0]
    assert "för en påfyllning har fel tecken; väntade ett belopp utan minustecken" in lines[1]


def test_an_unknown_convention_is_refused() -> None:
    with pytest.raises(ValueError):
        HandkassaParams.model_validate({"amount_signs": "tecken"})


# Any ledger: the book is the reference sum of the rows whose sign fits ----------------------

KINDS = {"inköp": -1, "påfyllning": 1, "återlämning": -1}
SIGNS = {"positiva": dict.fromkeys(KINDS, 1), "med_tecken": KINDS}

entries = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=40),  # days from START; beyond END after the period
        st.integers(min_value=-50_000, max_value=50_000),  # öre
        st.sampled_from(sorted(KINDS)),
    ),
    max_size=40,
)


def reference(
    convention: str, rows: list[tuple[int, int, str]], day: date
) -> tuple[int, int, bool]:
    """(öre in the book at the end of ``day``, rows whose sign contradicts their kind, whether
    one of those is dated on or before ``day``: then the book at ``day`` is not known)."""
    book, wrong, unknown = 100_000, 0, False
    for offset, ore, kind in rows:
        if ore * SIGNS[convention][kind] < 0:
            wrong += 1
            unknown |= START + timedelta(offset) <= day
        elif START + timedelta(offset) <= day:
            book += abs(ore) if kind == "påfyllning" else -abs(ore)
    return book, wrong, unknown


@settings(max_examples=60, deadline=None)
@given(entries, st.sampled_from(sorted(SIGNS)), st.sampled_from([1, 3, 8192]))
def test_the_book_is_the_sum_of_the_rows_whose_sign_fits(
    rows: list[tuple[int, int, str]], convention: str, size: int
) -> None:
    params = {"amount_signs": convention, "opening_balance": {"A": 1000}, "max_amount": None}
    ledger_rows = [
        Row(
            n + 2,
            {
                "transaction_id": f"V{n}",
                "cashbox": "A",
                "date": START + timedelta(offset),
                "amount": Decimal(ore).scaleb(-2),
                "kind": kind,
                "receipt": "ja",
                "paid_by": "Bo",
                "attested_by": "Cia",
                "purpose": "x",
            },
        )
        for n, (offset, ore, kind) in enumerate(rows)
    ]
    book, wrong, unknown = reference(convention, rows, END)
    count = Row(2, {"cashbox": "A", "date": END, "counted": Decimal(book).scaleb(-2)})
    stream = [
        ("ledger", with_role("ledger", ledger_rows)),
        ("counts", with_role("counts", [count])),
    ]

    def fresh() -> Handkassa:
        context = ControlContext(control_id="H", period=Period(start=START, end=END))
        return Handkassa(HandkassaParams.model_validate(params), context)

    one = summary(fold_rows(fresh(), stream))
    metrics, invalid = one[0], one[3]
    assert invalid == wrong
    if unknown:
        assert "reconciliation_differences" not in metrics
        assert metrics["unreconciled_counts"] == 1
    else:
        assert metrics["reconciliation_differences"] == 0
    assert summary(fold_batches(fresh(), stream, size, True)) == one
    assert summary(fold_parts(fresh, stream, [len(rows) // 2], size, True)) == one
