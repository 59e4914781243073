"""``include`` beside ``exclude``, in every built-in check: the same figures as on an export that
holds only the included rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from .decisions import Decision, exports, run_control
from .test_personal_assistance import BEVILJAD, COUNTS, GRANTED, HANDKASSA, LEDGER, PERFORMED, run

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WANTED = ("Hemtjänst", "Korttidsboende")
CONTROLS = {
    "utredningstid": 'check = "utredningstid"\n[control.params]\ngroup_by = "law"',
    "verkstallighetstid": 'check = "verkstallighetstid"\n[control.params]\ngroup_by = "law"',
    "tidsbegransade": 'check = "beslutsuppfoljning"\n[control.params]\nkind = "tidsbegransade"',
    "tillsvidare": 'check = "beslutsuppfoljning"\n[control.params]\nkind = "tillsvidare"',
}


@FAST
@pytest.mark.parametrize("name", list(CONTROLS))
@given(decisions=exports())
def test_include_equals_a_filtered_export(name: str, decisions: list[Decision]) -> None:
    control = "period = { start = 2024-01-01, end = 2024-11-30 }\n" + CONTROLS[name]
    included = control + '\ninclude = { service = ["hemtjänst", "Korttidsboende"] }'
    with run_control(included, decisions) as result:
        filtered = result.outcome.metrics
    # The reference export: each id's first row (a repeat never counts), when it is included.
    first = {}
    for d in decisions:
        first.setdefault(d.decision_id, d)
    kept = [d for d in first.values() if d.service in WANTED]
    with run_control(control, kept) as result:
        plain = result.outcome.metrics
    for metric in ("excluded", "invalid_rows", "duplicate_rows", "not_due"):
        filtered.pop(metric, None)  # rows left out are counted; the rest must agree
        plain.pop(metric, None)
    assert filtered == plain


def test_include_and_exclude_together_in_the_sentence() -> None:
    control = (
        'check = "verkstallighetstid"\nperiod = { start = 2024-01-01, end = 2024-11-30 }\n'
        '[control.params]\ninclude = { service = "Hemtjänst" }\nexclude = { law = "SFB" }'
    )
    decision = Decision(
        "B1", "SoL", "Hemtjänst", None, date(2024, 3, 1), date(2024, 3, 5), None, None
    )
    other = Decision(
        "B2", "SoL", "Daglig verksamhet", None, date(2024, 3, 1), date(2024, 3, 9), None, None
    )
    with run_control(control, [decision, other]) as result:
        text = result.outcome.result_text
        assert "Endast beslut med insats Hemtjänst ingår. Beslut med lag SFB ingår inte." in text
        assert result.outcome.metrics["excluded"] == 1
        assert result.outcome.metrics["mean_days"] == 4


def test_handkassa_include_chooses_the_purchases_judged(tmp_path: Path) -> None:
    everything = run(tmp_path / "a", HANDKASSA, {"kassabok.csv": LEDGER, "rakningar.csv": COUNTS})
    only = run(
        tmp_path / "b",
        HANDKASSA.replace("tolerance = 0", 'tolerance = 0\ninclude = { cashbox = "Björken" }'),
        {"kassabok.csv": LEDGER, "rakningar.csv": COUNTS},
    )
    a, b = everything.outcome.metrics, only.outcome.metrics
    assert b["purchases"] == a["Björken.purchases"] and b["deviations"] == a["Björken.deviations"]
    assert b["excluded"] == a["Solgläntan.purchases"]
    # Balances and counts still read the whole ledger.
    assert b["reconciliation_differences"] == a["reconciliation_differences"]


def test_beviljad_tid_include_leaves_out_whole_cases(tmp_path: Path) -> None:
    files = {"beslut.csv": GRANTED, "tid.csv": PERFORMED}
    everything = run(tmp_path / "a", BEVILJAD, files).outcome.metrics
    sfb = run(
        tmp_path / "b",
        BEVILJAD.replace(
            "tolerance_hours = 2", 'tolerance_hours = 2\ninclude = { source = "SFB" }'
        ),
        files,
    ).outcome.metrics
    granted = GRANTED.splitlines()
    kept_cases = {line.split(";")[0] for line in granted[1:] if line.split(";")[-1] == "SFB"}
    left = {line.split(";")[0] for line in granted[1:]} - kept_cases
    only = {
        "beslut.csv": "\n".join([granted[0], *(g for g in granted[1:] if g.split(";")[0] in kept_cases)]) + "\n",
        "tid.csv": "\n".join(
            line for line in PERFORMED.splitlines() if line.split(";")[0] not in left
        ) + "\n",
    }  # fmt: skip
    plain = run(tmp_path / "c", BEVILJAD, only).outcome.metrics
    assert sfb["excluded"] == len(granted) - 1 - sum(
        1 for g in granted[1:] if g.split(";")[0] in kept_cases
    )
    for name in ("case_months", "under_reported", "hours_under", "revenue_at_risk", "over_granted"):
        assert sfb[name] == pytest.approx(plain[name]), name
    assert everything["case_months"] >= sfb["case_months"]


def test_a_padded_value_in_the_plan_matches_as_the_trimmed_export_does() -> None:
    # The export's cells are read trimmed; the plan's " Hemtjänst " must match them too, not
    # leave every row out.
    control = (
        'check = "verkstallighetstid"\nperiod = { start = 2024-01-01, end = 2024-11-30 }\n'
        '[control.params]\ninclude = { service = [" Hemtjänst "] }\nexclude = { law = ["SFB "] }'
    )
    kept = Decision("B1", "SoL", "Hemtjänst", None, date(2024, 3, 1), date(2024, 3, 5), None, None)
    left = Decision("B2", "SFB", "Hemtjänst", None, date(2024, 3, 1), date(2024, 3, 9), None, None)
    with run_control(control, [kept, left]) as result:
        assert result.outcome.metrics["excluded"] == 1
        assert result.outcome.metrics["mean_days"] == 4


@pytest.mark.parametrize(
    ("selection", "key"),
    [
        ("include = { service = [] }", "include"),
        ('exclude = { law = ["SFB", " "] }', "exclude"),
        ('include = { service = "" }', "include"),
    ],
)
def test_a_selection_without_values_is_refused_with_its_line(
    tmp_path: Path, selection: str, key: str
) -> None:
    """``include = { outcome = [] }`` would leave every row out, and ``exclude`` with a blank
    value nothing: the plan is refused at its line instead of run."""
    from click.testing import CliRunner

    from internkontroll.cli import cli

    source = Path(__file__).parent / "bad_inputs"
    plan = tmp_path / "plan.toml"
    text = (source / "plan.toml").read_text(encoding="utf-8")
    plan.write_text(f"{text}[control.params]\n{selection}\n", encoding="utf-8")
    (tmp_path / "beslut.csv").write_bytes((source / "beslut.csv").read_bytes())
    line = len(text.splitlines()) + 2
    result = CliRunner().invoke(cli, ["validate", str(plan)])
    assert result.exit_code == 1
    assert f"plan.toml:{line}: kontroll K1: {key}: " in result.output
    assert "anger inget värde (eller ett tomt); väntade ett eller flera värden" in result.output
