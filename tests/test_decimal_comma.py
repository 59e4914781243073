"""Messages write decimals with the Swedish decimal comma, as the reports do: an amount in
parts of öre is "12,345", a rate the sample-size command refuses is "0,1 procent", never
"12.345" or "(0.001)". The numbers are given exactly as they were written, never rounded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from internkontroll.checks import ControlContext
from internkontroll.cli import cli
from internkontroll.datasets import Row
from internkontroll.models import Period
from internkontroll.monetary import monetary_size, plan_monetary
from internkontroll.sample_size import SamplingError
from internkontroll.swedish import NBSP, given_number
from plugins.handkassa import Handkassa, HandkassaParams

from .batch_folds import fold_batches, fold_rows, summary, with_role


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.001, "0,001"),
        (Decimal("12.345"), "12,345"),
        (Decimal("-0.5"), "−0,5"),
        (1234.5, f"1{NBSP}234,5"),
        (Decimal("2000.00"), f"2{NBSP}000"),
        (0.95, "0,95"),
        (7, "7"),
    ],
)
def test_a_given_number_keeps_its_decimals_and_takes_a_comma(value: object, text: str) -> None:
    assert given_number(value) == text  # type: ignore[arg-type]


def test_handkassa_names_an_amount_in_parts_of_ore_with_a_comma() -> None:
    start, end = date(2025, 1, 1), date(2025, 1, 31)
    row = Row(
        2,
        {
            "transaction_id": "V1",
            "cashbox": "A",
            "date": date(2025, 1, 3),
            "amount": Decimal("12.345"),
            "kind": "inköp",
            "receipt": "ja",
        },
    )
    stream = [("ledger", with_role("ledger", [row]))]

    def fresh() -> Handkassa:
        context = ControlContext(control_id="H", period=Period(start=start, end=end))
        return Handkassa(HandkassaParams(), context)

    one = summary(fold_rows(fresh(), stream))
    assert summary(fold_batches(fresh(), stream, 8192, True)) == one
    [finding] = one[4]
    assert finding["description"] == "beloppet 12,345 har mer än två decimaler (hela ören)"


def test_sample_size_refuses_a_rate_with_a_comma() -> None:
    ran = CliRunner().invoke(
        cli,
        [
            "sample",
            "size",
            "--confidence",
            "0.95",
            "--tolerable",
            "0.001",
            "--expected-rate",
            "0.001",
        ],
    )
    assert ran.exit_code == 1
    assert "den förväntade avvikelsefrekvensen (0,1 procent) ska vara minst 0 och mindre än " in (
        ran.output
    )
    assert "tolerabla (0,1 procent)" in ran.output and "0.001" not in ran.output


def test_sample_size_names_its_largest_size_with_a_space() -> None:
    ran = CliRunner().invoke(
        cli,
        [
            "sample",
            "size",
            "--confidence",
            "0.95",
            "--tolerable",
            "0.05",
            "--expected-rate",
            "0.049",
        ],
    )
    assert ran.exit_code == 1
    assert f"fler än 10{NBSP}000 enheter" in ran.output


def test_monetary_messages_take_a_comma() -> None:
    with pytest.raises(SamplingError, match=r"inte 1,5$"):
        monetary_size(1.5, 0.05)
    with pytest.raises(SamplingError) as caught:
        plan_monetary(0.95, Decimal("1000.50"), Decimal("2000.25"))
    assert f"(2{NBSP}000,25 kr)" in str(caught.value) and "(1\u00a0000,5 kr)" in str(caught.value)
