"""``run``'s account of where every row went, for a control of two datasets (handkassa: the
ledger and the cash counts): each dataset on its own line, its parts adding up to its rows
read, whichever way the engine read them."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from internkontroll.accounting import run_lines
from internkontroll.cli import cli
from internkontroll.engine import ControlResult, run_plan
from internkontroll.planfile import load_plan

from .test_batch_handkassa import exports, plan_text

PLAN = """\
[plan]
title = "Test"
year = 2025
period = { start = 2025-01-01, end = 2025-03-31 }

[[risk]]
id = "R1"
title = "Risk"
likelihood = 2
impact = 2

[datasets.rakningar]
path = "rakningar.csv"
[datasets.rakningar.columns]
cashbox = "Kassa"
date = "Datum"
counted = "Räknat"

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

[[control]]
id = "H1"
risk = "R1"
title = "Handkassor"
check = "handkassa"
dataset = { ledger = "kassabok", counts = "rakningar" }
[control.params]
exclude = { paid_by = ["anna"] }
[control.criteria]
metric = "deviations"
better = "lower"
utan_anmarkning = 1000
"""

# Hand-worked. The ledger's 9 rows: V1 and V9 purchases judged and V4 a refill of the period,
# which moves the balance (3 used); V2 in parts of öre, V7 an unreadable date and V8 a receipt
# neither yes nor no (3 invalid: V2 and V8 refused by the check before it takes them in, V7
# before the check sees it); the second V1 a duplicate; V3 paid by Anna, whom the plan
# excludes; V5 a purchase before the period (1 outside).
LEDGER = """\
Ver;Kassa;Datum;Belopp;Typ;Kvitto;Betalt av;Attest;Syfte
V1;Solgläntan;2025-01-10;100;inköp;ja;Bo;Cia;Fika
V2;Solgläntan;2025-01-11;12,345;inköp;ja;Bo;Cia;Fika
V3;Solgläntan;2025-01-12;50;inköp;ja;Anna;Cia;Fika
V4;Solgläntan;2025-01-13;500;påfyllning;;;;
V5;Solgläntan;2024-12-20;80;inköp;ja;Bo;Cia;Fika
V1;Solgläntan;2025-01-14;70;inköp;ja;Bo;Cia;Fika
V7;Solgläntan;igår;70;inköp;ja;Bo;Cia;Fika
V8;Solgläntan;2025-01-15;90;inköp;kanske;Bo;Cia;Fika
V9;Solgläntan;2025-01-16;2500;inköp;ja;Bo;Bo;Fika
"""
# The counts' 4 rows: an unreadable date and a blank counted amount (2 invalid), one count in
# the period (used) and one on 2024-12-31, before it (outside the period, not used).
COUNTS = """\
Kassa;Datum;Räknat
Solgläntan;2025-01-31;450
Solgläntan;x;100
Solgläntan;2025-02-28;
Solgläntan;2024-12-31;400
"""
EXPECTED = [
    "H1 (kassabok): 9 rader lästa: 3 använda, 3 ogiltiga, 1 dubblett, 1 undantagen, "
    "1 utanför perioden eller populationen",
    "H1 (rakningar): 4 rader lästa: 1 använd, 2 ogiltiga, 1 utanför perioden",
]


def _lines(result: ControlResult) -> list[str]:
    rows = {source.dataset: source.rows for source in result.inputs}
    return run_lines(result.control.id, rows, result.tallies, result.outcome.metrics)


def _write(folder: Path) -> Path:
    (folder / "kassabok.csv").write_text(LEDGER, encoding="utf-8")
    (folder / "rakningar.csv").write_text(COUNTS, encoding="utf-8")
    plan = folder / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")
    return plan


def test_each_dataset_of_a_handkassa_adds_up_on_both_read_paths(tmp_path: Path) -> None:
    plan_path = _write(tmp_path)
    for batch_rows in (0, 1, 3, 8192):
        plan, host = load_plan(plan_path)
        [result] = run_plan(plan, host, batch_rows=batch_rows)
        assert result.failure == ""
        metrics = result.outcome.metrics
        assert (metrics["purchases"], metrics["invalid_rows"], metrics["excluded"]) == (2, 5, 1)
        assert _lines(result) == EXPECTED, batch_rows


def test_run_prints_a_line_per_dataset(tmp_path: Path) -> None:
    plan_path = _write(tmp_path)
    ran = CliRunner().invoke(cli, ["run", str(plan_path), "--out", str(tmp_path / "ut")])
    assert ran.exit_code == 0, ran.output
    assert [line for line in ran.stdout.splitlines() if line.startswith("H1 (")] == EXPECTED


def _parts(line: str) -> tuple[int, list[int]]:
    line = line.split("; ")[0]  # the blank lines: no rows read
    read, rest = line.split(" rader lästa: " if "rader" in line else " rad läst: ")
    numbers = [int(n.replace("\u00a0", "")) for n in re.findall(r"(\d[\d\u00a0]*) ", rest + " ")]
    return int(read.rsplit(" ", 1)[1].replace("\u00a0", "")), numbers


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports(), st.sampled_from([1, 3, 8192]))
def test_the_lines_add_up_and_agree_on_dirty_exports(files: dict[str, str], size: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for file_name, text in files.items():
            (folder / file_name).write_text(text, encoding="utf-8")
        (folder / "plan.toml").write_text(plan_text(), encoding="utf-8")
        by_path = []
        for batch_rows in (0, size):
            plan, host = load_plan(folder / "plan.toml")
            by_path.append([(r, _lines(r)) for r in run_plan(plan, host, batch_rows=batch_rows)])
    rows_path, batch_path = by_path
    assert [lines for _, lines in rows_path] == [lines for _, lines in batch_path]
    for result, lines in rows_path:
        if result.failure:
            continue
        assert [line.split(")")[0] for line in lines] == [
            f"{result.control.id} (kassabok",
            f"{result.control.id} (rakningar",
        ]
        rows = {source.dataset: source.rows for source in result.inputs}
        for line, name in zip(lines, ("kassabok", "rakningar"), strict=True):
            read, parts = _parts(line)
            assert read == rows[name] and sum(parts) == read, line
            # Every line of the export: the header, the rows read and the blank lines.
            body = files[f"{name}.csv"].splitlines()[1:]
            blank = sum(1 for text in body if not text.replace(";", "").strip())
            assert read + blank == len(body), line
            said = (
                f"; {blank} tom rad hoppades över"
                if blank == 1
                else (f"; {blank} tomma rader hoppades över" if blank else "")
            )
            assert line.endswith(said) and line.count(";") == (1 if blank else 0), line
        # Not sampled: the ledger's used rows are the purchases judged and the refills,
        # returns and opening rows of the period; its invalid ones the check's less the counts'.
        _, ledger = _parts(lines[0])
        _, counts = _parts(lines[1])
        metrics = result.outcome.metrics
        assert ledger[0] >= metrics["purchases"]
        assert ledger[1] + counts[1] == metrics["invalid_rows"]
        assert ledger[3] == metrics["excluded"]
