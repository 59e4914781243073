"""A mean of fewer than min_group_size beslut is left out of the result text, on both read
paths; the metric itself stays exact in resultat.json."""

from __future__ import annotations

from tests.test_batch_equality import HEADER, run_both

# One LSS decision (30 days), four SoL decisions (10, 20, 30 and 30 days: mean 22.5), and by
# service four in Hemtjänst in the first quarter (mean 22.5) and one in Korttidsboende later.
BODY = [
    "B1;LSS;Hemtjänst;2024-02-01;2024-03-02",
    "B2;SoL;Hemtjänst;2024-02-01;2024-02-11",
    "B3;SoL;Hemtjänst;2024-02-01;2024-02-21",
    "B4;SoL;Hemtjänst;2024-02-01;2024-03-02",
    "B5;SoL;Korttidsboende;2024-05-01;2024-05-31",
]


def test_a_one_decision_mean_is_not_printed() -> None:
    text = "\n".join([HEADER, *BODY]) + "\n"
    row_path, batch_path = run_both(text, [0, 8192])
    assert batch_path == row_path
    u1 = next(c for c in row_path["controls"] if c["id"] == "U1")
    assert u1["metrics"]["LSS.n"] == 1
    assert u1["metrics"]["LSS.mean_days"] == 30
    assert u1["metrics"]["SoL.mean_days"] == 22.5
    assert u1["result_text"].startswith(
        "Granskningen visade att den genomsnittliga utredningstiden LSS redovisas inte eftersom "
        "den bygger på färre än 3 beslut och utredningstiden SoL är 23 dagar."
    )
    parts = next(c for c in row_path["controls"] if c["id"] == "U2")
    assert "var Hemtjänst 23 dagar" in parts["result_text"]
    assert "redovisas den inte för Korttidsboende (färre än 3 beslut)" in parts["result_text"]
    assert "Korttidsboende 30 dagar" not in parts["result_text"]


def test_a_hidden_half_reads_as_a_sentence() -> None:
    """Two decisions in the first half (too few to show), three in the second (10, 20 and 30
    days: mean 20): each half is a clause of its own that reads as Swedish."""
    body = [
        "B1;SoL;Hemtjänst;2024-01-01;2024-01-11",
        "B2;SoL;Hemtjänst;2024-02-01;2024-03-02",
        "B3;SoL;Hemtjänst;2024-07-01;2024-07-11",
        "B4;SoL;Hemtjänst;2024-08-01;2024-08-21",
        "B5;SoL;Hemtjänst;2024-09-01;2024-10-01",
    ]
    row_path, batch_path = run_both("\n".join([HEADER, *body]) + "\n", [0, 8192])
    assert batch_path == row_path
    u3 = next(c for c in row_path["controls"] if c["id"] == "U3")
    assert u3["metrics"]["H1.n"] == 2
    assert u3["metrics"]["H2.mean_days"] == 20
    assert u3["result_text"].startswith(
        "Granskningen visade att den genomsnittliga utredningstiden under perioden "
        "240101–240630 redovisas inte (färre än 3 beslut), och under perioden 240701–241231 "
        "var 20 dagar."
    )
    u2 = next(c for c in row_path["controls"] if c["id"] == "U2")
    assert (
        "under perioden 240101–240331 redovisas inte för Hemtjänst (färre än 3 beslut)"
        in (u2["result_text"])
    )
