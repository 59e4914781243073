"""Handkassa in batches gives what it gives row by row: the same figures, findings and order,
on dirty ledgers and cash counts; partitions merged equal one pass; and a handkassa is the same
handkassa whatever the case or padding of its name."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from internkontroll.checks import ControlContext
from internkontroll.datasets import Row
from internkontroll.engine import run_plan
from internkontroll.models import Period
from internkontroll.planfile import load_plan
from plugins.handkassa import Handkassa, HandkassaParams

from .batch_folds import fold_batches, fold_parts, fold_rows, run_sizes, summary, with_role

START, END = date(2025, 1, 1), date(2025, 3, 31)
BOXES = ["Solgläntan", "solgläntan", "Björken", "BJÖRKEN", ""]

CONTROLS = {
    # Defaults: maximum 2 000 kr, receipt, attest, purpose, a count every 31 days.
    "H1": "",
    # Every rule there is, names in the plan in another case and padded.
    "H2": (
        'activity_required_for = [" SOLGLÄNTAN "]\nblocked_categories = ["Livsmedel"]\n'
        "tolerance = 5\nsplit_days = 3\nrequire_two_counters = true\nmax_idle_days = 20\n"
        'count_every = "månad"\nopening_balance = { " solgläntan " = 500, "Björken" = 100 }\n'
    ),
    # Rules off, a selection, activity everywhere, a shorter period and interval.
    "H3": (
        "require_receipt = false\nrequire_attest = false\nrequire_purpose = false\n"
        'exclude = { paid_by = ["anna"] }\nactivity_required_for = ["*"]\n'
        "count_interval_days = 10\nmax_amount = 500\n"
    ),
    # Only one handkassa, split purchases the same day, the plan's own words for kinds.
    "H4": (
        'include = { cashbox = "björken" }\nsplit_days = 0\nmax_amount = 1000\n'
        'count_every = "månad"\ncount_interval_days = 40\n'
        'kinds = { purchase = ["inköp"], refill = ["påfyllning"], return = ["retur"], '
        'opening = ["ingående saldo"] }\n'
    ),
}
PERIODS = {"H3": "period = { start = 2025-02-01, end = 2025-03-15 }\n"}


def plan_text() -> str:
    controls = "".join(
        f'[[control]]\nid = "{cid}"\nrisk = "R1"\ntitle = "Handkassor {cid}"\n'
        f'check = "handkassa"\ndataset = {{ ledger = "kassabok", counts = "rakningar" }}\n'
        f"{PERIODS.get(cid, '')}[control.params]\n{body}[control.criteria]\n"
        'metric = "invalid_rows"\nbetter = "lower"\nutan_anmarkning = 1000000\n\n'
        for cid, body in CONTROLS.items()
    )
    return f"""\
[plan]
title = "Test"
year = 2025
period = {{ start = {START}, end = {END} }}

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
activity_ref = "Aktivitet"
category = "Kategori"

[datasets.rakningar]
path = "rakningar.csv"
[datasets.rakningar.columns]
cashbox = "Kassa"
date = "Datum"
counted = "Räknat"
counted_by = "Räknat av"

{controls}"""


def day_cell() -> st.SearchStrategy[str]:
    good = st.integers(min_value=-20, max_value=110).map(
        lambda n: (START + timedelta(days=n)).isoformat()
    )
    odd = st.sampled_from(["", " ", "2025-02-30", "igår", " 2025-03-01 ", "20250115"])
    return st.one_of(good, good, good, odd)


def csv_lines(draw: st.DrawFn, cells: list[st.SearchStrategy[str]], most: int) -> list[str]:
    out = []
    for _ in range(draw(st.integers(min_value=0, max_value=most))):
        kind = draw(st.sampled_from(["row"] * 12 + ["blank", "short", "long", "quote"]))
        if kind == "blank":
            out.append("")
            continue
        row = [draw(cell) for cell in cells]
        if kind == "short":
            row = row[:3]
        elif kind == "long":
            row.append("extra")
        elif kind == "quote":
            row[1] = 'Sol"gläntan'
        out.append(";".join(row))
    return out


AMOUNTS = ["120,50", "2 000,00", "2000,01", "-50", "12,345", "", "abc", "0", "999", " 600 "]
KINDS = ["inköp", "inköp", "Inköp ", "påfyllning", "återlämning", "retur", "ingående saldo", ""]


@st.composite
def exports(draw: st.DrawFn) -> dict[str, str]:
    ids = [f"V{n}" for n in range(30)] + ["", " V1 "]
    ledger = csv_lines(
        draw,
        [
            st.sampled_from(ids),
            st.sampled_from(BOXES),
            day_cell(),
            st.sampled_from(AMOUNTS),
            st.sampled_from([*KINDS, "okänt"]),
            st.sampled_from(["ja", "nej", "", "kanske", "J"]),
            st.sampled_from(["Anna", "anna", "Bo", ""]),
            st.sampled_from(["Bo", "anna", "", "Cia"]),
            st.sampled_from(["Fika", "", " "]),
            st.sampled_from(["GP-1", ""]),
            st.sampled_from(["Livsmedel", "livsmedel ", "Nöje", ""]),
        ],
        50,
    )
    counts = csv_lines(
        draw,
        [
            st.sampled_from(BOXES),
            day_cell(),
            st.sampled_from(["5000", "4 879,50", "", "x", "0", "-120"]),
            st.sampled_from(["A. Berg / O. Said", "A. Berg", "", "a och b"]),
        ],
        12,
    )
    head = "Ver;Kassa;Datum;Belopp;Typ;Kvitto;Betalt av;Attest;Syfte;Aktivitet;Kategori"
    return {
        "kassabok.csv": "\n".join([head, *ledger]) + "\n",
        "rakningar.csv": "\n".join(["Kassa;Datum;Räknat;Räknat av", *counts]) + "\n",
    }


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports(), st.sampled_from([1, 3, 8192]))
def test_a_run_in_batches_writes_what_a_run_row_by_row_writes(
    files: dict[str, str], size: int
) -> None:
    row_path, batch_path = run_sizes(files, plan_text(), [0, size])
    assert batch_path == row_path
    assert len(row_path["controls"]) == len(CONTROLS)


def test_a_planted_ledger_is_judged_the_same_in_batches() -> None:
    head = "Ver;Kassa;Datum;Belopp;Typ;Kvitto;Betalt av;Attest;Syfte;Aktivitet;Kategori"
    ledger = [head] + [
        f"V{n};{BOXES[n % 4]};{(START + timedelta(days=n % 95)).isoformat()};"
        f"{(n * 37) % 2600},{n % 100:02d};{KINDS[n % 7]};{'nej' if n % 13 == 0 else 'ja'};"
        f"P{n % 5};{'P1' if n % 17 == 0 else 'Q'};{'' if n % 19 == 0 else 'Fika'};"
        f"{'' if n % 7 == 0 else 'GP'};{'Livsmedel' if n % 23 == 0 else 'Nöje'}"
        for n in range(3000)
    ]
    counts = ["Kassa;Datum;Räknat;Räknat av"] + [
        f"{BOXES[n % 4]};{(START + timedelta(days=7 * n)).isoformat()};{n * 100};A / B"
        for n in range(12)
    ]
    files = {"kassabok.csv": "\n".join(ledger) + "\n", "rakningar.csv": "\n".join(counts) + "\n"}
    row_path, batch_path = run_sizes(files, plan_text(), [0, 64])
    assert batch_path == row_path
    metrics = row_path["controls"][1]["metrics"]
    assert metrics["purchases"] > 500 and metrics["split_purchases"] > 0
    assert metrics["missing_activity"] > 0
    # Counts after an unreadable row have no known balance: reconciled or not, all are told.
    reconciled = metrics.get("reconciliation_differences", 0)
    assert reconciled + metrics["unreconciled_counts"] > 0


# Directly on the check: observe_batch, population_where, feed_batch and merge ---------------

in_days = st.integers(min_value=-20, max_value=110).map(lambda n: START + timedelta(n))
edges = st.sampled_from([START, END, START - timedelta(1), END + timedelta(1)])
maybe_day = st.one_of(st.none(), in_days, in_days, in_days, edges)
AMOUNT_VALUES = ["120.50", "2000", "2000.01", "-50", "0", "12.345", "999.9", "1500"]
maybe_amount = st.sampled_from([None, *(Decimal(text) for text in AMOUNT_VALUES)])
LEDGER_FIELDS = ("transaction_id", "cashbox", "date", "amount", "kind", "receipt")
PEOPLE = ("paid_by", "attested_by", "purpose", "activity_ref", "category")


@st.composite
def streams(draw: st.DrawFn) -> list[tuple[str, list[Row]]]:
    box = st.sampled_from(["Solgläntan", "solgläntan", "Björken", None])
    ledger = draw(
        st.lists(
            st.tuples(
                box,
                maybe_day,
                maybe_amount,
                st.sampled_from([*KINDS, "okänt", None]),
                st.sampled_from(["ja", "nej", None, "kanske"]),
                st.tuples(
                    st.sampled_from(["Anna", "anna", None]),
                    st.sampled_from(["Bo", "ANNA", None]),
                    st.sampled_from(["Fika", None]),
                    st.sampled_from(["GP-1", None]),
                    st.sampled_from(["Livsmedel", "Nöje", None]),
                ),
            ),
            min_size=draw(st.integers(min_value=0, max_value=60)),
            max_size=60,
        )
    )
    counts = draw(
        st.lists(
            st.tuples(
                box,
                maybe_day,
                st.sampled_from([None, Decimal(5000), Decimal("879.50"), Decimal(0)]),
                st.sampled_from(["A / B", "A", None]),
            ),
            max_size=10,
        )
    )
    rows = []
    for n, (*cells, people) in enumerate(ledger):
        values = dict(zip(LEDGER_FIELDS, [f"V{n}" if n % 5 else None, *cells], strict=True))
        rows.append(Row(n + 2, {**values, **dict(zip(PEOPLE, people, strict=True))}))
    counted = [
        Row(n + 2, dict(zip(("cashbox", "date", "counted", "counted_by"), c, strict=True)))
        for n, c in enumerate(counts)
    ]
    order = [("ledger", with_role("ledger", rows)), ("counts", with_role("counts", counted))]
    return order if draw(st.booleans()) else order[::-1]


PARAMS: list[dict[str, Any]] = [
    {},
    {
        "activity_required_for": ["SOLGLÄNTAN"],
        "blocked_categories": ["livsmedel"],
        "split_days": 2,
        "require_two_counters": True,
        "max_idle_days": 15,
        "opening_balance": {"solgläntan ": 100},
        "tolerance": 1,
    },
    {"require_receipt": False, "exclude": {"cashbox": "björken"}, "count_every": "månad"},
    {"max_amount": None, "activity_required_for": ["*"], "split_days": 0, "count_interval_days": 9},
    # A kind of the plan's own ("återlämning" moves no book here) beside the four known ones.
    {
        "kinds": {
            "purchase": ["inköp"],
            "refill": ["påfyllning"],
            "return": ["retur"],
            "opening": ["ingående saldo"],
            "transfer": ["återlämning"],
        }
    },
]


def fresh(params: dict[str, Any]) -> Handkassa:
    context = ControlContext(control_id="H", period=Period(start=START, end=END))
    return Handkassa(HandkassaParams.model_validate(params), context)


@settings(max_examples=100, deadline=None)
@given(
    streams(),
    st.sampled_from(PARAMS),
    st.sampled_from([1, 2, 7, 8192]),
    st.lists(st.integers(min_value=0, max_value=70), max_size=4),
    st.booleans(),
)
def test_batches_and_merged_parts_equal_one_pass_row_by_row(
    stream: list[tuple[str, list[Row]]],
    params: dict[str, Any],
    size: int,
    cuts: list[int],
    columnar: bool,
) -> None:
    one = summary(fold_rows(fresh(params), stream))
    assert summary(fold_batches(fresh(params), stream, size, columnar)) == one
    assert summary(fold_parts(lambda: fresh(params), stream, cuts, size, columnar)) == one


def ledger_row(number: int, day: date, amount: str, kind: str = "inköp") -> Row:
    values = {"transaction_id": f"V{number}", "cashbox": "A", "date": day, "kind": kind}
    return Row(number, {**values, "amount": Decimal(amount), "receipt": "ja", "purpose": "x"})


def test_a_balance_beyond_64_bits_takes_the_row_path_and_agrees() -> None:
    """Amounts past what numpy's 64-bit sums hold are added as Python integers, row by row."""
    rows = [
        ledger_row(2, date(2025, 1, 2), "90000000000000000", "påfyllning"),
        ledger_row(3, date(2025, 1, 3), "12.50"),
        ledger_row(4, date(2024, 12, 3), "30000000000", "påfyllning"),
    ]
    count = Row(2, {"cashbox": "a", "date": date(2025, 1, 5), "counted": Decimal(1)})
    stream = [("ledger", with_role("ledger", rows)), ("counts", with_role("counts", [count]))]
    one = summary(fold_rows(fresh({}), stream))
    for columnar in (False, True):
        assert summary(fold_batches(fresh({}), stream, 8192, columnar)) == one
        assert summary(fold_parts(lambda: fresh({}), stream, [1], 2, columnar)) == one
    assert one[0]["reconciliation_differences"] == 1


def test_books_that_moved_more_than_64_bits_hold_merge_exactly() -> None:
    """Each part's book moves some 10**19 öre (in and out the same day): merged, the days are
    added as Python integers, and the balance is the row path's to the öre."""
    rows = [
        ledger_row(2, date(2025, 1, 2), "50000000000000000", "påfyllning"),
        ledger_row(3, date(2025, 1, 2), "50000000000000000"),
        ledger_row(4, date(2025, 1, 3), "12.50"),
        ledger_row(5, date(2025, 1, 2), "50000000000000000", "påfyllning"),
        ledger_row(6, date(2025, 1, 2), "49999999999999999.99"),
    ]
    count = Row(2, {"cashbox": "a", "date": date(2025, 1, 5), "counted": Decimal("-12.49")})
    stream = [("ledger", with_role("ledger", rows)), ("counts", with_role("counts", [count]))]
    one = summary(fold_rows(fresh({"max_amount": None}), stream))
    assert one[0]["reconciliation_differences"] == 0  # 0.01 − 12.50
    for cut in range(len(rows) + 1):
        for columnar in (False, True):
            parts = fold_parts(lambda: fresh({"max_amount": None}), stream, [cut], 2, columnar)
            assert summary(parts) == one


def test_a_day_beyond_64_bits_fails_as_the_row_path_does() -> None:
    """No day's sum wraps around: past 2**63 öre it is an error, whichever path adds it."""
    rows = [
        ledger_row(2, date(2025, 1, 2), "60000000000000000", "påfyllning"),
        ledger_row(3, date(2025, 1, 2), "60000000000000000", "påfyllning"),
    ]
    stream = [("ledger", with_role("ledger", rows))]
    with pytest.raises(OverflowError):
        fold_rows(fresh({}), stream)
    with pytest.raises(OverflowError):
        fold_batches(fresh({}), stream, 8192, True)
    with pytest.raises(OverflowError):
        summary(fold_parts(lambda: fresh({}), stream, [1], 1, True))


def test_the_last_opening_row_counts_across_parts() -> None:
    rows = [
        ledger_row(2, date(2025, 1, 1), "100", "ingående saldo"),
        ledger_row(3, date(2025, 1, 2), "40"),
        ledger_row(4, date(2025, 1, 1), "250", "ingående saldo"),
    ]
    count = Row(2, {"cashbox": "A", "date": date(2025, 1, 5), "counted": Decimal(210)})
    stream = [("ledger", with_role("ledger", rows)), ("counts", with_role("counts", [count]))]
    params = {"opening_balance": {"A": 7}}
    one = summary(fold_rows(fresh(params), stream))
    assert one[0]["reconciliation_differences"] == 0  # 250 − 40
    for cut in range(5):
        for columnar in (False, True):
            assert summary(fold_parts(lambda: fresh(params), stream, [cut], 1, columnar)) == one


# The name of a handkassa: trimmed and without case -------------------------------------------

PLAN = """\
[plan]
title = "Test"
year = 2025
period = { start = 2025-01-01, end = 2025-01-31 }

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
dataset = { counts = "rakningar", ledger = "kassabok" }
[control.params]
opening_balance = { " SOLGLÄNTAN " = 1000 }
count_interval_days = 20
"""


def test_a_handkassa_named_in_another_case_is_the_ledgers_handkassa(tmp_path: Path) -> None:
    """The counts (read first here) write "solgläntan", the plan " SOLGLÄNTAN ", the ledger
    "Solgläntan": one handkassa, named as the ledger names it, and its counts agree."""
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "kassabok.csv").write_text(
        "Ver;Kassa;Datum;Belopp;Typ;Kvitto;Betalt av;Attest;Syfte\n"
        "V1;Solgläntan;2025-01-03;200,00;inköp;ja;Anna;Bo;Fika\n"
        "V2;Solgläntan;2025-01-12;50,00;inköp;ja;Anna;Bo;Buss\n"
        "V3;Solgläntan;2025-01-20;100,00;påfyllning;ja;Anna;Bo;Påfyllning\n",
        encoding="utf-8",
    )
    (tmp_path / "rakningar.csv").write_text(
        "Kassa;Datum;Räknat\nsolgläntan;2025-01-10;800\n SOLGLÄNTAN;2025-01-25;850\n",
        encoding="utf-8",
    )
    for size in (0, 8192):
        plan, host = load_plan(tmp_path / "plan.toml")
        [result] = run_plan(plan, host, batch_rows=size)
        metrics = result.outcome.metrics
        boxes = {name.split(".")[0] for name in metrics if "." in name}
        assert boxes == {"Solgläntan"}
        assert metrics["reconciliation_differences"] == 0  # 1000 − 200 = 800; 800 − 50 + 100
        assert metrics["missing_counts"] == 0  # counted 10 and 25 January: no gap over 20 days
        assert metrics["transactions"] == 3 and metrics["Solgläntan.purchases"] == 2
        assert list(result.outcome.findings) == []


def test_a_ledger_row_without_a_handkassa_makes_no_handkassa_of_its_own(tmp_path: Path) -> None:
    """The row is refused and listed; it does not become a nameless handkassa with counts
    missing all period."""
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "kassabok.csv").write_text(
        "Ver;Kassa;Datum;Belopp;Typ;Kvitto;Betalt av;Attest;Syfte\n"
        "V1;Solgläntan;2025-01-03;200,00;inköp;ja;Anna;Bo;Fika\n"
        "V2;;2025-01-12;50,00;inköp;ja;Anna;Bo;Buss\n",
        encoding="utf-8",
    )
    (tmp_path / "rakningar.csv").write_text(
        "Kassa;Datum;Räknat\nSolgläntan;2025-01-10;800\nSolgläntan;2025-01-25;800\n",
        encoding="utf-8",
    )
    plan, host = load_plan(tmp_path / "plan.toml")
    [result] = run_plan(plan, host)
    [finding] = result.outcome.findings
    assert finding.row == 3 and finding.description == "datum, belopp eller handkassa saknas"
    assert not any(name.startswith(".") for name in result.outcome.metrics)
    assert result.outcome.metrics["transactions"] == 1


def test_counts_that_seem_to_agree_with_a_book_missing_rows_are_not_called_agreeing(
    tmp_path: Path,
) -> None:
    """A purchase of 3.000 (three thousand or three?) cannot be read, so the book lacks it from
    12 January: the count of the 25th agrees with what could be read, but its book balance is
    unknown, so there is no difference figure and the text says that nothing can be said,
    instead of "Alla kassaräkningar stämde"; with every row read it says they agreed."""
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "rakningar.csv").write_text(
        "Kassa;Datum;Räknat\nSolgläntan;2025-01-10;800\nSolgläntan;2025-01-25;800\n",
        encoding="utf-8",
    )
    header = "Ver;Kassa;Datum;Belopp;Typ;Kvitto;Betalt av;Attest;Syfte\n"
    first = "V1;Solgläntan;2025-01-03;200,00;inköp;ja;Anna;Bo;Fika\n"
    for rows, expected in (
        ("V2;Solgläntan;2025-01-12;3.000;inköp;ja;Anna;Bo;Buss\n", "går inte att säga"),
        ("", "Alla kassaräkningar stämde med kassaboken."),
    ):
        (tmp_path / "kassabok.csv").write_text(header + first + rows, encoding="utf-8")
        for size in (0, 8192):
            plan, host = load_plan(tmp_path / "plan.toml")
            [result] = run_plan(plan, host, batch_rows=size)
            metrics = result.outcome.metrics
            assert expected in result.outcome.result_text
            if rows:  # the count of 10 January is before the unread row; 25 January is not
                assert "reconciliation_differences" not in metrics
                assert metrics["unreconciled_counts"] == 1
                assert "Alla kassaräkningar stämde" not in result.outcome.result_text
                assert "1 rad i kassaboken inte kunde läsas" in result.outcome.result_text
            else:
                assert metrics["reconciliation_differences"] == 0
                assert metrics["unreconciled_counts"] == 0
