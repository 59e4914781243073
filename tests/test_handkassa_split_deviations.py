"""A purchase that is part of a split purchase is a deviating purchase: it counts in
``deviations``, ``deviation_rate`` and ``deviation_amount``, once, whatever other rules it
breaks. The expected figures are worked out by hand, or by a plain reference below."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from internkontroll.checks import ControlContext
from internkontroll.datasets import Row
from internkontroll.models import Period
from plugins.handkassa import Handkassa, HandkassaParams

from .batch_folds import fold_batches, fold_parts, fold_rows, run_sizes, summary, with_role

HEAD = "Verifikation;Handkassa;Datum;Belopp;Typ;Kvitto;Betalt av;Attesterat av;Syfte"
# V2 and V3: Anna, 1 500 kr each, two days apart: 3 000 kr, above the maximum of 2 000 kr.
LEDGER = [
    "V1;Ek;2025-01-02;5000;påfyllning;;;;",
    "V2;Ek;2025-01-10;1500;inköp;ja;Anna;Bo;Fika",
    "V3;Ek;2025-01-12;1500;inköp;ja;Anna;Bo;Fika",
    "V4;Ek;2025-02-01;100;inköp;ja;Cia;Bo;Fika",
]
COUNTS = "Handkassa;Datum;Räknat saldo\nEk;2025-01-31;2000\nEk;2025-02-28;1900\n"

PLAN = """\
[plan]
title = "Plan H"
organisation = "Testnämnden"
year = 2025
period = {{ start = 2025-01-01, end = 2025-02-28 }}

[[risk]]
id = "R1"
title = "Handkassor"
likelihood = 2
impact = 2

[datasets.kassabok]
path = "kassabok.csv"
[datasets.kassabok.columns]
transaction_id = "Verifikation"
cashbox = "Handkassa"
date = "Datum"
amount = "Belopp"
kind = "Typ"
receipt = "Kvitto"
paid_by = "Betalt av"
attested_by = "Attesterat av"
purpose = "Syfte"

[datasets.kassarakningar]
path = "kassarakningar.csv"
[datasets.kassarakningar.columns]
cashbox = "Handkassa"
date = "Datum"
counted = "Räknat saldo"

[[control]]
id = "H1"
risk = "R1"
title = "Handkassor"
check = "handkassa"
dataset = {{ ledger = "kassabok", counts = "kassarakningar" }}
[control.params]
max_amount = 2000
tolerance = 0
split_days = 3
{params}
[control.criteria]
metric = "deviation_rate"
better = "lower"
utan_anmarkning = 0.02
forsumbar_anmarkning = 0.05
"""


def run(ledger: list[str], params: str = "") -> dict[str, Any]:
    """H1's entry in resultat.json, the same row by row and in batches of two."""
    files = {"kassabok.csv": "\n".join([HEAD, *ledger]) + "\n", "kassarakningar.csv": COUNTS}
    rows, batches = (
        out["controls"][0] for out in run_sizes(files, PLAN.format(params=params), [0, 2])
    )
    assert rows == batches
    return rows


def test_split_purchases_are_deviations() -> None:
    control = run(LEDGER)
    metrics = control["metrics"]
    assert metrics["purchases"] == 3
    assert metrics["split_purchases"] == 1  # one occasion
    assert metrics["split_parts"] == 2  # of two purchases
    assert metrics["deviations"] == 2
    assert metrics["deviation_rate"] == pytest.approx(2 / 3)
    assert metrics["deviation_amount"] == 3000
    assert control["assessment"] == "med_anmarkning"
    text = control["result_text"]
    assert "inga avvikelser" not in text
    assert "2 inköp med avvikelser" in text and "del av ett uppdelat inköp 2" in text


def test_a_split_purchase_breaking_another_rule_counts_once() -> None:
    ledger = [*LEDGER]
    ledger[1] = ledger[1].replace(";ja;", ";nej;")  # V2 also without a receipt
    metrics = run(ledger)["metrics"]
    assert metrics["missing_receipt"] == 1
    assert metrics["split_parts"] == 2
    assert metrics["deviations"] == 2  # V2 and V3, V2 once
    assert metrics["deviation_amount"] == 3000


def test_a_purchase_left_out_by_the_selection_is_not_a_deviation() -> None:
    ledger = [*LEDGER]
    ledger[2] = ledger[2].replace(";Fika", ";Resa")  # V3 is not reviewed
    metrics = run(ledger, 'exclude = { purpose = ["Resa"] }')["metrics"]
    assert metrics["purchases"] == 2 and metrics["excluded"] == 1
    assert metrics["split_purchases"] == 1  # the ledger still shows the split
    assert metrics["split_parts"] == 1
    assert metrics["deviations"] == 1  # V2 only
    assert metrics["deviation_amount"] == 1500


# Against a plain reference, on the check directly ---------------------------------------------

START, END = date(2025, 1, 1), date(2025, 1, 31)
LIMIT, DAYS = Decimal(2000), 2


def flagged_by_split(purchases: list[tuple[int, date, Decimal, str]]) -> set[int]:
    """Rows in a split purchase, read from the rule: for some first day, one person's purchases
    of at most the limit dated from it to ``DAYS`` days later, two or more, above it together."""
    found: set[int] = set()
    eligible = [p for p in purchases if p[2] <= LIMIT]
    for _, first, _, payer in eligible:
        window = [
            p for p in eligible if p[3] == payer and first <= p[1] <= first + timedelta(DAYS)
        ]
        if len(window) >= 2 and sum(p[2] for p in window) > LIMIT:
            found |= {p[0] for p in window}
    return found


purchases_drawn = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=30),
        st.sampled_from(["300", "800", "1200", "1900", "2000", "2500"]),
        st.sampled_from(["Anna", "Bo"]),
        st.booleans(),
    ),
    max_size=25,
)


@settings(max_examples=80, deadline=None)
@given(purchases_drawn, st.sampled_from([1, 3, 8192]), st.lists(st.integers(0, 25), max_size=3))
def test_deviations_are_the_purchases_breaking_any_rule_each_once(
    drawn: list[tuple[int, str, str, bool]], size: int, cuts: list[int]
) -> None:
    rows, plain = [], []
    for n, (offset, amount, payer, receipt) in enumerate(drawn):
        day = START + timedelta(offset)
        values = {
            "transaction_id": f"V{n}",
            "cashbox": "Ek",
            "date": day,
            "amount": Decimal(amount),
            "kind": "inköp",
            "receipt": "ja" if receipt else "nej",
            "paid_by": payer,
            "attested_by": "Cia",
            "purpose": "Fika",
        }
        rows.append(Row(n + 2, values))
        plain.append((n + 2, day, Decimal(amount), payer, receipt))
    split = flagged_by_split([(line, day, amount, who) for line, day, amount, who, _ in plain])
    deviating = {
        line for line, _, amount, _, receipt in plain if amount > LIMIT or not receipt
    } | split
    expected_amount = sum((amount for line, _, amount, _, _ in plain if line in deviating), 0)

    stream = [("ledger", with_role("ledger", rows))]
    params = {"max_amount": LIMIT, "split_days": DAYS, "count_interval_days": None}

    def fresh() -> Handkassa:
        context = ControlContext(control_id="H", period=Period(start=START, end=END))
        return Handkassa(HandkassaParams.model_validate(params), context)

    one = summary(fold_rows(fresh(), stream))
    metrics = one[0]
    assert metrics["deviations"] == len(deviating)
    assert metrics["split_parts"] == len(split)
    assert metrics["deviation_amount"] == pytest.approx(float(expected_amount))
    assert summary(fold_batches(fresh(), stream, size)) == one
    assert summary(fold_parts(fresh, stream, cuts, size)) == one
