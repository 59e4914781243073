"""Monthly counts, split purchases and two counters: against plain readings and through a plan."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from internkontroll_checks.handkassa_rules import counters, months_without_count, split_groups

from .test_personal_assistance import COUNTS, HANDKASSA, LEDGER, run

days = st.dates(min_value=date(2024, 11, 1), max_value=date(2026, 2, 28))


@settings(max_examples=300, deadline=None)
@given(start=days, length=st.integers(min_value=0, max_value=400), counted=st.lists(days))
def test_months_without_count_match_a_plain_reading(
    start: date, length: int, counted: list[date]
) -> None:
    end = start + timedelta(days=length)
    expected = []
    day = start
    while day <= end:
        month = [d for d in counted if (d.year, d.month) == (day.year, day.month)]
        last = day
        while last + timedelta(days=1) <= end and (last + timedelta(days=1)).month == day.month:
            last += timedelta(days=1)
        if not any(day <= d <= last for d in month):
            expected.append((day, last))
        day = last + timedelta(days=1)
    assert months_without_count(start, end, counted) == expected


def test_monthly_rule_at_month_and_year_ends() -> None:
    year = (date(2025, 1, 1), date(2025, 12, 31))
    monthly = [date(2025, m, 28) for m in range(1, 13)]
    assert months_without_count(*year, monthly) == []
    # 2 January and 28 February: fine monthly, though 57 days apart.
    assert months_without_count(date(2025, 1, 1), date(2025, 2, 28), [date(2025, 1, 2), date(2025, 2, 28)]) == []  # fmt: skip
    # A count on 31 December 2024 does not cover January.
    assert months_without_count(date(2025, 1, 1), date(2025, 1, 31), [date(2024, 12, 31)]) == [
        (date(2025, 1, 1), date(2025, 1, 31))
    ]
    # A period from 15 February 2024 (leap year): February is 15–29.
    assert months_without_count(date(2024, 2, 15), date(2024, 3, 31), [date(2024, 3, 1)]) == [
        (date(2024, 2, 15), date(2024, 2, 29))
    ]


purchase = st.tuples(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 2, 28)),
    st.integers(min_value=1, max_value=2500).map(Decimal),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(purchase, max_size=12), st.integers(min_value=0, max_value=5))
def test_split_purchases_match_a_plain_reading(
    purchases: list[tuple[date, Decimal]], split_days: int
) -> None:
    limit = Decimal(2000)
    eligible = [i for i, (_, amount) in enumerate(purchases) if amount <= limit]
    flagged: set[int] = set()
    for start in {purchases[i][0] for i in eligible}:
        window = [
            i for i in eligible if start <= purchases[i][0] <= start + timedelta(days=split_days)
        ]
        if len(window) >= 2 and sum(purchases[i][1] for i in window) > limit:
            flagged |= set(window)
    groups = split_groups(purchases, split_days, limit)
    assert {i for g in groups for i in g} == flagged
    assert sum(len(g) for g in groups) == len(flagged)  # no purchase in two groups


def test_split_groups_by_hand() -> None:
    d = date(2025, 3, 30)
    at = [
        (d, Decimal(1500)),
        (d + timedelta(days=2), Decimal(600)),
        (d + timedelta(days=9), Decimal(1999)),
    ]
    assert split_groups(at, 2, Decimal(2000)) == [[0, 1]]  # 30 March and 1 April: 2 100 kr
    assert split_groups(at, 1, Decimal(2000)) == []
    # A purchase above the maximum is its own deviation, not part of a split.
    assert split_groups([(d, Decimal(2500)), (d, Decimal(100))], 3, Decimal(2000)) == []


def test_counters() -> None:
    assert counters("A. Berg / O. Said") == {"a. berg", "o. said"}
    assert counters("A. Berg och O. Said") == {"a. berg", "o. said"}
    assert counters("A. Berg / a. berg") == {"a. berg"}
    assert counters("P-2002") == {"p-2002"}
    assert counters("") == set()


def test_the_rules_through_a_plan(tmp_path: Path) -> None:
    plan = (
        HANDKASSA.replace('counted = "Räknat"', 'counted = "Räknat"\ncounted_by = "Räknat av"')
        .replace("count_interval_days = 31", 'count_every = "månad"\nsplit_days = 2\nrequire_two_counters = true')
    )  # fmt: skip
    ledger = LEDGER + (
        "V14;Björken;2025-03-03;1 200,00;inköp;ja;Cia;Dan;Bio;;Nöje\n"
        "V15;Björken;2025-03-05;900,00;inköp;ja;Cia;Dan;Bowling;;Nöje\n"
        "V16;Björken;2025-03-05;950,00;inköp;ja;Eva;Dan;Bowling;;Nöje\n"
    )
    counts = "Kassa;Datum;Räknat;Räknat av\n" + "".join(
        line + (";A. Berg / O. Said\n" if "Björken" not in line else ";A. Berg\n")
        for line in COUNTS.splitlines()[1:]
    )
    result = run(tmp_path, plan, {"kassabok.csv": ledger, "rakningar.csv": counts})
    m = result.outcome.metrics
    # Björken: counted only in January (February and March missing), by one person; Cia's
    # 1 200 + 900 within two days is a split purchase (Eva's 950 is another person's).
    assert m["Björken.missing_month_counts"] == 2
    assert m["Solgläntan.missing_month_counts"] == 0
    assert m["missing_counts"] == 0  # the rolling rule is off when count_every is given
    assert m["single_counter"] == 1 and m["Björken.single_counter"] == 1
    assert m["Björken.split_purchases"] == 1
    # Solgläntan: Anna's 2 000,00 on 5 January and 120,50 on 7 January are one too.
    assert m["Solgläntan.split_purchases"] == 1 and m["split_purchases"] == 2
    text = " ".join(f.description for f in result.outcome.findings)
    assert "2 inköp av samma person 2025-03-03–2025-03-05" in text
    assert "sammanlagt 2\u00a0100 kr" in text
    assert "A. Berg" not in text and "Cia" not in text  # names never reach the findings
    assert "med bara en räknare" in result.outcome.result_text


def test_rolling_rule_kept_beside_the_monthly_one(tmp_path: Path) -> None:
    plan = HANDKASSA.replace(
        "count_interval_days = 31", 'count_every = "månad"\ncount_interval_days = 31'
    )
    counts = "Kassa;Datum;Räknat\nSolgläntan;2025-01-02;0\nSolgläntan;2025-02-28;0\nSolgläntan;2025-03-31;0\n"
    result = run(tmp_path, plan, {"kassabok.csv": LEDGER, "rakningar.csv": counts})
    m = result.outcome.metrics
    assert m["Solgläntan.missing_month_counts"] == 0  # a count in every month
    assert m["Solgläntan.missing_counts"] == 1  # 2 January to 28 February is 57 days
