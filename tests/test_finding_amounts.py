"""The belopp column of avvikelser/<control>.csv holds kronor in whole öre: an amount computed
as a share of a rate (1961.290322580645161290322580) is rounded half up to two decimals."""

from __future__ import annotations

import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from internkontroll.findings_csv import write_findings
from internkontroll.outcome import FindingLog


def belopp_cells(tmp_path: Path, log: FindingLog) -> list[str]:
    path = tmp_path / "T1.csv"
    write_findings(path, path, "T1", log)
    lines = path.read_text(encoding="utf-8-sig").splitlines()[1:]
    return [line.rsplit(";", 1)[1] for line in lines]


def reference(amount: Decimal) -> str:
    """Swedish Excel text of an amount in öre, worked out independently of the writer: as
    written when it has two decimals or fewer, else rounded half up (a rounded zero unsigned)."""
    if amount.as_tuple().exponent >= -2:  # type: ignore[operator]
        return format(amount, "f").replace(".", ",")
    text = format(amount.quantize(Decimal("0.01"), ROUND_HALF_UP), "f")
    return text.removeprefix("-" if Decimal(text) == 0 else "").replace(".", ",")


def test_a_share_of_a_rate_is_written_in_ore(tmp_path: Path) -> None:
    log = FindingLog()
    log.add(
        "C1 2025-03",
        "10,2 h över beslut",
        None,
        "avvikelse",
        Decimal("3861.290322580645161290322580"),
    )
    log.add("Björk", "skillnad", 2, "avvikelse", Decimal("-12.35"))
    log.add("V6", "datakvalitet", 7, "datakvalitet")
    log.add("X", "halvt öre", 8, "avvikelse", Decimal("0.005"))
    log.add("Y", "nästan noll", 9, "avvikelse", Decimal("-0.001"))
    assert belopp_cells(tmp_path, log) == ["3861,29", "-12,35", "", "0,01", "0,00"]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.decimals(min_value=-(10**7), max_value=10**7, allow_nan=False, allow_infinity=False),
            st.sampled_from([Decimal(t) for t in ("-0", "-0.00", "-0.004", "1E+3", "0.005")]),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_every_amount_by_column_matches_a_plain_rounding(amounts: list[Decimal]) -> None:
    log = FindingLog()
    count = len(amounts)
    log.add_columns(
        [f"R{i}" for i in range(count)], ["d"] * count, [None] * count, "avvikelse", amounts
    )
    with tempfile.TemporaryDirectory() as folder:
        cells = belopp_cells(Path(folder), log)
    assert cells == [reference(a) for a in amounts]
