"""Handkassa and beviljad tid on ledgers and time reports where every deviation is planted."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from internkontroll.engine import ControlResult, run_plan
from internkontroll.planfile import load_plan

from .conftest import write

HEAD = """\
[plan]
title = "Internkontrollplan 2025"
year = 2025
period = { start = 2025-01-01, end = 2025-03-31 }

[[risk]]
id = "R1"
title = "Oegentligheter i handkassor"
likelihood = 3
impact = 3
"""

HANDKASSA = (
    HEAD
    + """
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
activity_ref = "Aktivitet"
category = "Kategori"

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
dataset = { ledger = "kassabok", counts = "rakningar" }
[control.params]
max_amount = 2000
activity_required_for = ["Solgläntan"]
blocked_categories = ["Livsmedel"]
tolerance = 0
count_interval_days = 31
opening_balance = { "Solgläntan" = 5000, "Björken" = 3000 }
[control.criteria]
metric = "deviation_rate"
better = "lower"
utan_anmarkning = 0
"""
)

LEDGER = """\
Ver;Kassa;Datum;Belopp;Typ;Kvitto;Betalt av;Attest;Syfte;Aktivitet;Kategori
V1;Solgläntan;2025-01-05;2 000,00;inköp;ja;Anna;Bo;Bio;GP-1;Nöje
V2;Solgläntan;2025-01-06;2000,01;inköp;ja;Anna;Bo;Konsert;GP-2;Nöje
V3;Solgläntan;2025-01-07;120,50;inköp;nej;Anna;Bo;Fika;GP-3;Nöje
V4;Solgläntan;2025-01-08;80,00;inköp;ja;Anna;;Buss;GP-4;Resa
V5;Solgläntan;2025-01-09;99,90;inköp;ja;Anna;anna;Glass;GP-5;Nöje
V6;Solgläntan;2025-01-10;45,00;inköp;ja;Anna;Bo;;GP-6;Nöje
V7;Solgläntan;2025-01-11;60,00;inköp;ja;Anna;Bo;Bowling;;Nöje
V8;Solgläntan;2025-01-12;350,25;inköp;ja;Anna;Bo;Mat;GP-8;Livsmedel
V9;Solgläntan;2025-01-15;1 000,00;påfyllning;nej;Kassör;;Påfyllning;;
V10;Solgläntan;2025-01-20;500,00;återlämning;nej;Kassör;;Till banken;;
V11;Björken;2025-01-05;100,00;inköp;ja;Cia;Dan;Bad;;Nöje
V12;Björken;2025-02-20;10,00;inköp;ja;Cia;Dan;Tidning;;Nöje
V13;Björken;2025-02-21;5,00;köpa;ja;Cia;Dan;Okänt;;Nöje
"""
# Solgläntan: 5000 − (2000 + 2000.01 + 120.50 + 80 + 99.90 + 45 + 60 + 350.25) + 1000 − 500
#           = 744.34 at 2025-01-31.
COUNTS = """\
Kassa;Datum;Räknat
Solgläntan;2025-01-31;744,34
Solgläntan;2025-02-28;744,34
Solgläntan;2025-03-31;744,00
Björken;2025-01-31;2900,00
"""


def run(tmp_path: Path, plan: str, files: dict[str, str]) -> ControlResult:
    write(tmp_path / "plan.toml", plan)
    for name, text in files.items():
        write(tmp_path / name, text)
    [result] = run_plan(*load_plan(tmp_path / "plan.toml"))
    assert result.assessment.value != "ej_genomford", result.reason
    return result


def test_handkassa_finds_exactly_the_planted_deviations(tmp_path: Path) -> None:
    result = run(tmp_path, HANDKASSA, {"kassabok.csv": LEDGER, "rakningar.csv": COUNTS})
    m = result.outcome.metrics
    assert m["over_limit"] == 1  # V2 at 2000.01; V1 at exactly 2000 is allowed
    assert m["missing_receipt"] == 1  # V3
    assert m["missing_attest"] == 1  # V4
    assert m["self_attested"] == 1  # V5 (Anna attested her own purchase)
    assert m["missing_purpose"] == 1  # V6
    assert m["missing_activity"] == 1  # V7 (Solgläntan requires one; Björken does not)
    assert m["blocked_category"] == 1  # V8
    # Solgläntan counted right to the öre in January and February; 0.34 kr short in March.
    # Björken: 3000 − 100 = 2900 on 31 January: right.
    assert m["reconciliation_differences"] == 1
    # Björken was never counted after 31 January: 59 days to 31 March.
    assert m["missing_counts"] == 1
    assert m["purchases"] == 10 and m["deviations"] == 7
    assert m["deviation_rate"] == pytest.approx(0.7)
    assert m["deviation_amount"] == pytest.approx(2000.01 + 120.50 + 80 + 99.90 + 45 + 60 + 350.25)
    assert m["Solgläntan.deviations"] == 7 and m["Björken.deviations"] == 0
    assert m["invalid_rows"] == 1  # V13: "köpa" is no known kind
    by_reference = {f.reference: f for f in result.outcome.findings if f.kind == "avvikelse"}
    assert by_reference["Solgläntan 2025-03-31"].amount == Decimal("-0.34")
    assert by_reference["V2"].amount == Decimal("2000.01")
    assert "Björken: ingen kassaräkning på 59 dagar (2025-01-31 – 2025-03-31)" in (
        by_reference["Björken 2025-01-31–2025-03-31"].description
    )
    assert result.outcome.result_text.startswith(
        "Granskningen av 10 inköp i 2 handkassor visade 7 inköp med avvikelser (70 procent)"
    )


def test_handkassa_rules_can_be_switched_off(tmp_path: Path) -> None:
    plan = HANDKASSA.replace("max_amount = 2000", "max_amount = 5000\nrequire_attest = false")
    result = run(tmp_path, plan, {"kassabok.csv": LEDGER, "rakningar.csv": COUNTS})
    m = result.outcome.metrics
    assert m["over_limit"] == 0 and m["missing_attest"] == 0 and m["self_attested"] == 0
    assert m["deviations"] == 4  # V3, V6, V7 and V8 remain


GRANTED = """\
Ärende;Från;Till;Timmar;Per;Källa
A;2024-01-01;;100;månad;SFB
B;2025-01-15;2025-02-14;70;vecka;LSS
C;2025-02-01;2025-02-28;10;vecka;SFB
"""
PERFORMED = """\
Ärende;Datum;Timmar
A;2025-01-10;100
A;2025-02-10;90
A;2025-03-10;95,5
B;2025-01-20;170
B;2025-02-05;140
C;2025-02-03;40
D;2025-03-01;8
"""

BEVILJAD = (
    HEAD
    + """
[datasets.beslut]
path = "beslut.csv"
[datasets.beslut.columns]
case_id = "Ärende"
valid_from = "Från"
valid_to = "Till"
hours = "Timmar"
per = "Per"
source = "Källa"

[datasets.tid]
path = "tid.csv"
[datasets.tid.columns]
case_id = "Ärende"
date = "Datum"
hours = "Timmar"

[[control]]
id = "T1"
risk = "R1"
title = "Beviljad tid"
check = "beviljad_tid"
dataset = { granted = "beslut", performed = "tid" }
[control.params]
tolerance_hours = 2
hourly_cost = 400
hourly_reimbursement = 330
[control.criteria]
metric = "over_granted"
better = "lower"
utan_anmarkning = 0
"""
)


def test_beviljad_tid_prorates_by_days(tmp_path: Path) -> None:
    result = run(tmp_path, BEVILJAD, {"beslut.csv": GRANTED, "tid.csv": PERFORMED})
    by_month = {f.reference: f for f in result.outcome.findings}
    # A: 100 h a month in months of 31, 28 and 31 days: 100 each. Performed 100 (in time),
    #    90 in February (10 h short, SFB: revenue at risk 10 × 330), 95.5 in March (4.5 short).
    # B: 70 h a week from 15 January: 17 days in January = 170 h granted, 170 performed;
    #    14 days in February = 140 h, 140 performed: both in time.
    # C: 10 h a week for February's 28 days = 40 h granted, 40 performed: in time.
    # D: 8 h performed with no decision at all: over granted.
    assert set(by_month) == {"A 2025-02", "A 2025-03", "D 2025-03"}
    assert by_month["A 2025-02"].amount == Decimal(3300)
    assert by_month["A 2025-03"].amount == Decimal("1485.0")
    assert by_month["D 2025-03"].amount == Decimal(3200)
    assert "utan beslut" in by_month["D 2025-03"].description
    m = result.outcome.metrics
    assert m["case_months"] == 3 + 2 + 1 + 1
    assert m["over_granted"] == 1 and m["hours_over"] == 8
    assert m["under_reported"] == 2 and m["hours_under"] == pytest.approx(14.5)
    assert m["cost_over"] == 3200 and m["revenue_at_risk"] == pytest.approx(14.5 * 330)


def test_tolerance_and_month_lengths(tmp_path: Path) -> None:
    # 100 h a month from 16 February 2025 (13 of 28 days) and in March (31 of 31): 46.43 + 100.
    granted = "Ärende;Från;Till;Timmar;Per;Källa\nE;2025-02-16;;100;månad;LSS\n"
    performed = "Ärende;Datum;Timmar\nE;2025-02-20;48\nE;2025-03-20;103\n"
    result = run(tmp_path, BEVILJAD, {"beslut.csv": granted, "tid.csv": performed})
    m = result.outcome.metrics
    # February: 48 − 46.43 = 1.57 h over, within 2 h. March: 3 h over, beyond 2 h.
    assert m["over_granted"] == 1 and m["hours_over"] == pytest.approx(3)
    assert m["under_reported"] == 0
    assert m["revenue_at_risk"] == 0  # LSS, not paid by Försäkringskassan


def test_receipt_review_through_a_worksheet(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from internkontroll.cli import cli

    plan = HANDKASSA.replace(
        "[control.criteria]",
        """[control.sample]
method = "random"
count = 4
seed = 7
worksheet = "kvitton.csv"
[control.criteria]""",
    )
    write(tmp_path / "plan.toml", plan)
    write(tmp_path / "kassabok.csv", LEDGER)
    write(tmp_path / "rakningar.csv", COUNTS)
    runner = CliRunner()
    drawn = runner.invoke(
        cli,
        [
            "sample",
            str(tmp_path / "plan.toml"),
            "--control",
            "H1",
            "--out",
            str(tmp_path / "kvitton.csv"),
        ],
    )
    assert drawn.exit_code == 0, drawn.output
    lines = (tmp_path / "kvitton.csv").read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[-2:] == ["kvitto", "kommentar"] and "Betalt av" not in header
    assert len(lines) == 5
    # The reviewer found no receipt for any of the four sampled purchases.
    answered = [lines[0]] + [
        ";".join([*line.split(";")[:-2], "nej", "saknas"]) for line in lines[1:]
    ]
    (tmp_path / "kvitton.csv").write_text("\n".join(answered) + "\n", encoding="utf-8")
    [result] = run_plan(*load_plan(tmp_path / "plan.toml"))
    m = result.outcome.metrics
    assert m["purchases"] == 4 and m["missing_receipt"] == 4
    assert m["sample.n"] == 4 and m["sample.population"] == 10
    # The balance is still kept from every ledger row, sampled or not.
    assert m["reconciliation_differences"] == 1


def test_unused_handkassa(tmp_path: Path) -> None:
    plan = HANDKASSA.replace(
        "count_interval_days = 31", "count_interval_days = 31\nmax_idle_days = 40"
    )
    result = run(tmp_path, plan, {"kassabok.csv": LEDGER, "rakningar.csv": COUNTS})
    # Björken is used on 5 January and 20 February (46 days apart) and then not until the
    # period ends on 31 March (39 days: within 40). Solgläntan's last use is 20 January: 70 days.
    assert result.outcome.metrics["Björken.unused_periods"] == 1
    assert result.outcome.metrics["Solgläntan.unused_periods"] == 1
    described = [f.description for f in result.outcome.findings if "inte använd" in f.description]
    assert "Björken: inte använd på 46 dagar (2025-01-05 – 2025-02-20); högst 40 dagar" in described


def test_activity_required_for_names_the_handkassa_without_case(tmp_path: Path) -> None:
    # The plan says "Solgläntan"; a plan spelling it "SOLGLÄNTAN" still finds V7's missing link.
    plan = HANDKASSA.replace('activity_required_for = ["Solgläntan"]', 'activity_required_for = ["SOLGLÄNTAN"]')  # fmt: skip
    result = run(tmp_path, plan, {"kassabok.csv": LEDGER, "rakningar.csv": COUNTS})
    assert result.outcome.metrics["missing_activity"] == 1
