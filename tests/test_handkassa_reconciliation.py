"""Handkassa's reconciliation, hand-worked: a count whose book balance is unknown (a ledger row
of its handkassa, on or before its day, could not be read) gives no difference figure, so a
criterion on it leaves the control ej genomförd; an opening balance is the balance at its day,
so movements dated before it are not deducted again. Row by row and in batches alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PLAN = """\
[plan]
title = "Test"
year = 2025
period = {{ start = 2025-01-01, end = 2025-12-31 }}

[[risk]]
id = "R1"
title = "Risk"
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

[datasets.rakningar]
path = "rakningar.csv"
[datasets.rakningar.columns]
cashbox = "Handkassa"
date = "Datum"
counted = "Räknat saldo"
counted_by = "Räknat av"

[[control]]
id = "H1"
risk = "R1"
title = "Handkassor"
check = "handkassa"
dataset = {{ ledger = "kassabok", counts = "rakningar" }}
[control.params]
max_amount = 2000
tolerance = 0
{params}
[control.criteria]
metric = "reconciliation_differences"
better = "lower"
utan_anmarkning = 0
forsumbar_anmarkning = 0
"""
HEAD = "Verifikation;Handkassa;Datum;Belopp;Typ;Kvitto;Betalt av;Attesterat av;Syfte"


def run(tmp_path: Path, params: str, rows: list[str], counts: list[str]) -> dict[str, Any]:
    """The control's resultat.json entry and findings; the same row by row and in batches."""
    from internkontroll.engine import run_plan
    from internkontroll.planfile import load_plan
    from internkontroll.results import write_results

    (tmp_path / "plan.toml").write_text(PLAN.format(params=params), encoding="utf-8")
    ledger = [f"{row};ja;P1;P2;mat" for row in rows]
    (tmp_path / "kassabok.csv").write_text("\n".join([HEAD, *ledger]) + "\n", encoding="utf-8")
    head = "Handkassa;Datum;Räknat saldo;Räknat av"
    (tmp_path / "rakningar.csv").write_text("\n".join([head, *counts]) + "\n", encoding="utf-8")
    outputs = []
    for size in (0, 1, 8192):
        plan, host = load_plan(tmp_path / "plan.toml")
        results = run_plan(plan, host, batch_rows=size)
        out = tmp_path / f"ut{size}"
        write_results(plan, results, out)
        control = json.loads((out / "resultat.json").read_text(encoding="utf-8"))["controls"][0]
        control["findings"] = (out / "avvikelser" / "H1.csv").read_text(encoding="utf-8-sig")
        control.pop("run", None)
        outputs.append(control)
    assert outputs[1] == outputs[0] and outputs[2] == outputs[0]
    return outputs[0]


SIGNED = 'amount_signs = "med_tecken"'
SIGNED_ROWS = [
    "V1;A;2025-01-01;1 000,00;ingående saldo",
    "V2;A;2025-01-05;-100,00;inköp",
    "V3;A;2025-01-06;25,00;inköp",  # a purchase without a minus: unreadable, out of the book
    "V8;A;2025-01-11;200,00;påfyllning",
]


def test_a_count_after_an_unreadable_row_has_no_difference_and_is_not_judged(
    tmp_path: Path,
) -> None:
    """1 000 − 100 + 200 = 1 100 counted 1 100, but V3 (6 January) is not in the book: the
    balance on 31 January is not known, so there is no difference figure (it said 0, and the
    control utan anmärkning) and the criterion on it leaves the control ej genomförd."""
    control = run(tmp_path, SIGNED, SIGNED_ROWS, ["A;2025-01-31;1 100,00;X / Y"])
    metrics = control["metrics"]
    assert "reconciliation_differences" not in metrics
    assert "A.reconciliation_differences" not in metrics
    assert (metrics["unreconciled_counts"], metrics["invalid_rows"]) == (1, 1)
    assert control["assessment"] == "ej_genomford"
    assert control["reason"].startswith(
        "Om 1 kassaräkning stämde med kassaboken går inte att säga, eftersom 1 rad i "
        "kassaboken inte kunde läsas"
    )
    assert "kunde inte beräknas" in control["reason"]
    assert "reconciliation_differences" not in control["reason"]


def test_a_count_one_krona_off_after_an_unreadable_row_is_unknown_too(tmp_path: Path) -> None:
    """The same book counted 1 101: a difference against a balance that is not known is no
    deviation either, but the same "cannot say"."""
    control = run(tmp_path, SIGNED, SIGNED_ROWS, ["A;2025-01-31;1 101,00;X / Y"])
    assert "reconciliation_differences" not in control["metrics"]
    assert control["metrics"]["unreconciled_counts"] == 1
    assert control["assessment"] == "ej_genomford"
    assert "skillnad" not in control["findings"]


def test_an_unreadable_row_after_a_count_or_of_another_handkassa_leaves_it_known(
    tmp_path: Path,
) -> None:
    """V3 of 6 January is after A's count of 4 January (1 000 − 100 = 900: counted 899, 1 kr
    short) and of another handkassa than B's: both counts are judged, A's is a difference."""
    rows = [
        "V1;A;2025-01-01;1 000,00;ingående saldo",
        "V2;A;2025-01-03;-100,00;inköp",
        "V3;A;2025-01-06;25,00;inköp",
        "V4;B;2025-01-01;500,00;ingående saldo",
    ]
    counts = ["A;2025-01-04;899,00;X / Y", "B;2025-01-31;500,00;X / Y"]
    control = run(tmp_path, SIGNED, rows, counts)
    metrics = control["metrics"]
    assert (metrics["reconciliation_differences"], metrics["unreconciled_counts"]) == (1, 0)
    assert (metrics["A.reconciliation_differences"], metrics["B.reconciliation_differences"]) == (
        1,
        0,
    )
    assert "A 2025-01-04: räknat 899 kr, enligt kassaboken 900 kr (skillnad −1 kr)" in (
        control["findings"]
    )


def test_a_purchase_before_the_opening_row_is_not_deducted_again(tmp_path: Path) -> None:
    """Opening 1 000 on 1 January, 100 bought on the 5th: 900, counted 900. V0 of 20 December
    is before the opening balance, which already holds it (it said 850, a 50 kr difference)."""
    rows = [
        "V0;A;2024-12-20;50,00;inköp",
        "V1;A;2025-01-01;1 000,00;ingående saldo",
        "V2;A;2025-01-05;100,00;inköp",
    ]
    control = run(tmp_path, "", rows, ["A;2025-01-31;900,00;X / Y"])
    assert control["metrics"]["reconciliation_differences"] == 0
    assert control["assessment"] == "utan_anmarkning"
    assert "Alla kassaräkningar stämde med kassaboken." in control["result_text"]


def test_an_opening_row_before_the_period_takes_the_movements_after_it(tmp_path: Path) -> None:
    """Opening 1 000 on 1 December 2024, 50 bought on 20 December, 100 on 5 January: 850."""
    rows = [
        "V0;A;2024-11-20;70,00;inköp",
        "V1;A;2024-12-01;1 000,00;ingående saldo",
        "V2;A;2024-12-20;50,00;inköp",
        "V3;A;2025-01-05;100,00;inköp",
    ]
    control = run(tmp_path, "", rows, ["A;2025-01-31;850,00;X / Y"])
    assert control["metrics"]["reconciliation_differences"] == 0


def test_the_plans_opening_balance_holds_at_the_period_start(tmp_path: Path) -> None:
    """``opening_balance = {"A" = 1000}`` is the balance on 1 January: the purchase of 20
    December is not deducted (1 000 − 100 = 900), an unreadable row before it does not matter."""
    rows = [
        "V0;A;2024-12-20;50,00;inköp",
        "V9;A;2024-12-21;-5,00;inköp",  # a minus on a purchase: unreadable, before the balance
        "V2;A;2025-01-05;100,00;inköp",
    ]
    control = run(tmp_path, 'opening_balance = { "A" = 1000 }', rows, ["A;2025-01-31;900;X / Y"])
    assert control["metrics"]["invalid_rows"] == 1
    assert control["metrics"]["reconciliation_differences"] == 0
    assert control["metrics"]["unreconciled_counts"] == 0


def test_an_undated_unreadable_row_makes_every_count_of_its_handkassa_unknown(
    tmp_path: Path,
) -> None:
    rows = ["V1;A;2025-01-01;1 000,00;ingående saldo", "V2;A;igår;100,00;inköp"]
    control = run(tmp_path, "", rows, ["A;2025-01-02;1000;X / Y"])
    assert control["metrics"]["unreconciled_counts"] == 1
    assert "reconciliation_differences" not in control["metrics"]


def test_the_rows_in_the_balance_are_used_in_the_run_account(tmp_path: Path) -> None:
    """Hand-worked: the opening row of 31 December 2024 (the balance the period starts from),
    the refill and the return of 2025 and the purchase of 2025 are used (4); the purchase of
    20 December 2024 is before the period (1 outside). It said 1 used, 4 outside."""
    from internkontroll.accounting import run_lines
    from internkontroll.engine import run_plan
    from internkontroll.planfile import load_plan

    rows = [
        "V0;A;2024-12-20;50,00;inköp",
        "V1;A;2024-12-31;1 000,00;ingående saldo",
        "V2;A;2025-01-05;100,00;inköp",
        "V3;A;2025-01-06;300,00;påfyllning",
        "V4;A;2025-01-07;200,00;återlämning",
    ]
    run(tmp_path, "", rows, ["A;2025-01-31;1000;X / Y"])  # the balance: 1 000 − 100 + 300 − 200
    for size in (0, 1, 8192):
        plan, host = load_plan(tmp_path / "plan.toml")
        [result] = run_plan(plan, host, batch_rows=size)
        assert result.outcome.metrics["reconciliation_differences"] == 0
        read = {source.dataset: source.rows for source in result.inputs}
        lines = run_lines(result.control.id, read, result.tallies, result.outcome.metrics)
        assert lines[0] == (
            "H1 (kassabok): 5 rader lästa: 4 använda, 0 ogiltiga, 0 dubbletter, 0 undantagna, "
            "1 utanför perioden eller populationen"
        ), size
